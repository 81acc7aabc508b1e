#include "server/analytics/usage.h"

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

constexpr int64_t kHour = 3600 * 1000;

DeskDayFigures Desks(int64_t observed, int64_t occupied, int32_t peak,
                     int32_t observed_members, int32_t used) {
  DeskDayFigures figures;
  figures.observed_ms = observed;
  figures.occupied_ms = occupied;
  figures.peak = peak;
  figures.observed_members = observed_members;
  figures.used_members = used;
  return figures;
}

TEST(AggregateUsageTest, TotalsPeaksAndDeskDays) {
  // |W| = 4 over three core days of 8 h; the third day nothing was known.
  DeskDayFigures monday = Desks(30 * kHour, 12 * kHour, 3, 4, 3);
  DeskDayFigures tuesday = Desks(20 * kHour, 4 * kHour, 1, 3, 1);
  std::vector<UsageDay> days(3);
  for (int d = 0; d < 3; ++d) {
    days[d].date = absl::CivilDay(2026, 3, 23) + d;
    days[d].measured = true;
    days[d].desk_measured_ms = 4 * 8 * kHour;
  }
  days[0].desks = &monday;
  days[1].desks = &tuesday;
  UsageNumbers n = AggregateUsage(days, 4, 0);
  EXPECT_EQ(n.workstations_measured, 4);
  EXPECT_EQ(n.observed_ms, 50 * kHour);
  EXPECT_EQ(n.occupied_ms, 16 * kHour);
  EXPECT_EQ(n.unknown_ms, 96 * kHour - 50 * kHour);
  EXPECT_DOUBLE_EQ(n.unknown_share, 46.0 / 96.0);
  EXPECT_DOUBLE_EQ(n.time_utilization, 16.0 / 50.0);
  EXPECT_EQ(n.days_counted, 2);
  EXPECT_DOUBLE_EQ(n.peak_occupancy_mean, 2.0);
  EXPECT_EQ(n.peak_occupancy_max, 3);
  EXPECT_EQ(n.peak_occupancy_p95, 3);
  EXPECT_DOUBLE_EQ(n.peak_utilization_max, 0.75);
  EXPECT_DOUBLE_EQ(n.peak_utilization_mean, 0.5);
  EXPECT_EQ(n.desk_days_observed, 7);
  EXPECT_EQ(n.desk_days_used, 4);
  EXPECT_DOUBLE_EQ(n.desk_day_usage, 4.0 / 7.0);
  EXPECT_TRUE(n.measured);
}

TEST(AggregateUsageTest, OneHourOfEachDay) {
  DeskDayFigures monday;
  monday.hours[9] = {3 * kHour, kHour, 2};
  monday.observed_members = 3;
  DeskDayFigures tuesday;
  tuesday.hours[10] = {kHour, kHour, 1};
  tuesday.observed_members = 1;
  std::vector<UsageDay> days(2);
  days[0].desks = &monday;
  days[1].desks = &tuesday;
  days[0].desk_measured_by_hour[9] = 4 * kHour;
  days[1].desk_measured_by_hour[9] = 4 * kHour;
  UsageNumbers n = AggregateUsage(days, 4, 0, 9);
  EXPECT_EQ(n.observed_ms, 3 * kHour);
  EXPECT_EQ(n.occupied_ms, kHour);
  EXPECT_EQ(n.unknown_ms, 5 * kHour);
  EXPECT_EQ(n.days_counted, 1);  // Tuesday saw nothing at 9
  EXPECT_EQ(n.peak_occupancy_max, 2);
  EXPECT_EQ(n.desk_days_observed, 0);
}

TEST(AggregateUsageTest, RoomsSeatUtilization) {
  RoomDayFigures rooms;
  rooms.observed_rooms = 2;
  rooms.observed_ms = 10 * kHour;
  rooms.occupied_ms = 4 * kHour;
  rooms.seat_occupied_ms = 2 * kHour;
  rooms.seat_count_ms = 2 * 3 * kHour;      // 3 people for 2 h
  rooms.seat_capacity_ms = 2 * 10 * kHour;  // capacity 10
  std::vector<UsageDay> days(1);
  days[0].rooms = &rooms;
  days[0].room_measured_ms = 16 * kHour;
  UsageNumbers n = AggregateUsage(days, 0, 2);
  EXPECT_EQ(n.rooms_measured, 2);
  EXPECT_EQ(n.room_unknown_ms, 6 * kHour);
  EXPECT_DOUBLE_EQ(n.room_time_utilization, 0.4);
  EXPECT_DOUBLE_EQ(n.room_mean_count_while_occupied, 3.0);
  EXPECT_DOUBLE_EQ(n.room_seat_utilization, 0.3);
}

TEST(NearestRankTest, CeilOfNinetyFivePercent) {
  std::vector<int32_t> values;
  for (int i = 1; i <= 20; ++i) values.push_back(21 - i);
  EXPECT_EQ(NearestRank(values, 95), 19);
  values.push_back(100);
  EXPECT_EQ(NearestRank(values, 95), 20);  // ceil(19.95) = 20th of 21
  EXPECT_EQ(NearestRank({}, 95), 0);
  EXPECT_EQ(NearestRank({5}, 95), 5);
}

TEST(NearestRankTest, NinetyFifthOfTwentyIsTheNineteenthSmallest) {
  std::vector<int32_t> values = {7,  3,  20, 1,  14, 9, 12, 5,  18, 2,
                                 16, 11, 4,  19, 8,  6, 17, 10, 13, 15};
  EXPECT_EQ(NearestRank(values, 95), 19);
  EXPECT_EQ(NearestRank(values, 100), 20);
  EXPECT_EQ(NearestRank(values, 50), 10);
  EXPECT_EQ(NearestRank(values, 5), 1);
  EXPECT_EQ(NearestRank(values, 6), 2);  // ceil(1.2) = 2
}

TEST(NearestRankTest, RoundsTheRankUp) {
  std::vector<int32_t> values(21);
  for (int i = 0; i < 21; ++i) values[i] = 100 + i;
  // ceil(0.95 · 21) = ceil(19.95) = 20.
  EXPECT_EQ(NearestRank(values, 95), 119);
  EXPECT_EQ(NearestRank({4}, 95), 4);
  EXPECT_EQ(NearestRank({3, 3, 1, 3}, 25), 1);
  EXPECT_EQ(NearestRank({3, 3, 1, 3}, 26), 3);
}

TEST(NearestRankTest, NoValuesGiveZero) { EXPECT_EQ(NearestRank({}, 95), 0); }

}  // namespace
}  // namespace monipaikka
