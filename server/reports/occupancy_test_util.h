#pragma once

// A real SQLite database in a temporary directory with an inventory,
// readings and summaries, for the occupancy tests.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "monipaikka/v1/inventory.pb.h"
#include "server/reports/occupancy_source.h"
#include "server/storage/storage.h"
#include "server/summary/occupancy_inventory.h"
#include "tests/support/temp_dir.h"

namespace monipaikka::testing {

// UTC ms of an RFC 3339 instant; aborts on a malformed one.
int64_t At(const std::string& instant);

class OccupancyFixture {
 public:
  explicit OccupancyFixture(SummarySettings settings = {});

  // Imports `inventory`; fails the test on an error.
  void Import(const v1::Inventory& inventory);
  // Stores readings of one sensor: (instant, value) pairs, in any order.
  void Insert(const std::string& sensor,
              const std::vector<std::pair<std::string, int64_t>>& readings);
  // Summarizes what is pending with the current inventory.
  void Summarize();
  // A report context at `now_ms` over a freshly loaded inventory.
  ReportContext Context(int64_t now_ms);

  StorageSession& session() { return *session_; }
  const OccupancyInventory& inventory() const { return *inventory_; }
  std::shared_ptr<const OccupancyInventory> inventory_ptr() const {
    return inventory_;
  }
  int64_t SensorId(const std::string& external_id) const {
    return sensor_ids_.at(external_id);
  }
  const std::string& path() const { return path_; }

 private:
  void Reload();

  TempDir dir_;
  std::string path_;
  SummarySettings settings_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  std::shared_ptr<const OccupancyInventory> inventory_;
  std::map<std::string, int64_t> sensor_ids_;
};

// Inventory builders.
v1::Site* AddSite(v1::Inventory& inventory, const std::string& code,
                  double area_m2 = 0, double rent_eur = 0);
v1::Space* AddSpace(v1::Inventory& inventory, const std::string& code,
                    const std::string& site, const std::string& parent,
                    const std::string& level, int capacity = 0);
// A workstation with a desk sensor "<code>-DEV" (unless sensor is false).
v1::Workstation* AddDesk(v1::Inventory& inventory, const std::string& code,
                         const std::string& space, const std::string& kind,
                         const std::string& organization, bool sensor = true);
v1::Sensor* AddRoomSensor(v1::Inventory& inventory, const std::string& id,
                          const std::string& space, const std::string& kind);

}  // namespace monipaikka::testing
