#include "bench/load/reading_schedule.h"

#include <gtest/gtest.h>

#include <map>

#include "bench/load/load_stats.h"

namespace monipaikka::load {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;

TEST(ReadingScheduleTest, EverySensorReportsAtItsRateWithIncreasingSeqAndTime) {
  ReadingSchedule schedule(10, 6, 0.1, kStartMs, 7);  // every 10 s
  std::vector<ScheduledReading> all;
  for (int64_t us = 0; us <= 60'000'000; us += 333'333) {
    for (const ScheduledReading& r : schedule.TakeDue(us)) all.push_back(r);
  }
  for (const ScheduledReading& r : schedule.TakeDue(60'000'000))
    all.push_back(r);
  ASSERT_EQ(all.size(), 60u);  // 6 readings of each of 10 sensors in 60 s
  std::map<int, ScheduledReading> last;
  for (const ScheduledReading& r : all) {
    EXPECT_GE(r.ts_ms, kStartMs);
    EXPECT_LE(r.ts_ms, kStartMs + 60'000);
    auto previous = last.find(r.sensor);
    if (previous == last.end()) {
      EXPECT_EQ(r.seq, 1u);
    } else {
      EXPECT_EQ(r.seq, previous->second.seq + 1);
      EXPECT_GE(r.ts_ms - previous->second.ts_ms, 9'999);
      EXPECT_LE(r.ts_ms - previous->second.ts_ms, 10'001);
    }
    last[r.sensor] = r;
  }
  EXPECT_EQ(last.size(), 10u);
}

TEST(ReadingScheduleTest, OneCallGivesWhatManyCallsGive) {
  ReadingSchedule whole(50, 120, 0.1, kStartMs, 3);
  ReadingSchedule parts(50, 120, 0.1, kStartMs, 3);
  const std::vector<ScheduledReading> at_once = whole.TakeDue(5'000'000);
  size_t taken = 0;
  for (int64_t us = 0; us <= 5'000'000; us += 100'000) {
    taken += parts.TakeDue(us).size();
  }
  EXPECT_EQ(taken, at_once.size());
  EXPECT_EQ(at_once.size(), 500u);  // 2 per second, 50 sensors, 5 s
  for (size_t i = 1; i < at_once.size(); ++i) {
    EXPECT_LE(at_once[i - 1].ts_ms, at_once[i].ts_ms);
  }
}

TEST(ReadingScheduleTest, TimestampsOfASensorDifferEvenAtOnePerMillisecond) {
  ReadingSchedule schedule(3, 60000, 0.1, kStartMs, 1);
  std::map<int, int64_t> last_ts;
  for (const ScheduledReading& r : schedule.TakeDue(200'000)) {
    auto previous = last_ts.find(r.sensor);
    if (previous != last_ts.end()) {
      EXPECT_GT(r.ts_ms, previous->second);
    }
    last_ts[r.sensor] = r.ts_ms;
  }
}

TEST(ReadingScheduleTest, StatesChangeAtTheGivenShareOfReadings) {
  for (double probability : {0.0, 0.1, 1.0}) {
    ReadingSchedule schedule(100, 60, probability, kStartMs, 5);
    std::map<int, bool> state;  // desks start free
    int changes = 0;
    const std::vector<ScheduledReading> due = schedule.TakeDue(100'000'000);
    for (const ScheduledReading& r : due) {
      if (r.occupied != state[r.sensor]) ++changes;
      state[r.sensor] = r.occupied;
    }
    const double share = static_cast<double>(changes) / due.size();
    EXPECT_NEAR(share, probability, 0.02) << probability;
  }
}

TEST(PercentileTest, NearestRank) {
  std::vector<double> values;
  for (int i = 100; i >= 1; --i) values.push_back(i);
  EXPECT_EQ(Percentile(values, 50), 50);
  EXPECT_EQ(Percentile(values, 99), 99);
  EXPECT_EQ(Percentile(values, 100), 100);
  EXPECT_EQ(Percentile({7}, 99), 7);
  EXPECT_EQ(Percentile({}, 50), 0);
}

}  // namespace
}  // namespace monipaikka::load
