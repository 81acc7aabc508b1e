#pragma once

// The occupancy-analytics part of the storage interface: the inventory as
// the analytics read it, the derived occupancy data the summarizer keeps
// (server/summary/), and the space-efficiency targets. Reached through
// StorageSession::Analytics(); all SQL stays in the storage layer.
//
// Derived data (see schema.cc, migration "occupancy summaries"):
// - dirty hours: UTC hours (ts_ms / 3600000) with readings committed but not
//   yet summarized; InsertReadings marks them in its own transaction, so a
//   reading is never acknowledged without its mark.
// - sensor days: one sensor's known states on one local date (its site's
//   time zone; the date as days since 1970-01-01), encoded spans.
// - nodes and node days: the daily figures of fixed sets of workstations
//   and rooms (portfolio, site, space, organization, kind, site×org,
//   site×kind), encoded NodeDayFigures.
//
// Thread safety: as StorageSession (one thread at a time).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/vocabulary.h"

namespace monipaikka {

struct StoredReading;

struct InventoryOrganizationRow {
  int64_t id = 0;
  std::string code;
  std::string name;
};

struct InventorySiteRow {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string kind;
  std::string timezone;
  double office_area_m2 = 0;
  double annual_rent_eur = 0;
  std::string core_weekdays;  // ISO weekdays as digits, e.g. "12345"
  std::string core_start;     // "HH:MM"
  std::string core_end;
};

struct InventorySpaceRow {
  int64_t id = 0;
  int64_t site_id = 0;
  int64_t parent_id = 0;  // 0: none (a floor)
  std::string code;
  SpaceLevel level = SpaceLevel::kFloor;
  std::string kind;  // a SpaceKind name, or "" (floors)
  std::string name;
  double area_m2 = 0;
  int32_t capacity = 0;
  std::string email;  // a bookable room's mailbox, or ""
};

struct InventoryWorkstationRow {
  int64_t id = 0;
  int64_t space_id = 0;
  int64_t organization_id = 0;  // 0: none (shared use)
  std::string code;
  WorkstationKind kind = WorkstationKind::kAssigned;
  WorkstationStatus status = kDefaultWorkstationStatus;
};

struct InventorySensorRow {
  int64_t id = 0;
  std::string external_id;
  SensorKind kind = SensorKind::kDeskPresence;
  std::string gateway;
  int64_t workstation_id = 0;  // exactly one of workstation_id and space_id
  int64_t space_id = 0;
  std::string installed;  // "YYYY-MM-DD" or "" (since ever)
  std::string removed;    // "YYYY-MM-DD" or "" (still bound)
};

// Every row of the inventory tables, ordered by id.
struct InventoryRows {
  std::vector<InventoryOrganizationRow> organizations;
  std::vector<InventorySiteRow> sites;
  std::vector<InventorySpaceRow> spaces;
  std::vector<InventoryWorkstationRow> workstations;
  std::vector<InventorySensorRow> sensors;
};

struct DirtyHour {
  int64_t hour = 0;        // ts_ms / 3600000
  int64_t generation = 0;  // grows with every write that marks the hour
};

struct SensorDayRow {
  int32_t date = 0;  // days since 1970-01-01 of the local date
  int64_t sensor_id = 0;
  std::string states;  // EncodeDaySpans
};

struct NodeDayRow {
  int64_t node_id = 0;
  int32_t date = 0;
  std::string figures;  // EncodeNodeDay
};

// A sensor's newest reading.
struct LastReading {
  int64_t sensor_id = 0;
  int64_t ts_ms = 0;
  int64_t value = 0;
};

// What one summary pass writes for some dates, in one transaction.
struct SummaryWrite {
  std::vector<SensorDayRow> sensor_days;                         // upserted
  std::vector<std::pair<int32_t, int64_t>> deleted_sensor_days;  // (date, id)
  std::vector<NodeDayRow> node_days;                             // upserted
  std::vector<LastReading> last_readings;  // kept where newer than stored
};

// A target in force between two dates (docs/design.md "Target").
struct TargetRow {
  int64_t id = 0;          // 0 on insert
  std::string scope;       // "portfolio", "organization" or "site"
  std::string scope_code;  // empty for the portfolio
  std::string metric;      // e.g. "m2_per_fte"
  double value = 0;
  std::string valid_from;  // "YYYY-MM-DD"
  std::string valid_to;    // "YYYY-MM-DD" inclusive, or "" (open)
  std::string note;
};

class AnalyticsStorage {
 public:
  virtual ~AnalyticsStorage() = default;

  // ---- Inventory ----
  virtual absl::StatusOr<InventoryRows> LoadInventoryRows() = 0;

  // ---- Readings and dirty hours ----
  // Every stored reading with from_ms <= ts_ms < to_ms, in (ts_ms, sensor)
  // order.
  virtual absl::Status ScanAllReadings(
      int64_t from_ms, int64_t to_ms,
      absl::FunctionRef<void(const StoredReading&)> visit) = 0;
  // The time of the first stored reading with from_ms <= ts_ms < to_ms, if
  // any.
  virtual absl::StatusOr<std::optional<int64_t>> FirstReadingTime(
      int64_t from_ms, int64_t to_ms) = 0;
  virtual absl::StatusOr<std::vector<DirtyHour>> ListDirtyHours() = 0;
  // Number of dirty hours overlapping [from_ms, to_ms).
  virtual absl::StatusOr<int32_t> CountDirtyHours(int64_t from_ms,
                                                  int64_t to_ms) = 0;
  // Removes the marks whose generation is still the given one (a mark that
  // was renewed since it was listed stays).
  virtual absl::Status ClearDirtyHours(std::span<const DirtyHour> hours) = 0;
  // Marks every hour that has readings (after a change of the settings the
  // states were computed with).
  virtual absl::Status MarkEveryReadingHourDirty() = 0;

  // ---- Sensor days ----
  // The sensor days with first <= date <= last and min_sensor <= sensor_id
  // <= max_sensor, in (date, sensor_id) order.
  virtual absl::Status ScanSensorDays(
      int32_t first_date, int32_t last_date, int64_t min_sensor,
      int64_t max_sensor,
      absl::FunctionRef<void(int32_t date, int64_t sensor_id,
                             absl::string_view states)>
          visit) = 0;
  // The distinct dates that have sensor days, ascending.
  virtual absl::StatusOr<std::vector<int32_t>> ListSensorDayDates() = 0;

  // ---- Nodes ----
  // Every node as (id, key).
  virtual absl::StatusOr<std::vector<std::pair<int64_t, std::string>>>
  ListNodes() = 0;
  // The id of the node with `key`, created if new.
  virtual absl::StatusOr<int64_t> AddNode(absl::string_view key) = 0;
  // The node's days with first <= date <= last, in date order.
  virtual absl::Status ScanNodeDays(
      int64_t node_id, int32_t first_date, int32_t last_date,
      absl::FunctionRef<void(int32_t date, absl::string_view figures)>
          visit) = 0;

  // ---- Writing summaries ----
  virtual absl::Status WriteSummaries(const SummaryWrite& write) = 0;
  // Deletes every node day (and node); with `sensor_days_too`, the sensor
  // days as well.
  virtual absl::Status DeleteSummaries(bool sensor_days_too) = 0;
  // Deletes the sensor days with date >= first_date.
  virtual absl::Status DeleteSensorDaysFrom(int32_t first_date) = 0;
  // Values of the summarizer's bookkeeping ("" when unset).
  virtual absl::StatusOr<std::string> GetSummaryMeta(absl::string_view key) = 0;
  virtual absl::Status SetSummaryMeta(absl::string_view key,
                                      absl::string_view value) = 0;
  virtual absl::Status ScanLastReadings(
      absl::FunctionRef<void(const LastReading&)> visit) = 0;

  // ---- Targets ----
  // Ordered by scope, scope_code, metric, valid_from.
  virtual absl::StatusOr<std::vector<TargetRow>> ListTargets() = 0;
  // Inserts (id 0) or replaces (id of an existing target) a target; returns
  // its id. NOT_FOUND for an unknown id.
  virtual absl::StatusOr<int64_t> PutTarget(const TargetRow& target) = 0;
  // NOT_FOUND for an unknown id.
  virtual absl::Status DeleteTarget(int64_t id) = 0;
};

}  // namespace monipaikka
