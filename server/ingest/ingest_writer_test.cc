#include "server/ingest/ingest_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kNow = 1774250100000;

class IngestWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("w.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    StartWriter();
  }

  void StartWriter() {
    auto session = storage_->OpenSession();
    ASSERT_TRUE(session.ok());
    writer_ = std::make_unique<IngestWriter>(std::move(*session),
                                             IngestWriterOptions{}, &counters_);
    ASSERT_TRUE(writer_->Start(kNow).ok());
  }

  // Submits and waits for the outcome.
  BatchOutcome Write(std::vector<StoredReading> readings) {
    ValidatedBatch batch;
    for (size_t i = 0; i < readings.size(); ++i) {
      batch.indexes.push_back(static_cast<uint32_t>(i));
    }
    batch.readings = std::move(readings);
    absl::Notification done;
    BatchOutcome result;
    writer_->Submit(std::move(batch), [&](BatchOutcome outcome) {
      result = std::move(outcome);
      done.Notify();
    });
    done.WaitForNotification();
    return result;
  }

  int64_t Count() {
    auto session = storage_->OpenSession();
    return *(*session)->CountReadings();
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  IngestCounters counters_;
  std::unique_ptr<IngestWriter> writer_;
};

// Submits a batch asking for the newest reading of `sensors`.
BatchOutcome AskNewest(IngestWriter* writer, std::vector<int64_t> sensors,
                       std::vector<StoredReading> readings = {}) {
  ValidatedBatch batch;
  for (size_t i = 0; i < readings.size(); ++i) {
    batch.indexes.push_back(static_cast<uint32_t>(i));
  }
  batch.readings = std::move(readings);
  batch.report_newest_of = std::move(sensors);
  absl::Notification done;
  BatchOutcome result;
  writer->Submit(std::move(batch), [&](BatchOutcome outcome) {
    result = std::move(outcome);
    done.Notify();
  });
  done.WaitForNotification();
  return result;
}

TEST_F(IngestWriterTest, ReportsTheNewestReadingOfTheSensorsBeforeTheBatch) {
  Write(
      {{1, kNow - 3000, 1, 1}, {2, kNow - 1000, 1, 1}, {3, kNow - 500, 1, 1}});
  EXPECT_FALSE(Write({{1, kNow - 2500, 2, 0}}).gateway_newest_ts_ms);
  // The batch's own reading (newer) is not counted: it was not held before.
  BatchOutcome outcome = AskNewest(writer_.get(), {1, 2}, {{1, kNow, 3, 1}});
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_EQ(outcome.gateway_newest_ts_ms, kNow - 1000);
  EXPECT_EQ(outcome.accepted, 1u);
  EXPECT_EQ(AskNewest(writer_.get(), {1, 2}).gateway_newest_ts_ms, kNow);
  EXPECT_EQ(AskNewest(writer_.get(), {4}).gateway_newest_ts_ms, 0);
  EXPECT_EQ(AskNewest(writer_.get(), {}).gateway_newest_ts_ms, 0);
}

TEST_F(IngestWriterTest, TheNewestReadingsAreKnownAgainAfterARestart) {
  // Sensor 1: recent. Sensors 2 and 3: older than the warm-up window; 2
  // summarized (known from the summaries' newest readings), 3 not yet (its
  // hour is dirty).
  const int64_t old_ms = kNow - int64_t{10} * 24 * 3600 * 1000;
  Write({{1, kNow - 3000, 1, 1}});
  {
    auto session = storage_->OpenSession();
    ASSERT_TRUE(session.ok());
    std::vector<InsertOutcome> inserted;
    ASSERT_TRUE(
        (*session)->InsertReadings({{{2, old_ms, 1, 1}}}, &inserted).ok());
    SummaryWrite summaries;
    summaries.last_readings.push_back({2, old_ms, 1});
    ASSERT_TRUE((*session)->Analytics().WriteSummaries(summaries).ok());
    auto dirty = (*session)->Analytics().ListDirtyHours();
    ASSERT_TRUE(dirty.ok());
    ASSERT_TRUE((*session)->Analytics().ClearDirtyHours(*dirty).ok());
    ASSERT_TRUE((*session)
                    ->InsertReadings({{{3, old_ms + 1000, 1, 1}}}, &inserted)
                    .ok());
  }
  writer_->Stop();
  StartWriter();
  EXPECT_EQ(AskNewest(writer_.get(), {1, 2}).gateway_newest_ts_ms, kNow - 3000);
  EXPECT_EQ(AskNewest(writer_.get(), {2}).gateway_newest_ts_ms, old_ms);
  EXPECT_EQ(AskNewest(writer_.get(), {3}).gateway_newest_ts_ms, old_ms + 1000);
}

TEST_F(IngestWriterTest, AcknowledgesOnlyWhatIsCommitted) {
  BatchOutcome outcome =
      Write({{1, kNow - 3000, 1, 1}, {1, kNow - 2000, 2, 0}});
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_EQ(outcome.accepted, 2u);
  // Visible to another connection: committed.
  EXPECT_EQ(Count(), 2);
}

TEST_F(IngestWriterTest, ReplayIsHarmless) {
  Write({{1, kNow - 3000, 1, 1}, {1, kNow - 2000, 2, 0}});
  BatchOutcome replay = Write({{1, kNow - 3000, 1, 1}, {1, kNow - 2000, 2, 0}});
  EXPECT_EQ(replay.accepted, 0u);
  EXPECT_EQ(replay.duplicates, 2u);
  EXPECT_EQ(Count(), 2);
  EXPECT_EQ(counters_.duplicates.load(), 2u);
}

TEST_F(IngestWriterTest, SequenceNumberAgainWithOtherTimestampIsRejected) {
  Write({{1, kNow - 3000, 41, 1}});
  BatchOutcome outcome =
      Write({{1, kNow - 1000, 41, 0}, {1, kNow - 500, 42, 0}});
  EXPECT_EQ(outcome.accepted, 1u);
  ASSERT_EQ(outcome.rejected.size(), 1u);
  EXPECT_EQ(outcome.rejected[0].index(), 0u);
  EXPECT_EQ(outcome.rejected[0].reason(), v1::REJECT_REASON_DUPLICATE_SEQUENCE);
  EXPECT_EQ(Count(), 2);
}

TEST_F(IngestWriterTest, RemembersSequenceNumbersAcrossRestart) {
  Write({{1, kNow - 3000, 41, 1}});
  writer_->Stop();
  StartWriter();
  BatchOutcome outcome = Write({{1, kNow - 1000, 41, 0}});
  ASSERT_EQ(outcome.rejected.size(), 1u);
  EXPECT_EQ(outcome.rejected[0].reason(), v1::REJECT_REASON_DUPLICATE_SEQUENCE);
}

TEST_F(IngestWriterTest, ManyConcurrentBatchesAreEachAnsweredOnce) {
  constexpr int kBatches = 200;
  absl::Mutex mu;
  int answered = 0;
  uint64_t accepted = 0;
  absl::Notification all_done;
  for (int b = 0; b < kBatches; ++b) {
    ValidatedBatch batch;
    for (int i = 0; i < 50; ++i) {
      batch.readings.push_back(
          {b, kNow - 100000 + i * 1000, static_cast<uint64_t>(i + 1), i % 2});
      batch.indexes.push_back(i);
    }
    writer_->Submit(std::move(batch), [&](BatchOutcome outcome) {
      bool last;
      {
        absl::MutexLock lock(&mu);
        accepted += outcome.accepted;
        last = ++answered == kBatches;
      }
      if (last) all_done.Notify();
    });
  }
  all_done.WaitForNotification();
  absl::MutexLock lock(&mu);
  EXPECT_EQ(accepted, uint64_t{kBatches} * 50);
  EXPECT_EQ(Count(), kBatches * 50);
  // Group commit: fewer transactions than batches is typical, never more.
  EXPECT_LE(counters_.commits.load(), uint64_t{kBatches});
}

}  // namespace
}  // namespace monipaikka

namespace monipaikka {
namespace {

TEST(IngestWriterBackgroundTest, StepsRunOnTheWriterBetweenCommitsAndWhenIdle) {
  testing::TempDir dir;
  auto storage = Storage::OpenSqlite(dir.File("b.db"));
  ASSERT_TRUE(storage.ok()) << storage.status();
  auto session = (*storage)->OpenSession();
  ASSERT_TRUE(session.ok());
  IngestCounters counters;
  IngestWriterOptions options;
  std::atomic<int> steps{0};
  std::atomic<StorageSession*> seen{nullptr};
  std::atomic<std::thread::id> thread{};
  options.background = [&](StorageSession& s) {
    seen = &s;
    thread = std::this_thread::get_id();
    // Five steps back to back, then none for a long while.
    return ++steps < 5 ? absl::ZeroDuration() : absl::Hours(1);
  };
  StorageSession* const writer_session = session->get();
  IngestWriter writer(std::move(*session), options, &counters);
  ASSERT_TRUE(writer.Start(kNow).ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (steps.load() < 5 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(steps.load(), 5);
  // On the writer's own session and thread.
  EXPECT_EQ(seen.load(), writer_session);
  EXPECT_NE(thread.load(), std::this_thread::get_id());
  EXPECT_EQ(counters.background_steps.load(), 5u);
  EXPECT_EQ(counters.background_seconds.Read().cumulative_counts.back(), 5u);

  // Batches still commit while the next step is far away.
  ValidatedBatch batch;
  batch.readings = {{1, kNow - 1000, 1, 1}};
  batch.indexes = {0};
  absl::Notification done;
  writer.Submit(std::move(batch), [&](BatchOutcome outcome) {
    EXPECT_TRUE(outcome.status.ok());
    EXPECT_EQ(outcome.accepted, 1u);
    done.Notify();
  });
  EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  writer.Stop();
  EXPECT_EQ(steps.load(), 5);
}

}  // namespace
}  // namespace monipaikka
