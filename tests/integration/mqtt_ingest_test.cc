// Real sensor inputs end to end on 127.0.0.1: a real mosquitto broker
// started by the test, the real server, the real edge agent with --inputs.
// The test publishes what ChirpStack v4, ChirpStack v3 (both marshalers),
// The Things Stack v3 and Haltian publish, and reads back what the server
// stored: readings with their exact values and timestamps, and sensor
// health. Also: redeliveries are stored once, an agent killed mid-stream
// loses nothing (QoS 1, persistent session), and the line protocol.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/sqlite.h"
#include "common/time_format.h"
#include "server/analytics/day_states.h"
#include "tests/support/cluster.h"
#include "tests/support/mosquitto.h"
#include "tests/support/wait_for.h"

namespace monipaikka::testing {
namespace {

constexpr char kGateway[] = "gw-mqtt";

// One floor with four desks, two rooms; a desk sensor of each kind of input.
std::string Inventory() {
  return absl::StrCat(
      R"({"organizations":[{"code":"MQ-ORG","name":"Testivirasto"}],)"
      R"("sites":[{"code":"MQ-SITE","name":"Testitalo","kind":"D",)"
      R"("timezone":"Europe/Helsinki","office_area_m2":1000}],)"
      R"("spaces":[{"code":"MQ-F1","site":"MQ-SITE","level":"floor"},)"
      R"({"code":"MQ-R1","site":"MQ-SITE","parent":"MQ-F1","level":"room",)"
      R"("kind":"meeting_room","capacity":8},)"
      R"({"code":"MQ-R2","site":"MQ-SITE","parent":"MQ-F1","level":"room",)"
      R"("kind":"meeting_room","capacity":6}],)"
      R"("workstations":[)"
      R"({"code":"MQ-WS-1","space":"MQ-F1","kind":"unassigned","organization":"MQ-ORG"},)"
      R"({"code":"MQ-WS-2","space":"MQ-F1","kind":"unassigned","organization":"MQ-ORG"},)"
      R"({"code":"MQ-WS-3","space":"MQ-F1","kind":"unassigned","organization":"MQ-ORG"},)"
      R"({"code":"MQ-WS-4","space":"MQ-F1","kind":"unassigned","organization":"MQ-ORG"}],)"
      R"("sensors":[)"
      // Elsys ERS Desk via ChirpStack v4, raw frame, subscription codec.
      R"({"external_id":"A81758FFFE0312AB","kind":"desk_presence","workstation":"MQ-WS-1","gateway":"gw-mqtt"},)"
      // Milesight VS340 via The Things Stack, codec from version_ids.
      R"({"external_id":"24E124538B223344","kind":"desk_presence","workstation":"MQ-WS-2","gateway":"gw-mqtt"},)"
      // Milesight WS202 via ChirpStack v3 json marshaler, objectJSON.
      R"({"external_id":"24E124128C000001","kind":"room_presence","space":"MQ-R1","gateway":"gw-mqtt"},)"
      // Milesight VS121 via ChirpStack v3 json_v3, object.
      R"({"external_id":"24E124128C000002","kind":"area_count","space":"MQ-R2","gateway":"gw-mqtt"},)"
      // Haltian Thingsee PRESENCE.
      R"({"external_id":"TSPR04TSC20205001","kind":"desk_presence","workstation":"MQ-WS-3","gateway":"gw-mqtt"},)"
      // Milesight VS133 in/out counter at the door of MQ-R1, via ChirpStack
      // v4 with the object decoded by ChirpStack.
      R"({"external_id":"24E124128C000003","kind":"people_counter","space":"MQ-R1","gateway":"gw-mqtt"},)"
      // A bridge on the line protocol.
      R"({"external_id":"LINE-DESK-4","kind":"desk_presence","workstation":"MQ-WS-4","gateway":"gw-mqtt"}]})");
}

std::string InputsJson(int broker_port, int tcp_port) {
  return absl::StrCat(R"({"mqtt": {"host": "127.0.0.1", "port": )", broker_port,
                      R"(, "keepalive_s": 10, "subscriptions": [
      {"topic": "cs4/application/+/device/+/event/+", "format": "chirpstack_v4", "codec": "elsys"},
      {"topic": "cs3/application/+/device/+/event/up", "format": "chirpstack_v3_json"},
      {"topic": "cs3legacy/application/+/device/+/rx", "format": "chirpstack_v3_json_v3"},
      {"topic": "v3/+/devices/+/up", "format": "tts_v3"},
      {"topic": "haltian/#", "format": "haltian"}]},
    "line": {"tcp": "127.0.0.1:)",
                      tcp_port, R"("}})");
}

std::string Iso(int64_t ms) { return FormatInstantMs(ms); }

std::string B64Hex(const std::string& hex) {
  return absl::Base64Escape(absl::HexStringToBytes(hex));
}

// ChirpStack v4 uplink of the Elsys desk: occupancy byte, VDD 3600 mV.
std::pair<std::string, std::string> ElsysUp(int fcnt, int64_t ts,
                                            int occupancy) {
  return {
      "cs4/application/7/device/a81758fffe0312ab/event/up",
      absl::StrCat(
          R"({"time":")", Iso(ts),
          R"(","deviceInfo":{"deviceProfileName":"ERS Desk","devEui":"a81758fffe0312ab"},"fCnt":)",
          fcnt, R"(,"fPort":5,"data":")",
          B64Hex(absl::StrFormat("11%02x070e10", occupancy)),
          R"(","rxInfo":[{"gatewayId":"0016c001f153a14c","rssi":-87,"snr":7.5}]})")};
}

struct Health {
  int64_t last_seen_ms = 0;
  std::optional<int64_t> battery_mv, battery_percent, rssi_dbm;
  std::optional<double> snr_db;
};

std::map<std::string, Health> ReadHealth(const std::string& db_path) {
  DatabaseOptions options;
  options.read_only = true;
  std::map<std::string, Health> result;
  auto db = Database::Open(db_path, options);
  if (!db.ok()) return result;
  auto stmt = (*db)->Prepare(
      "SELECT s.external_id, h.last_seen_ms, h.battery_mv, h.battery_percent, "
      "h.rssi_dbm, h.snr_db FROM sensor_health h JOIN sensors s "
      "ON s.id = h.sensor_id");
  if (!stmt.ok()) return result;
  absl::Status read = (*stmt)->ForEachRow([&] {
    Health h;
    h.last_seen_ms = (*stmt)->ColumnInt64(1);
    if (!(*stmt)->ColumnIsNull(2)) h.battery_mv = (*stmt)->ColumnInt64(2);
    if (!(*stmt)->ColumnIsNull(3)) h.battery_percent = (*stmt)->ColumnInt64(3);
    if (!(*stmt)->ColumnIsNull(4)) h.rssi_dbm = (*stmt)->ColumnInt64(4);
    if (!(*stmt)->ColumnIsNull(5)) h.snr_db = (*stmt)->ColumnDouble(5);
    result[(*stmt)->ColumnText(0)] = h;
  });
  EXPECT_TRUE(read.ok()) << read;
  return result;
}

class MqttIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = std::make_unique<MosquittoBroker>(dir_);
    ASSERT_TRUE(broker_->ready());
    server_ = std::make_unique<ServerProcess>(dir_, 0, "server");
    ASSERT_GT(server_->port(), 0);
    const absl::Status imported = ImportInventory(*server_, dir_, Inventory());
    ASSERT_TRUE(imported.ok()) << imported;
    tcp_port_ = PickFreePort();
    std::ofstream(dir_.File("inputs.json"))
        << InputsJson(broker_->port(), tcp_port_);
  }

  void StartEdge() {
    edge_ = std::make_unique<Process>(
        EdgeBinary(),
        std::vector<std::string>{"--server=" + server_->address(),
                                 absl::StrCat("--gateway=", kGateway),
                                 "--outbox=" + dir_.File("outbox.db"),
                                 "--inputs=" + dir_.File("inputs.json"),
                                 "--status_interval_s=1"},
        dir_.File(absl::StrCat("edge-", ++edge_runs_, ".log")));
    // Subscribed once connected: the broker keeps what comes after for the
    // persistent session.
    ASSERT_TRUE(WaitFor([&] {
      return edge_->Log().find("event=mqtt_connected") != std::string::npos;
    })) << edge_->Log();
  }

  void StopEdge(int signal) {
    edge_->Signal(signal);
    EXPECT_GE(edge_->Wait(std::chrono::seconds(20)), 0);
  }

  TempDir dir_;
  std::unique_ptr<MosquittoBroker> broker_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Process> edge_;
  int tcp_port_ = 0;
  int edge_runs_ = 0;
};

TEST_F(MqttIngestTest, EveryFormatIsStoredByTheRealServer) {
  StartEdge();
  // Timestamps in the recent past (the server keeps a retention window and
  // refuses the future), whole seconds for Haltian's tsmTs.
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 600) * 1000;
  std::vector<std::pair<std::string, std::string>> messages;
  messages.push_back(ElsysUp(100, t0, 2));
  // The Things Stack: Milesight VS340 "017564030001" (battery 100 %,
  // occupied), codec from the device repository ids.
  messages.push_back(
      {"v3/valtion-virastotalo@ttn/devices/vs340-desk-2/up",
       absl::StrCat(
           R"({"end_device_ids":{"device_id":"vs340-desk-2","dev_eui":"24E124538B223344"},)"
           R"("received_at":")",
           Iso(t0 + 1000),
           R"(",)"
           R"("uplink_message":{"f_port":85,"f_cnt":4242,"frm_payload":")",
           B64Hex("017564030001"),
           R"(",)"
           R"("rx_metadata":[{"gateway_ids":{"gateway_id":"pasila-2"},"rssi":-101,"snr":-2.25}],)"
           R"("received_at":")",
           Iso(t0 + 1000),
           R"(",)"
           R"("version_ids":{"brand_id":"milesight-iot","model_id":"vs340"}}})")});
  // ChirpStack v3, json marshaler: WS202 decoded by ChirpStack's codec.
  messages.push_back(
      {"cs3/application/12/device/24e124128c000001/event/up",
       absl::StrCat(
           R"({"applicationID":"12","deviceName":"ws202-r1","devEUI":")",
           absl::Base64Escape(absl::HexStringToBytes("24e124128c000001")),
           R"(","rxInfo":[{"gatewayID":"AwMDAwMDAwM=","rssi":-48,"loRaSNR":9}],)"
           R"("fCnt":10,"fPort":85,"data":")",
           B64Hex("017510030001"),
           R"(","objectJSON":"{\"battery\":16,\"pir\":\"trigger\"}",)"
           R"("publishedAt":")",
           Iso(t0 + 2000), R"("})")});
  // ChirpStack v3, json_v3 marshaler: VS121 people count 3.
  messages.push_back(
      {"cs3legacy/application/12/device/24e124128c000002/rx",
       absl::StrCat(
           R"({"applicationID":"12","devEUI":"24e124128c000002",)"
           R"("rxInfo":[{"gatewayID":"0303030303030303","time":")",
           Iso(t0 + 3000),
           R"(","rssi":-57,"loRaSNR":10}],"fCnt":5,"fPort":85,)"
           R"("object":{"people_count_all":3,"region_count":8,"people_count_max":5}})")});
  // Haltian Thingsee PRESENCE: occupancy state 1, then a movement count 0.
  messages.push_back(
      {"haltian/cloudext/TSPR04TSC20205001",
       absl::StrCat(
           R"([{"tsmId":2100,"tsmEv":7,"tsmTs":)", (t0 + 4000) / 1000,
           R"(,"tsmTuid":"TSPR04TSC20205001","tsmGw":"TSGW06EWK31903495","state":1},)"
           R"({"tsmId":13100,"tsmEv":10,"tsmTs":)",
           (t0 + 5000) / 1000,
           R"(,"tsmTuid":"TSPR04TSC20205001","moveCount":0}])")});
  // Noise that must not disturb the rest: not JSON, an unknown device, a
  // truncated Elsys frame, a join event.
  messages.push_back({"cs4/application/7/device/a81758fffe0312ab/event/up",
                      "{\"time\": oops"});
  messages.push_back(
      {"cs4/application/7/device/0000000000000001/event/up",
       R"({"deviceInfo":{"devEui":"0000000000000001"},"fCnt":1,"data":"EQI="})"});
  messages.push_back(
      {"cs4/application/7/device/a81758fffe0312ab/event/up",
       absl::StrCat(
           R"({"time":")", Iso(t0 + 6000),
           R"(","deviceInfo":{"devEui":"a81758fffe0312ab"},"fCnt":101,"data":"EQ=="})")});
  messages.push_back({"cs4/application/7/device/a81758fffe0312ab/event/join",
                      R"({"deviceInfo":{"devEui":"a81758fffe0312ab"}})"});
  messages.push_back(ElsysUp(102, t0 + 7000, 0));

  MqttPublisher publisher(broker_->port());
  ASSERT_TRUE(publisher.Publish(messages));

  const std::vector<StoredRow> expected = {
      {"24E124128C000001", t0 + 2000, 1},   // WS202 pir trigger
      {"24E124128C000002", t0 + 3000, 3},   // VS121 count
      {"24E124538B223344", t0 + 1000, 1},   // VS340 occupied
      {"A81758FFFE0312AB", t0, 1},          // ERS desk occupied
      {"A81758FFFE0312AB", t0 + 7000, 0},   // ERS desk free
      {"TSPR04TSC20205001", t0 + 4000, 1},  // Haltian state 1
      {"TSPR04TSC20205001", t0 + 5000, 0},  // Haltian no movement
  };
  std::vector<StoredRow> stored;
  ASSERT_TRUE(WaitFor([&] {
    stored = ReadAllReadings(server_->db_path());
    return stored.size() >= expected.size();
  })) << edge_->Log();
  std::vector<StoredRow> sorted = expected;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(stored, sorted);

  // Health: battery and signal per sensor, last seen the latest uplink
  // (the truncated frame at t0 + 6 s counted as heard from).
  std::map<std::string, Health> health;
  ASSERT_TRUE(WaitFor([&] {
    health = ReadHealth(server_->db_path());
    return health.size() == 5 &&
           health["A81758FFFE0312AB"].last_seen_ms == t0 + 7000;
  })) << edge_->Log();
  EXPECT_EQ(health["A81758FFFE0312AB"].battery_mv, 3600);
  EXPECT_EQ(health["A81758FFFE0312AB"].rssi_dbm, -87);
  EXPECT_EQ(health["A81758FFFE0312AB"].snr_db, 7.5);
  EXPECT_EQ(health["24E124538B223344"].battery_percent, 100);
  EXPECT_EQ(health["24E124538B223344"].rssi_dbm, -101);
  EXPECT_EQ(health["24E124128C000001"].battery_percent, 16);
  EXPECT_EQ(health["24E124128C000002"].rssi_dbm, -57);
  EXPECT_EQ(health["TSPR04TSC20205001"].last_seen_ms, t0 + 5000);

  // The problems were counted by reason and the unknown device named.
  StopEdge(SIGTERM);
  const std::string log = edge_->Log();
  EXPECT_NE(log.find("event=unknown_device device=0000000000000001"),
            std::string::npos);
  EXPECT_NE(log.find("problems=malformed:1,truncated_frame:1"),
            std::string::npos)
      << log;

  // The sensor health listing of the client shows them.
  std::string out, err;
  ASSERT_EQ(RunToCompletion(ClientBinary(),
                            {"--server=" + server_->address(), "--output=csv",
                             "sensor-health", "--gateway=gw-mqtt"},
                            &out, std::chrono::seconds(30), &err),
            0)
      << err;
  EXPECT_NE(out.find("A81758FFFE0312AB"), std::string::npos) << out;
  EXPECT_NE(out.find("LINE-DESK-4"), std::string::npos) << out;  // never heard
}

TEST_F(MqttIngestTest, RedeliveriesAndRestartsStoreEachUplinkOnce) {
  StartEdge();
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 900) * 1000;
  MqttPublisher publisher(broker_->port());
  ASSERT_TRUE(publisher.Publish({ElsysUp(7, t0, 2), ElsysUp(7, t0, 2)}));
  ASSERT_TRUE(WaitFor([&] {
    return edge_->Log().find("duplicate_frames=1") != std::string::npos;
  })) << edge_->Log();
  StopEdge(SIGTERM);
  // While the agent is away the broker keeps the session's messages: the
  // same frame once more (a network server retry) and a new one.
  ASSERT_TRUE(
      publisher.Publish({ElsysUp(7, t0, 2), ElsysUp(8, t0 + 60000, 0)}));
  StartEdge();
  const std::vector<StoredRow> expected = {{"A81758FFFE0312AB", t0, 1},
                                           {"A81758FFFE0312AB", t0 + 60000, 0}};
  ASSERT_TRUE(WaitFor([&] {
    return ReadAllReadings(server_->db_path()).size() >= 2 &&
           edge_->Log().find("duplicate_frames=1") != std::string::npos;
  })) << edge_->Log();
  EXPECT_EQ(ReadAllReadings(server_->db_path()), expected);
}

// In/out counters: running totals become the crossings since the previous
// report, period counts are sent as they are; the server stores flows.
TEST_F(MqttIngestTest, PeopleCounterTotalsAndPeriodsBecomeFlows) {
  StartEdge();
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 1200) * 1000;
  auto up = [&](int fcnt, int64_t ts, const std::string& object) {
    return std::make_pair(
        std::string("cs4/application/7/device/24e124128c000003/event/up"),
        absl::StrCat(R"({"time":")", Iso(ts),
                     R"(","deviceInfo":{"devEui":"24e124128c000003"},"fCnt":)",
                     fcnt, R"(,"fPort":85,"object":)", object,
                     R"(,"rxInfo":[{"rssi":-70,"snr":9}]})"));
  };
  MqttPublisher publisher(broker_->port());
  ASSERT_TRUE(publisher.Publish(
      {up(1, t0, R"({"line_1_total_in":100,"line_1_total_out":90})"),
       up(2, t0 + 300000, R"({"line_1_total_in":107,"line_1_total_out":92})"),
       up(3, t0 + 600000, R"({"line_1_period_in":5,"line_1_period_out":7})")}));
  std::vector<StoredRow> stored;
  ASSERT_TRUE(WaitFor([&] {
    stored = ReadAllReadings(server_->db_path());
    return stored.size() >= 2;
  })) << edge_->Log();
  ASSERT_EQ(stored.size(), 2u);  // the first totals are the baseline only
  EXPECT_EQ(stored[0].ts_ms, t0 + 300000);
  EXPECT_TRUE(IsFlowValue(stored[0].value));
  EXPECT_EQ(FlowEntered(stored[0].value), 7u);
  EXPECT_EQ(FlowExited(stored[0].value), 2u);
  EXPECT_EQ(stored[1].ts_ms, t0 + 600000);
  EXPECT_EQ(FlowEntered(stored[1].value), 5u);
  EXPECT_EQ(FlowExited(stored[1].value), 7u);
  // The baseline uplink was heard from.
  ASSERT_TRUE(WaitFor([&] {
    return ReadHealth(server_->db_path())["24E124128C000003"].last_seen_ms ==
           t0 + 600000;
  }));
}

TEST_F(MqttIngestTest, AgentKilledMidStreamLosesNothing) {
  StartEdge();
  constexpr int kMessages = 3000;
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 2 * 3600) * 1000;
  std::vector<std::pair<std::string, std::string>> messages;
  for (int i = 0; i < kMessages; ++i) {
    messages.push_back(
        ElsysUp(1000 + i, t0 + int64_t{i} * 1000, i % 3 == 0 ? 2 : 0));
  }
  std::thread publishing([&] {
    // In steps, so that the agent is killed while messages keep arriving.
    MqttPublisher publisher(broker_->port());
    for (int i = 0; i < kMessages; i += 100) {
      std::vector<std::pair<std::string, std::string>> step(
          messages.begin() + i,
          messages.begin() + std::min(i + 100, kMessages));
      EXPECT_TRUE(publisher.Publish(step));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  // Kill the agent while messages are arriving.
  ASSERT_TRUE(WaitFor([&] {
    return CountReadings(server_->db_path()) >= kMessages / 10;
  })) << edge_->Log();
  StopEdge(SIGKILL);
  EXPECT_LT(CountReadings(server_->db_path()), kMessages);  // mid-stream
  publishing.join();
  StartEdge();
  std::vector<StoredRow> stored;
  ASSERT_TRUE(WaitFor(
      [&] {
        stored = ReadAllReadings(server_->db_path());
        return static_cast<int>(stored.size()) >= kMessages;
      },
      std::chrono::seconds(60)))
      << stored.size() << " of " << kMessages << "\n"
      << edge_->Log();
  ASSERT_EQ(static_cast<int>(stored.size()), kMessages);
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(stored[i], (StoredRow{"A81758FFFE0312AB", t0 + int64_t{i} * 1000,
                                    i % 3 == 0 ? 1 : 0}))
        << i;
  }
}

TEST_F(MqttIngestTest, LineProtocolOverTcpIsAcknowledgedAfterCommit) {
  StartEdge();
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 300) * 1000;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(tcp_port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string lines = absl::StrCat(
      "LINE-DESK-4 occupied ", Iso(t0), "\n", "LINE-DESK-4 free ", t0 + 60000,
      "\n", "LINE-DESK-4 count=2\n", "NO-SUCH-DESK free\n");
  ASSERT_EQ(::write(fd, lines.data(), lines.size()),
            static_cast<ssize_t>(lines.size()));
  std::string replies;
  char buffer[512];
  while (std::count(replies.begin(), replies.end(), '\n') < 4) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    replies.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(replies,
            "ok\nok\nerror state: sensor \"LINE-DESK-4\" is a desk_presence "
            "sensor: send occupied or free\nerror sensor: \"NO-SUCH-DESK\" is "
            "not served by this gateway\n");
  const std::vector<StoredRow> expected = {{"LINE-DESK-4", t0, 1},
                                           {"LINE-DESK-4", t0 + 60000, 0}};
  ASSERT_TRUE(WaitFor([&] {
    return ReadAllReadings(server_->db_path()).size() >= 2;
  })) << edge_->Log();
  EXPECT_EQ(ReadAllReadings(server_->db_path()), expected);
}

// The agent's peak resident memory in MiB (VmHWM), 0 if unknown.
int64_t PeakRssMib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::strtoll(line.c_str() + 6, nullptr, 10) / 1024;
    }
  }
  return 0;
}

// Messages that used to take the agent down, and with it the building's
// data: every restart met the same unacknowledged message again. Now each
// is refused, counted, logged and acknowledged, and the good uplink behind
// them is stored.
TEST_F(MqttIngestTest, PoisonedMessagesAreAcknowledgedAndTheNextOneIsStored) {
  StartEdge();
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 300) * 1000;
  const std::string up = "cs4/application/7/device/a81758fffe0312ab/event/up";
  auto nested = [](size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  const std::string device = R"({"deviceInfo":{"devEui":"a81758fffe0312ab"},)";
  std::vector<std::pair<std::string, std::string>> messages = {
      // ~200 kB: 100 000 nested arrays as the object, over the 64 KiB cap.
      {up, absl::StrCat(device, R"("fCnt":1,"object":)", nested(100000), "}")},
      // Under the cap, but nested deeper than 32 levels: fCnt, object, and
      // a Haltian tsmId.
      {up, absl::StrCat(device, R"("fCnt":)", nested(15000), "}")},
      {up, absl::StrCat(device, R"("fCnt":2,"object":)", nested(40), "}")},
      {"haltian/cloudext/TSPR04TSC20205001",
       absl::StrCat(R"({"tsmId":)", nested(20000), "}")},
      // 50 MB of '[' (the broker's default message_size_limit allows it).
      {up, std::string(50 << 20, '[')},
      ElsysUp(3, t0, 2),
  };
  MqttPublisher publisher(broker_->port());
  ASSERT_TRUE(publisher.Publish(messages));
  const std::vector<StoredRow> expected = {{"A81758FFFE0312AB", t0, 1}};
  ASSERT_TRUE(WaitFor([&] {
    return !ReadAllReadings(server_->db_path()).empty();
  })) << edge_->Log();
  EXPECT_EQ(ReadAllReadings(server_->db_path()), expected);
  ASSERT_TRUE(edge_->running()) << edge_->Log();
  // Not a DOM of the 50 MB: the payload itself, once, in libmosquitto.
  const int64_t peak_mib = PeakRssMib(edge_->pid());
  EXPECT_LT(peak_mib, 300) << "peak RSS " << peak_mib << " MiB";
  std::cerr << "agent peak RSS after a 50 MB message: " << peak_mib << " MiB\n";
  ASSERT_TRUE(WaitFor([&] {
    return edge_->Log().find("problems=too_deep:3,too_large:2") !=
           std::string::npos;
  })) << edge_->Log();
  const std::string log = edge_->Log();
  EXPECT_NE(log.find("reason=too_large topic=" + up +
                     " device=a81758fffe0312ab error=\"payload: 2"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("is over the limit of 65536 (--mqtt_max_payload_bytes)"),
            std::string::npos);
  EXPECT_NE(log.find("reason=too_deep topic=haltian/cloudext/TSPR04TSC20205001 "
                     "device=haltian/cloudext/TSPR04TSC20205001"),
            std::string::npos)
      << log;

  // Acknowledged: a restarted agent is not given them again.
  StopEdge(SIGTERM);
  StartEdge();
  ASSERT_TRUE(WaitFor([&] {
    return edge_->Log().find("event=status_inputs") != std::string::npos;
  })) << edge_->Log();
  EXPECT_NE(
      edge_->Log().find("event=status_inputs gateway=gw-mqtt messages=0 "),
      std::string::npos)
      << edge_->Log();
  EXPECT_EQ(edge_->Log().find("input_problem"), std::string::npos);
}

// TLS to the broker (a CA the test makes) and password authentication.
TEST(MqttTlsTest, TlsAndPasswordAuthentication) {
  TempDir dir;
  BrokerSecurity security;
  ASSERT_TRUE(MakeBrokerSecurity(dir, &security));
  MosquittoBroker broker(dir, &security);
  ASSERT_TRUE(broker.ready());
  ServerProcess server(dir, 0, "server");
  ASSERT_GT(server.port(), 0);
  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << Inventory();
  std::string out, err;
  ASSERT_EQ(RunToCompletion(
                ClientBinary(),
                {"--server=" + server.address(), "import-inventory", inventory},
                &out, std::chrono::seconds(60), &err),
            0)
      << out << err;
  std::ofstream(dir.File("password")) << security.password << "\n";
  std::ofstream(dir.File("inputs.json")) << absl::StrCat(
      R"({"mqtt": {"host": "127.0.0.1", "port": )", broker.port(),
      R"(, "username": ")", security.username, R"(", "password_file": ")",
      dir.File("password"), R"(", "tls": {"ca_file": ")", security.ca_file,
      R"("}, "subscriptions": [{"topic": "cs4/application/+/device/+/event/up",)"
      R"( "format": "chirpstack_v4", "codec": "elsys"}]}})");
  Process edge(
      EdgeBinary(),
      {"--server=" + server.address(), absl::StrCat("--gateway=", kGateway),
       "--outbox=" + dir.File("outbox.db"),
       "--inputs=" + dir.File("inputs.json")},
      dir.File("edge.log"));
  ASSERT_TRUE(WaitFor([&] {
    return edge.Log().find("event=mqtt_connected") != std::string::npos;
  })) << edge.Log();
  const int64_t t0 = (absl::ToUnixMillis(absl::Now()) / 1000 - 60) * 1000;
  MqttPublisher publisher(broker.port(), &security);
  ASSERT_TRUE(publisher.Publish({ElsysUp(1, t0, 2)}));
  const std::vector<StoredRow> expected = {{"A81758FFFE0312AB", t0, 1}};
  ASSERT_TRUE(WaitFor([&] {
    return !ReadAllReadings(server.db_path()).empty();
  })) << edge.Log();
  EXPECT_EQ(ReadAllReadings(server.db_path()), expected);
}

}  // namespace
}  // namespace monipaikka::testing
