#pragma once

// SQLite implementation of AnalyticsStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Analytics()).

#include <cstdint>
#include <span>

#include "common/sqlite.h"
#include "server/storage/analytics_storage.h"

namespace monipaikka {

class SqliteAnalytics final : public AnalyticsStorage {
 public:
  // `db` is not owned and must outlive this object.
  explicit SqliteAnalytics(Database* db) : db_(db) {}

  absl::StatusOr<InventoryRows> LoadInventoryRows() override;
  absl::Status ScanAllReadings(
      int64_t from_ms, int64_t to_ms,
      absl::FunctionRef<void(const StoredReading&)> visit) override;
  absl::StatusOr<std::optional<int64_t>> FirstReadingTime(
      int64_t from_ms, int64_t to_ms) override;
  absl::StatusOr<std::vector<DirtyHour>> ListDirtyHours() override;
  absl::StatusOr<int32_t> CountDirtyHours(int64_t from_ms,
                                          int64_t to_ms) override;
  absl::Status ClearDirtyHours(std::span<const DirtyHour> hours) override;
  absl::Status MarkEveryReadingHourDirty() override;
  absl::Status ScanSensorDays(
      int32_t first_date, int32_t last_date, int64_t min_sensor,
      int64_t max_sensor,
      absl::FunctionRef<void(int32_t, int64_t, absl::string_view)> visit)
      override;
  absl::StatusOr<std::vector<int32_t>> ListSensorDayDates() override;
  absl::StatusOr<std::vector<std::pair<int64_t, std::string>>> ListNodes()
      override;
  absl::StatusOr<int64_t> AddNode(absl::string_view key) override;
  absl::Status ScanNodeDays(
      int64_t node_id, int32_t first_date, int32_t last_date,
      absl::FunctionRef<void(int32_t, absl::string_view)> visit) override;
  absl::Status WriteSummaries(const SummaryWrite& write) override;
  absl::Status DeleteSummaries(bool sensor_days_too) override;
  absl::Status DeleteSensorDaysFrom(int32_t first_date) override;
  absl::StatusOr<std::string> GetSummaryMeta(absl::string_view key) override;
  absl::Status SetSummaryMeta(absl::string_view key,
                              absl::string_view value) override;
  absl::Status ScanLastReadings(
      absl::FunctionRef<void(const LastReading&)> visit) override;
  absl::StatusOr<std::vector<TargetRow>> ListTargets() override;
  absl::StatusOr<int64_t> PutTarget(const TargetRow& target) override;
  absl::Status DeleteTarget(int64_t id) override;

 private:
  Database* const db_;
};

// Marks the UTC hours (ts_ms / 3600000) of newly stored readings as not yet
// summarized, inside the caller's open transaction. `hours` may repeat.
absl::Status MarkDirtyHours(Database* db, std::span<const int64_t> hours);

}  // namespace monipaikka
