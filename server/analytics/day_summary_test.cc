#include "server/analytics/day_summary.h"

#include <random>

#include "common/time_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/analytics/reference_utilization.h"

namespace monipaikka {
namespace {

constexpr int32_t kMinute = 60 * 1000;
constexpr int32_t kHour = 60 * kMinute;

absl::TimeZone Helsinki() { return *LoadZone("Europe/Helsinki"); }

DayFrame Frame(absl::CivilDay date) {
  return MakeDayFrame(date, Helsinki(), WeeklyCoreHours{});
}

TEST(DayFrameTest, OrdinaryCoreDay) {
  // Monday 2026-03-23, EET (UTC+2).
  DayFrame frame = Frame(absl::CivilDay(2026, 3, 23));
  EXPECT_EQ(frame.day_start_ms, *ParseInstantMs("2026-03-22T22:00:00Z"));
  EXPECT_EQ(frame.length_ms, 24 * kHour);
  EXPECT_EQ(frame.core_start_ms, 8 * kHour);
  EXPECT_EQ(frame.core_end_ms, 16 * kHour);
  EXPECT_EQ(frame.hour_start_ms[13], 13 * kHour);
  EXPECT_TRUE(frame.core_day());
}

TEST(DayFrameTest, SpringForwardSkipsTheThirdHour) {
  // Sunday 2026-03-29: 03:00 EET jumps to 04:00 EEST. A Sunday: no core.
  DayFrame frame = Frame(absl::CivilDay(2026, 3, 29));
  EXPECT_EQ(frame.length_ms, 23 * kHour);
  EXPECT_EQ(frame.hour_start_ms[3], 3 * kHour);
  EXPECT_EQ(frame.hour_start_ms[4], 3 * kHour);  // hour 3 has no length
  EXPECT_EQ(frame.hour_start_ms[8], 7 * kHour);
  EXPECT_FALSE(frame.core_day());
  EXPECT_EQ(MeasuredInHour(frame, kAllHours, 3), 0);
  EXPECT_EQ(MeasuredInHour(frame, kAllHours, 4), kHour);
}

TEST(DayFrameTest, FallBackRepeatsTheThirdHour) {
  DayFrame frame = Frame(absl::CivilDay(2026, 10, 25));
  EXPECT_EQ(frame.length_ms, 25 * kHour);
  EXPECT_EQ(frame.hour_start_ms[3], 3 * kHour);
  EXPECT_EQ(frame.hour_start_ms[4], 5 * kHour);
  EXPECT_EQ(MeasuredInHour(frame, kAllHours, 3), 2 * kHour);
}

TEST(DayFrameTest, HolidaysHaveNoCoreHours) {
  EXPECT_FALSE(Frame(absl::CivilDay(2026, 12, 24)).core_day());  // Thursday
  EXPECT_FALSE(Frame(absl::CivilDay(2026, 5, 14)).core_day());   // Ascension
  EXPECT_TRUE(Frame(absl::CivilDay(2026, 5, 13)).core_day());
}

// Monday 2026-03-23.
class SummarizeDayTest : public ::testing::Test {
 protected:
  DayFrame frame_ = Frame(absl::CivilDay(2026, 3, 23));
};

TEST_F(SummarizeDayTest, TwoDesksCoreAndAllHours) {
  std::vector<DaySpan> a = {{7 * kHour, 9 * kHour, 1},
                            {9 * kHour, 12 * kHour, 0},
                            {12 * kHour, 17 * kHour, 1}};
  std::vector<DaySpan> b = {
      {8 * kHour + 30 * kMinute, 8 * kHour + 40 * kMinute, 1},
      {10 * kHour, 11 * kHour, 0}};
  std::vector<DeskDayMember> desks = {{&frame_, a}, {&frame_, b}};
  std::vector<NodeMembers> nodes = {{{0, 1}, {}, true}, {{1}, {}, false}};
  std::vector<NodeDayFigures> figures =
      SummarizeDay(desks, {}, nodes, 15 * kMinute);
  ASSERT_EQ(figures.size(), 2u);

  const DeskDayFigures& core = figures[0].desks[kCoreHours];
  // a: known 08-16 (8 h), occupied 08-09 and 12-16 (5 h). b: known 10 min +
  // 1 h, occupied 10 min.
  EXPECT_EQ(core.observed_ms, 8 * kHour + 70 * kMinute);
  EXPECT_EQ(core.occupied_ms, 5 * kHour + 10 * kMinute);
  EXPECT_EQ(core.peak, 2);  // 08:30-08:40
  EXPECT_EQ(core.observed_members, 2);
  EXPECT_EQ(core.used_members, 1);  // b's 10 minutes are under 15
  EXPECT_EQ(core.hours[8].occupied_ms, 70 * kMinute);
  EXPECT_EQ(core.hours[8].peak, 2);
  EXPECT_EQ(core.hours[7], HourFigures{});  // before core hours
  EXPECT_EQ(core.hours[12].peak, 1);
  EXPECT_EQ(core.hours[10].peak, 0);
  EXPECT_EQ(core.hours[10].observed_ms, 2 * kHour);

  const DeskDayFigures& all = figures[0].desks[kAllHours];
  EXPECT_EQ(all.observed_ms, 10 * kHour + 70 * kMinute);
  EXPECT_EQ(all.occupied_ms, 7 * kHour + 10 * kMinute);
  EXPECT_EQ(all.hours[7].peak, 1);
  EXPECT_EQ(all.hours[16].occupied_ms, kHour);
  EXPECT_EQ(all.used_members, 1);

  ASSERT_EQ(figures[0].minute_peaks.size(), 1440u);
  EXPECT_EQ(figures[0].minute_peaks[7 * 60], 1);
  EXPECT_EQ(figures[0].minute_peaks[8 * 60 + 30], 2);
  EXPECT_EQ(figures[0].minute_peaks[8 * 60 + 39], 2);
  EXPECT_EQ(figures[0].minute_peaks[8 * 60 + 40], 1);
  EXPECT_EQ(figures[0].minute_peaks[16 * 60 + 59], 1);
  EXPECT_EQ(figures[0].minute_peaks[17 * 60], 0);

  EXPECT_EQ(figures[1].desks[kCoreHours].peak, 1);
  EXPECT_TRUE(figures[1].minute_peaks.empty());
}

TEST_F(SummarizeDayTest, HandoverIsNotConcurrentButOneMillisecondIs) {
  std::vector<DaySpan> a = {{8 * kHour, 10 * kHour, 1}};
  std::vector<DaySpan> b = {{10 * kHour, 12 * kHour, 1}};
  std::vector<DaySpan> c = {{10 * kHour - 1, 11 * kHour, 1}};
  std::vector<DeskDayMember> desks = {{&frame_, a}, {&frame_, b}, {&frame_, c}};
  std::vector<NodeMembers> nodes = {{{0, 1}, {}, true}, {{0, 2}, {}, true}};
  auto figures = SummarizeDay(desks, {}, nodes, 0);
  EXPECT_EQ(figures[0].desks[kCoreHours].peak, 1);
  EXPECT_EQ(figures[1].desks[kCoreHours].peak, 2);
  EXPECT_EQ(figures[1].desks[kCoreHours].hours[9].peak, 2);
  EXPECT_EQ(figures[1].desks[kCoreHours].hours[10].peak, 1);
  // Per minute, the last minute before 10:00 holds the overlap.
  EXPECT_EQ(figures[1].minute_peaks[9 * 60 + 59], 2);
  EXPECT_EQ(figures[0].minute_peaks[9 * 60 + 59], 1);
  EXPECT_EQ(figures[0].minute_peaks[10 * 60], 1);
}

TEST_F(SummarizeDayTest, RoomSeatFigures) {
  // Capacity 10: 4 people for 1 h, 6 for 30 min, empty 30 min; a presence
  // room occupied 2 h; a counting room without capacity.
  std::vector<DaySpan> counted = {{9 * kHour, 10 * kHour, 4},
                                  {10 * kHour, 10 * kHour + 30 * kMinute, 6},
                                  {10 * kHour + 30 * kMinute, 11 * kHour, 0}};
  std::vector<DaySpan> presence = {{13 * kHour, 15 * kHour, 1}};
  std::vector<DaySpan> no_capacity = {{13 * kHour, 14 * kHour, 3}};
  std::vector<RoomDayMember> rooms = {{&frame_, counted, 10, true},
                                      {&frame_, presence, 8, false},
                                      {&frame_, no_capacity, 0, true}};
  std::vector<NodeMembers> nodes = {{{}, {0, 1, 2}, false}};
  auto figures = SummarizeDay({}, rooms, nodes, 0);
  const RoomDayFigures& core = figures[0].rooms[kCoreHours];
  EXPECT_EQ(core.observed_rooms, 3);
  EXPECT_EQ(core.observed_ms, 5 * kHour);
  EXPECT_EQ(core.occupied_ms, 90 * kMinute + 2 * kHour + kHour);
  EXPECT_EQ(core.seat_occupied_ms, 90 * kMinute);
  EXPECT_EQ(core.seat_count_ms, int64_t{4} * kHour + int64_t{6} * 30 * kMinute);
  EXPECT_EQ(core.seat_capacity_ms, int64_t{10} * 90 * kMinute);
}

// Against the reference implementation (reference_utilization.h, tested on
// its own) on random
// readings over two weeks with the spring clock change and Easter.
TEST(SummarizeDayAgreementTest, MatchesTheReferenceDayByDay) {
  const absl::TimeZone zone = Helsinki();
  absl::StatusOr<WeeklyCoreHours> core =
      WeeklyCoreHours::FromSpec({1, 2, 3, 4, 5, 7}, "07:00", "18:30");
  ASSERT_TRUE(core.ok());
  const absl::CivilDay first(2026, 3, 23);
  const absl::CivilDay last(2026, 4, 7);
  std::vector<LocalDay> days = LocalDays(first, last, zone, *core, false);
  const int64_t window_start = days.front().day_start_ms;
  const int64_t window_end = days.back().day_end_ms;
  std::mt19937 random(20260323);
  const int64_t stale = 45 * kMinute;
  using reference::PresenceReading;
  using reference::StateInterval;
  std::vector<std::vector<PresenceReading>> readings(6);
  std::vector<std::vector<StateInterval>> intervals;
  for (auto& desk : readings) {
    std::uniform_int_distribution<int64_t> at(window_start - 2 * kHour,
                                              window_end + 2 * kHour);
    for (int r = 0; r < 500; ++r)
      desk.push_back({at(random), random() % 3 == 0});
    std::sort(desk.begin(), desk.end(),
              [](const PresenceReading& x, const PresenceReading& y) {
                return x.ts_ms < y.ts_ms;
              });
    desk.erase(
        std::unique(desk.begin(), desk.end(),
                    [](const PresenceReading& x, const PresenceReading& y) {
                      return x.ts_ms == y.ts_ms;
                    }),
        desk.end());
    intervals.push_back(reference::PresenceIntervals(desk, stale));
  }
  const reference::WindowFigures expected =
      reference::ComputeUtilization(intervals, days);
  ASSERT_EQ(expected.days.size(), days.size());
  for (size_t d = 0; d < days.size(); ++d) {
    const DayFrame frame = MakeDayFrame(days[d].date, zone, *core);
    std::vector<std::vector<DaySpan>> spans;
    for (const auto& desk : readings) {
      std::vector<TimedValue> values;
      for (const PresenceReading& r : desk) {
        values.push_back({r.ts_ms, r.occupied ? 1 : 0});
      }
      spans.push_back(SensorDaySpans(
          values, ReadingMeaning::kPresence, frame.day_start_ms,
          frame.day_start_ms + frame.length_ms, frame.day_start_ms, stale, 0));
    }
    std::vector<DeskDayMember> desks;
    NodeMembers node;
    for (size_t i = 0; i < spans.size(); ++i) {
      desks.push_back({&frame, spans[i]});
      node.desks.push_back(static_cast<int32_t>(i));
    }
    std::vector<NodeMembers> nodes = {node};
    const DeskDayFigures got =
        SummarizeDay(desks, {}, nodes, 0)[0].desks[kCoreHours];
    const reference::DayFigures& want = expected.days[d];
    EXPECT_EQ(got.observed_ms, want.observed_ms) << d;
    EXPECT_EQ(got.occupied_ms, want.occupied_ms) << d;
    EXPECT_EQ(got.peak, want.peak_occupancy) << d;
    EXPECT_EQ(got.observed_members, want.observed_workstations) << d;
    int64_t by_hours = 0;
    int32_t hour_peak = 0;
    for (const HourFigures& h : got.hours) {
      by_hours += h.observed_ms;
      hour_peak = std::max(hour_peak, h.peak);
    }
    EXPECT_EQ(by_hours, got.observed_ms) << d;
    EXPECT_EQ(hour_peak, got.peak) << d;
  }
}

}  // namespace
}  // namespace monipaikka
