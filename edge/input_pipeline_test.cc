#include "edge/input_pipeline.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

constexpr uint64_t kEpoch = uint64_t{1} << 32;

int64_t At(const char* iso) { return *ParseInstantMs(iso); }

const int64_t kNow = At("2026-03-23T08:00:00Z");

std::vector<ServedSensor> Sensors() {
  return {
      {"A81758FFFE0312AB", "desk_presence", "S", "Europe/Helsinki", "", ""},
      {"24e124128c012345", "people_counter", "S", "Europe/Helsinki", "", ""},
      {"24E124538B223344", "area_count", "S", "Europe/Helsinki", "", ""},
      {"TSPR04TSC20205001", "room_presence", "S", "Europe/Helsinki", "", ""},
      {"DESK-17", "desk_presence", "S", "Europe/Helsinki", "", ""}};
}

std::string CsV4(const std::string& dev_eui, int fcnt, const std::string& time,
                 const std::string& data_or_object) {
  return absl::StrCat(R"({"time": ")", time, R"(", "deviceInfo": {"devEui": ")",
                      dev_eui, R"("}, "fCnt": )", fcnt, R"(, "fPort": 5, )",
                      data_or_object,
                      R"(, "rxInfo": [{"rssi": -101, "snr": -4.25}]})");
}

class InputPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("edge_pipeline_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    pipeline_.reset();
    outbox_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A fresh pipeline on the same outbox file, as after an agent restart.
  void Reopen(std::map<std::string, Codec> codecs = {}) {
    pipeline_.reset();
    outbox_.reset();
    absl::StatusOr<std::unique_ptr<Outbox>> outbox =
        Outbox::Open((dir_ / "outbox.db").string());
    ASSERT_TRUE(outbox.ok()) << outbox.status();
    outbox_ = *std::move(outbox);
    pipeline_ = std::make_unique<InputPipeline>(outbox_.get(), codecs,
                                                [] { return kNow; });
    ASSERT_TRUE(pipeline_->Init().ok());
    pipeline_->SetServedSensors(Sensors());
  }
  void Up(const std::string& payload, Codec codec = Codec::kAuto,
          MessageFormat format = MessageFormat::kChirpStackV4) {
    pipeline_->HandleMqttMessage(format, codec,
                                 "application/1/device/x/event/up", payload);
  }
  std::vector<OutboxRow> Commit() {
    EXPECT_TRUE(pipeline_->Commit().ok());
    absl::StatusOr<std::vector<OutboxRow>> rows = outbox_->Peek(last_id_, 1000);
    EXPECT_TRUE(rows.ok());
    if (!rows->empty()) last_id_ = rows->back().id;
    return *rows;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<InputPipeline> pipeline_;
  int64_t last_id_ = 0;
};

TEST_F(InputPipelineTest, ElsysDeskFrameBecomesAReadingWithHealth) {
  // 0x11 0x02 occupied, 0x07 0x0e10 = 3600 mV.
  Up(CsV4("a81758fffe0312ab", 42, "2026-03-23T07:59:00Z",
          R"("data": "EQIHDhA=")"),
     Codec::kElsys);
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  const Reading& r = rows[0].reading;
  EXPECT_EQ(r.sensor, "A81758FFFE0312AB");  // the inventory's spelling
  EXPECT_EQ(r.ts_ms, At("2026-03-23T07:59:00Z"));
  EXPECT_TRUE(r.occupied);
  EXPECT_FALSE(r.health_only);
  EXPECT_EQ(rows[0].seq, kEpoch + 42);
  EXPECT_EQ(r.health.battery_mv, 3600);
  EXPECT_EQ(r.health.rssi_dbm, -101);
  EXPECT_EQ(r.health.snr_db, -4.25);
}

TEST_F(InputPipelineTest, RedeliveryIsDroppedEvenAfterARestart) {
  const std::string message =
      CsV4("a81758fffe0312ab", 7, "2026-03-23T07:59:00Z",
           R"("object": {"occupancy": 2})");
  Up(message);
  Up(message);
  EXPECT_EQ(Commit().size(), 1u);
  EXPECT_EQ(pipeline_->counters().duplicate_frames, 1);
  Reopen();
  Up(message);  // the broker redelivers after the agent restarted
  EXPECT_EQ(Commit().size(), 0u);
  EXPECT_EQ(pipeline_->counters().duplicate_frames, 1);
  // After a rejoin the counter starts again: a new epoch.
  Up(CsV4("a81758fffe0312ab", 1, "2026-03-23T07:59:30Z",
          R"("object": {"occupancy": 0})"));
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].seq, 2 * kEpoch + 1);
  EXPECT_FALSE(rows[0].reading.occupied);
}

TEST_F(InputPipelineTest, InOutTotalsBecomeFlowsAcrossRestarts) {
  const char* kTotals =
      R"("object": {"line_1_total_in": %d, "line_1_total_out": %d})";
  auto totals = [&](int fcnt, int in, int out) {
    char object[128];
    std::snprintf(object, sizeof object, kTotals, in, out);
    Up(CsV4("24e124128c012345", fcnt,
            absl::StrCat("2026-03-23T07:", 10 + fcnt, ":00Z"), object));
  };
  totals(1, 100, 90);  // the baseline: health only
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].reading.health_only);
  totals(2, 107, 92);
  rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reading.flow, (PeopleFlow{7, 2}));
  Reopen();
  totals(3, 110, 100);
  totals(4, 4, 1);  // the device reset its totals
  rows = Commit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].reading.flow, (PeopleFlow{3, 8}));
  EXPECT_EQ(rows[1].reading.flow, (PeopleFlow{4, 1}));
  // Period counts need no baseline (Milesight VS133 frame 0ECC05000700).
  Up(CsV4("24e124128c012345", 5, "2026-03-23T07:20:00Z",
          R"("data": "DswFAAcA")"),
     Codec::kMilesightVs133);
  rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reading.flow, (PeopleFlow{5, 7}));
}

TEST_F(InputPipelineTest, CountsPresenceAndHaltian) {
  // VS121 people count for an area counter, raw frame via the device codec.
  Reopen({{"24E124538B223344", Codec::kMilesightVs121}});
  Up(CsV4("24e124538b223344", 3, "2026-03-23T07:50:00Z",
          R"("data": "BMkDCAChBs0F")"));
  pipeline_->HandleMqttMessage(
      MessageFormat::kHaltian, Codec::kAuto, "haltian",
      R"([{"tsmId": 2100, "tsmEv": 7, "tsmTs": 1774252200,
           "tsmTuid": "TSPR04TSC20205001", "state": 1},
          {"tsmId": 13100, "tsmTs": 1774252260,
           "tsmTuid": "TSPR04TSC20205001", "moveCount": 0}])");
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].reading.count, 3);
  EXPECT_EQ(rows[0].reading.sensor, "24E124538B223344");
  EXPECT_TRUE(rows[1].reading.occupied);
  EXPECT_EQ(rows[1].reading.ts_ms, int64_t{1774252200} * 1000);
  EXPECT_FALSE(rows[2].reading.occupied);  // no movement
  // Haltian has no frame counter: the outbox numbers them.
  EXPECT_EQ(rows[1].seq, 1u);
  EXPECT_EQ(rows[2].seq, 2u);
}

TEST_F(InputPipelineTest, ProblemsAreCountedAndGoodReadingsKept) {
  Up("{not json");
  Up(CsV4("a81758fffe0312ab", 1, "2026-03-23T07:00:00Z", R"("data": "EQ==")"),
     Codec::kElsys);  // truncated
  Up(CsV4("a81758fffe0312ab", 2, "2026-03-23T07:01:00Z", R"("data": "7w==")"),
     Codec::kElsys);  // unknown type 0xef
  Up(CsV4("a81758fffe0312ab", 3, "2026-03-23T07:02:00Z",
          R"("object": {"occupancy": 9})"));
  Up(CsV4("a81758fffe0312ab", 4, "2026-03-23T07:03:00Z",
          R"("data": "EQI=")"));  // raw frame, no codec configured
  Up(CsV4("0000000000000001", 1, "2026-03-23T07:04:00Z",
          R"("object": {"occupancy": 2})"));
  Up(CsV4("0000000000000001", 2, "2026-03-23T07:05:00Z",
          R"("object": {"occupancy": 2})"));
  Up(CsV4("a81758fffe0312ab", 5, "2026-03-23T07:06:00Z",
          R"("object": {"occupancy": 2, "vdd": 99999})"));
  std::vector<OutboxRow> rows = Commit();
  const InputCounters& c = pipeline_->counters();
  EXPECT_EQ(c.problems.at("malformed"), 1);
  EXPECT_EQ(c.problems.at("truncated_frame"), 1);
  EXPECT_EQ(c.problems.at("unknown_payload"), 1);
  EXPECT_EQ(c.problems.at("no_codec"), 1);
  EXPECT_EQ(c.problems.at("out_of_range"), 2);  // occupancy 9, vdd
  EXPECT_EQ(c.unknown_devices, 1);
  EXPECT_EQ(c.unknown_device_uplinks, 2);
  // The four undecodable uplinks still count as heard from (signal), and
  // the last one's occupancy is kept without its bad battery value.
  ASSERT_EQ(rows.size(), 5u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(rows[i].reading.health_only) << i;
    EXPECT_EQ(rows[i].reading.health.rssi_dbm, -101);
  }
  EXPECT_FALSE(rows[4].reading.health_only);
  EXPECT_TRUE(rows[4].reading.occupied);
  EXPECT_FALSE(rows[4].reading.health.battery_mv.has_value());
}

TEST_F(InputPipelineTest, LineProtocol) {
  EXPECT_TRUE(
      pipeline_->HandleLine("DESK-17 occupied 2026-03-23T07:00:00Z", "udp:test")
          .ok());
  EXPECT_TRUE(pipeline_->HandleLine("a81758fffe0312ab free", "udp:test").ok());
  EXPECT_TRUE(pipeline_->HandleLine("# comment", "udp:test").ok());
  EXPECT_TRUE(pipeline_->HandleLine("24E124538B223344 count=5", "tcp").ok());
  EXPECT_EQ(pipeline_->HandleLine("DESK-17 count=2", "tcp").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(pipeline_->HandleLine("DESK-99 free", "tcp").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(pipeline_->HandleLine("DESK-17 maybe", "tcp").code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].reading.ts_ms, At("2026-03-23T07:00:00Z"));
  EXPECT_EQ(rows[1].reading.sensor, "A81758FFFE0312AB");
  EXPECT_EQ(rows[1].reading.ts_ms, kNow);
  EXPECT_EQ(rows[2].reading.count, 5);
}

// A kind newer than this agent stays served: messages name its text, and it
// is read as a counting sensor, as before the kinds were parsed.
TEST_F(InputPipelineTest, KindNewerThanTheAgentIsNamedAndCounted) {
  std::vector<ServedSensor> sensors = Sensors();
  sensors.push_back({"CO2-1", "co2_meter", "S", "Europe/Helsinki", "", ""});
  pipeline_->SetServedSensors(sensors);
  absl::Status presence = pipeline_->HandleLine("CO2-1 occupied", "tcp");
  EXPECT_EQ(presence.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(presence.message().find("is a co2_meter sensor: send count=<n>"),
            absl::string_view::npos)
      << presence;
  EXPECT_TRUE(pipeline_->HandleLine("CO2-1 count=3", "tcp").ok());
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reading.sensor, "CO2-1");
  EXPECT_EQ(rows[0].reading.count, 3);
}

// A payload over the limit is not parsed and a too-deep one is refused by
// the SAX pass: each is counted and logged, and the message behind it is
// used.
TEST_F(InputPipelineTest, OversizeAndTooDeepMessagesCostOnlyThemselves) {
  pipeline_ = std::make_unique<InputPipeline>(
      outbox_.get(), std::map<std::string, Codec>{}, [] { return kNow; },
      InputLimits{4096, 16});
  ASSERT_TRUE(pipeline_->Init().ok());
  pipeline_->SetServedSensors(Sensors());
  Up(std::string(5000, '['));
  Up(CsV4("a81758fffe0312ab", 1, "2026-03-23T07:00:00Z",
          R"("object": )" + std::string(20, '[') + std::string(20, ']')));
  Up(CsV4("a81758fffe0312ab", 2, "2026-03-23T07:01:00Z",
          R"("object": {"occupancy": 2})"));
  std::vector<OutboxRow> rows = Commit();
  const InputCounters& c = pipeline_->counters();
  EXPECT_EQ(c.messages, 3);
  EXPECT_EQ(c.problems.at("too_large"), 1);
  EXPECT_EQ(c.problems.at("too_deep"), 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].reading.occupied);
  EXPECT_EQ(rows[0].seq, kEpoch + 2);
}

// An invalid base64 frame still counts as heard from: last seen and signal.
TEST_F(InputPipelineTest, InvalidBase64FrameKeepsLastSeenAndSignal) {
  Up(CsV4("a81758fffe0312ab", 9, "2026-03-23T07:00:00Z", R"("data": "!!")"),
     Codec::kElsys);
  std::vector<OutboxRow> rows = Commit();
  EXPECT_EQ(pipeline_->counters().problems.at("malformed"), 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].reading.health_only);
  EXPECT_EQ(rows[0].reading.ts_ms, At("2026-03-23T07:00:00Z"));
  EXPECT_EQ(rows[0].reading.health.rssi_dbm, -101);
  EXPECT_EQ(rows[0].seq, kEpoch + 9);
}

// Whole-message problems are logged with the device the topic names (else
// the topic); a second malformed message of the same reason is logged when
// it comes from elsewhere, and from the same source once a minute with the
// number not logged in between.
TEST_F(InputPipelineTest, ProblemLinesNameTheSourceAndAreRateLimitedFairly) {
  int64_t now = kNow;
  pipeline_ = std::make_unique<InputPipeline>(
      outbox_.get(), std::map<std::string, Codec>{}, [&now] { return now; });
  ASSERT_TRUE(pipeline_->Init().ok());
  pipeline_->SetServedSensors(Sensors());
  auto send = [&](const std::string& topic) {
    pipeline_->HandleMqttMessage(MessageFormat::kChirpStackV4, Codec::kAuto,
                                 topic, "{nope");
  };
  ::testing::internal::CaptureStderr();
  send("application/1/device/a81758fffe0312ab/event/up");
  send("application/1/device/24e124128c012345/event/up");
  send("application/1/device/a81758fffe0312ab/event/up");  // within a minute
  send("application/1/device/a81758fffe0312ab/event/up");
  EXPECT_FALSE(
      pipeline_->HandleLine("DESK-17 maybe", "udp:127.0.0.1:5000").ok());
  now += kProblemLogIntervalMs;
  send("application/1/device/a81758fffe0312ab/event/up");
  const std::string log = ::testing::internal::GetCapturedStderr();
  const InputCounters& c = pipeline_->counters();
  EXPECT_EQ(c.problems.at("malformed"), 6);
  EXPECT_EQ(c.problem_lines, 4);
  EXPECT_EQ(c.problem_lines_suppressed, 2);
  EXPECT_NE(log.find("reason=malformed topic=application/1/device/"
                     "a81758fffe0312ab/event/up device=a81758fffe0312ab"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("device=24e124128c012345"), std::string::npos) << log;
  EXPECT_NE(log.find("device=udp:127.0.0.1:5000"), std::string::npos) << log;
  EXPECT_NE(log.find("suppressed=2"), std::string::npos) << log;
  EXPECT_EQ(log.find("device=unknown"), std::string::npos) << log;

  // Many sources at once: the bucket of all lines bounds them (it holds
  // kProblemLogBurst - 1 lines now, one spent a moment ago).
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 1000; ++i) {
    send(absl::StrCat("application/1/device/", 1000 + i, "/event/up"));
  }
  ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(c.problem_lines, 4 + static_cast<int64_t>(kProblemLogBurst) - 1);
  EXPECT_EQ(c.problems.at("malformed"), 1006);
}

// A Haltian IoT measurement reaches the sensor named by its topic.
TEST_F(InputPipelineTest, HaltianIotMeasurementBecomesAReading) {
  pipeline_->HandleMqttMessage(
      MessageFormat::kHaltian, Codec::kAuto,
      "haltian-iot/events/i/k/measurements/occupancyStatus/TSPR04TSC20205001",
      R"({"measured_at": "2026-03-23T07:30:00Z", "isOccupied": true})");
  std::vector<OutboxRow> rows = Commit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reading.sensor, "TSPR04TSC20205001");
  EXPECT_TRUE(rows[0].reading.occupied);
  EXPECT_EQ(rows[0].reading.ts_ms, At("2026-03-23T07:30:00Z"));
}

}  // namespace
}  // namespace monipaikka::edge
