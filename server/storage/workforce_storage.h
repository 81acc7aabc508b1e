#pragma once

// The HR (workforce) part of the storage interface: the pseudonymous
// employee registry with its validity periods, work-location days and their
// per-employee monthly rollup. Reached through StorageSession::Workforce().
//
// Employees are known only by their pseudonym (HMAC-SHA256 of the raw id
// under the server's key, as 64 hex digits); raw ids never reach storage. Dates
// are civil days (no time zone: the day the person worked); periods are
// inclusive at both ends.
//
// Thread safety: as StorageSession (one thread at a time).

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace monipaikka {

// The last day of an open-ended validity period.
inline constexpr absl::CivilDay kOpenEndDay(9999, 12, 31);

// Office workstation kind of an employee (docs/domain.md): none, a personal
// (assigned) desk, or an unassigned (hot) desk.
enum class OfficeWorkstation : uint8_t {
  kNone = 0,
  kAssigned = 1,
  kUnassigned = 2
};

// Work-location kinds A–G of docs/domain.md, stored as 0–6.
inline constexpr int kLocationKinds = 7;

// Where a work-location day came from.
enum class WorkDaySource : uint8_t {
  kUnspecified = 0,
  kSelfReport = 1,
  kBooking = 2,
  kBadge = 3,
  kHrImport = 4,
};

// One validity period of an employee: the registry's facts about the
// person from valid_from to valid_to, inclusive.
struct EmployeePeriod {
  int64_t employee_id = 0;  // storage's own id of the pseudonym
  absl::CivilDay valid_from;
  absl::CivilDay valid_to = kOpenEndDay;
  std::string organization;  // organization code (inventory)
  std::string unit;          // org unit code, free text; may be empty
  double fte = 0;            // htv, 0 … 1.5
  bool home_workstation = false;
  OfficeWorkstation office = OfficeWorkstation::kNone;
  bool multi_space = false;
  bool shared_use = false;
  std::string site;  // code of the site where the office is; may be empty

  friend bool operator==(const EmployeePeriod&,
                         const EmployeePeriod&) = default;
};

// A period to store, keyed by pseudonym. Replaces whatever the registry
// said about the person on the days it covers (see UpsertEmployeePeriods).
struct EmployeePeriodInput {
  std::string pseudonym;  // 64 hex digits
  EmployeePeriod period;  // employee_id ignored
};

// A work-location day to store.
struct WorkDayInput {
  std::string pseudonym;  // 64 hex digits
  absl::CivilDay day;
  int kind = 0;      // 0–6 for A–G
  std::string site;  // site code or empty
  WorkDaySource source = WorkDaySource::kUnspecified;
};

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

// Days of one employee in one month, by location kind A–G.
struct WorkMonth {
  int year = 0;
  int month = 0;  // 1–12
  int64_t employee_id = 0;
  std::array<int32_t, kLocationKinds> days{};
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
