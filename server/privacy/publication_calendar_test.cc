#include "server/privacy/publication_calendar.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

using absl::CivilDay;

TEST(PublicationCalendarTest, ParsesEveryNameAndRefusesOthers) {
  for (PublicationCalendar calendar :
       {PublicationCalendar::kMonthEnd, PublicationCalendar::kQuarterEnd,
        PublicationCalendar::kYearEnd}) {
    auto parsed = ParsePublicationCalendar(PublicationCalendarName(calendar));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, calendar);
  }
  EXPECT_EQ(PublicationCalendarName(PublicationCalendar::kMonthEnd),
            "month_end");
  auto bad = ParsePublicationCalendar("weekly");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("weekly"), std::string::npos);
  EXPECT_FALSE(ParsePublicationCalendar("").ok());
  EXPECT_FALSE(ParsePublicationCalendar("Month_End").ok());
}

TEST(PublicationCalendarTest, MonthEndsIncludingLeapFebruary) {
  constexpr auto kMonth = PublicationCalendar::kMonthEnd;
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 1, 31), kMonth));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 2, 29), kMonth));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 2, 28), kMonth));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2023, 2, 28), kMonth));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 4, 30), kMonth));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 5, 1), kMonth));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 5, 30), kMonth));
}

TEST(PublicationCalendarTest, QuarterAndYearEnds) {
  constexpr auto kQuarter = PublicationCalendar::kQuarterEnd;
  constexpr auto kYear = PublicationCalendar::kYearEnd;
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 3, 31), kQuarter));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 6, 30), kQuarter));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 9, 30), kQuarter));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 12, 31), kQuarter));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 4, 30), kQuarter));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 6, 29), kQuarter));
  EXPECT_TRUE(IsPublicationDate(CivilDay(2024, 12, 31), kYear));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 6, 30), kYear));
  EXPECT_FALSE(IsPublicationDate(CivilDay(2024, 12, 30), kYear));
}

TEST(PublicationCalendarTest, LatestDateSnapsBackAndKeepsPublicationDates) {
  constexpr auto kMonth = PublicationCalendar::kMonthEnd;
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 3, 15), kMonth),
            CivilDay(2024, 2, 29));
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 3, 31), kMonth),
            CivilDay(2024, 3, 31));
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 3, 30), kMonth),
            CivilDay(2024, 2, 29));
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 1, 1), kMonth),
            CivilDay(2023, 12, 31));

  constexpr auto kQuarter = PublicationCalendar::kQuarterEnd;
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 3, 30), kQuarter),
            CivilDay(2023, 12, 31));
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 3, 31), kQuarter),
            CivilDay(2024, 3, 31));
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 8, 31), kQuarter),
            CivilDay(2024, 6, 30));

  constexpr auto kYear = PublicationCalendar::kYearEnd;
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 12, 30), kYear),
            CivilDay(2023, 12, 31));
  EXPECT_EQ(LatestPublicationDate(CivilDay(2024, 12, 31), kYear),
            CivilDay(2024, 12, 31));
}

TEST(PublicationCalendarTest, EveryDayOfFourYearsSnapsToAPublicationDate) {
  for (auto calendar :
       {PublicationCalendar::kMonthEnd, PublicationCalendar::kQuarterEnd,
        PublicationCalendar::kYearEnd}) {
    for (CivilDay day(2023, 1, 1); day <= CivilDay(2026, 12, 31); ++day) {
      const CivilDay latest = LatestPublicationDate(day, calendar);
      ASSERT_LE(latest, day);
      ASSERT_TRUE(IsPublicationDate(latest, calendar)) << latest;
      // No publication date lies strictly between.
      for (CivilDay between = latest + 1; between <= day; ++between) {
        ASSERT_FALSE(IsPublicationDate(between, calendar)) << between;
      }
      ASSERT_EQ(IsPublicationDate(day, calendar), latest == day);
    }
  }
}

}  // namespace
}  // namespace monipaikka
