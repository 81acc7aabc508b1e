#pragma once

// The workforce model: the pseudonymous employee registry's validity
// periods, work-location days and their monthly rollup, as plain values.
// Storage keeps them (server/storage/workforce_storage.h), the analytics
// count them (server/analytics/workforce_figures.h) and the API checks turn
// records into them (server/workforce/workforce_records.h); none of those
// depends on another for these types.
//
// Employees are known only by their pseudonym (HMAC-SHA256 of the raw id
// under the server's key, as 64 hex digits). Dates are civil days (no time
// zone: the day the person worked); periods are inclusive at both ends.

#include <array>
#include <cstdint>
#include <string>

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
// said about the person on the days it covers (see
// WorkforceStorage::UpsertEmployeePeriods).
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

// Days of one employee in one month, by location kind A–G.
struct WorkMonth {
  int year = 0;
  int month = 0;  // 1–12
  int64_t employee_id = 0;
  std::array<int32_t, kLocationKinds> days{};
};

}  // namespace monipaikka
