#include "edge/uplink.h"

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "edge/fake_server.h"
#include "edge/server_channel.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

using std::chrono::milliseconds;
using testing::FakeServer;
using testing::FakeServerOptions;
using testing::IngestRecorder;

class UplinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("edge_uplink_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    outbox_ = *Outbox::Open((dir_ / "outbox.db").string());
  }
  void TearDown() override {
    uplink_.reset();
    outbox_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Queues `count` readings of `sensors` sensors, one per second.
  void Fill(int count, int sensors = 7) {
    std::vector<Reading> readings;
    for (int i = 0; i < count; ++i) {
      Reading r;
      r.sensor = absl::StrCat("S", i % sensors);
      r.ts_ms = 1741000000000 + i * 1000;
      r.occupied = i % 3 == 0;
      readings.push_back(r);
    }
    ASSERT_TRUE(outbox_->Append(readings).ok());
  }

  void StartUplink(const std::string& address, UplinkOptions options) {
    options.gateway = "gw-test";
    options.jitter_seed = 5;
    options.backoff.initial = milliseconds(50);
    options.backoff.cap = milliseconds(500);
    uplink_ = std::make_unique<Uplink>(
        io_, CreateServerChannel(address, options.backoff), outbox_.get(),
        options);
    uplink_->Start();
  }

  // Runs the io_context until `done` or the timeout; checks `invariant`
  // between handlers.
  bool RunUntil(const std::function<bool()>& done, milliseconds timeout,
                const std::function<void()>& invariant = nullptr) {
    auto guard = asio::make_work_guard(io_);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.restart();
      io_.run_for(milliseconds(5));
      if (invariant) invariant();
    }
    return true;
  }

  void RunFor(milliseconds duration) {
    RunUntil([] { return false; }, duration);
  }

  // Every queued (sensor, seq) reached the recorder.
  void ExpectAllDelivered(const IngestRecorder& recorder, int count,
                          int sensors = 7) {
    for (int s = 0; s < sensors; ++s) {
      const int per_sensor = count / sensors + (s < count % sensors ? 1 : 0);
      for (int seq = 1; seq <= per_sensor; ++seq) {
        ASSERT_TRUE(recorder.Has(absl::StrCat("S", s), seq))
            << "S" << s << " seq " << seq << " missing";
      }
    }
    EXPECT_EQ(recorder.distinct_readings(), count);
  }

  bool Drained() { return *outbox_->IsEmpty() && uplink_->in_flight() == 0; }

  std::filesystem::path dir_;
  asio::io_context io_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<Uplink> uplink_;
};

TEST_F(UplinkTest, DeliversEverythingAndEmptiesTheOutbox) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server = FakeServer::Start(&recorder, {});
  ASSERT_NE(server, nullptr);
  Fill(2550);
  std::vector<OutboxRow> queued = *outbox_->Peek(0, 5000);
  UplinkOptions options;
  options.max_batch_size = 100;
  options.max_in_flight = 4;
  StartUplink(server->address(), options);

  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(20000),
                       [&] { ASSERT_LE(uplink_->in_flight(), 4); }));
  ExpectAllDelivered(recorder, 2550);
  EXPECT_EQ(*outbox_->Count(), 0);

  // Batches of at most 100 readings in outbox order, identified by their
  // last row id, from this gateway, with the outbox's sequence numbers.
  std::vector<v1::ReadingBatch> batches = recorder.batches();
  ASSERT_EQ(batches.size(), 26u);
  size_t row = 0;
  for (const v1::ReadingBatch& batch : batches) {
    EXPECT_EQ(batch.gateway(), "gw-test");
    EXPECT_LE(batch.readings_size(), 100);
    for (const v1::Reading& reading : batch.readings()) {
      ASSERT_LT(row, queued.size());
      EXPECT_EQ(reading.sensor(), queued[row].reading.sensor);
      EXPECT_EQ(reading.ts_ms(), queued[row].reading.ts_ms);
      EXPECT_EQ(reading.seq(), queued[row].seq);
      EXPECT_EQ(reading.occupied(), queued[row].reading.occupied);
      ++row;
    }
    EXPECT_EQ(batch.batch_id(), static_cast<uint64_t>(queued[row - 1].id));
  }
  EXPECT_EQ(batches.back().readings_size(), 50);

  const UplinkCounters& counters = uplink_->counters();
  EXPECT_EQ(counters.batches_sent, 26);
  EXPECT_EQ(counters.readings_sent, 2550);
  EXPECT_EQ(counters.batches_acked, 26);
  EXPECT_EQ(counters.accepted, 2550);
  EXPECT_EQ(counters.duplicates, 0);
  EXPECT_EQ(counters.reconnects, 0);

  // Rows appended later are sent on the open stream.
  Fill(30);
  uplink_->OutboxGrew();
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(10000)));
  EXPECT_EQ(recorder.distinct_readings(), 2580);
}

TEST_F(UplinkTest, RowsStayUntilAcknowledgedAndTheWindowIsRespected) {
  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.ack = false;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  Fill(1000);
  UplinkOptions options;
  options.max_batch_size = 100;
  options.max_in_flight = 3;
  StartUplink(server->address(), options);

  ASSERT_TRUE(RunUntil([&] { return recorder.batch_count() >= 3; },
                       milliseconds(10000)));
  RunFor(milliseconds(500));
  // Three batches in flight, and not one more without an acknowledgement.
  EXPECT_EQ(recorder.batch_count(), 3);
  EXPECT_EQ(uplink_->in_flight(), 3);
  EXPECT_EQ(uplink_->counters().batches_acked, 0);
  EXPECT_EQ(*outbox_->Count(), 1000);

  // Shutting down leaves the rows for the next run.
  bool shut_down = false;
  uplink_->Shutdown([&] { shut_down = true; });
  ASSERT_TRUE(RunUntil([&] { return shut_down; }, milliseconds(5000)));
  EXPECT_EQ(*outbox_->Count(), 1000);
}

TEST_F(UplinkTest, ResendsWhenAcknowledgementsDoNotCome) {
  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.ack = false;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  Fill(200);
  UplinkOptions options;
  options.max_batch_size = 100;
  options.ack_timeout = milliseconds(300);
  StartUplink(server->address(), options);

  // The stuck stream is abandoned and the same rows are sent again.
  ASSERT_TRUE(RunUntil([&] { return uplink_->counters().reconnects >= 2; },
                       milliseconds(10000)));
  ASSERT_TRUE(RunUntil([&] { return recorder.batch_count() >= 6; },
                       milliseconds(10000)));
  EXPECT_EQ(recorder.distinct_readings(), 200);
  EXPECT_GE(recorder.readings_received(), 600);
  EXPECT_EQ(*outbox_->Count(), 200);
}

TEST_F(UplinkTest, ReconnectsAfterServerRestartAndLosesNothing) {
  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.ack_delay = milliseconds(3);
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  Fill(20000);
  UplinkOptions options;
  options.max_batch_size = 100;
  StartUplink(server->address(), options);

  // Mid-stream: some batches acknowledged, most still queued.
  ASSERT_TRUE(RunUntil([&] { return recorder.batch_count() >= 20; },
                       milliseconds(10000)));
  server->Shutdown();
  const int64_t left = *outbox_->Count();
  EXPECT_GT(left, 0);
  EXPECT_LT(left, 20000);
  RunFor(milliseconds(300));  // the uplink notices and retries in vain

  server_options.port = port;
  server = FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr) << "port " << port << " could not be reused";
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(60000)));

  ExpectAllDelivered(recorder, 20000);
  EXPECT_GE(uplink_->counters().reconnects, 1);
  // Readings recorded by the first server whose acknowledgement was lost
  // come back as duplicates; none is missing.
  EXPECT_LE(uplink_->counters().accepted, 20000);
  EXPECT_GE(uplink_->counters().accepted + uplink_->counters().duplicates,
            20000);
}

TEST_F(UplinkTest, WaitsForAServerThatIsNotUpYet) {
  // A free port: bind one, then let it go.
  int port = 0;
  {
    IngestRecorder unused;
    std::unique_ptr<FakeServer> probe = FakeServer::Start(&unused, {});
    ASSERT_NE(probe, nullptr);
    port = probe->port();
  }
  Fill(500);
  UplinkOptions options;
  options.max_batch_size = 100;
  StartUplink(absl::StrCat("127.0.0.1:", port), options);
  RunFor(milliseconds(1500));
  // Retried with backoff (50 ms doubling to 500 ms, jittered), not hammered.
  const int64_t attempts = uplink_->counters().reconnects;
  EXPECT_GE(attempts, 2);
  EXPECT_LE(attempts, 60);
  EXPECT_EQ(*outbox_->Count(), 500);

  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.port = port;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(10000)));
  ExpectAllDelivered(recorder, 500);
}

TEST_F(UplinkTest, RejectedReadingsAreCountedByReasonAndForgotten) {
  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.unknown_sensors = {"S3"};
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  Fill(700);  // 100 readings of each of S0 … S6
  UplinkOptions options;
  options.max_batch_size = 64;
  StartUplink(server->address(), options);
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(10000)));

  const UplinkCounters& counters = uplink_->counters();
  EXPECT_EQ(counters.accepted, 600);
  EXPECT_EQ(counters.rejected, 100);
  ASSERT_EQ(counters.rejected_by_reason.size(), 1u);
  EXPECT_EQ(counters.rejected_by_reason.at("REJECT_REASON_UNKNOWN_SENSOR"),
            100);
  EXPECT_EQ(*outbox_->Count(), 0);
}

TEST_F(UplinkTest, ShrinksBatchesTheServerFindsTooLarge) {
  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.max_batch_readings = 300;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  Fill(3000);
  UplinkOptions options;
  options.max_batch_size = 1000;
  StartUplink(server->address(), options);
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(10000)));
  ExpectAllDelivered(recorder, 3000);
  for (const v1::ReadingBatch& batch : recorder.batches()) {
    EXPECT_LE(batch.readings_size(), 300);
  }
  EXPECT_EQ(uplink_->counters().reconnects, 2);  // 1000 -> 500 -> 250
}

// A server restored from a backup holds only the older readings: on the
// next stream it says so, and the uplink sends the kept acknowledged rows
// newer than what it holds, and nothing it already has.
TEST_F(UplinkTest, SendsAgainTheKeptRowsARestoredServerLacks) {
  outbox_->set_keep_acked_ms(int64_t{72} * 3600 * 1000);
  IngestRecorder before;
  FakeServerOptions server_options;
  server_options.report_newest = true;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&before, server_options);
  ASSERT_NE(server, nullptr);
  const int port = server->port();
  Fill(300);
  const std::vector<OutboxRow> queued = *outbox_->Peek(0, 300);
  UplinkOptions options;
  options.max_batch_size = 50;
  StartUplink(server->address(), options);
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(10000)));
  EXPECT_EQ(*outbox_->CountAcknowledged(), 300);
  EXPECT_EQ(uplink_->counters().resent_rows, 0);
  server->Shutdown();

  // The restored server: the first 100 readings only.
  IngestRecorder restored;
  v1::ReadingBatch backup;
  backup.set_gateway("gw-test");
  for (int i = 0; i < 100; ++i) {
    v1::Reading* reading = backup.add_readings();
    reading->set_sensor(queued[i].reading.sensor);
    reading->set_ts_ms(queued[i].reading.ts_ms);
    reading->set_seq(queued[i].seq);
    reading->set_occupied(queued[i].reading.occupied);
  }
  restored.Record(backup, {});
  server_options.port = port;
  server = FakeServer::Start(&restored, server_options);
  ASSERT_NE(server, nullptr) << "port " << port << " could not be reused";

  ASSERT_TRUE(
      RunUntil([&] { return restored.distinct_readings() == 300 && Drained(); },
               milliseconds(20000)));
  ExpectAllDelivered(restored, 300);
  // The 200 it lacked, once each; not one it had.
  EXPECT_EQ(restored.readings_received(), 300);
  EXPECT_EQ(uplink_->counters().resent_rows, 200);
  EXPECT_EQ(uplink_->counters().resends, 1);
  EXPECT_EQ(*outbox_->CountAcknowledged(), 300);

  // A stream to a server that lacks nothing sends nothing again.
  server->Shutdown();
  server = FakeServer::Start(&restored, server_options);
  ASSERT_NE(server, nullptr);
  const int64_t batches = restored.batch_count();
  ASSERT_TRUE(RunUntil([&] { return restored.batch_count() > batches; },
                       milliseconds(20000)));
  RunFor(milliseconds(300));
  EXPECT_EQ(restored.readings_received(), 300);
  EXPECT_EQ(uplink_->counters().resent_rows, 200);
}

// Readings the server rejected are not kept: a restored server would
// reject them again.
TEST_F(UplinkTest, RejectedReadingsAreNotKept) {
  outbox_->set_keep_acked_ms(int64_t{72} * 3600 * 1000);
  IngestRecorder recorder;
  FakeServerOptions server_options;
  server_options.unknown_sensors = {"S3"};
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, server_options);
  ASSERT_NE(server, nullptr);
  Fill(700);  // 100 readings of each of S0 … S6
  UplinkOptions options;
  options.max_batch_size = 64;
  StartUplink(server->address(), options);
  ASSERT_TRUE(RunUntil([&] { return Drained(); }, milliseconds(10000)));
  EXPECT_EQ(uplink_->counters().rejected, 100);
  EXPECT_EQ(*outbox_->CountAcknowledged(), 600);
  EXPECT_EQ(outbox_->queued_rows(), 0);
}

}  // namespace
}  // namespace monipaikka::edge
