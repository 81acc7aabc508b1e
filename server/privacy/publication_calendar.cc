#include "server/privacy/publication_calendar.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

// The last day of the month of `day`.
absl::CivilDay MonthEnd(absl::CivilMonth month) {
  return absl::CivilDay(month + 1) - 1;
}

// How many months apart consecutive publication dates are; every calendar's
// dates are month ends whose month is a multiple of this (1-based: 3, 6, …).
int MonthsPerPeriod(PublicationCalendar calendar) {
  switch (calendar) {
    case PublicationCalendar::kMonthEnd:
      return 1;
    case PublicationCalendar::kQuarterEnd:
      return 3;
    case PublicationCalendar::kYearEnd:
      return 12;
  }
  return 1;
}

}  // namespace

absl::StatusOr<PublicationCalendar> ParsePublicationCalendar(
    std::string_view name) {
  for (PublicationCalendar calendar :
       {PublicationCalendar::kMonthEnd, PublicationCalendar::kQuarterEnd,
        PublicationCalendar::kYearEnd}) {
    if (name == PublicationCalendarName(calendar)) return calendar;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown publication calendar \"", std::string(name),
                   "\": expected month_end, quarter_end or year_end"));
}

std::string_view PublicationCalendarName(PublicationCalendar calendar) {
  switch (calendar) {
    case PublicationCalendar::kMonthEnd:
      return "month_end";
    case PublicationCalendar::kQuarterEnd:
      return "quarter_end";
    case PublicationCalendar::kYearEnd:
      return "year_end";
  }
  return "month_end";
}

bool IsPublicationDate(absl::CivilDay day, PublicationCalendar calendar) {
  const absl::CivilMonth month(day);
  return day == MonthEnd(month) &&
         month.month() % MonthsPerPeriod(calendar) == 0;
}

absl::CivilDay LatestPublicationDate(absl::CivilDay on_or_before,
                                     PublicationCalendar calendar) {
  absl::CivilMonth month(on_or_before);
  // The month's own end counts only once it is reached.
  if (on_or_before != MonthEnd(month)) month -= 1;
  while (month.month() % MonthsPerPeriod(calendar) != 0) month -= 1;
  return MonthEnd(month);
}

}  // namespace monipaikka
