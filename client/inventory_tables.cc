#include "client/inventory_tables.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "client/core_hours_text.h"
#include "client/number_format.h"
#include "common/vocabulary.h"

namespace monipaikka::client {
namespace {

std::string OrDefault(const std::string& value, absl::string_view fallback) {
  return value.empty() ? std::string(fallback) : value;
}

// Zero means unknown for areas and rents.
std::string BlankIfZero(double value) {
  return value == 0 ? std::string() : FormatDecimal(value);
}

}  // namespace

Table OrganizationsTable(const v1::ListOrganizationsResponse& response) {
  Table table({{"code", "code"}, {"name", "name"}});
  for (const v1::Organization& organization : response.organizations()) {
    table.AddRow({organization.code(), organization.name()});
  }
  return table;
}

Table SitesTable(const v1::ListSitesResponse& response) {
  Table table({{"code", "code"},
               {"name", "name"},
               {"kind", "kind"},
               {"municipality", "municipality"},
               {"address", "address"},
               {"time zone", "timezone"},
               {"office m²", "office_area_m2", Align::kRight},
               {"rent €/year", "annual_rent_eur", Align::kRight},
               {"core hours", "core_hours"}});
  for (const v1::Site& site : response.sites()) {
    table.AddRow({site.code(), site.name(), site.kind(), site.municipality(),
                  site.address(), OrDefault(site.timezone(), kDefaultTimeZone),
                  BlankIfZero(site.office_area_m2()),
                  BlankIfZero(site.annual_rent_eur()),
                  FormatCoreHours(site.core_hours())});
  }
  return table;
}

Table SpacesTable(const v1::ListSpacesResponse& response) {
  Table table({{"code", "code"},
               {"parent", "parent"},
               {"level", "level"},
               {"kind", "kind"},
               {"name", "name"},
               {"area m²", "area_m2", Align::kRight},
               {"capacity", "capacity", Align::kRight},
               {"plan", "has_plan_svg"}});
  for (const v1::Space& space : response.spaces()) {
    table.AddRow(
        {space.code(), space.parent(), space.level(), space.kind(),
         space.name(), BlankIfZero(space.area_m2()),
         space.capacity() == 0 ? std::string() : absl::StrCat(space.capacity()),
         space.has_plan_svg() ? "yes" : ""});
  }
  return table;
}

Table WorkstationsTable(const v1::ListWorkstationsResponse& response) {
  Table table({{"code", "code"},
               {"space", "space"},
               {"kind", "kind"},
               {"organization", "organization"},
               {"status", "status"},
               {"x m", "x_m", Align::kRight},
               {"y m", "y_m", Align::kRight}});
  for (const v1::Workstation& workstation : response.workstations()) {
    // A position of 0 is a position: blank only when there is none.
    table.AddRow(
        {workstation.code(), workstation.space(), workstation.kind(),
         workstation.organization(),
         OrDefault(workstation.status(), Name(kDefaultWorkstationStatus)),
         workstation.has_x_m() ? FormatDecimal(workstation.x_m()) : "",
         workstation.has_y_m() ? FormatDecimal(workstation.y_m()) : ""});
  }
  return table;
}

Table SensorsTable(const v1::ListSensorsResponse& response) {
  Table table({{"external id", "external_id"},
               {"kind", "kind"},
               {"workstation", "workstation"},
               {"space", "space"},
               {"site", "site"},
               {"gateway", "gateway"},
               {"installed", "installed"},
               {"removed", "removed"}});
  for (const v1::Sensor& sensor : response.sensors()) {
    table.AddRow({sensor.external_id(), sensor.kind(), sensor.workstation(),
                  sensor.space(), sensor.site(), sensor.gateway(),
                  sensor.installed(), sensor.removed()});
  }
  return table;
}

}  // namespace monipaikka::client
