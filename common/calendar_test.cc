#include "common/calendar.h"

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/time_format.h"
#include "common/time_test_util.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 60 * 60 * 1000;

std::vector<absl::CivilDay> Dates(const std::vector<PublicHoliday>& holidays) {
  std::vector<absl::CivilDay> dates;
  for (const PublicHoliday& holiday : holidays) dates.push_back(holiday.date);
  return dates;
}

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

TEST(EasterSundayTest, KnownYears) {
  EXPECT_EQ(EasterSunday(2024), absl::CivilDay(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), absl::CivilDay(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2026), absl::CivilDay(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2027), absl::CivilDay(2027, 3, 28));
  EXPECT_EQ(EasterSunday(2038), absl::CivilDay(2038, 4, 25));  // latest
}

TEST(FinnishPublicHolidaysTest, Year2026InDateOrder) {
  std::vector<absl::CivilDay> expected = {
      absl::CivilDay(2026, 1, 1),
      absl::CivilDay(2026, 1, 6),
      absl::CivilDay(2026, 4, 3),  // Good Friday
      absl::CivilDay(2026, 4, 6),  // Easter Monday
      absl::CivilDay(2026, 5, 1),
      absl::CivilDay(2026, 5, 14),   // Ascension Day
      absl::CivilDay(2026, 6, 19),   // Midsummer Eve
      absl::CivilDay(2026, 6, 20),   // Midsummer Day
      absl::CivilDay(2026, 10, 31),  // All Saints' Day
      absl::CivilDay(2026, 12, 6),
      absl::CivilDay(2026, 12, 24),
      absl::CivilDay(2026, 12, 25),
      absl::CivilDay(2026, 12, 26),
  };
  std::vector<PublicHoliday> holidays = FinnishPublicHolidays(2026);
  EXPECT_EQ(Dates(holidays), expected);
  ASSERT_EQ(holidays.size(), 13u);
  EXPECT_EQ(holidays[6].name, "Juhannusaatto");
  EXPECT_EQ(holidays[7].name, "Juhannuspäivä");
}

TEST(FinnishPublicHolidaysTest, Year2025MovingHolidays) {
  std::vector<absl::CivilDay> expected = {
      absl::CivilDay(2025, 1, 1),   absl::CivilDay(2025, 1, 6),
      absl::CivilDay(2025, 4, 18),  absl::CivilDay(2025, 4, 21),
      absl::CivilDay(2025, 5, 1),   absl::CivilDay(2025, 5, 29),
      absl::CivilDay(2025, 6, 20),  absl::CivilDay(2025, 6, 21),
      absl::CivilDay(2025, 11, 1),  absl::CivilDay(2025, 12, 6),
      absl::CivilDay(2025, 12, 24), absl::CivilDay(2025, 12, 25),
      absl::CivilDay(2025, 12, 26),
  };
  EXPECT_EQ(Dates(FinnishPublicHolidays(2025)), expected);
}

TEST(FinnishPublicHolidaysTest, IsFinnishPublicHolidayAcrossYears) {
  EXPECT_TRUE(IsFinnishPublicHoliday(absl::CivilDay(2026, 6, 19)));
  EXPECT_TRUE(IsFinnishPublicHoliday(absl::CivilDay(2025, 11, 1)));
  EXPECT_TRUE(IsFinnishPublicHoliday(absl::CivilDay(2026, 4, 3)));
  EXPECT_TRUE(IsFinnishPublicHoliday(absl::CivilDay(2025, 4, 21)));
  // Ordinary days, and the dates the moving holidays take in the other year.
  EXPECT_FALSE(IsFinnishPublicHoliday(absl::CivilDay(2026, 6, 18)));
  EXPECT_FALSE(IsFinnishPublicHoliday(absl::CivilDay(2025, 4, 3)));
  EXPECT_FALSE(IsFinnishPublicHoliday(absl::CivilDay(2026, 4, 21)));
  EXPECT_FALSE(IsFinnishPublicHoliday(absl::CivilDay(2026, 11, 1)));
  EXPECT_FALSE(IsFinnishPublicHoliday(absl::CivilDay(2026, 3, 23)));
}

TEST(IsoWeekdayTest, MondayIsOneSundayIsSeven) {
  EXPECT_EQ(IsoWeekday(absl::CivilDay(2026, 3, 23)), 1);
  EXPECT_EQ(IsoWeekday(absl::CivilDay(2026, 3, 27)), 5);
  EXPECT_EQ(IsoWeekday(absl::CivilDay(2026, 3, 28)), 6);
  EXPECT_EQ(IsoWeekday(absl::CivilDay(2026, 3, 29)), 7);
}

TEST(LocalDaysTest, CoreHoursInWinterAreSixToFourteenUtc) {
  std::vector<LocalDay> days =
      LocalDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 23),
                Helsinki(), WeeklyCoreHours{}, /*all_hours=*/false);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].date, absl::CivilDay(2026, 3, 23));
  EXPECT_TRUE(days[0].measured);
  EXPECT_EQ(days[0].day_start_ms, Ms("2026-03-22T22:00:00Z"));
  EXPECT_EQ(days[0].day_end_ms, Ms("2026-03-23T22:00:00Z"));
  EXPECT_EQ(days[0].measured_start_ms, Ms("2026-03-23T06:00:00Z"));
  EXPECT_EQ(days[0].measured_end_ms, Ms("2026-03-23T14:00:00Z"));
}

TEST(LocalDaysTest, CoreHoursInSummerAreFiveToThirteenUtc) {
  std::vector<LocalDay> days =
      LocalDays(absl::CivilDay(2026, 6, 1), absl::CivilDay(2026, 6, 1),
                Helsinki(), WeeklyCoreHours{}, /*all_hours=*/false);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].measured_start_ms, Ms("2026-06-01T05:00:00Z"));
  EXPECT_EQ(days[0].measured_end_ms, Ms("2026-06-01T13:00:00Z"));
}

TEST(LocalDaysTest, DstDaysAre23And25HoursLong) {
  std::vector<LocalDay> spring =
      LocalDays(absl::CivilDay(2026, 3, 28), absl::CivilDay(2026, 3, 30),
                Helsinki(), WeeklyCoreHours{}, /*all_hours=*/true);
  ASSERT_EQ(spring.size(), 3u);
  EXPECT_EQ(spring[0].day_end_ms - spring[0].day_start_ms, 24 * kHourMs);
  EXPECT_EQ(spring[1].day_end_ms - spring[1].day_start_ms, 23 * kHourMs);
  EXPECT_EQ(spring[2].day_end_ms - spring[2].day_start_ms, 24 * kHourMs);
  // Consecutive days meet exactly.
  EXPECT_EQ(spring[0].day_end_ms, spring[1].day_start_ms);
  EXPECT_EQ(spring[1].day_end_ms, spring[2].day_start_ms);
  // All hours: the whole day is measured, weekend or not.
  EXPECT_TRUE(spring[1].measured);
  EXPECT_EQ(spring[1].measured_start_ms, Ms("2026-03-28T22:00:00Z"));
  EXPECT_EQ(spring[1].measured_end_ms, Ms("2026-03-29T21:00:00Z"));

  std::vector<LocalDay> autumn =
      LocalDays(absl::CivilDay(2026, 10, 25), absl::CivilDay(2026, 10, 25),
                Helsinki(), WeeklyCoreHours{}, /*all_hours=*/true);
  ASSERT_EQ(autumn.size(), 1u);
  EXPECT_EQ(autumn[0].day_start_ms, Ms("2026-10-24T21:00:00Z"));
  EXPECT_EQ(autumn[0].day_end_ms, Ms("2026-10-25T22:00:00Z"));
  EXPECT_EQ(autumn[0].measured_end_ms - autumn[0].measured_start_ms,
            25 * kHourMs);
}

TEST(LocalDaysTest, SkippedAndRepeatedLocalTimesInCoreHours) {
  // Sunday core hours 03:30–05:00 local. 2026-03-29 03:30 does not exist:
  // measuring starts when the clock jumps (04:00 EEST = 01:00Z). On
  // 2026-10-25 03:30 happens twice: the first (EEST, 00:30Z) counts.
  absl::StatusOr<WeeklyCoreHours> core =
      WeeklyCoreHours::FromSpec({7}, "03:30", "05:00");
  ASSERT_TRUE(core.ok()) << core.status();
  std::vector<LocalDay> spring =
      LocalDays(absl::CivilDay(2026, 3, 29), absl::CivilDay(2026, 3, 29),
                Helsinki(), *core, /*all_hours=*/false);
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(spring[0].measured_start_ms, Ms("2026-03-29T01:00:00Z"));
  EXPECT_EQ(spring[0].measured_end_ms, Ms("2026-03-29T02:00:00Z"));
  std::vector<LocalDay> autumn =
      LocalDays(absl::CivilDay(2026, 10, 25), absl::CivilDay(2026, 10, 25),
                Helsinki(), *core, /*all_hours=*/false);
  ASSERT_EQ(autumn.size(), 1u);
  EXPECT_EQ(autumn[0].measured_start_ms, Ms("2026-10-25T00:30:00Z"));
  EXPECT_EQ(autumn[0].measured_end_ms, Ms("2026-10-25T03:00:00Z"));
}

TEST(LocalDaysTest, WeekendsAndHolidaysAreNotMeasured) {
  // Thursday 2026-06-18 … Monday 06-22: Midsummer Eve (Fri), Midsummer Day
  // (Sat), Sunday.
  std::vector<LocalDay> days =
      LocalDays(absl::CivilDay(2026, 6, 18), absl::CivilDay(2026, 6, 22),
                Helsinki(), WeeklyCoreHours{}, /*all_hours=*/false);
  ASSERT_EQ(days.size(), 5u);
  std::vector<bool> measured;
  for (const LocalDay& day : days) {
    measured.push_back(day.measured);
    if (!day.measured) {
      EXPECT_EQ(day.measured_start_ms, day.measured_end_ms)
          << FormatDate(day.date);
    }
  }
  EXPECT_EQ(measured, (std::vector<bool>{true, false, false, false, true}));
  EXPECT_EQ(days[4].date, absl::CivilDay(2026, 6, 22));
}

TEST(LocalDaysTest, CoreHoursUntilMidnight) {
  absl::StatusOr<WeeklyCoreHours> core =
      WeeklyCoreHours::FromSpec({}, "16:00", "24:00");
  ASSERT_TRUE(core.ok()) << core.status();
  std::vector<LocalDay> days =
      LocalDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 23),
                Helsinki(), *core, /*all_hours=*/false);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].measured_end_ms, days[0].day_end_ms);
  EXPECT_EQ(days[0].measured_end_ms - days[0].measured_start_ms, 8 * kHourMs);
}

TEST(LocalDaysTest, EmptyWhenLastBeforeFirst) {
  EXPECT_TRUE(LocalDays(absl::CivilDay(2026, 3, 23),
                        absl::CivilDay(2026, 3, 22), Helsinki(),
                        WeeklyCoreHours{}, false)
                  .empty());
}

TEST(WeeklyCoreHoursTest, EmptySpecIsMondayToFridayEightToSixteen) {
  absl::StatusOr<WeeklyCoreHours> core = WeeklyCoreHours::FromSpec({}, "", "");
  ASSERT_TRUE(core.ok()) << core.status();
  EXPECT_EQ(core->weekdays,
            (std::array<bool, 7>{true, true, true, true, true, false, false}));
  EXPECT_EQ(core->start_minute, 8 * 60);
  EXPECT_EQ(core->end_minute, 16 * 60);
}

TEST(WeeklyCoreHoursTest, SpecSetsWeekdaysAndTimes) {
  absl::StatusOr<WeeklyCoreHours> core =
      WeeklyCoreHours::FromSpec({6, 1}, "07:30", "17:15");
  ASSERT_TRUE(core.ok()) << core.status();
  EXPECT_EQ(core->weekdays, (std::array<bool, 7>{true, false, false, false,
                                                 false, true, false}));
  EXPECT_EQ(core->start_minute, 7 * 60 + 30);
  EXPECT_EQ(core->end_minute, 17 * 60 + 15);
}

TEST(WeeklyCoreHoursTest, ErrorsNameTheField) {
  absl::StatusOr<WeeklyCoreHours> bad_weekday =
      WeeklyCoreHours::FromSpec({1, 8}, "", "");
  ASSERT_FALSE(bad_weekday.ok());
  EXPECT_EQ(bad_weekday.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(bad_weekday.status().message(), "core_hours.weekdays"))
      << bad_weekday.status();
  EXPECT_TRUE(Contains(bad_weekday.status().message(), "8"));

  absl::StatusOr<WeeklyCoreHours> bad_start =
      WeeklyCoreHours::FromSpec({}, "8am", "");
  ASSERT_FALSE(bad_start.ok());
  EXPECT_TRUE(Contains(bad_start.status().message(), "core_hours.start"))
      << bad_start.status();
  EXPECT_TRUE(Contains(bad_start.status().message(), "8am"));

  absl::StatusOr<WeeklyCoreHours> bad_end =
      WeeklyCoreHours::FromSpec({}, "", "24:30");
  ASSERT_FALSE(bad_end.ok());
  EXPECT_TRUE(Contains(bad_end.status().message(), "core_hours.end"))
      << bad_end.status();

  absl::StatusOr<WeeklyCoreHours> reversed =
      WeeklyCoreHours::FromSpec({}, "16:00", "08:00");
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.status().message(),
            "core_hours.end: 08:00 is not later than core_hours.start 16:00");

  EXPECT_FALSE(WeeklyCoreHours::FromSpec({}, "09:00", "09:00").ok());
  EXPECT_FALSE(WeeklyCoreHours::FromSpec({0}, "", "").ok());
}

}  // namespace
}  // namespace monipaikka
