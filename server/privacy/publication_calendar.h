#pragma once

// Publication calendar of registry snapshots (issue 11 §3, docs/hr-privacy.md
// "Anonymity"): figures derived from the HR registry as of a date (the
// workstation distribution, FTE, headcounts, m²/htv) are published only for
// the dates of this calendar, so that the difference between two
// consecutive days cannot isolate one person's changed registry row.
//
// Pure functions over civil days (no time zone: the registry's validity is
// by civil day).

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace monipaikka {

enum class PublicationCalendar {
  kMonthEnd,    // the last day of every month (the default)
  kQuarterEnd,  // 31 March, 30 June, 30 September, 31 December
  kYearEnd,     // 31 December
};

// Parses "month_end", "quarter_end" or "year_end"; INVALID_ARGUMENT naming
// the accepted names otherwise.
absl::StatusOr<PublicationCalendar> ParsePublicationCalendar(
    std::string_view name);

// The name ParsePublicationCalendar accepts ("month_end", ...).
std::string_view PublicationCalendarName(PublicationCalendar calendar);

// Whether `day` is a publication date of `calendar`.
bool IsPublicationDate(absl::CivilDay day, PublicationCalendar calendar);

// The latest publication date of `calendar` that is not after
// `on_or_before` (the day itself when it is one).
absl::CivilDay LatestPublicationDate(absl::CivilDay on_or_before,
                                     PublicationCalendar calendar);

}  // namespace monipaikka
