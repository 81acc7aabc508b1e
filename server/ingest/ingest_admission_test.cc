#include "server/ingest/ingest_admission.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/auth/token_store.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28

class IngestAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("admission.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    auto session = storage_->OpenSession();
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = std::move(*session);
    directory_.Set(std::make_shared<SensorDirectory>(std::vector<SensorBinding>{
        {1, "desk-1", SensorKind::kDeskPresence, "gw-1"},
        {2, "desk-2", SensorKind::kDeskPresence, "gw-2"},
    }));
    IngestOptions options;
    options.max_batch_readings = 3;
    options.max_streams_per_gateway = 2;
    options.now_ms = [this] { return now_ms_; };
    admission_ = std::make_unique<IngestAdmission>(&directory_, &counters_,
                                                   &access_, options);
  }

  Caller Token(Role role, const std::string& gateway = "") {
    NewToken token;
    token.name = "test";
    token.role = role;
    token.gateway = gateway;
    absl::StatusOr<CreatedToken> created =
        tokens_.Create(session_->Access(), token);
    EXPECT_TRUE(created.ok()) << created.status();
    Caller caller;
    caller.token_id = created.ok() ? created->record.id : -1;
    caller.name = token.name;
    caller.role = role;
    caller.gateway = gateway;
    return caller;
  }
  Caller Device(const std::string& gateway) {
    return Token(Role::kDevice, gateway);
  }
  Caller Admin() { return Token(Role::kAdmin); }

  static v1::ReadingBatch Batch(uint64_t id, const std::string& gateway,
                                std::vector<std::string> sensors) {
    v1::ReadingBatch batch;
    batch.set_batch_id(id);
    batch.set_gateway(gateway);
    int64_t ts_ms = kNow - 60'000;
    for (const std::string& sensor : sensors) {
      v1::Reading* reading = batch.add_readings();
      reading->set_sensor(sensor);
      reading->set_ts_ms(ts_ms++);
      reading->set_occupied(true);
    }
    return batch;
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  int64_t now_ms_ = kNow;
  TokenStore tokens_{[this] { return now_ms_; }};
  AuthCounters auth_counters_;
  AccessControl access_{&tokens_, &auth_counters_};
  SensorDirectoryHolder directory_;
  IngestCounters counters_;
  std::unique_ptr<IngestAdmission> admission_;
};

TEST_F(IngestAdmissionTest, ABatchWithinTheRulesIsAdmittedWithItsAck) {
  StreamAdmission stream(admission_.get(), Device("gw-1"));
  v1::ReadingBatch batch = Batch(7, "gw-1", {"desk-1", "nobody"});
  v1::SensorHealth* health = batch.add_health();
  health->set_sensor("desk-1");
  health->set_ts_ms(kNow - 1000);
  health->set_battery_percent(80);
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(batch);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  ASSERT_EQ(admitted->batch.readings.size(), 1u);
  EXPECT_EQ(admitted->batch.readings[0].sensor_id, 1);
  EXPECT_TRUE(admitted->batch.rejected.empty());  // moved into the ack
  EXPECT_EQ(admitted->batch.health.size(), 1u);
  EXPECT_EQ(admitted->ack.batch_id(), 7u);
  EXPECT_EQ(admitted->ack.health_accepted(), 1u);
  ASSERT_EQ(admitted->ack.rejected_size(), 1);
  EXPECT_EQ(admitted->ack.rejected(0).index(), 1u);
  EXPECT_EQ(admitted->ack.rejected(0).reason(),
            v1::REJECT_REASON_UNKNOWN_SENSOR);
  EXPECT_EQ(counters_.rejected[v1::REJECT_REASON_UNKNOWN_SENSOR].load(), 1u);
  EXPECT_EQ(counters_.health_accepted.load(), 1u);
}

TEST_F(IngestAdmissionTest, CompleteAckAddsTheCommitsPart) {
  StreamAdmission stream(admission_.get(), Admin());
  v1::ReadingBatch batch = Batch(1, "", {"desk-1", "nobody"});
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(batch);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  BatchOutcome outcome;
  outcome.accepted = 0;
  outcome.duplicates = 1;
  v1::RejectedReading refused;
  refused.set_index(0);
  refused.set_reason(v1::REJECT_REASON_DUPLICATE_SEQUENCE);
  outcome.rejected.push_back(refused);
  CompleteAck(std::move(outcome), &admitted->ack);
  EXPECT_EQ(admitted->ack.accepted(), 0u);
  EXPECT_EQ(admitted->ack.duplicates(), 1u);
  ASSERT_EQ(admitted->ack.rejected_size(), 2);
  EXPECT_EQ(admitted->ack.rejected(0).reason(),
            v1::REJECT_REASON_UNKNOWN_SENSOR);
  EXPECT_EQ(admitted->ack.rejected(1).reason(),
            v1::REJECT_REASON_DUPLICATE_SEQUENCE);
}

TEST_F(IngestAdmissionTest, ABatchOverTheSizeLimitEndsTheStream) {
  StreamAdmission stream(admission_.get(), Admin());
  v1::ReadingBatch batch =
      Batch(9, "gw-1", {"desk-1", "desk-1", "desk-1", "desk-1"});
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(batch);
  EXPECT_TRUE(absl::IsInvalidArgument(admitted.status()));
  EXPECT_EQ(admitted.status().message(),
            "batch 9 has 4 readings and 0 health reports; the limit of each "
            "(max_batch_readings) is 3");
  // Health reports count against the same limit.
  v1::ReadingBatch health = Batch(10, "gw-1", {});
  for (int i = 0; i < 4; ++i) health.add_health()->set_sensor("desk-1");
  EXPECT_TRUE(absl::IsInvalidArgument(stream.Admit(health).status()));
  // Exactly at the limit is admitted.
  v1::ReadingBatch full = Batch(11, "gw-1", {"desk-1", "desk-1", "desk-1"});
  EXPECT_TRUE(stream.Admit(full).ok());
}

TEST_F(IngestAdmissionTest, ADeviceSpeaksForItsOwnGatewayOnly) {
  StreamAdmission stream(admission_.get(), Device("gw-1"));
  v1::ReadingBatch other = Batch(1, "gw-2", {"desk-2"});
  EXPECT_TRUE(absl::IsPermissionDenied(stream.Admit(other).status()));
  EXPECT_EQ(auth_counters_.Refused(AuthRefusal::kWrongGateway), 1u);
  EXPECT_FALSE(stream.gateway().has_value());
  EXPECT_EQ(admission_->OpenStreams("gw-2"), 0);
}

TEST_F(IngestAdmissionTest, ADevicesUnnamedBatchIsItsGatewaysAndChecked) {
  StreamAdmission stream(admission_.get(), Device("gw-1"));
  // The other gateway's sensor is rejected one by one, not let through as
  // an administrative import's would be.
  v1::ReadingBatch unnamed = Batch(1, "", {"desk-1", "desk-2"});
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(unnamed);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_EQ(unnamed.gateway(), "gw-1");
  EXPECT_EQ(admitted->batch.readings.size(), 1u);
  ASSERT_EQ(admitted->ack.rejected_size(), 1);
  EXPECT_EQ(admitted->ack.rejected(0).reason(),
            v1::REJECT_REASON_WRONG_GATEWAY);
  EXPECT_EQ(stream.gateway(), "gw-1");
}

TEST_F(IngestAdmissionTest, AnAdminsUnnamedBatchMayCarryAnyGateway) {
  StreamAdmission stream(admission_.get(), Admin());
  v1::ReadingBatch unnamed = Batch(1, "", {"desk-1", "desk-2"});
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(unnamed);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_EQ(admitted->batch.readings.size(), 2u);
  EXPECT_FALSE(stream.gateway().has_value());
}

TEST_F(IngestAdmissionTest, OneGatewayPerStream) {
  StreamAdmission stream(admission_.get(), Admin());
  v1::ReadingBatch first = Batch(1, "gw-1", {"desk-1"});
  ASSERT_TRUE(stream.Admit(first).ok());
  v1::ReadingBatch same = Batch(2, "gw-1", {"desk-1"});
  EXPECT_TRUE(stream.Admit(same).ok());
  v1::ReadingBatch other = Batch(3, "gw-2", {"desk-2"});
  absl::StatusOr<AdmittedBatch> refused = stream.Admit(other);
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status()));
  EXPECT_EQ(refused.status().message(),
            "gateway: batch 3 is from \"gw-2\" but the stream is gateway "
            "\"gw-1\"'s; one stream per gateway");
  EXPECT_EQ(admission_->OpenStreams("gw-1"), 1);
  EXPECT_EQ(admission_->OpenStreams("gw-2"), 0);
}

TEST_F(IngestAdmissionTest, TheFirstBatchNamingTheGatewayAsksForItsNewest) {
  StreamAdmission stream(admission_.get(), Admin());
  v1::ReadingBatch unnamed = Batch(1, "", {"desk-2"});
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(unnamed);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_FALSE(admitted->batch.report_newest_of.has_value());
  // A batch without readings (how an edge asks at stream start).
  v1::ReadingBatch hello = Batch(2, "gw-1", {});
  admitted = stream.Admit(hello);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_EQ(admitted->batch.report_newest_of, std::vector<int64_t>{1});
  v1::ReadingBatch next = Batch(3, "gw-1", {"desk-1"});
  admitted = stream.Admit(next);
  ASSERT_TRUE(admitted.ok()) << admitted.status();
  EXPECT_FALSE(admitted->batch.report_newest_of.has_value());

  BatchOutcome outcome;
  outcome.gateway_newest_ts_ms = kNow - 5000;
  v1::BatchAck ack;
  CompleteAck(std::move(outcome), &ack);
  ASSERT_TRUE(ack.has_gateway_newest_ts_ms());
  EXPECT_EQ(ack.gateway_newest_ts_ms(), kNow - 5000);
  v1::BatchAck plain;
  CompleteAck(BatchOutcome{}, &plain);
  EXPECT_FALSE(plain.has_gateway_newest_ts_ms());
}

TEST_F(IngestAdmissionTest, AGatewaysStreamsAreLimitedAndGivenBack) {
  const Caller admin = Admin();
  auto first = std::make_unique<StreamAdmission>(admission_.get(), admin);
  StreamAdmission second(admission_.get(), admin);
  v1::ReadingBatch batch = Batch(1, "gw-1", {"desk-1"});
  ASSERT_TRUE(first->Admit(batch).ok());
  ASSERT_TRUE(second.Admit(batch).ok());
  EXPECT_EQ(counters_.open_streams.load(), 2);
  {
    StreamAdmission third(admission_.get(), admin);
    EXPECT_TRUE(absl::IsResourceExhausted(third.Admit(batch).status()));
    // A stream refused its gateway holds none: another gateway is fine.
    v1::ReadingBatch other = Batch(2, "gw-2", {"desk-2"});
    EXPECT_TRUE(third.Admit(other).ok());
  }
  EXPECT_EQ(admission_->OpenStreams("gw-1"), 2);
  EXPECT_EQ(admission_->OpenStreams("gw-2"), 0);
  first.reset();
  EXPECT_EQ(admission_->OpenStreams("gw-1"), 1);
  EXPECT_EQ(counters_.open_streams.load(), 1);
  StreamAdmission fourth(admission_.get(), admin);
  EXPECT_TRUE(fourth.Admit(batch).ok());
}

TEST_F(IngestAdmissionTest, ATokenRevokedWhileStreamingEndsTheStream) {
  const Caller device = Device("gw-1");
  StreamAdmission stream(admission_.get(), device);
  v1::ReadingBatch batch = Batch(1, "gw-1", {"desk-1"});
  ASSERT_TRUE(stream.Admit(batch).ok());
  ASSERT_TRUE(tokens_.Revoke(session_->Access(), device.token_id).ok());
  v1::ReadingBatch next = Batch(2, "gw-1", {"desk-1"});
  EXPECT_TRUE(absl::IsUnauthenticated(stream.Admit(next).status()));
  EXPECT_EQ(auth_counters_.Refused(AuthRefusal::kRevokedToken), 1u);
}

TEST_F(IngestAdmissionTest, ValidationUsesTheInjectedClock) {
  StreamAdmission stream(admission_.get(), Admin());
  // The batch's reading is a minute before kNow: an hour earlier it lies
  // in the future.
  now_ms_ = kNow - 3600'000;
  v1::ReadingBatch batch = Batch(1, "gw-1", {"desk-1"});
  absl::StatusOr<AdmittedBatch> admitted = stream.Admit(batch);
  ASSERT_TRUE(admitted.ok());
  ASSERT_EQ(admitted->ack.rejected_size(), 1);
  EXPECT_EQ(admitted->ack.rejected(0).reason(),
            v1::REJECT_REASON_FUTURE_TIMESTAMP);
}

TEST_F(IngestAdmissionTest, AnUnparsableMessageIsCountedAndNamed) {
  StreamAdmission stream(admission_.get(), Admin());
  v1::ReadingBatch batch = Batch(1, "gw-1", {"desk-1"});
  ASSERT_TRUE(stream.Admit(batch).ok());
  const absl::Status refused = stream.RefuseUnparsable("bad wire type");
  EXPECT_TRUE(absl::IsInvalidArgument(refused));
  EXPECT_EQ(refused.message(),
            "message 2 of the stream is not a ReadingBatch protobuf (bad wire "
            "type)");
  EXPECT_EQ(counters_.malformed_messages.load(), 1u);
}

}  // namespace
}  // namespace monipaikka
