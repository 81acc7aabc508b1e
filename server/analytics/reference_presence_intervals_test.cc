#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/analytics/reference_utilization.h"

namespace monipaikka::reference {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kStaleMs = 60 * kMinuteMs;
// 2026-03-23T00:00:00Z.
constexpr int64_t kMidnightMs = 1774224000000;

// The instant hh:mm UTC on 2026-03-23.
int64_t At(int hours, int minutes) {
  return kMidnightMs + (hours * 60 + minutes) * kMinuteMs;
}

PresenceReading Occupied(int64_t ts_ms) { return {ts_ms, true}; }
PresenceReading Free(int64_t ts_ms) { return {ts_ms, false}; }

TEST(PresenceIntervalsTest, NoReadingsNoKnownTime) {
  EXPECT_THAT(PresenceIntervals({}, kStaleMs), IsEmpty());
}

TEST(PresenceIntervalsTest, StateGoesUnknownAfterStaleAfterUntilNextReading) {
  std::vector<PresenceReading> readings = {Occupied(At(8, 0)), Free(At(10, 0))};
  // Occupied [08:00, 09:00), unknown [09:00, 10:00), free [10:00, 11:00).
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(9, 0), true},
                          StateInterval{At(10, 0), At(11, 0), false}));
}

TEST(PresenceIntervalsTest, NextReadingBeforeStaleAfterEndsTheState) {
  std::vector<PresenceReading> readings = {Occupied(At(8, 0)), Free(At(8, 30))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(8, 30), true},
                          StateInterval{At(8, 30), At(9, 30), false}));
}

TEST(PresenceIntervalsTest, NextReadingExactlyAtStaleAfterLeavesNoGap) {
  std::vector<PresenceReading> readings = {Occupied(At(8, 0)), Free(At(9, 0))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(9, 0), true},
                          StateInterval{At(9, 0), At(10, 0), false}));
}

TEST(PresenceIntervalsTest, UnknownBeforeFirstReadingAndStaleAfterLast) {
  std::vector<PresenceReading> readings = {Occupied(At(9, 15))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(9, 15), At(10, 15), true}));
  EXPECT_THAT(PresenceIntervals(readings, 5 * kMinuteMs),
              ElementsAre(StateInterval{At(9, 15), At(9, 20), true}));
}

TEST(PresenceIntervalsTest, ReadingsAreOrderedByTimestampNotByInput) {
  std::vector<PresenceReading> readings = {Free(At(10, 0)), Occupied(At(8, 0)),
                                           Free(At(8, 45)),
                                           Occupied(At(9, 30))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(8, 45), true},
                          StateInterval{At(8, 45), At(9, 30), false},
                          StateInterval{At(9, 30), At(10, 0), true},
                          StateInterval{At(10, 0), At(11, 0), false}));
}

TEST(PresenceIntervalsTest, OfRepeatedTimestampsTheFirstInInputWins) {
  std::vector<PresenceReading> occupied_first = {
      Occupied(At(8, 0)), Free(At(8, 0)), Free(At(8, 30))};
  EXPECT_THAT(PresenceIntervals(occupied_first, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(8, 30), true},
                          StateInterval{At(8, 30), At(9, 30), false}));

  // The same readings with the two at 08:00 swapped, and out of order.
  std::vector<PresenceReading> free_first = {Free(At(8, 30)), Free(At(8, 0)),
                                             Occupied(At(8, 0))};
  EXPECT_THAT(PresenceIntervals(free_first, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(9, 30), false}));
}

TEST(PresenceIntervalsTest, RepeatedLastTimestampHoldsForStaleAfter) {
  std::vector<PresenceReading> readings = {Occupied(At(8, 0)),
                                           Occupied(At(8, 0))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(9, 0), true}));
}

TEST(PresenceIntervalsTest, AdjacentEqualStatesAreMerged) {
  std::vector<PresenceReading> readings = {
      Occupied(At(8, 0)), Occupied(At(8, 20)), Occupied(At(8, 40)),
      Free(At(9, 0)), Free(At(9, 50))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(9, 0), true},
                          StateInterval{At(9, 0), At(10, 50), false}));
}

TEST(PresenceIntervalsTest, EqualStatesAcrossAnUnknownGapStaySeparate) {
  std::vector<PresenceReading> readings = {Occupied(At(8, 0)),
                                           Occupied(At(10, 0))};
  EXPECT_THAT(PresenceIntervals(readings, kStaleMs),
              ElementsAre(StateInterval{At(8, 0), At(9, 0), true},
                          StateInterval{At(10, 0), At(11, 0), true}));
}

TEST(PresenceIntervalsTest, NonPositiveStaleAfterKnowsNothing) {
  std::vector<PresenceReading> readings = {Occupied(At(8, 0)), Free(At(9, 0))};
  EXPECT_THAT(PresenceIntervals(readings, 0), IsEmpty());
  EXPECT_THAT(PresenceIntervals(readings, -kStaleMs), IsEmpty());
}

}  // namespace
}  // namespace monipaikka::reference
