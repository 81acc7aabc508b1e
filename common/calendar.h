#pragma once

// Finnish public holidays, weekly core hours and local days: the calendar
// every utilization figure is measured in.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace monipaikka {

struct PublicHoliday {
  absl::CivilDay date;
  std::string name;  // Finnish name, e.g. "Juhannuspäivä"
};

// Easter Sunday of a Gregorian year.
absl::CivilDay EasterSunday(int year);

// The Finnish public holidays on which offices are closed, of one year:
// New Year's Day, Epiphany, Good Friday, Easter Monday, May Day, Ascension
// Day, Midsummer Eve, Midsummer Day, All Saints' Day, Independence Day,
// Christmas Eve, Christmas Day and Boxing Day; in date order.
std::vector<PublicHoliday> FinnishPublicHolidays(int year);

bool IsFinnishPublicHoliday(absl::CivilDay day);

// ISO weekday of a civil day: 1 = Monday … 7 = Sunday.
int IsoWeekday(absl::CivilDay day);

// A weekly schedule of core hours in a site's local time.
struct WeeklyCoreHours {
  // weekdays[0] is Monday … weekdays[6] Sunday.
  std::array<bool, 7> weekdays = {true, true, true, true, true, false, false};
  int start_minute = 8 * 60;  // local minutes after midnight
  int end_minute = 16 * 60;   // exclusive

  // From the API's form: ISO weekdays (empty = Monday–Friday) and "HH:MM"
  // times (empty = 08:00 and 16:00). Errors name the bad value.
  static absl::StatusOr<WeeklyCoreHours> FromSpec(
      const std::vector<int>& iso_weekdays, absl::string_view start,
      absl::string_view end);
};

// One calendar day in a site's time zone, with the part of it in which
// utilization is measured. All instants are UTC milliseconds; ranges are
// half-open [start, end).
struct LocalDay {
  absl::CivilDay date;
  int64_t day_start_ms = 0;  // local midnight
  int64_t day_end_ms = 0;    // next local midnight (23 h or 25 h on DST days)
  // Whether the day has measured hours: a scheduled weekday that is not a
  // public holiday (or any day when all hours are measured).
  bool measured = false;
  // The measured hours of the day; empty (start == end) when !measured.
  int64_t measured_start_ms = 0;
  int64_t measured_end_ms = 0;
};

// The local days first … last (inclusive) in `zone`. With `all_hours`, every
// day is measured from midnight to midnight; otherwise only core hours on
// core days.
std::vector<LocalDay> LocalDays(absl::CivilDay first, absl::CivilDay last,
                                const absl::TimeZone& zone,
                                const WeeklyCoreHours& core, bool all_hours);

}  // namespace monipaikka
