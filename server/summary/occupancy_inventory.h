#pragma once

// An immutable snapshot of the inventory as occupancy analytics read it:
// sites with their calendars, the space tree, workstations, sensors with
// their binding dates, and the fixed sets ("lattice nodes") whose daily
// figures the summarizer keeps. Built from AnalyticsStorage rows; shared
// read-only between threads and replaced as a whole after an inventory
// import (OccupancyInventoryHolder).
//
// Indexes (int32_t) point into the vectors of this snapshot; -1 means none.
// Dates are local dates as days since 1970-01-01 (DateIndex).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar.h"
#include "common/vocabulary.h"
#include "monipaikka/v1/inventory.pb.h"
#include "server/analytics/day_states.h"
#include "server/storage/analytics_storage.h"
#include "server/summary/settings.h"

namespace monipaikka {

// A local date as days since 1970-01-01, and back.
int32_t DateIndex(absl::CivilDay day);
absl::CivilDay DateOf(int32_t date);

class OccupancyInventory {
 public:
  struct Organization {
    int64_t id = 0;
    std::string code;
    std::string name;
  };
  struct Site {
    int64_t id = 0;
    std::string code;
    std::string name;
    std::string kind;
    std::string timezone;
    absl::TimeZone zone;
    WeeklyCoreHours core;
    v1::CoreHours core_spec;
    double office_area_m2 = 0;
    double annual_rent_eur = 0;
    std::vector<int32_t> floors;  // spaces without a parent, by code
  };
  struct Space {
    int64_t id = 0;
    int32_t site = -1;
    int32_t parent = -1;
    std::string code;
    SpaceLevel level = SpaceLevel::kFloor;
    std::string kind;  // a SpaceKind name, or "" (floors)
    std::string name;
    double area_m2 = 0;
    int32_t capacity = 0;
    std::string email;  // a bookable room's mailbox (lower case), or ""
    // The space itself and its ancestors, from the floor down to it.
    std::vector<int32_t> path;
    // Nearest floor, zone and room on the path (itself included).
    int32_t floor = -1;
    int32_t zone = -1;
    int32_t room = -1;
    std::vector<int32_t> children;
    std::vector<int32_t> room_sensors;  // sensors bound to this space
  };
  struct Workstation {
    int64_t id = 0;
    std::string code;
    WorkstationKind kind = WorkstationKind::kAssigned;
    int32_t space = -1;
    int32_t site = -1;
    int32_t organization = -1;  // -1: shared use
    // Status active: counted in reports (WorkstationStatus).
    bool active = true;
    std::vector<int32_t> desk_sensors;  // desk_presence sensors bound to it
  };
  struct Sensor {
    int64_t id = 0;
    std::string external_id;
    SensorKind kind = SensorKind::kDeskPresence;
    std::string gateway;
    int32_t workstation = -1;
    int32_t space = -1;
    int32_t site = -1;
    // Bound on local dates from_date <= date < until_date.
    int32_t from_date = 0;
    int32_t until_date = 0;
    ReadingMeaning meaning = ReadingMeaning::kPresence;
    int64_t stale_after_ms = 0;
    bool desk() const { return workstation >= 0; }
    bool BoundOn(int32_t date) const {
      return from_date <= date && date < until_date;
    }
  };
  // A set whose daily figures are kept: desks (active workstations with a
  // desk sensor) and rooms (spaces with a room sensor).
  struct LatticeNode {
    std::string key;
    bool minute_peaks = false;  // sites and organizations (consolidation)
    std::vector<int32_t> workstations;
    std::vector<int32_t> rooms;
  };

  static absl::StatusOr<std::shared_ptr<const OccupancyInventory>> Build(
      const InventoryRows& rows, const SummarySettings& settings);

  const std::vector<Organization>& organizations() const {
    return organizations_;
  }
  const std::vector<Site>& sites() const { return sites_; }
  const std::vector<Space>& spaces() const { return spaces_; }
  const std::vector<Workstation>& workstations() const { return workstations_; }
  const std::vector<Sensor>& sensors() const { return sensors_; }
  const std::vector<LatticeNode>& lattice() const { return lattice_; }
  const SummarySettings& settings() const { return settings_; }
  // Identifies the lattice's membership, calendars and settings: node days
  // computed for another fingerprint are out of date.
  const std::string& fingerprint() const { return fingerprint_; }

  // -1 when unknown.
  int32_t SiteIndex(absl::string_view code) const;
  int32_t SpaceIndex(absl::string_view code) const;
  int32_t OrganizationIndex(absl::string_view code) const;
  int32_t SensorIndex(int64_t sensor_id) const;
  int32_t LatticeIndex(absl::string_view key) const;

  // Whether space `inner` is `outer` or inside it.
  bool SpaceWithin(int32_t inner, int32_t outer) const;
  // Spaces counted as rooms in reports: rooms, and any space with a room
  // sensor.
  bool IsRoomLike(int32_t space) const {
    return spaces_[space].level == SpaceLevel::kRoom ||
           !spaces_[space].room_sensors.empty();
  }

  // Lattice keys.
  static std::string AllKey() { return "all"; }
  static std::string SiteKey(absl::string_view site);
  static std::string SpaceKey(absl::string_view space);
  static std::string OrganizationKey(absl::string_view org);  // "-": shared
  static std::string KindKey(WorkstationKind kind);
  static std::string SiteOrganizationKey(absl::string_view site,
                                         absl::string_view org);
  static std::string SiteKindKey(absl::string_view site, WorkstationKind kind);
  // The organization code of a workstation ("-" for shared use).
  std::string OrganizationCode(const Workstation& ws) const;

 private:
  OccupancyInventory() = default;
  void BuildLattice();
  void ComputeFingerprint();

  SummarySettings settings_;
  std::vector<Organization> organizations_;
  std::vector<Site> sites_;
  std::vector<Space> spaces_;
  std::vector<Workstation> workstations_;
  std::vector<Sensor> sensors_;
  std::vector<LatticeNode> lattice_;
  absl::flat_hash_map<std::string, int32_t> site_by_code_;
  absl::flat_hash_map<std::string, int32_t> space_by_code_;
  absl::flat_hash_map<std::string, int32_t> organization_by_code_;
  absl::flat_hash_map<int64_t, int32_t> sensor_by_id_;
  absl::flat_hash_map<std::string, int32_t> lattice_by_key_;
  std::string fingerprint_;
};

// Holds the current snapshot. Thread-safe.
class OccupancyInventoryHolder {
 public:
  std::shared_ptr<const OccupancyInventory> Get() const
      ABSL_LOCKS_EXCLUDED(mu_);
  void Set(std::shared_ptr<const OccupancyInventory> inventory)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const OccupancyInventory> current_ ABSL_GUARDED_BY(mu_);
};

}  // namespace monipaikka
