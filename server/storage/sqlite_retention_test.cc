#include "server/storage/sqlite_retention.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "common/sqlite.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kBase = 490000 * kHourMs;

class SqliteRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("r.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    session_ = std::move(*storage_->OpenSession());
  }

  // Readings of sensors 1..sensors at each of `instants`.
  void Insert(const std::vector<int64_t>& instants, int sensors) {
    std::vector<StoredReading> rows;
    for (int64_t t : instants) {
      for (int s = 1; s <= sensors; ++s) rows.push_back({s, t, 0, 1});
    }
    std::vector<InsertOutcome> outcomes;
    ASSERT_TRUE(session_->InsertReadings(rows, &outcomes).ok());
  }

  std::vector<int64_t> Times() {
    std::vector<int64_t> times;
    EXPECT_TRUE(
        session_
            ->ScanRecentReadings(
                0, [&](const StoredReading& r) { times.push_back(r.ts_ms); })
            .ok());
    return times;
  }

  RetentionStorage& retention() { return session_->Retention(); }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
};

TEST_F(SqliteRetentionTest, NewDatabasesUseIncrementalAutoVacuum) {
  EXPECT_EQ(*retention().AutoVacuumMode(), 2);
}

TEST_F(SqliteRetentionTest, DeletesOldestReadingsInBoundedChunks) {
  // 3 sensors at 5 instants: 15 readings, 9 of them before kBase + 3.
  Insert({kBase, kBase + 1, kBase + 2, kBase + 3, kBase + 4}, 3);
  EXPECT_EQ(*retention().RawReadingsHorizonMs(), 0);

  auto first = retention().DeleteReadingsBefore(kBase + 3, 4);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->deleted, 4);
  EXPECT_TRUE(first->more);
  // The chunk ended inside kBase + 1: only what is before it is surely gone.
  EXPECT_EQ(*retention().RawReadingsHorizonMs(), kBase + 2);
  EXPECT_EQ(*session_->CountReadings(), 11);

  auto second = retention().DeleteReadingsBefore(kBase + 3, 4);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->deleted, 4);
  auto third = retention().DeleteReadingsBefore(kBase + 3, 4);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->deleted, 1);
  EXPECT_FALSE(third->more);
  EXPECT_EQ(*retention().RawReadingsHorizonMs(), kBase + 3);
  EXPECT_EQ(Times(), (std::vector<int64_t>{kBase + 3, kBase + 3, kBase + 3,
                                           kBase + 4, kBase + 4, kBase + 4}));
  // The chunks commit without syncing; the connection's level is restored.
  EXPECT_EQ(*session_->SynchronousPragma(), 2);
  auto nothing = retention().DeleteReadingsBefore(kBase + 3, 4);
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->deleted, 0);
  EXPECT_FALSE(nothing->more);
}

TEST_F(SqliteRetentionTest, HorizonNeverMovesBack) {
  Insert({kBase, kBase + 10}, 1);
  ASSERT_TRUE(retention().DeleteReadingsBefore(kBase + 5, 100).ok());
  EXPECT_EQ(*retention().RawReadingsHorizonMs(), kBase + 5);
  Insert({kBase + 1}, 1);  // would have been refused at ingest
  ASSERT_TRUE(retention().DeleteReadingsBefore(kBase + 2, 100).ok());
  EXPECT_EQ(*retention().RawReadingsHorizonMs(), kBase + 5);
}

TEST_F(SqliteRetentionTest, OldestUnsummarizedHourComesFromTheDirtyMarks) {
  EXPECT_FALSE(retention().OldestUnsummarizedMs()->has_value());
  Insert({kBase + 2 * kHourMs + 7, kBase + 5 * kHourMs}, 1);
  EXPECT_EQ(retention().OldestUnsummarizedMs()->value_or(-1),
            kBase + 2 * kHourMs);
}

TEST_F(SqliteRetentionTest, DeletesOldSummariesInBoundedChunks) {
  AnalyticsStorage& analytics = session_->Analytics();
  const int64_t node_a = *analytics.AddNode("all");
  const int64_t node_b = *analytics.AddNode("site/S");
  SummaryWrite write;
  for (int32_t date = 100; date < 110; ++date) {
    write.sensor_days.push_back({date, 1, "x"});
    write.sensor_days.push_back({date, 2, "x"});
    write.node_days.push_back({node_a, date, "f"});
    write.node_days.push_back({node_b, date, "f"});
  }
  ASSERT_TRUE(analytics.WriteSummaries(write).ok());

  // Dates 100..104 go: 10 sensor days and 10 node days, 3 rows a chunk.
  int64_t cursor = 0;
  int64_t deleted = 0;
  int chunks = 0;
  while (true) {
    auto chunk = retention().DeleteSummariesBefore(105, 3, &cursor);
    ASSERT_TRUE(chunk.ok()) << chunk.status();
    EXPECT_LE(chunk->deleted, 3);
    deleted += chunk->deleted;
    ++chunks;
    ASSERT_LT(chunks, 50);
    if (!chunk->more) break;
  }
  EXPECT_EQ(deleted, 20);
  EXPECT_EQ(cursor, 0);
  std::vector<int32_t> dates = *analytics.ListSensorDayDates();
  EXPECT_EQ(dates, (std::vector<int32_t>{105, 106, 107, 108, 109}));
  for (int64_t node : {node_a, node_b}) {
    std::vector<int32_t> node_dates;
    ASSERT_TRUE(analytics
                    .ScanNodeDays(node, 0, 1000,
                                  [&](int32_t date, absl::string_view) {
                                    node_dates.push_back(date);
                                  })
                    .ok());
    EXPECT_EQ(node_dates, (std::vector<int32_t>{105, 106, 107, 108, 109}));
  }
}

TEST_F(SqliteRetentionTest, IncrementalVacuumReturnsFreePages) {
  std::vector<int64_t> instants;
  for (int i = 0; i < 20000; ++i) instants.push_back(kBase + i);
  Insert(instants, 2);
  while (retention().DeleteReadingsBefore(kBase + 20000, 5000)->more) {
  }
  const int64_t pages_before = retention().CountStored(true)->page_count;
  auto before = retention().IncrementalVacuum(0);
  ASSERT_TRUE(before.ok()) << before.status();
  const int64_t free_before = before->free_pages;
  EXPECT_GT(free_before, 50);
  // A bounded step returns that many pages.
  auto step = retention().IncrementalVacuum(10);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_FALSE(step->busy);
  EXPECT_EQ(step->free_pages, free_before - 10);
  auto after = retention().IncrementalVacuum(1000000);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->free_pages, 0);
  EXPECT_LE(retention().CountStored(true)->page_count,
            pages_before - free_before);
}

TEST_F(SqliteRetentionTest, RetentionNeverWaitsForTheWriteLock) {
  std::vector<int64_t> instants;
  for (int i = 0; i < 2000; ++i) instants.push_back(kBase + i);
  Insert(instants, 2);
  while (retention().DeleteReadingsBefore(kBase + 1000, 500)->more) {
  }
  // Another connection (the summarizer's) holds the write lock.
  auto other = Database::Open(dir_.File("r.db"));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Execute("BEGIN IMMEDIATE").ok());
  const absl::Time started = absl::Now();
  auto chunk = retention().DeleteReadingsBefore(kBase + 2000, 500);
  ASSERT_TRUE(chunk.ok()) << chunk.status();
  EXPECT_TRUE(chunk->busy);
  EXPECT_EQ(chunk->deleted, 0);
  int64_t cursor = 0;
  auto summaries = retention().DeleteSummariesBefore(100, 500, &cursor);
  ASSERT_TRUE(summaries.ok()) << summaries.status();
  EXPECT_TRUE(summaries->busy);
  auto vacuum = retention().IncrementalVacuum(10);
  ASSERT_TRUE(vacuum.ok()) << vacuum.status();
  EXPECT_TRUE(vacuum->busy);
  // At once, not after the connection's busy timeout (10 s).
  EXPECT_LT(absl::Now() - started, absl::Seconds(2));
  EXPECT_EQ(Times().size(), 2000u);

  // The connection waits for locks again afterwards: a commit of readings
  // while the other connection holds the lock a little longer goes through.
  std::thread release([&] {
    absl::SleepFor(absl::Milliseconds(200));
    ASSERT_TRUE((*other)->Execute("COMMIT").ok());
  });
  Insert({kBase + 5000}, 1);
  release.join();
  auto next = retention().DeleteReadingsBefore(kBase + 2000, 5000);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->busy);
  EXPECT_EQ(next->deleted, 2000);
  EXPECT_EQ(Times(), std::vector<int64_t>{kBase + 5000});
}

TEST_F(SqliteRetentionTest, CountsWhatIsStored) {
  Insert({kBase + 5, kBase + kHourMs}, 2);
  auto counts = retention().CountStored(true);
  ASSERT_TRUE(counts.ok()) << counts.status();
  int64_t readings = -1;
  for (const auto& [table, rows] : counts->rows) {
    if (table == "readings") readings = rows;
  }
  EXPECT_EQ(readings, 4);
  EXPECT_EQ(counts->dirty_hours, 2);
  EXPECT_EQ(counts->oldest_dirty_hour_ms.value_or(-1), kBase);
  EXPECT_EQ(counts->oldest_reading_ms.value_or(-1), kBase + 5);
  EXPECT_GT(counts->page_count, 0);
  EXPECT_EQ(counts->page_size, 4096);
}

TEST_F(SqliteRetentionTest, ExistingDatabasesKeepTheirAutoVacuumMode) {
  const std::string path = dir_.File("old.db");
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Execute("CREATE TABLE t(x)").ok());
  }
  auto storage = Storage::OpenSqlite(path);
  ASSERT_TRUE(storage.ok()) << storage.status();
  auto session = (*storage)->OpenSession();
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(*(*session)->Retention().AutoVacuumMode(), 0);
  // Without incremental auto_vacuum, no pages are returned (and no error).
  auto vacuum = (*session)->Retention().IncrementalVacuum(100);
  ASSERT_TRUE(vacuum.ok()) << vacuum.status();
  EXPECT_FALSE(vacuum->busy);
}

}  // namespace
}  // namespace monipaikka
