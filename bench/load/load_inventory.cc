#include "bench/load/load_inventory.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka::load {

std::string GatewayName(int gateway) {
  return absl::StrFormat("load-gw-%04d", gateway);
}

std::vector<std::string> SensorIds(int gateway, int sensors_per_gateway) {
  std::vector<std::string> ids;
  ids.reserve(sensors_per_gateway);
  for (int s = 0; s < sensors_per_gateway; ++s) {
    ids.push_back(absl::StrFormat("70b3d5%04x%06x", gateway, s));
  }
  return ids;
}

v1::Inventory MakeInventory(int first_gateway, int gateways,
                            int sensors_per_gateway) {
  v1::Inventory inventory;
  v1::Organization* organization = inventory.add_organizations();
  organization->set_code("LOAD");
  organization->set_name("Load test agency");
  for (int g = first_gateway; g < first_gateway + gateways; ++g) {
    const std::string site_code = absl::StrFormat("LOAD-%04d", g);
    v1::Site* site = inventory.add_sites();
    site->set_code(site_code);
    site->set_name(absl::StrCat("Load test building ", g));
    site->set_kind("D");
    site->set_timezone("Europe/Helsinki");
    v1::Space* floor = inventory.add_spaces();
    floor->set_code(site_code + "-F1");
    floor->set_site(site_code);
    floor->set_level("floor");
    const std::vector<std::string> sensor_ids =
        SensorIds(g, sensors_per_gateway);
    for (int s = 0; s < sensors_per_gateway; ++s) {
      v1::Workstation* workstation = inventory.add_workstations();
      workstation->set_code(absl::StrFormat("%s-WS-%05d", site_code, s));
      workstation->set_space(floor->code());
      workstation->set_kind("unassigned");
      workstation->set_organization("LOAD");
      v1::Sensor* sensor = inventory.add_sensors();
      sensor->set_external_id(sensor_ids[s]);
      sensor->set_kind("desk_presence");
      sensor->set_workstation(workstation->code());
      sensor->set_gateway(GatewayName(g));
    }
  }
  return inventory;
}

}  // namespace monipaikka::load
