#include "server/retention/retention.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/sqlite.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
// 2026-03-01T10:30:00Z.
constexpr int64_t kNow = 1772361000000;

TEST(RetentionPolicyTest, RawReadingsGoAfterTheWindowAndTheLookback) {
  RetentionPolicy policy;
  policy.raw_days = 90;
  policy.lookback = absl::Hours(24);
  const int64_t before = RawDeleteBeforeMs(policy, kNow, std::nullopt);
  // 91 days before now, down to the hour: 10:00 of that day.
  EXPECT_EQ(before, kNow - 91 * kDayMs - 30 * 60 * 1000);
  EXPECT_EQ(before % kHourMs, 0);
}

TEST(RetentionPolicyTest, RawReadingsNotYetSummarizedStay) {
  RetentionPolicy policy;
  const int64_t unsummarized = kNow - 200 * kDayMs;
  EXPECT_EQ(RawDeleteBeforeMs(policy, kNow, unsummarized), unsummarized);
  // A mark after the bound does not move it.
  EXPECT_EQ(RawDeleteBeforeMs(policy, kNow, kNow - kDayMs),
            RawDeleteBeforeMs(policy, kNow, std::nullopt));
}

TEST(RetentionPolicyTest, SummariesKeepOneDaySpareForTimeZones) {
  RetentionPolicy policy;
  policy.summary_days = 10;
  // kNow is on day 20513 (2026-03-01).
  EXPECT_EQ(kNow / kDayMs, 20513);
  EXPECT_EQ(SummaryDeleteBeforeDate(policy, kNow), 20513 - 10 - 1);
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("r.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    session_ = std::move(*storage_->OpenSession());
  }

  void Insert(int64_t from_ms, int64_t to_ms, int64_t step_ms) {
    std::vector<StoredReading> rows;
    for (int64_t t = from_ms; t < to_ms; t += step_ms) {
      rows.push_back({1, t, 0, 1});
      rows.push_back({2, t, 0, 0});
    }
    std::vector<InsertOutcome> outcomes;
    ASSERT_TRUE(session_->InsertReadings(rows, &outcomes).ok());
  }

  void MarkAllSummarized() {
    auto hours = session_->Analytics().ListDirtyHours();
    ASSERT_TRUE(hours.ok());
    ASSERT_TRUE(session_->Analytics().ClearDirtyHours(*hours).ok());
  }

  // Steps until the round is over (a step asks for the interval); returns
  // the steps taken.
  int RunRound(Retention& retention, absl::Duration interval) {
    for (int steps = 1; steps < 10000; ++steps) {
      if (retention.Step(*session_) == interval) return steps;
    }
    ADD_FAILURE() << "the round did not end";
    return 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  RetentionCounters counters_;
};

TEST_F(RetentionTest, ARoundDeletesOldReadingsAndSummariesInChunks) {
  // Readings every minute of 4 days, 100 to 96 days ago; and of the last
  // day.
  Insert(kNow - 100 * kDayMs, kNow - 96 * kDayMs, 60 * 1000);
  Insert(kNow - kDayMs, kNow, 60 * 1000);
  MarkAllSummarized();
  SummaryWrite write;
  const int32_t today = static_cast<int32_t>(kNow / kDayMs);
  write.sensor_days.push_back({today - 20, 1, "x"});
  write.sensor_days.push_back({today - 5, 1, "x"});
  ASSERT_TRUE(session_->Analytics().WriteSummaries(write).ok());

  RetentionOptions options;
  options.policy.raw_days = 90;
  options.policy.summary_days = 10;
  options.chunk_rows = 1000;
  Retention retention(
      options, [] { return kNow; }, &counters_);
  const int steps = RunRound(retention, options.interval);

  // 4 days of 2 sensors a minute: 11520 readings, in chunks of 1000.
  EXPECT_EQ(counters_.readings_deleted.load(), 11520u);
  EXPECT_GE(steps, 12);
  EXPECT_EQ(*session_->CountReadings(), 2 * 24 * 60);
  EXPECT_EQ(counters_.summary_days_deleted.load(), 1u);
  EXPECT_EQ(*session_->Analytics().ListSensorDayDates(),
            std::vector<int32_t>{today - 5});
  EXPECT_EQ(counters_.rounds.load(), 1u);
  EXPECT_EQ(counters_.raw_horizon_ms.load(),
            RawDeleteBeforeMs(options.policy, kNow, std::nullopt));
  EXPECT_EQ(counters_.free_pages.load(), 0);

  // The next round finds nothing more to delete.
  EXPECT_EQ(RunRound(retention, options.interval), 3);
  EXPECT_EQ(counters_.readings_deleted.load(), 11520u);
}

TEST_F(RetentionTest, ReadingsNotYetSummarizedAreKept) {
  Insert(kNow - 100 * kDayMs, kNow - 99 * kDayMs, 60 * 1000);
  // Still marked for the summarizer: nothing may go.
  Retention retention(
      RetentionOptions(), [] { return kNow; }, &counters_);
  RunRound(retention, RetentionOptions().interval);
  EXPECT_EQ(counters_.readings_deleted.load(), 0u);
  EXPECT_EQ(*session_->CountReadings(), 2 * 24 * 60);
  EXPECT_EQ(counters_.raw_horizon_ms.load(), 0);
}

TEST_F(RetentionTest, ChunksGrowWhileWithinTheBudget) {
  // 2 sensors a minute for 2 days: 5760 readings to delete.
  Insert(kNow - 100 * kDayMs, kNow - 98 * kDayMs, 60 * 1000);
  MarkAllSummarized();
  RetentionOptions options;
  options.chunk_rows = 1000;
  options.first_chunk_rows = 100;
  // A budget no chunk of this size comes near.
  options.step_budget = absl::Seconds(30);
  Retention retention(
      options, [] { return kNow; }, &counters_);
  std::vector<uint64_t> deleted;
  for (int i = 0; i < 6; ++i) {
    retention.Step(*session_);
    deleted.push_back(counters_.readings_deleted.load());
  }
  // Doubling from the first chunk's size up to chunk_rows.
  EXPECT_EQ(deleted, (std::vector<uint64_t>{100, 300, 700, 1500, 2500, 3500}));
}

TEST_F(RetentionTest, ChunksShrinkToTheBudget) {
  Insert(kNow - 100 * kDayMs, kNow - 98 * kDayMs, 60 * 1000);
  MarkAllSummarized();
  RetentionOptions options;
  options.chunk_rows = 1000;
  options.first_chunk_rows = 1000;
  // A budget every chunk overruns: each next chunk a quarter of the last,
  // down to one row.
  options.step_budget = absl::Nanoseconds(1);
  Retention retention(
      options, [] { return kNow; }, &counters_);
  std::vector<uint64_t> deleted;
  for (int i = 0; i < 6; ++i) {
    retention.Step(*session_);
    deleted.push_back(counters_.readings_deleted.load());
  }
  EXPECT_EQ(deleted,
            (std::vector<uint64_t>{1000, 1250, 1312, 1327, 1330, 1331}));
}

TEST_F(RetentionTest, AStepFindingTheWriteLockTakenYieldsAndGoesOnLater) {
  Insert(kNow - 100 * kDayMs, kNow - 99 * kDayMs, 60 * 1000);
  MarkAllSummarized();
  RetentionOptions options;
  Retention retention(
      options, [] { return kNow; }, &counters_);
  // The summarizer's connection holds the write lock.
  auto other = Database::Open(dir_.File("r.db"));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Execute("BEGIN IMMEDIATE").ok());
  EXPECT_EQ(retention.Step(*session_), options.pause);
  EXPECT_EQ(retention.Step(*session_), options.pause);
  EXPECT_EQ(counters_.busy.load(), 2u);
  EXPECT_EQ(counters_.failures.load(), 0u);
  EXPECT_EQ(counters_.chunks.load(), 0u);
  EXPECT_EQ(counters_.readings_deleted.load(), 0u);
  ASSERT_TRUE((*other)->Execute("COMMIT").ok());
  RunRound(retention, options.interval);
  EXPECT_EQ(counters_.readings_deleted.load(), 2u * 24 * 60);
  EXPECT_EQ(counters_.rounds.load(), 1u);
}

TEST_F(RetentionTest, AFailedStepIsCountedAndRetriedLater) {
  RetentionOptions options;
  Retention retention(
      options, [] { return kNow; }, &counters_);
  // A database without the summarizer's marks cannot be told safe to trim.
  auto db = Database::Open(dir_.File("r.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Execute("DROP TABLE summary_dirty_hours").ok());
  EXPECT_EQ(retention.Step(*session_), options.retry);
  EXPECT_EQ(counters_.failures.load(), 1u);
  EXPECT_EQ(counters_.readings_deleted.load(), 0u);
}

}  // namespace
}  // namespace monipaikka
