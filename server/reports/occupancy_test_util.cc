#include "server/reports/occupancy_test_util.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "common/time_format.h"
#include "server/summary/summarizer.h"

namespace monipaikka::testing {

int64_t At(const std::string& instant) {
  absl::StatusOr<int64_t> ms = ParseInstantMs(instant);
  if (!ms.ok()) {
    std::cerr << "bad instant in a test: " << instant << "\n";
    std::abort();
  }
  return *ms;
}

OccupancyFixture::OccupancyFixture(SummarySettings settings)
    : path_(dir_.File("occupancy.db")), settings_(settings) {
  absl::StatusOr<std::unique_ptr<Storage>> storage = Storage::OpenSqlite(path_);
  EXPECT_TRUE(storage.ok()) << storage.status();
  storage_ = std::move(*storage);
  session_ = std::move(*storage_->OpenSession());
  Reload();
}

void OccupancyFixture::Reload() {
  absl::StatusOr<InventoryRows> rows =
      session_->Analytics().LoadInventoryRows();
  ASSERT_TRUE(rows.ok()) << rows.status();
  absl::StatusOr<std::shared_ptr<const OccupancyInventory>> inventory =
      OccupancyInventory::Build(*rows, settings_);
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  inventory_ = *inventory;
  for (const InventorySensorRow& sensor : rows->sensors) {
    sensor_ids_[sensor.external_id] = sensor.id;
  }
}

void OccupancyFixture::Import(const v1::Inventory& inventory) {
  absl::StatusOr<v1::ImportInventoryResponse> imported =
      session_->ImportInventory(inventory);
  ASSERT_TRUE(imported.ok()) << imported.status();
  Reload();
}

void OccupancyFixture::Insert(
    const std::string& sensor,
    const std::vector<std::pair<std::string, int64_t>>& readings) {
  std::vector<StoredReading> rows;
  for (const auto& [instant, value] : readings) {
    rows.push_back({sensor_ids_.at(sensor), At(instant), 0, value});
  }
  std::vector<InsertOutcome> outcomes;
  ASSERT_TRUE(session_->InsertReadings(rows, &outcomes).ok());
}

void OccupancyFixture::Summarize() {
  absl::Status status = SummarizePending(*session_, *inventory_);
  ASSERT_TRUE(status.ok()) << status;
}

ReportContext OccupancyFixture::Context(int64_t now_ms) {
  Reload();
  return ReportContext{*session_, *inventory_, now_ms};
}

v1::Site* AddSite(v1::Inventory& inventory, const std::string& code,
                  double area_m2, double rent_eur) {
  v1::Site* site = inventory.add_sites();
  site->set_code(code);
  site->set_name(code + " office");
  site->set_kind("B");
  site->set_office_area_m2(area_m2);
  site->set_annual_rent_eur(rent_eur);
  return site;
}

v1::Space* AddSpace(v1::Inventory& inventory, const std::string& code,
                    const std::string& site, const std::string& parent,
                    const std::string& level, int capacity) {
  v1::Space* space = inventory.add_spaces();
  space->set_code(code);
  space->set_site(site);
  space->set_parent(parent);
  space->set_level(level);
  space->set_name(code + " name");
  if (level == "room") space->set_kind("meeting_room");
  if (level == "zone") space->set_kind("open_workspace");
  space->set_capacity(capacity);
  return space;
}

v1::Workstation* AddDesk(v1::Inventory& inventory, const std::string& code,
                         const std::string& space, const std::string& kind,
                         const std::string& organization, bool sensor) {
  v1::Workstation* ws = inventory.add_workstations();
  ws->set_code(code);
  ws->set_space(space);
  ws->set_kind(kind);
  ws->set_organization(organization);
  if (sensor) {
    v1::Sensor* s = inventory.add_sensors();
    s->set_external_id(code + "-DEV");
    s->set_kind("desk_presence");
    s->set_workstation(code);
    s->set_gateway("gw");
  }
  return ws;
}

v1::Sensor* AddRoomSensor(v1::Inventory& inventory, const std::string& id,
                          const std::string& space, const std::string& kind) {
  v1::Sensor* s = inventory.add_sensors();
  s->set_external_id(id);
  s->set_kind(kind);
  s->set_space(space);
  s->set_gateway("gw");
  return s;
}

}  // namespace monipaikka::testing
