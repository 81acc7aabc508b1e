#include "bench/portfolio/office_presence.h"

#include <gtest/gtest.h>

#include "bench/portfolio/portfolio_layout.h"
#include "common/time_format.h"

namespace monipaikka {
namespace {

absl::TimeZone Helsinki() { return *LoadZone("Europe/Helsinki"); }

TEST(OfficePresenceTest, NobodyOnWeekendsAndHolidays) {
  std::mt19937_64 random(1);
  for (int desk = 0; desk < 200; ++desk) {
    EXPECT_TRUE(OfficePresence(desk, absl::CivilDay(2026, 11, 28), 1, random)
                    .empty());  // Saturday
    EXPECT_TRUE(OfficePresence(desk, absl::CivilDay(2026, 12, 24), 1, random)
                    .empty());  // Christmas Eve, a Thursday
  }
}

TEST(OfficePresenceTest, TuesdaysBusierThanFridays) {
  std::mt19937_64 random(2);
  int tuesday = 0;
  int friday = 0;
  for (int desk = 0; desk < 2000; ++desk) {
    tuesday +=
        !OfficePresence(desk, absl::CivilDay(2026, 11, 24), 1, random).empty();
    friday +=
        !OfficePresence(desk, absl::CivilDay(2026, 11, 27), 1, random).empty();
  }
  EXPECT_GT(tuesday, 2 * friday);
  EXPECT_GT(friday, 0);
}

TEST(DeskDayStatesTest, KnownAllDayOccupiedInThePeriods) {
  const std::vector<DaySpan> spans =
      DeskDayStates({{8 * 60, 11 * 60}, {12 * 60, 16 * 60}},
                    absl::CivilDay(2026, 11, 24), Helsinki());
  constexpr int32_t kHour = 3600 * 1000;
  EXPECT_EQ(spans, (std::vector<DaySpan>{{0, 8 * kHour, 0},
                                         {8 * kHour, 11 * kHour, 1},
                                         {11 * kHour, 12 * kHour, 0},
                                         {12 * kHour, 16 * kHour, 1},
                                         {16 * kHour, 24 * kHour, 0}}));
}

TEST(DeskDayStatesTest, FollowsTheLocalClockOnDstDays) {
  // 2026-10-25: clocks go back at 04:00, the day has 25 hours.
  constexpr int32_t kHour = 3600 * 1000;
  const std::vector<DaySpan> spans = DeskDayStates(
      {{8 * 60, 16 * 60}}, absl::CivilDay(2026, 10, 25), Helsinki());
  EXPECT_EQ(spans, (std::vector<DaySpan>{{0, 9 * kHour, 0},
                                         {9 * kHour, 17 * kHour, 1},
                                         {17 * kHour, 25 * kHour, 0}}));
  EXPECT_TRUE(DeskDayStates({}, absl::CivilDay(2026, 3, 29), Helsinki())
                  .back()
                  .end_ms == 23 * kHour);
}

TEST(PortfolioLayoutTest, TheIssuesPortfolio) {
  const Portfolio portfolio = MakePortfolio(50000, 25);
  EXPECT_EQ(portfolio.inventory.workstations_size(), 50000);
  // 520 of the first site's 2,000 desks are measured (13 of each zone of
  // 50), every other desk is.
  EXPECT_EQ(portfolio.inventory.sensors_size(), 48520);
  EXPECT_EQ(portfolio.sites.size(), 94u);
  EXPECT_EQ(portfolio.estimate_site, "SITE-001");
  EXPECT_EQ(portfolio.plan_site, "SITE-002");
  int floors_of_plan_site = 0;
  for (const v1::Space& space : portfolio.inventory.spaces()) {
    floors_of_plan_site +=
        space.site() == "SITE-002" && space.level() == "floor";
  }
  EXPECT_EQ(floors_of_plan_site, 10);
}

}  // namespace
}  // namespace monipaikka
