#include "edge/outbox.h"

#include <filesystem>
#include <string>
#include <vector>

#include "common/sqlite.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("edge_outbox_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "outbox.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Outbox> Open() {
    absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(path_);
    EXPECT_TRUE(outbox.ok()) << outbox.status();
    return outbox.ok() ? *std::move(outbox) : nullptr;
  }

  static Reading Presence(const std::string& sensor, int64_t ts_ms,
                          bool occupied) {
    Reading r;
    r.sensor = sensor;
    r.ts_ms = ts_ms;
    r.occupied = occupied;
    return r;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(OutboxTest, AppendPeekRemove) {
  std::unique_ptr<Outbox> outbox = Open();
  ASSERT_TRUE(
      outbox
          ->Append({Presence("A", 1000, true), Presence("B", 1000, false),
                    Presence("A", 2000, false), Presence("A", 3000, true),
                    Presence("B", 4000, true)})
          .ok());
  EXPECT_EQ(*outbox->Count(), 5);
  EXPECT_EQ(outbox->queued_rows(), 5);

  absl::StatusOr<std::vector<OutboxRow>> rows = outbox->Peek(0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  // In append order, with increasing ids and per-sensor sequence numbers.
  const std::vector<std::pair<std::string, uint64_t>> expected = {
      {"A", 1}, {"B", 1}, {"A", 2}, {"A", 3}, {"B", 2}};
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].reading.sensor, expected[i].first);
    EXPECT_EQ((*rows)[i].seq, expected[i].second);
    if (i > 0) {
      EXPECT_GT((*rows)[i].id, (*rows)[i - 1].id);
    }
  }
  EXPECT_EQ((*rows)[2].reading.ts_ms, 2000);
  EXPECT_FALSE((*rows)[2].reading.occupied);
  EXPECT_TRUE((*rows)[3].reading.occupied);

  // Peek after a row id, limited.
  absl::StatusOr<std::vector<OutboxRow>> next = outbox->Peek((*rows)[1].id, 2);
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 2u);
  EXPECT_EQ((*next)[0].id, (*rows)[2].id);
  EXPECT_EQ((*next)[1].id, (*rows)[3].id);

  // An acknowledgement through row 3 removes rows 1–3.
  ASSERT_TRUE(outbox->RemoveThrough((*rows)[2].id).ok());
  EXPECT_EQ(*outbox->Count(), 2);
  EXPECT_EQ(outbox->queued_rows(), 2);
  EXPECT_FALSE(*outbox->IsEmpty());
  absl::StatusOr<std::vector<OutboxRow>> rest = outbox->Peek(0, 10);
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].id, (*rows)[3].id);

  ASSERT_TRUE(outbox->RemoveThrough((*rows)[4].id).ok());
  EXPECT_TRUE(*outbox->IsEmpty());
  EXPECT_TRUE(outbox->Peek(0, 10)->empty());
}

TEST_F(OutboxTest, OldestQueuedIsTheFirstStillQueued) {
  std::unique_ptr<Outbox> outbox = Open();
  EXPECT_FALSE(outbox->OldestQueuedTsMs()->has_value());
  // Queue order, not time order: a backfill may append older readings later.
  ASSERT_TRUE(outbox->Append({Presence("A", 5000, true)}).ok());
  ASSERT_TRUE(outbox->Append({Presence("B", 1000, true)}).ok());
  EXPECT_EQ(outbox->OldestQueuedTsMs()->value_or(-1), 5000);
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_TRUE(outbox->RemoveThrough(rows[0].id).ok());
  EXPECT_EQ(outbox->OldestQueuedTsMs()->value_or(-1), 1000);
  ASSERT_TRUE(outbox->RemoveThrough(rows[1].id).ok());
  EXPECT_FALSE(outbox->OldestQueuedTsMs()->has_value());
}

// Acknowledged rows kept for a restored server (--keep_acked_hours) are not
// queued: the oldest queued reading is the first one still waiting.
TEST_F(OutboxTest, OldestQueuedSkipsKeptAcknowledgedRows) {
  std::unique_ptr<Outbox> outbox = Open();
  outbox->set_keep_acked_ms(int64_t{72} * 3600 * 1000);
  ASSERT_TRUE(outbox->Append({Presence("A", 1000, true)}).ok());
  ASSERT_TRUE(outbox->Append({Presence("B", 7000, true)}).ok());
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_TRUE(outbox->AcknowledgeThrough(rows[0].id, 2000).ok());
  EXPECT_EQ(outbox->OldestQueuedTsMs()->value_or(-1), 7000);
  ASSERT_TRUE(outbox->AcknowledgeThrough(rows[1].id, 8000).ok());
  EXPECT_FALSE(outbox->OldestQueuedTsMs()->has_value());
}

TEST_F(OutboxTest, CountingReadingsKeepTheirCount) {
  std::unique_ptr<Outbox> outbox = Open();
  Reading counter;
  counter.sensor = "C";
  counter.ts_ms = 5;
  counter.count = 17;
  ASSERT_TRUE(outbox->Append({counter, Presence("A", 6, true)}).ok());
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].reading.count, std::optional<int32_t>(17));
  EXPECT_FALSE(rows[1].reading.count.has_value());
  EXPECT_TRUE(rows[1].reading.occupied);
}

TEST_F(OutboxTest, RowsSurviveReopen) {
  std::vector<OutboxRow> before;
  {
    std::unique_ptr<Outbox> outbox = Open();
    ASSERT_TRUE(outbox
                    ->Append({Presence("A", 1, true), Presence("B", 2, true),
                              Presence("A", 3, false)})
                    .ok());
    before = *outbox->Peek(0, 10);
  }
  std::unique_ptr<Outbox> reopened = Open();
  std::vector<OutboxRow> after = *reopened->Peek(0, 10);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].id, before[i].id);
    EXPECT_EQ(after[i].seq, before[i].seq);
    EXPECT_EQ(after[i].reading, before[i].reading);
  }
}

TEST_F(OutboxTest, SequenceAndIdsKeepIncreasingAcrossReopenAndEmptying) {
  int64_t last_id = 0;
  {
    std::unique_ptr<Outbox> outbox = Open();
    ASSERT_TRUE(
        outbox->Append({Presence("A", 1, true), Presence("A", 2, false)}).ok());
    std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
    last_id = rows.back().id;
    // Everything acknowledged: the queue is empty.
    ASSERT_TRUE(outbox->RemoveThrough(last_id).ok());
    EXPECT_EQ(*outbox->LastSequence("A"), 2u);
  }
  std::unique_ptr<Outbox> outbox = Open();
  EXPECT_EQ(*outbox->LastSequence("A"), 2u);
  EXPECT_EQ(*outbox->LastSequence("never"), 0u);
  ASSERT_TRUE(
      outbox->Append({Presence("A", 3, true), Presence("B", 3, true)}).ok());
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].seq, 3u);
  EXPECT_EQ(rows[1].seq, 1u);
  // Row ids are never reused, so an old acknowledgement cannot remove them.
  EXPECT_GT(rows[0].id, last_id);
}

TEST_F(OutboxTest, AppendIsAllOrNothing) {
  std::unique_ptr<Outbox> outbox = Open();
  ASSERT_TRUE(outbox->Append({Presence("A", 1, true)}).ok());
  absl::Status bad = outbox->Append(
      {Presence("A", 2, true), Presence("", 3, true), Presence("A", 4, true)});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("reading 1"), std::string::npos) << bad;
  EXPECT_EQ(*outbox->Count(), 1);
  EXPECT_EQ(outbox->queued_rows(), 1);
  EXPECT_EQ(*outbox->LastSequence("A"), 1u);
}

TEST_F(OutboxTest, ProducedThroughOnlyMovesForward) {
  std::unique_ptr<Outbox> outbox = Open();
  EXPECT_FALSE(outbox->ProducedThroughMs()->has_value());
  ASSERT_TRUE(outbox->Append({Presence("A", 1, true)}, 5000).ok());
  EXPECT_EQ(*outbox->ProducedThroughMs(), std::optional<int64_t>(5000));
  // An older window (a backfill of earlier days) does not move it back.
  ASSERT_TRUE(outbox->Append({}, 4000).ok());
  EXPECT_EQ(*outbox->ProducedThroughMs(), std::optional<int64_t>(5000));
  ASSERT_TRUE(outbox->Append({}, 1700000000000).ok());
  outbox.reset();
  EXPECT_EQ(*Open()->ProducedThroughMs(),
            std::optional<int64_t>(1700000000000));
}

TEST_F(OutboxTest, CachesServedSensors) {
  std::vector<ServedSensor> sensors = {
      {"B1", "desk_presence", "HKI-VT", "Europe/Helsinki", "2025-01-01", ""},
      {"A1", "people_counter", "HKI-VT", "Europe/Helsinki", "", "2026-01-01"}};
  {
    std::unique_ptr<Outbox> outbox = Open();
    EXPECT_TRUE(outbox->LoadServedSensors()->empty());
    ASSERT_TRUE(outbox->SaveServedSensors(sensors).ok());
  }
  std::unique_ptr<Outbox> outbox = Open();
  std::vector<ServedSensor> loaded = *outbox->LoadServedSensors();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0], sensors[1]);  // ordered by external id
  EXPECT_EQ(loaded[1], sensors[0]);
  // A new list replaces the old one.
  ASSERT_TRUE(outbox->SaveServedSensors({sensors[0]}).ok());
  EXPECT_EQ(*outbox->LoadServedSensors(),
            std::vector<ServedSensor>{sensors[0]});
}

TEST_F(OutboxTest, BelongsToOneGateway) {
  {
    std::unique_ptr<Outbox> outbox = Open();
    ASSERT_TRUE(outbox->BindGateway("gw-1").ok());
    ASSERT_TRUE(outbox->BindGateway("gw-1").ok());
  }
  absl::Status other = Open()->BindGateway("gw-2");
  EXPECT_EQ(other.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.message().find("gw-1"), std::string::npos);
}

TEST_F(OutboxTest, UnwritablePathIsAnError) {
  absl::StatusOr<std::unique_ptr<Outbox>> outbox =
      Outbox::Open((dir_ / "missing" / "outbox.db").string());
  ASSERT_FALSE(outbox.ok());
  EXPECT_NE(outbox.status().message().find("missing"), std::string::npos);
}

TEST_F(OutboxTest, RefusesAnOutboxFromANewerAgent) {
  { ASSERT_NE(Open(), nullptr); }
  {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Execute("PRAGMA user_version = 99").ok());
  }
  absl::StatusOr<std::unique_ptr<Outbox>> outbox = Outbox::Open(path_);
  ASSERT_FALSE(outbox.ok());
  EXPECT_EQ(outbox.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(
      outbox.status().message().find("outbox " + path_ +
                                     " has schema version 99, newer than this "
                                     "agent's"),
      std::string::npos)
      << outbox.status();
}

// An append acknowledged to a sensor input must survive a power loss unless
// the faster mode was asked for.
TEST_F(OutboxTest, CommitsAreSyncedInFullUnlessNormalIsAsked) {
  {
    std::unique_ptr<Outbox> outbox = Open();
    absl::StatusOr<int> level = outbox->SynchronousPragma();
    ASSERT_TRUE(level.ok()) << level.status();
    EXPECT_EQ(*level, 2);  // FULL
  }
  absl::StatusOr<std::unique_ptr<Outbox>> normal =
      Outbox::Open(path_, SqliteSynchronous::kNormal);
  ASSERT_TRUE(normal.ok()) << normal.status();
  absl::StatusOr<int> level = (*normal)->SynchronousPragma();
  ASSERT_TRUE(level.ok()) << level.status();
  EXPECT_EQ(*level, 1);  // NORMAL
}

// With a budget, appends are refused once the data reaches it; what is
// queued stays untouched, and acknowledged rows free the space again.
TEST_F(OutboxTest, BudgetRefusesTheNewestAndKeepsTheQueued) {
  std::unique_ptr<Outbox> outbox = Open();
  constexpr int64_t kBudget = 256 * 1024;
  outbox->set_max_bytes(kBudget);
  int64_t appended = 0;
  absl::Status status;
  for (int chunk = 0; chunk < 1000; ++chunk) {
    std::vector<Reading> readings;
    for (int i = 0; i < 100; ++i) {
      readings.push_back(Presence("DESK-" + std::to_string(i % 7),
                                  1000 + appended + i, i % 2 == 0));
    }
    status = outbox->Append(readings);
    if (!status.ok()) break;
    appended += 100;
  }
  ASSERT_TRUE(absl::IsResourceExhausted(status)) << status;
  EXPECT_NE(status.message().find("outbox full"), std::string::npos) << status;
  EXPECT_NE(status.message().find("--outbox_max_mb"), std::string::npos);
  EXPECT_GT(appended, 1000);
  EXPECT_GE(*outbox->UsedBytes(), kBudget);
  EXPECT_LT(*outbox->UsedBytes(), kBudget + 64 * 1024);  // one append over
  EXPECT_EQ(*outbox->Count(), appended);
  // The cursor and device state still advance without readings.
  EXPECT_TRUE(outbox->Append({}, 5000).ok());
  EXPECT_EQ(**outbox->ProducedThroughMs(), 5000);

  // The server acknowledges the older half: room again.
  absl::StatusOr<std::vector<OutboxRow>> rows =
      outbox->Peek(0, static_cast<int>(appended / 2));
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(outbox->RemoveThrough(rows->back().id).ok());
  EXPECT_LT(*outbox->UsedBytes(), kBudget);
  EXPECT_TRUE(outbox->Append({Presence("DESK-1", 10'000'000, true)}).ok());
  EXPECT_EQ(*outbox->Count(), appended - appended / 2 + 1);
}

// Acknowledged rows are kept for the keep time, out of sight of Peek and
// Count, and can be made to wait again.
TEST_F(OutboxTest, AcknowledgedRowsAreKeptAndCanWaitAgain) {
  std::unique_ptr<Outbox> outbox = Open();
  constexpr int64_t kHour = 3600 * 1000;
  outbox->set_keep_acked_ms(72 * kHour);
  ASSERT_TRUE(
      outbox
          ->Append({Presence("A", 1000, true), Presence("B", 2000, true),
                    Presence("A", 3000, false), Presence("B", 4000, false)})
          .ok());
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_FALSE(*outbox->HasAcknowledged());
  const int64_t acked_at = 1'780'000'000'000;
  ASSERT_TRUE(outbox->AcknowledgeThrough(rows[2].id, acked_at).ok());
  EXPECT_EQ(*outbox->Count(), 1);
  EXPECT_EQ(outbox->queued_rows(), 1);
  EXPECT_FALSE(*outbox->IsEmpty());
  EXPECT_TRUE(*outbox->HasAcknowledged());
  EXPECT_EQ(*outbox->CountAcknowledged(), 3);
  ASSERT_EQ(outbox->Peek(0, 10)->size(), 1u);
  EXPECT_EQ(outbox->Peek(0, 10)->front().id, rows[3].id);

  // The server holds readings through ts 1000 only: the kept ones after it
  // wait again, in their places, with their sequence numbers.
  absl::StatusOr<int64_t> requeued = outbox->RequeueAcknowledgedAfter(1000);
  ASSERT_TRUE(requeued.ok()) << requeued.status();
  EXPECT_EQ(*requeued, 2);
  EXPECT_EQ(outbox->queued_rows(), 3);
  std::vector<OutboxRow> again = *outbox->Peek(0, 10);
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(again[0].id, rows[1].id);
  EXPECT_EQ(again[0].seq, rows[1].seq);
  EXPECT_EQ(again[1].id, rows[2].id);
  EXPECT_EQ(again[2].id, rows[3].id);
  EXPECT_EQ(*outbox->CountAcknowledged(), 1);

  // Past the keep time, an acknowledgement also forgets the old ones.
  ASSERT_TRUE(
      outbox->AcknowledgeThrough(rows[3].id, acked_at + 73 * kHour).ok());
  EXPECT_TRUE(*outbox->IsEmpty());
  EXPECT_EQ(*outbox->CountAcknowledged(), 3);  // row 0 is gone
  EXPECT_EQ(*outbox->RequeueAcknowledgedAfter(0), 3);
}

TEST_F(OutboxTest, WithoutAKeepTimeAcknowledgedRowsAreDeleted) {
  std::unique_ptr<Outbox> outbox = Open();
  ASSERT_TRUE(
      outbox->Append({Presence("A", 1000, true), Presence("A", 2000, false)})
          .ok());
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_TRUE(outbox->AcknowledgeThrough(rows[1].id, 5000).ok());
  EXPECT_TRUE(*outbox->IsEmpty());
  EXPECT_FALSE(*outbox->HasAcknowledged());
  EXPECT_EQ(*outbox->RequeueAcknowledgedAfter(0), 0);
}

// Kept rows yield to new readings when the budget is reached: the oldest
// acknowledged go first, rows waiting never.
TEST_F(OutboxTest, TheBudgetDropsTheOldestKeptRowsBeforeRefusingReadings) {
  std::unique_ptr<Outbox> outbox = Open();
  constexpr int64_t kBudget = 256 * 1024;
  outbox->set_max_bytes(kBudget);
  outbox->set_keep_acked_ms(int64_t{72} * 3600 * 1000);
  int64_t appended = 0;
  int64_t acked_at = 1'780'000'000'000;
  // Each chunk is acknowledged at once: the outbox fills with kept rows.
  for (int chunk = 0; chunk < 200; ++chunk) {
    std::vector<Reading> readings;
    for (int i = 0; i < 100; ++i) {
      readings.push_back(Presence("DESK-" + std::to_string(i % 7),
                                  1000 + appended + i, i % 2 == 0));
    }
    ASSERT_TRUE(outbox->Append(readings).ok()) << "chunk " << chunk;
    appended += 100;
    std::vector<OutboxRow> rows = *outbox->Peek(0, 1000);
    ASSERT_TRUE(outbox->AcknowledgeThrough(rows.back().id, ++acked_at).ok());
  }
  EXPECT_GT(outbox->acked_rows_dropped(), 0);
  EXPECT_LT(*outbox->UsedBytes(), kBudget + 64 * 1024);
  const int64_t kept = *outbox->CountAcknowledged();
  EXPECT_EQ(kept + outbox->acked_rows_dropped(), appended);
  // The newest acknowledged rows are the ones kept.
  EXPECT_EQ(*outbox->RequeueAcknowledgedAfter(1000 + appended - 1 - 10), 10);
}

// A late reading (older than the newest, acknowledged after it) lost with
// newer ones is sent again too; what was acknowledged with the newest
// reading the server holds is not.
TEST_F(OutboxTest, LateReadingsAcknowledgedAfterTheServersNewestWaitAgain) {
  std::unique_ptr<Outbox> outbox = Open();
  outbox->set_keep_acked_ms(int64_t{72} * 3600 * 1000);
  const int64_t t = 1'780'000'000'000;
  auto append_and_ack = [&](std::vector<Reading> readings) {
    ASSERT_TRUE(outbox->Append(readings).ok());
    std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
    // The same clock reading for each: the stamps still increase.
    ASSERT_TRUE(outbox->AcknowledgeThrough(rows.back().id, t).ok());
  };
  append_and_ack({Presence("A", 1000, true), Presence("B", 5000, true)});
  append_and_ack({Presence("C", 3000, true)});  // late
  append_and_ack({Presence("D", 6000, true)});
  // The server holds the first acknowledgement only (newest: 5000).
  EXPECT_EQ(*outbox->RequeueAcknowledgedAfter(5000), 2);
  std::vector<OutboxRow> again = *outbox->Peek(0, 10);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].reading.sensor, "C");
  EXPECT_EQ(again[1].reading.sensor, "D");
  // Nothing newer than what a server holds: nothing is sent again, even
  // after a reopen.
  std::vector<OutboxRow> rows = *outbox->Peek(0, 10);
  ASSERT_TRUE(outbox->AcknowledgeThrough(rows.back().id, t).ok());
  outbox.reset();
  outbox = Open();
  outbox->set_keep_acked_ms(int64_t{72} * 3600 * 1000);
  EXPECT_EQ(*outbox->RequeueAcknowledgedAfter(6000), 0);
  EXPECT_EQ(*outbox->CountAcknowledged(), 4);
  EXPECT_TRUE(*outbox->IsEmpty());
}

}  // namespace
}  // namespace monipaikka::edge
