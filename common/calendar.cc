#include "common/calendar.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"

namespace monipaikka {

absl::CivilDay EasterSunday(int year) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = year % 19;
  int b = year / 100;
  int c = year % 100;
  int d = b / 4;
  int e = b % 4;
  int f = (b + 8) / 25;
  int g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4;
  int k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return absl::CivilDay(year, month, day);
}

int IsoWeekday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
    case absl::Weekday::sunday:
      return 7;
  }
  return 7;
}

namespace {

// The first day on or after `from` that falls on ISO weekday `weekday`.
absl::CivilDay OnOrAfter(absl::CivilDay from, int weekday) {
  return from + ((weekday - IsoWeekday(from) + 7) % 7);
}

}  // namespace

std::vector<PublicHoliday> FinnishPublicHolidays(int year) {
  absl::CivilDay easter = EasterSunday(year);
  // Midsummer Day is the Saturday between 20 and 26 June; All Saints' Day
  // the Saturday between 31 October and 6 November.
  absl::CivilDay midsummer_day = OnOrAfter(absl::CivilDay(year, 6, 20), 6);
  absl::CivilDay all_saints = OnOrAfter(absl::CivilDay(year, 10, 31), 6);
  std::vector<PublicHoliday> days = {
      {absl::CivilDay(year, 1, 1), "Uudenvuodenpäivä"},
      {absl::CivilDay(year, 1, 6), "Loppiainen"},
      {easter - 2, "Pitkäperjantai"},
      {easter + 1, "Toinen pääsiäispäivä"},
      {absl::CivilDay(year, 5, 1), "Vappu"},
      {easter + 39, "Helatorstai"},
      {midsummer_day - 1, "Juhannusaatto"},
      {midsummer_day, "Juhannuspäivä"},
      {all_saints, "Pyhäinpäivä"},
      {absl::CivilDay(year, 12, 6), "Itsenäisyyspäivä"},
      {absl::CivilDay(year, 12, 24), "Jouluaatto"},
      {absl::CivilDay(year, 12, 25), "Joulupäivä"},
      {absl::CivilDay(year, 12, 26), "Tapaninpäivä"},
  };
  std::sort(days.begin(), days.end(),
            [](const PublicHoliday& a, const PublicHoliday& b) {
              return a.date < b.date;
            });
  return days;
}

bool IsFinnishPublicHoliday(absl::CivilDay day) {
  // Cache the most recently asked year: callers walk days in order.
  thread_local int cached_year = 0;
  thread_local std::vector<PublicHoliday> cached;
  int year = static_cast<int>(day.year());
  if (year != cached_year) {
    cached = FinnishPublicHolidays(year);
    cached_year = year;
  }
  for (const PublicHoliday& holiday : cached) {
    if (holiday.date == day) return true;
  }
  return false;
}

absl::StatusOr<WeeklyCoreHours> WeeklyCoreHours::FromSpec(
    const std::vector<int>& iso_weekdays, absl::string_view start,
    absl::string_view end) {
  WeeklyCoreHours hours;
  if (!iso_weekdays.empty()) {
    hours.weekdays.fill(false);
    for (int weekday : iso_weekdays) {
      if (weekday < 1 || weekday > 7) {
        return absl::InvalidArgumentError(absl::StrCat(
            "core_hours.weekdays: ", weekday, " is not an ISO weekday 1-7"));
      }
      hours.weekdays[weekday - 1] = true;
    }
  }
  if (!start.empty()) {
    absl::StatusOr<int> minutes = ParseClockMinutes(start);
    if (!minutes.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("core_hours.start: ", minutes.status().message()));
    }
    hours.start_minute = *minutes;
  }
  if (!end.empty()) {
    absl::StatusOr<int> minutes = ParseClockMinutes(end);
    if (!minutes.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("core_hours.end: ", minutes.status().message()));
    }
    hours.end_minute = *minutes;
  }
  if (hours.end_minute <= hours.start_minute) {
    return absl::InvalidArgumentError(
        absl::StrCat("core_hours.end: ", FormatClockMinutes(hours.end_minute),
                     " is not later than core_hours.start ",
                     FormatClockMinutes(hours.start_minute)));
  }
  return hours;
}

std::vector<LocalDay> LocalDays(absl::CivilDay first, absl::CivilDay last,
                                const absl::TimeZone& zone,
                                const WeeklyCoreHours& core, bool all_hours) {
  std::vector<LocalDay> days;
  if (last < first) return days;
  days.reserve(static_cast<size_t>(last - first + 1));
  for (absl::CivilDay date = first; date <= last; ++date) {
    LocalDay day;
    day.date = date;
    day.day_start_ms = LocalToMs(absl::CivilSecond(date), zone);
    day.day_end_ms = LocalToMs(absl::CivilSecond(date + 1), zone);
    if (all_hours) {
      day.measured = true;
      day.measured_start_ms = day.day_start_ms;
      day.measured_end_ms = day.day_end_ms;
    } else if (core.weekdays[IsoWeekday(date) - 1] &&
               !IsFinnishPublicHoliday(date)) {
      day.measured = true;
      absl::CivilSecond midnight(date);
      day.measured_start_ms =
          LocalToMs(midnight + core.start_minute * 60, zone);
      day.measured_end_ms = LocalToMs(midnight + core.end_minute * 60, zone);
    } else {
      day.measured_start_ms = day.measured_end_ms = day.day_start_ms;
    }
    days.push_back(day);
  }
  return days;
}

}  // namespace monipaikka
