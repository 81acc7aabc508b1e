#include "server/reports/floor_plan_report.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/analytics/floor_plan.h"
#include "server/analytics/right_sizing.h"
#include "server/analytics/usage.h"
#include "server/reports/report_common.h"

namespace monipaikka {
namespace {

constexpr int32_t kDefaultBufferPct = 10;
constexpr int kPlanYearDays = 365;

constexpr char kKwhSource[] =
    "estimate: Finnish office buildings use about 90 kWh of electricity per "
    "m2 a year, about 0.36 kWh per m2 per working day; a closed floor with "
    "lighting, devices and most ventilation off and heating set back saves "
    "about 70 % of that (docs/planning-floors-forecast.md)";
constexpr char kCo2Source[] =
    "approximate average emission factor of electricity consumed in Finland "
    "in the early 2020s (Statistics Finland and Motiva publish the yearly "
    "figures; Fingrid publishes the real-time factor); replace with your "
    "supplier's factor";

// A unit of the plan and the workstations that make it.
struct Unit {
  std::string code;
  std::string name;
  int32_t floor = -1;  // space index
  int32_t space = -1;  // the floor or zone; -1 for a floor less its zones
  double area_m2 = 0;
  // Empty until known; then area_m2 holds.
  std::string area_source;
  int32_t capacity = 0;
  int32_t active = 0;  // active workstations, home ones included
  std::vector<std::string> home_of;
};

Unit MakeUnit(std::string code, std::string name, int32_t floor, int32_t space,
              double area_m2, std::string area_source) {
  Unit unit;
  unit.code = std::move(code);
  unit.name = std::move(name);
  unit.floor = floor;
  unit.space = space;
  unit.area_m2 = area_m2;
  unit.area_source = std::move(area_source);
  return unit;
}

absl::Status CheckAssumption(absl::string_view field, bool has, double value,
                             double max) {
  if (!has) return absl::OkStatus();
  if (!(value >= 0 && value <= max)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", value, " is outside 0 … ", max));
  }
  return absl::OkStatus();
}

// The units of `site` in plan order: floors by code; with zones, each
// floor's zones by code, then the part of the floor outside its zones when
// it has workstations.
std::vector<Unit> MakeUnits(const OccupancyInventory& inventory, int32_t site,
                            bool zones) {
  const OccupancyInventory::Site& s = inventory.sites()[site];
  std::vector<Unit> units;
  std::map<int32_t, size_t> unit_of_space;  // floor or zone → unit
  std::map<int32_t, size_t> remainder_of_floor;
  for (int32_t floor : s.floors) {
    const OccupancyInventory::Space& f = inventory.spaces()[floor];
    if (!zones) {
      unit_of_space[floor] = units.size();
      units.push_back(MakeUnit(f.code, f.name, floor, floor, f.area_m2,
                               f.area_m2 > 0 ? "floor" : ""));
      continue;
    }
    std::vector<int32_t> floor_zones;
    for (size_t i = 0; i < inventory.spaces().size(); ++i) {
      const OccupancyInventory::Space& z = inventory.spaces()[i];
      if (z.level == SpaceLevel::kZone && z.path.front() == floor) {
        floor_zones.push_back(static_cast<int32_t>(i));
      }
    }
    std::sort(floor_zones.begin(), floor_zones.end(),
              [&](int32_t a, int32_t b) {
                return inventory.spaces()[a].code < inventory.spaces()[b].code;
              });
    double zoned_area = 0;
    for (int32_t z : floor_zones) {
      const OccupancyInventory::Space& zone = inventory.spaces()[z];
      unit_of_space[z] = units.size();
      units.push_back(MakeUnit(zone.code, zone.name, floor, z, zone.area_m2,
                               zone.area_m2 > 0 ? "zone" : ""));
      zoned_area += std::max(0.0, zone.area_m2);
    }
    remainder_of_floor[floor] = units.size();
    Unit rest =
        MakeUnit(absl::StrCat(f.code, "/-"),
                 absl::StrCat(f.name, " outside zones"), floor, -1, 0, "");
    if (f.area_m2 > 0) {
      rest.area_m2 = std::max(0.0, f.area_m2 - zoned_area);
      rest.area_source = "floor less zones";
    }
    units.push_back(rest);
  }
  // Workstations, and each organization's count per unit.
  int32_t site_active = 0;
  std::map<int32_t, std::vector<int32_t>> org_counts;
  for (const OccupancyInventory::Workstation& ws : inventory.workstations()) {
    if (!ws.active || ws.site != site) continue;
    ++site_active;
    const OccupancyInventory::Space& space = inventory.spaces()[ws.space];
    size_t u;
    const int32_t floor = space.path.front();
    if (!zones) {
      u = unit_of_space.at(floor);
    } else if (space.zone >= 0 && unit_of_space.count(space.zone)) {
      u = unit_of_space.at(space.zone);
    } else {
      u = remainder_of_floor.at(floor);
    }
    ++units[u].active;
    if (!InOffice(ws.kind)) continue;
    ++units[u].capacity;
    if (ws.organization >= 0) {
      std::vector<int32_t>& counts = org_counts[ws.organization];
      counts.resize(units.size());
      ++counts[u];
    }
  }
  for (Unit& unit : units) {
    if (!unit.area_source.empty()) continue;
    unit.area_m2 =
        site_active > 0 ? s.office_area_m2 * unit.active / site_active : 0.0;
    unit.area_source = "site pro rata";
  }
  // Home unit: the one with most of the organization's office workstations;
  // on a tie the earlier one.
  for (const auto& [org, counts] : org_counts) {
    const size_t home = static_cast<size_t>(
        std::max_element(counts.begin(), counts.end()) - counts.begin());
    units[home].home_of.push_back(inventory.organizations()[org].code);
  }
  // The part of a floor outside its zones without workstations (corridors,
  // meeting rooms, kitchens) is no unit: it serves the zones around it, so
  // the plan neither closes it nor counts it.
  std::erase_if(units,
                [](const Unit& u) { return u.space < 0 && u.active == 0; });
  return units;
}

}  // namespace

absl::StatusOr<v1::FloorPlanReport> BuildFloorPlan(
    const ReportContext& context, const v1::FloorPlanRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  if (request.site().empty()) {
    return absl::InvalidArgumentError("site: is required");
  }
  const int32_t site = inventory.SiteIndex(request.site());
  if (site < 0) {
    return absl::NotFoundError(
        absl::StrCat("site: no site \"", request.site(), "\""));
  }
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  int32_t buffer = kDefaultBufferPct;
  if (request.has_buffer_pct()) {
    buffer = request.buffer_pct();
    if (buffer < 0 || buffer > 1000) {
      return absl::InvalidArgumentError(absl::StrCat(
          "buffer_pct: ", buffer, " is outside 0..1000 (whole percent)"));
    }
  }
  bool zones = false;
  if (request.unit() == "zone") {
    zones = true;
  } else if (!request.unit().empty() && request.unit() != "floor") {
    return absl::InvalidArgumentError(absl::StrCat(
        "unit: \"", request.unit(), "\" is neither \"floor\" nor \"zone\""));
  }
  EnergyAssumptions energy;
  RETURN_IF_ERROR(CheckAssumption("kwh_per_m2_closed_day",
                                  request.has_kwh_per_m2_closed_day(),
                                  request.kwh_per_m2_closed_day(), 100));
  RETURN_IF_ERROR(CheckAssumption("kg_co2_per_kwh",
                                  request.has_kg_co2_per_kwh(),
                                  request.kg_co2_per_kwh(), 10));
  v1::EnergyAssumptions assumptions;
  if (request.has_kwh_per_m2_closed_day()) {
    energy.kwh_per_m2_closed_day = request.kwh_per_m2_closed_day();
    assumptions.set_kwh_source("given in the request");
    assumptions.set_kwh_from_request(true);
  } else {
    assumptions.set_kwh_source(kKwhSource);
  }
  if (request.has_kg_co2_per_kwh()) {
    energy.kg_co2_per_kwh = request.kg_co2_per_kwh();
    assumptions.set_co2_source("given in the request");
    assumptions.set_co2_from_request(true);
  } else {
    assumptions.set_co2_source(kCo2Source);
  }
  assumptions.set_kwh_per_m2_closed_day(energy.kwh_per_m2_closed_day);
  assumptions.set_kg_co2_per_kwh(energy.kg_co2_per_kwh);

  // The site's daily peaks.
  Selection selection;
  selection.site = site;
  selection.rooms = false;
  const Selection selections[] = {selection};
  ASSIGN_OR_RETURN(auto figures,
                   LoadDayFigures(context, selections, window.first_date,
                                  window.last_date, /*minute_peaks=*/false));
  const SelectionMembers members =
      MembersOf(inventory, selection, window.first_date, window.last_date);
  const int32_t measured = static_cast<int32_t>(members.measured.size());
  FrameCache frames(inventory);
  const std::vector<UsageDay> days =
      MakeUsageDays(inventory, frames, members, figures[0], window, kCoreHours);

  const std::vector<Unit> units = MakeUnits(inventory, site, zones);
  v1::FloorPlanReport report;
  report.set_site(request.site());
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_buffer_pct(buffer);
  report.set_unit(zones ? "zone" : "floor");
  report.set_keep_home_units(request.keep_home_units());
  report.set_workstations_measured(measured);
  for (const Unit& unit : units) {
    v1::FloorPlanUnit* out = report.add_units();
    out->set_code(unit.code);
    out->set_name(unit.name);
    out->set_floor(inventory.spaces()[unit.floor].code);
    out->set_area_m2(unit.area_m2);
    out->set_area_source(unit.area_source);
    out->set_capacity(unit.capacity);
    for (const std::string& org : unit.home_of) out->add_home_of(org);
  }

  // Core days of each weekday in the plan year.
  const absl::CivilDay year_from = window.last + 1;
  const absl::CivilDay year_to = window.last + kPlanYearDays;
  report.set_year_from(FormatDate(year_from));
  report.set_year_to(FormatDate(year_to));
  std::array<int32_t, 8> core_days_per_year{};
  for (int32_t date = DateIndex(year_from); date <= DateIndex(year_to);
       ++date) {
    if (frames.Get(site, date).core_day()) {
      ++core_days_per_year[IsoWeekday(DateOf(date))];
    }
  }

  const WeeklyCoreHours& core = inventory.sites()[site].core;
  double closed_m2_days = 0;
  for (int weekday = 1; weekday <= 7; ++weekday) {
    if (!core.weekdays[weekday - 1]) continue;
    std::vector<UsageDay> of_weekday;
    for (const UsageDay& day : days) {
      if (IsoWeekday(day.date) == weekday) of_weekday.push_back(day);
    }
    const UsageNumbers numbers = AggregateUsage(of_weekday, measured, 0);
    v1::FloorPlanWeekday* out = report.add_weekdays();
    out->set_iso_weekday(weekday);
    out->set_weekday(WeekdayName(weekday));
    out->set_days_counted(numbers.days_counted);
    out->set_has_data(numbers.days_counted > 0);
    out->set_core_days_per_year(core_days_per_year[weekday]);
    std::vector<PlanUnit> plan_units;
    for (const Unit& unit : units) {
      plan_units.push_back(
          {unit.area_m2, unit.capacity,
           request.keep_home_units() && !unit.home_of.empty()});
    }
    OpenUnits plan;
    if (out->has_data()) {
      out->set_peak_occupancy_p95(numbers.peak_occupancy_p95);
      out->set_demand(NeededWorkstations(numbers.peak_occupancy_p95, buffer));
      plan = ChooseOpenUnits(plan_units, out->demand());
    } else {
      // No data: nothing closes.
      plan.open.assign(units.size(), true);
      for (const Unit& unit : units) {
        plan.open_area_m2 += unit.area_m2;
        plan.open_capacity += unit.capacity;
      }
      plan.demand_met = false;
    }
    out->set_demand_met(plan.demand_met);
    double closed_area = 0;
    for (size_t u = 0; u < units.size(); ++u) {
      if (plan.open[u]) {
        out->add_open_units(units[u].code);
      } else {
        out->add_closed_units(units[u].code);
        closed_area += units[u].area_m2;
      }
    }
    out->set_open_area_m2(plan.open_area_m2);
    out->set_closed_area_m2(closed_area);
    out->set_open_capacity(plan.open_capacity);
    const double m2_days = closed_area * core_days_per_year[weekday];
    out->set_closed_m2_days_per_year(m2_days);
    out->set_energy_saved_kwh_per_year(m2_days * energy.kwh_per_m2_closed_day);
    out->set_co2_saved_kg_per_year(m2_days * energy.kwh_per_m2_closed_day *
                                   energy.kg_co2_per_kwh);
    closed_m2_days += m2_days;
  }
  report.set_closed_m2_days_per_year(closed_m2_days);
  report.set_energy_saved_kwh_per_year(closed_m2_days *
                                       energy.kwh_per_m2_closed_day);
  report.set_co2_saved_kg_per_year(
      closed_m2_days * energy.kwh_per_m2_closed_day * energy.kg_co2_per_kwh);
  *report.mutable_assumptions() = assumptions;
  report.set_as_of(FormatInstantMs(context.now_ms));
  ASSIGN_OR_RETURN(int32_t pending, PendingHours(context, window));
  report.set_pending_reading_hours(pending);
  return report;
}

}  // namespace monipaikka
