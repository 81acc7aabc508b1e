#pragma once

// Checks the records of the workforce API and turns them into what storage
// takes. Pure functions: each error names the field and value, e.g.
// `valid_from: "2024-02-30" is not a date (YYYY-MM-DD)`.

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "monipaikka/v1/workforce.pb.h"
#include "server/workforce/workforce_model.h"

namespace monipaikka {

// The checked fields of an employee record; pseudonym left empty (the
// caller fills it, so that the raw id is hashed in one place).
absl::StatusOr<EmployeePeriod> CheckEmployeeRecord(
    const v1::EmployeeRecord& record);

// The days a work-location day may have: from `retained_from` (older ones
// would be deleted at once) to `today`.
struct WorkDayWindow {
  absl::CivilDay retained_from;
  absl::CivilDay today;
};

// The checked fields of a work-day record; pseudonym left empty.
absl::StatusOr<WorkDayInput> CheckWorkDayRecord(const v1::WorkDayRecord& record,
                                                const WorkDayWindow& window);

// "A" … "G" → 0 … 6; -1 otherwise.
int LocationKindIndex(absl::string_view kind);
// A date "YYYY-MM-DD" (strict: two-digit month and day, a real date).
absl::StatusOr<absl::CivilDay> ParseIsoDay(absl::string_view text);
// "YYYY-MM".
absl::StatusOr<absl::CivilMonth> ParseIsoMonth(absl::string_view text);
std::string FormatIsoMonth(absl::CivilMonth month);

// The first day kept under a retention of `months` months: the same day of
// the month `months` months before `today` (the month's last day when that
// month is shorter).
absl::CivilDay RetainedFrom(absl::CivilDay today, int months);

}  // namespace monipaikka
