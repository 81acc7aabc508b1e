#include "server/analytics/day_states.h"

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kStale = 60 * kMinute;
// A day of 24 h starting at this instant.
constexpr int64_t kDayStart = 1'774'216'800'000;  // 2026-03-22T22:00:00Z
constexpr int64_t kDayEnd = kDayStart + 24 * kHour;

int32_t Off(int hours, int minutes = 0) {
  return static_cast<int32_t>(hours * kHour + minutes * kMinute);
}
TimedValue At(int hours, int minutes, int64_t value) {
  return {kDayStart + hours * kHour + minutes * kMinute, value};
}

TEST(DayStatesTest, PresenceHoldsUntilNextReadingOrStaleAfter) {
  std::vector<TimedValue> readings = {At(8, 0, 1), At(8, 30, 1), At(9, 0, 0),
                                      At(11, 0, 1)};
  EXPECT_THAT(
      SensorDaySpans(readings, ReadingMeaning::kPresence, kDayStart, kDayEnd,
                     kDayStart, kStale, 0),
      ElementsAre(DaySpan{Off(8), Off(9), 1}, DaySpan{Off(9), Off(10), 0},
                  DaySpan{Off(11), Off(12), 1}));
}

TEST(DayStatesTest, ReadingBeforeMidnightCarriesIntoTheDayForStaleAfter) {
  std::vector<TimedValue> readings = {{kDayStart - 20 * kMinute, 1},
                                      {kDayStart + 10 * kMinute, 0}};
  EXPECT_THAT(SensorDaySpans(readings, ReadingMeaning::kPresence, kDayStart,
                             kDayEnd, kDayStart, kStale, 0),
              ElementsAre(DaySpan{0, Off(0, 10), 1},
                          DaySpan{Off(0, 10), Off(1, 10), 0}));
}

TEST(DayStatesTest, LastReadingIsCutAtTheDayEnd) {
  std::vector<TimedValue> readings = {At(23, 30, 1), {kDayEnd, 0}};
  EXPECT_THAT(SensorDaySpans(readings, ReadingMeaning::kPresence, kDayStart,
                             kDayEnd, kDayStart, kStale, 0),
              ElementsAre(DaySpan{Off(23, 30), Off(24), 1}));
}

TEST(DayStatesTest, NoReadingsOrNoStaleAfterKnowNothing) {
  EXPECT_THAT(SensorDaySpans({}, ReadingMeaning::kPresence, kDayStart, kDayEnd,
                             kDayStart, kStale, 0),
              IsEmpty());
  std::vector<TimedValue> readings = {At(8, 0, 1)};
  EXPECT_THAT(SensorDaySpans(readings, ReadingMeaning::kPresence, kDayStart,
                             kDayEnd, kDayStart, 0, 0),
              IsEmpty());
}

TEST(DayStatesTest, AreaCountsAreValues) {
  std::vector<TimedValue> readings = {At(9, 0, 4), At(9, 15, 6), At(9, 30, 0)};
  EXPECT_THAT(SensorDaySpans(readings, ReadingMeaning::kCount, kDayStart,
                             kDayEnd, kDayStart, kStale, 0),
              ElementsAre(DaySpan{Off(9), Off(9, 15), 4},
                          DaySpan{Off(9, 15), Off(9, 30), 6},
                          DaySpan{Off(9, 30), Off(10, 30), 0}));
}

TEST(DayStatesTest, PeopleCounterRunsClampedAtZeroAndResetsAtMidnight) {
  std::vector<TimedValue> readings = {
      // Yesterday evening's count does not carry over: at midnight it is 0.
      {kDayStart - 30 * kMinute, PackFlow(5, 0)},
      At(8, 0, PackFlow(3, 0)),   // 3
      At(8, 30, PackFlow(0, 5)),  // drifts below zero: 0, not -2
      At(9, 0, PackFlow(2, 0)),   // 2
      At(9, 30, PackFlow(1, 1)),  // 2
  };
  EXPECT_THAT(
      SensorDaySpans(readings, ReadingMeaning::kFlow, kDayStart, kDayEnd,
                     kDayStart, kStale, 0),
      ElementsAre(DaySpan{0, Off(0, 30), 0}, DaySpan{Off(8), Off(8, 30), 3},
                  DaySpan{Off(8, 30), Off(9), 0},
                  DaySpan{Off(9), Off(10, 30), 2}));
}

TEST(DayStatesTest, PeopleCounterPlainCountSetsTheRunningCount) {
  std::vector<TimedValue> readings = {At(8, 0, PackFlow(3, 0)),    // 3
                                      At(8, 20, 7),                // set to 7
                                      At(8, 40, PackFlow(0, 2))};  // 5
  EXPECT_THAT(SensorDaySpans(readings, ReadingMeaning::kFlow, kDayStart,
                             kDayEnd, kDayStart, kStale, 0),
              ElementsAre(DaySpan{Off(8), Off(8, 20), 3},
                          DaySpan{Off(8, 20), Off(8, 40), 7},
                          DaySpan{Off(8, 40), Off(9, 40), 5}));
}

TEST(DayStatesTest, FlowPacking) {
  const int64_t packed = PackFlow(100000, 7);
  EXPECT_TRUE(IsFlowValue(packed));
  EXPECT_FALSE(IsFlowValue(100000));
  EXPECT_EQ(FlowEntered(packed), 100000u);
  EXPECT_EQ(FlowExited(packed), 7u);
  EXPECT_TRUE(IsFlowValue(PackFlow(0, 0)));
  EXPECT_EQ(FlowEntered(PackFlow(0, 0)), 0u);
}

TEST(DayStatesTest, SplicingAtAnyCutEqualsComputingTheWholeDay) {
  std::mt19937 random(7);
  for (ReadingMeaning meaning :
       {ReadingMeaning::kPresence, ReadingMeaning::kCount,
        ReadingMeaning::kFlow}) {
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<TimedValue> readings;
      int64_t t = kDayStart - 2 * kHour;
      while (true) {
        t += 1 + static_cast<int64_t>(random() % (90 * kMinute));
        if (t >= kDayEnd) break;
        const int64_t value =
            meaning == ReadingMeaning::kPresence ? random() % 2
            : meaning == ReadingMeaning::kCount  ? random() % 9
            : random() % 6 == 0                  ? random() % 9
                                : PackFlow(random() % 4, random() % 5);
        readings.push_back({t, value});
      }
      const std::vector<DaySpan> whole = SensorDaySpans(
          readings, meaning, kDayStart, kDayEnd, kDayStart, kStale, 0);
      const int64_t cut =
          kDayStart + (static_cast<int64_t>(random() % 24)) * kHour;
      std::vector<TimedValue> later;
      for (const TimedValue& r : readings) {
        if (r.ts_ms >= cut - kStale) later.push_back(r);
      }
      const int32_t cut_offset = static_cast<int32_t>(cut - kDayStart);
      const std::vector<DaySpan> tail =
          SensorDaySpans(later, meaning, kDayStart, kDayEnd, cut, kStale,
                         meaning == ReadingMeaning::kFlow && cut > kDayStart
                             ? LastValueBefore(whole, cut_offset)
                             : 0);
      EXPECT_EQ(SpliceDaySpans(whole, cut_offset, tail), whole)
          << "meaning " << static_cast<int>(meaning) << " trial " << trial;
    }
  }
}

TEST(DayStatesTest, SeveralSensorsOnOneDeskCombineByLargestValue) {
  std::vector<std::vector<DaySpan>> sensors = {
      {{Off(8), Off(10), 0}, {Off(10), Off(12), 1}},
      {{Off(9), Off(11), 1}, {Off(13), Off(14), 0}},
  };
  EXPECT_THAT(
      CombineDaySpans(sensors),
      ElementsAre(DaySpan{Off(8), Off(9), 0}, DaySpan{Off(9), Off(12), 1},
                  DaySpan{Off(13), Off(14), 0}));
  EXPECT_THAT(CombineDaySpans({}), IsEmpty());
}

}  // namespace
}  // namespace monipaikka
