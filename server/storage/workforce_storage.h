#pragma once

// The HR (workforce) part of the storage interface: the pseudonymous
// employee registry with its validity periods, work-location days and their
// per-employee monthly rollup. Reached through StorageSession::Workforce().
// The values it keeps are the workforce model
// (server/workforce/workforce_model.h), which the analytics share.
//
// Employees are known only by their pseudonym (HMAC-SHA256 of the raw id
// under the server's key, as 64 hex digits); raw ids never reach storage. Dates
// are civil days (no time zone: the day the person worked); periods are
// inclusive at both ends.
//
// Thread safety: as StorageSession (one thread at a time).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/workforce/workforce_model.h"

namespace monipaikka {

// A row the storage refused, by its index in the input, with the reason
// naming the field, e.g. `organization: no organization "XYZ"`.
struct RowRejection {
  size_t index = 0;
  std::string message;
};

struct EmployeeUpsertResult {
  int64_t stored = 0;     // periods written (new or changed)
  int64_t unchanged = 0;  // periods already stored exactly so
  int64_t new_employees = 0;
  std::vector<RowRejection> rejected;
};

struct WorkDayUpsertResult {
  int64_t inserted = 0;
  int64_t replaced = 0;   // an earlier record of the same day changed
  int64_t unchanged = 0;  // the same record was already stored
  std::vector<RowRejection> rejected;
};

class WorkforceStorage {
 public:
  virtual ~WorkforceStorage() = default;

  // Stores the periods in one transaction. A period replaces, for the days
  // it covers, any stored period of the same person: older ones are cut
  // short or split around it, so the registry holds at most one period per
  // person and day and importing the same rows again changes nothing. Rows
  // naming an unknown organization or site are rejected (the others are
  // stored). An error status means nothing was stored.
  virtual absl::StatusOr<EmployeeUpsertResult> UpsertEmployeePeriods(
      std::span<const EmployeePeriodInput> rows) = 0;

  // Stores the days in one transaction, one record per person and day (a
  // later record of the same day replaces the earlier one), and keeps the
  // monthly rollup in step. Rows of a pseudonym not in the registry or
  // naming an unknown site are rejected. An error status means nothing was
  // stored.
  virtual absl::StatusOr<WorkDayUpsertResult> UpsertWorkDays(
      std::span<const WorkDayInput> rows) = 0;

  // Every period overlapping [from, to], by employee then valid_from.
  virtual absl::Status ScanEmployeePeriods(
      absl::CivilDay from, absl::CivilDay to,
      absl::FunctionRef<void(const EmployeePeriod&)> visit) = 0;

  // The monthly rollups of the months first … last (inclusive; the day of
  // the month is ignored), by month then employee.
  virtual absl::Status ScanWorkMonths(
      absl::CivilMonth first, absl::CivilMonth last,
      absl::FunctionRef<void(const WorkMonth&)> visit) = 0;

  // Deletes the work-location days before `cutoff` and corrects the
  // rollups; returns how many days were deleted.
  virtual absl::StatusOr<int64_t> DeleteWorkDaysBefore(
      absl::CivilDay cutoff) = 0;

  virtual absl::StatusOr<int64_t> CountEmployees() = 0;
  virtual absl::StatusOr<int64_t> CountWorkDays() = 0;
};

}  // namespace monipaikka
