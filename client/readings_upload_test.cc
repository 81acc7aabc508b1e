#include "client/readings_upload.h"

#include <sstream>
#include <string>

#include "absl/time/clock.h"
#include "client/fake_services_test_util.h"
#include "common/time_format.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::monipaikka::client::testing::FakeIngestService;
using ::monipaikka::client::testing::FakeServer;
using ::monipaikka::client::testing::IngestBehaviour;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A reading row of sensor `sensor` at minute `minute` past 07:00 UTC.
std::string Row(const std::string& sensor, int minute) {
  return sensor + ",2026-03-23T07:" + (minute < 10 ? "0" : "") +
         std::to_string(minute) + ":00Z,1," + std::to_string(minute) + "\n";
}

IngestBehaviour Behaviour(void (*set)(IngestBehaviour*)) {
  IngestBehaviour behaviour;
  set(&behaviour);
  return behaviour;
}

class ReadingsUploadTest : public ::testing::Test {
 protected:
  explicit ReadingsUploadTest(IngestBehaviour behaviour = IngestBehaviour())
      : service_(behaviour),
        server_({&service_}),
        stub_(v1::IngestService::NewStub(server_.Channel())) {
    options_.batch_size = 2;
    options_.ack_timeout = absl::Seconds(10);
  }

  absl::StatusOr<ReadingsImportSummary> Upload(const std::string& csv) {
    std::istringstream in(csv);
    return UploadReadingsCsv(*stub_, in, "readings.csv", options_, problems_);
  }

  FakeIngestService service_;
  FakeServer server_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  ReadingsUploadOptions options_;
  std::ostringstream problems_;
};

TEST_F(ReadingsUploadTest, StreamsAllRowsInBatchesWithoutGateway) {
  const std::string csv = "sensor,ts,occupied,seq\n" + Row("A", 1) +
                          Row("A", 2) + Row("B", 1) + Row("B", 2) + Row("C", 1);
  absl::StatusOr<ReadingsImportSummary> summary = Upload(csv);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 5);
  EXPECT_EQ(summary->accepted, 5);
  EXPECT_EQ(summary->duplicates, 0);
  EXPECT_TRUE(summary->clean());
  EXPECT_EQ(problems_.str(), "");
  EXPECT_THAT(service_.batch_sizes(), ElementsAre(2, 2, 1));
  EXPECT_THAT(service_.gateways(), ElementsAre(""));
  EXPECT_EQ(service_.stored(), 5);
}

TEST_F(ReadingsUploadTest, ReportsSkippedAndRejectedRowsInLineOrder) {
  const std::string csv = "sensor,ts,occupied,seq\n" +      // line 1
                          Row("A", 1) +                     // 2
                          Row("unknown-1", 1) +             // 3 rejected
                          "B,2026-03-23T07:01:00Z,5,1\n" +  // 4 skipped
                          Row("A", 1) +                     // 5 duplicate
                          Row("B", 2) +                     // 6
                          Row("unknown-2", 2) +             // 7 rejected
                          "C,not a time,1,1\n";             // 8 skipped
  absl::StatusOr<ReadingsImportSummary> summary = Upload(csv);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 7);
  EXPECT_EQ(summary->accepted, 2);
  EXPECT_EQ(summary->duplicates, 1);
  EXPECT_EQ(summary->rejected, 2);
  EXPECT_EQ(summary->skipped, 2);
  EXPECT_FALSE(summary->clean());
  EXPECT_EQ(problems_.str(),
            "readings.csv:3: rejected (unknown sensor): no sensor "
            "\"unknown-1\" in the inventory\n"
            "readings.csv:4: skipped: occupied is \"5\"; expected 0 or 1\n"
            "readings.csv:7: rejected (unknown sensor): no sensor "
            "\"unknown-2\" in the inventory\n"
            "readings.csv:8: skipped: ts \"not a time\" is not an ISO-8601 "
            "instant like 2026-03-23T07:15:00Z\n");
}

TEST_F(ReadingsUploadTest, LongRunOfBadRowsIsReportedInOrder) {
  std::string csv = "sensor,ts,occupied,seq\n" + Row("A", 1);
  for (int i = 0; i < 5; ++i) csv += "A,2026-03-23T07:00:00Z,x,1\n";
  csv += Row("unknown", 2) + Row("B", 3);
  absl::StatusOr<ReadingsImportSummary> summary = Upload(csv);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->skipped, 5);
  EXPECT_EQ(summary->rejected, 1);
  EXPECT_EQ(summary->accepted, 2);
  std::vector<std::string> lines;
  std::istringstream report(problems_.str());
  for (std::string line; std::getline(report, line);) {
    lines.push_back(line.substr(0, line.find(": ")));
  }
  EXPECT_THAT(
      lines, ElementsAre("readings.csv:3", "readings.csv:4", "readings.csv:5",
                         "readings.csv:6", "readings.csv:7", "readings.csv:8"));
}

TEST_F(ReadingsUploadTest, NotesIgnoredColumns) {
  absl::StatusOr<ReadingsImportSummary> summary =
      Upload("sensor,battery,ts,occupied\nA,97,2026-03-23T07:00:00Z,1\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->accepted, 1);
  EXPECT_EQ(problems_.str(),
            "readings.csv:1: note: ignoring column \"battery\"\n");
}

TEST_F(ReadingsUploadTest, BadHeaderFailsBeforeStreaming) {
  absl::StatusOr<ReadingsImportSummary> summary =
      Upload("sensor,time,occupied\nA,2026-03-23T07:00:00Z,1\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(summary.status().message(),
            "readings.csv: header has no ts column; expected a header like "
            "sensor,ts,occupied,seq");
  EXPECT_EQ(service_.streams(), 0);
}

TEST_F(ReadingsUploadTest, HeaderOnlyFileSendsNothing) {
  absl::StatusOr<ReadingsImportSummary> summary =
      Upload("sensor,ts,occupied,seq\n");
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 0);
  EXPECT_TRUE(service_.batch_sizes().empty());
}

TEST_F(ReadingsUploadTest, LargeFileUsesFullBatches) {
  options_.batch_size = 5000;
  constexpr int64_t kStartMs = 1'774'250'100'000;  // 2026-03-23T07:15:00Z
  std::string csv = "sensor,ts,occupied,seq\n";
  for (int i = 0; i < 12'000; ++i) {
    csv += "S" + std::to_string(i % 7) + "," +
           FormatInstantMs(kStartMs + int64_t{1000} * i) + "," +
           std::to_string(i % 2) + "," + std::to_string(i) + "\n";
  }
  absl::StatusOr<ReadingsImportSummary> summary = Upload(csv);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->rows, 12'000);
  EXPECT_EQ(summary->accepted, 12'000);
  EXPECT_THAT(service_.batch_sizes(), ElementsAre(5000, 5000, 2000));
}

class PipelinedUploadTest : public ReadingsUploadTest {
 protected:
  // The server acknowledges a batch only after two more have arrived.
  PipelinedUploadTest()
      : ReadingsUploadTest(Behaviour(
            [](IngestBehaviour* b) { b->hold_acks_for_batches = 2; })) {}
};

TEST_F(PipelinedUploadTest, KeepsSeveralBatchesInFlight) {
  options_.max_batches_in_flight = 3;
  options_.ack_timeout = absl::Seconds(5);
  std::string csv = "sensor,ts,occupied,seq\n";
  for (int minute = 0; minute < 12; ++minute) csv += Row("A", minute);
  absl::StatusOr<ReadingsImportSummary> summary = Upload(csv);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->accepted, 12);
  EXPECT_THAT(service_.batch_sizes(), ElementsAre(2, 2, 2, 2, 2, 2));
}

class FailingUploadTest : public ReadingsUploadTest {
 protected:
  FailingUploadTest()
      : ReadingsUploadTest(
            Behaviour([](IngestBehaviour* b) { b->fail_on_batch = 3; })) {}
};

TEST_F(FailingUploadTest, ServerErrorEndsImportAndSaysWhatWasStored) {
  options_.max_batches_in_flight = 1;
  std::string csv = "sensor,ts,occupied,seq\n";
  for (int minute = 0; minute < 10; ++minute) csv += Row("A", minute);
  absl::StatusOr<ReadingsImportSummary> summary = Upload(csv);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(summary.status().message(), "batch 3 is not acceptable");
  EXPECT_THAT(problems_.str(),
              HasSubstr("readings.csv: import stopped; the server had "
                        "acknowledged 4 readings (4 accepted, 0 duplicates, 0 "
                        "rejected), which stay stored"));
}

class SilentServerUploadTest : public ReadingsUploadTest {
 protected:
  SilentServerUploadTest()
      : ReadingsUploadTest(
            Behaviour([](IngestBehaviour* b) { b->never_ack = true; })) {}
};

TEST_F(SilentServerUploadTest, GivesUpWhenNoAcknowledgementComes) {
  options_.ack_timeout = absl::Milliseconds(300);
  const absl::Time start = absl::Now();
  absl::StatusOr<ReadingsImportSummary> summary =
      Upload("sensor,ts,occupied,seq\n" + Row("A", 1));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(summary.status().message(),
              HasSubstr("no acknowledgement from the server for 300ms"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

class WrongAckUploadTest : public ReadingsUploadTest {
 protected:
  WrongAckUploadTest()
      : ReadingsUploadTest(
            Behaviour([](IngestBehaviour* b) { b->batch_id_offset = 7; })) {}
};

TEST_F(WrongAckUploadTest, AcknowledgementOfUnsentBatchIsAnError) {
  absl::StatusOr<ReadingsImportSummary> summary =
      Upload("sensor,ts,occupied,seq\n" + Row("A", 1));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(summary.status().message(),
            "the server acknowledged batch 8 but batch 1 was next");
}

class OvercountingUploadTest : public ReadingsUploadTest {
 protected:
  OvercountingUploadTest()
      : ReadingsUploadTest(
            Behaviour([](IngestBehaviour* b) { b->overcount = true; })) {}
};

TEST_F(OvercountingUploadTest, AcknowledgementThatDoesNotAddUpIsAnError) {
  absl::StatusOr<ReadingsImportSummary> summary =
      Upload("sensor,ts,occupied,seq\n" + Row("A", 1));
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(summary.status().message(),
            "the server acknowledged batch 1 with 2 readings accounted for; "
            "it held 1");
}

TEST(ReadingsUploadUnreachableTest, UnavailableServerIsReported) {
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials()));
  std::istringstream in("sensor,ts,occupied,seq\n" + Row("A", 1));
  std::ostringstream problems;
  absl::StatusOr<ReadingsImportSummary> summary = UploadReadingsCsv(
      *stub, in, "readings.csv", ReadingsUploadOptions(), problems);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(problems.str(), "");
}

}  // namespace
}  // namespace monipaikka::client
