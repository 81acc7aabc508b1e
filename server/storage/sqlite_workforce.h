#pragma once

// SQLite implementation of WorkforceStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Workforce()).

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "common/sqlite.h"
#include "server/storage/inventory_ids.h"
#include "server/storage/workforce_storage.h"

namespace monipaikka {

class SqliteWorkforce final : public WorkforceStorage {
 public:
  // `db` and `inventory_ids` (the session's lookup of inventory codes on
  // the same connection) are not owned and must outlive this object.
  SqliteWorkforce(Database* db, InventoryIds* inventory_ids)
      : db_(db), inventory_ids_(inventory_ids) {}

  absl::StatusOr<EmployeeUpsertResult> UpsertEmployeePeriods(
      std::span<const EmployeePeriodInput> rows) override;
  absl::StatusOr<WorkDayUpsertResult> UpsertWorkDays(
      std::span<const WorkDayInput> rows) override;
  absl::Status ScanEmployeePeriods(
      absl::CivilDay from, absl::CivilDay to,
      absl::FunctionRef<void(const EmployeePeriod&)> visit) override;
  absl::Status ScanWorkMonths(
      absl::CivilMonth first, absl::CivilMonth last,
      absl::FunctionRef<void(const WorkMonth&)> visit) override;
  absl::StatusOr<int64_t> DeleteWorkDaysBefore(absl::CivilDay cutoff) override;
  absl::StatusOr<int64_t> CountEmployees() override;
  absl::StatusOr<int64_t> CountWorkDays() override;

 private:
  // Id of an inventory code (organization, site); 0 when unknown.
  absl::StatusOr<int64_t> InventoryId(InventoryTable table,
                                      const std::string& code);
  // Id of a pseudonym; 0 when unknown (nothing is created).
  absl::StatusOr<int64_t> EmployeeId(const std::string& pseudonym);
  // Replaces the stored periods of one employee on the days of `period`.
  // Returns whether anything changed.
  absl::StatusOr<bool> PutPeriod(int64_t employee_id,
                                 const EmployeePeriod& period,
                                 int64_t organization_id, int64_t site_id);
  absl::Status InsertPeriodRow(int64_t employee_id, int64_t from, int64_t to,
                               int64_t organization_id, const std::string& unit,
                               double fte, bool home, int office, bool multi,
                               bool shared, int64_t site_id);
  // Rebuilds the rollup of one month from its days.
  absl::Status RebuildMonth(absl::CivilMonth month);

  Database* const db_;
  InventoryIds* const inventory_ids_;
  // Ids by pseudonym. Pseudonyms are never deleted, so a cached id stays
  // right; unknown ones are not cached.
  absl::flat_hash_map<std::string, int64_t> employee_ids_;
  bool employees_loaded_ = false;
};

// A civil day as stored: YYYYMMDD.
inline int64_t DayKey(absl::CivilDay day) {
  return day.year() * 10000 + day.month() * 100 + day.day();
}
inline absl::CivilDay DayFromKey(int64_t key) {
  return absl::CivilDay(key / 10000, (key / 100) % 100, key % 100);
}
// A month as stored: YYYYMM.
inline int64_t MonthKey(absl::CivilMonth month) {
  return month.year() * 100 + month.month();
}

}  // namespace monipaikka
