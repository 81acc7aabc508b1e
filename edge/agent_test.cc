#include "edge/agent.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"
#include "edge/fake_server.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

using std::chrono::milliseconds;
using testing::FakeServer;
using testing::FakeServerOptions;
using testing::IngestRecorder;

constexpr char kGateway[] = "gw-hki-vt-2";

// The inventory: five desks and a people counter behind this gateway, one
// desk behind another gateway.
FakeServerOptions Inventory() {
  FakeServerOptions options;
  v1::Site site;
  site.set_code("HKI-VT");
  site.set_timezone("Europe/Helsinki");
  options.sites.push_back(site);
  for (int i = 0; i < 5; ++i) {
    v1::Sensor sensor;
    sensor.set_external_id(absl::StrCat("DESK-", i));
    sensor.set_kind("desk_presence");
    sensor.set_workstation(absl::StrCat("HKI-VT-2-A-00", i));
    sensor.set_gateway(kGateway);
    sensor.set_site("HKI-VT");
    options.sensors.push_back(sensor);
  }
  v1::Sensor counter;
  counter.set_external_id("DOOR-1");
  counter.set_kind("people_counter");
  counter.set_space("HKI-VT-2");
  counter.set_gateway(kGateway);
  counter.set_site("HKI-VT");
  options.sensors.push_back(counter);
  v1::Sensor elsewhere;
  elsewhere.set_external_id("DESK-OTHER");
  elsewhere.set_kind("desk_presence");
  elsewhere.set_gateway("gw-other");
  elsewhere.set_site("HKI-VT");
  options.sensors.push_back(elsewhere);
  return options;
}

std::vector<SimulatedDesk> Desks() {
  std::vector<SimulatedDesk> desks;
  for (int i = 0; i < 5; ++i) {
    desks.push_back({absl::StrCat("DESK-", i), "Europe/Helsinki", {}, {}});
  }
  return desks;
}

int64_t HelsinkiMidnight(absl::CivilDay day) {
  return LocalToMs(absl::CivilSecond(day), *LoadZone("Europe/Helsinki"));
}

using Observation = std::tuple<std::string, int64_t, bool>;

std::set<Observation> Received(const IngestRecorder& recorder) {
  std::set<Observation> result;
  for (const v1::ReadingBatch& batch : recorder.batches()) {
    for (const v1::Reading& r : batch.readings()) {
      result.emplace(r.sensor(), r.ts_ms(), r.occupied());
    }
  }
  return result;
}

std::set<Observation> Expected(int64_t from_ms, int64_t to_ms, uint64_t seed) {
  std::set<Observation> result;
  for (const Reading& r :
       Simulator::Create(Desks(), seed)->ReadingsBetween(from_ms, to_ms)) {
    result.emplace(r.sensor, r.ts_ms, r.occupied);
  }
  return result;
}

// An agent running on its own thread; stopped and joined at the latest when
// destroyed (also when an assertion returns early).
class RunningAgent {
 public:
  explicit RunningAgent(const AgentOptions& options) {
    absl::StatusOr<std::unique_ptr<Agent>> agent = Agent::Create(options);
    EXPECT_TRUE(agent.ok()) << agent.status();
    if (!agent.ok()) return;
    agent_ = *std::move(agent);
    thread_ = std::thread([this] { status_ = agent_->Run(); });
  }
  ~RunningAgent() { StopAndJoin().IgnoreError(); }

  absl::Status StopAndJoin() {
    if (thread_.joinable()) {
      agent_->Stop();
      thread_.join();
    }
    return status_;
  }

 private:
  std::unique_ptr<Agent> agent_;
  std::thread thread_;
  absl::Status status_ = absl::UnknownError("agent did not run");
};

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("edge_agent_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  AgentOptions Options(const FakeServer& server) {
    AgentOptions options;
    options.server = server.address();
    options.gateway = kGateway;
    options.outbox_path = (dir_ / "outbox.db").string();
    options.seed = 11;
    options.batch_size = 250;
    options.status_interval = std::chrono::seconds(0);
    options.handle_signals = false;
    options.backoff.initial = milliseconds(50);
    options.backoff.cap = milliseconds(500);
    options.jitter_seed = 3;
    return options;
  }

  std::filesystem::path dir_;
};

TEST_F(AgentTest, BackfillIsDeliveredAndTheAgentExitsWhenDrained) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, Inventory());
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  options.backfill_from = absl::CivilDay(2025, 3, 3);
  options.backfill_to = absl::CivilDay(2025, 3, 5);
  options.exit_when_drained = true;
  absl::StatusOr<std::unique_ptr<Agent>> agent = Agent::Create(options);
  ASSERT_TRUE(agent.ok()) << agent.status();
  ASSERT_TRUE((*agent)->Run().ok());

  // Exactly the simulation of the three local days of this gateway's desks.
  const std::set<Observation> expected =
      Expected(HelsinkiMidnight(absl::CivilDay(2025, 3, 3)),
               HelsinkiMidnight(absl::CivilDay(2025, 3, 6)), 11);
  EXPECT_EQ(Received(recorder), expected);
  const AgentCounters counters = (*agent)->counters();
  EXPECT_EQ(counters.produced, static_cast<int64_t>(expected.size()));
  EXPECT_EQ(counters.uplink.accepted, counters.produced);
  agent->reset();

  // The outbox is empty and remembers the gateway's sensors.
  std::unique_ptr<Outbox> outbox = *Outbox::Open(options.outbox_path);
  EXPECT_TRUE(*outbox->IsEmpty());
  std::vector<ServedSensor> cached = *outbox->LoadServedSensors();
  ASSERT_EQ(cached.size(), 6u);
  EXPECT_EQ(cached[0].external_id, "DESK-0");
  EXPECT_EQ(cached[0].timezone, "Europe/Helsinki");
  EXPECT_EQ(cached[5].external_id, "DOOR-1");
  EXPECT_EQ(cached[5].kind, "people_counter");
}

TEST_F(AgentTest, UsesTheCachedSensorsWhenTheInventoryIsUnavailable) {
  IngestRecorder recorder;
  {
    // A first run fetches the sensor list (it needs it for the backfill).
    std::unique_ptr<FakeServer> server =
        FakeServer::Start(&recorder, Inventory());
    ASSERT_NE(server, nullptr);
    AgentOptions options = Options(*server);
    options.backfill_from = absl::CivilDay(2025, 3, 9);
    options.backfill_to = absl::CivilDay(2025, 3, 9);
    options.exit_when_drained = true;
    ASSERT_TRUE((*Agent::Create(options))->Run().ok());
  }
  FakeServerOptions no_inventory;
  no_inventory.serve_inventory = false;  // ListSensors: UNIMPLEMENTED
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, no_inventory);
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  options.backfill_from = absl::CivilDay(2025, 3, 10);
  options.backfill_to = absl::CivilDay(2025, 3, 10);
  options.exit_when_drained = true;
  std::unique_ptr<Agent> agent = *Agent::Create(options);
  ASSERT_TRUE(agent->Run().ok());
  EXPECT_EQ(Received(recorder),
            Expected(HelsinkiMidnight(absl::CivilDay(2025, 3, 9)),
                     HelsinkiMidnight(absl::CivilDay(2025, 3, 11)), 11));
}

TEST_F(AgentTest, BackfillLeavesOutTheFuture) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, Inventory());
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  const int64_t now =
      HelsinkiMidnight(absl::CivilDay(2025, 3, 5)) + 10 * 3600000;
  options.now_ms = [now] { return now; };
  options.backfill_from = absl::CivilDay(2025, 3, 5);
  options.backfill_to = absl::CivilDay(2025, 3, 7);
  options.exit_when_drained = true;
  std::unique_ptr<Agent> agent = *Agent::Create(options);
  ASSERT_TRUE(agent->Run().ok());
  EXPECT_EQ(Received(recorder),
            Expected(HelsinkiMidnight(absl::CivilDay(2025, 3, 5)), now, 11));
}

TEST_F(AgentTest, LiveSimulationSendsReadingsAsTimePassesAndStopsCleanly) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, Inventory());
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  const int64_t start =
      HelsinkiMidnight(absl::CivilDay(2025, 3, 5)) + 8 * 3600000;
  std::atomic<int64_t> clock{start};
  options.now_ms = [&clock] { return clock.load(); };
  options.simulate = true;
  options.live_interval = milliseconds(20);
  auto agent = std::make_unique<RunningAgent>(options);

  // Live mode has started (at `start`, as no earlier run produced anything).
  auto produced_through = [&]() -> std::optional<int64_t> {
    absl::StatusOr<std::unique_ptr<Outbox>> reader =
        Outbox::Open(options.outbox_path);
    if (!reader.ok()) return std::nullopt;
    absl::StatusOr<std::optional<int64_t>> through =
        (*reader)->ProducedThroughMs();
    return through.ok() ? *through : std::nullopt;
  };
  const auto started_deadline =
      std::chrono::steady_clock::now() + milliseconds(10000);
  while (produced_through() != std::optional<int64_t>(start) &&
         std::chrono::steady_clock::now() < started_deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_EQ(produced_through(), std::optional<int64_t>(start));
  // Two hours pass in two steps.
  clock = start + 3600000;
  std::this_thread::sleep_for(milliseconds(100));
  clock = start + 2 * 3600000;
  const std::set<Observation> expected =
      Expected(start, start + 2 * 3600000, 11);
  ASSERT_GT(expected.size(), 5u * 8);
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(10000);
  while (Received(recorder).size() < expected.size() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(agent->StopAndJoin().ok());
  EXPECT_EQ(Received(recorder), expected);

  // A restart an hour later resumes where the simulation stopped: no gap.
  clock = start + 3 * 3600000;
  agent.reset();  // releases the outbox
  agent = std::make_unique<RunningAgent>(options);
  const std::set<Observation> all = Expected(start, start + 3 * 3600000, 11);
  const auto second_deadline =
      std::chrono::steady_clock::now() + milliseconds(10000);
  while (Received(recorder).size() < all.size() &&
         std::chrono::steady_clock::now() < second_deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(agent->StopAndJoin().ok());
  EXPECT_EQ(Received(recorder), all);
}

// The loop beats while it runs (what the systemd watchdog of edge/main.cc
// checks) and stops beating once the agent stops.
TEST_F(AgentTest, HeartbeatsWhileTheLoopRuns) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, Inventory());
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  options.simulate = true;
  std::atomic<int> beats{0};
  options.on_heartbeat = [&beats] { ++beats; };
  options.heartbeat_interval = milliseconds(10);
  auto agent = std::make_unique<RunningAgent>(options);
  const auto deadline = std::chrono::steady_clock::now() + milliseconds(10000);
  while (beats.load() < 5 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_GE(beats.load(), 5);
  EXPECT_TRUE(agent->StopAndJoin().ok());
  const int after_stop = beats.load();
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(beats.load(), after_stop);
}

TEST_F(AgentTest, RefusesAnOutboxOfAnotherGateway) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, Inventory());
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  ASSERT_TRUE(Agent::Create(options).ok());
  options.gateway = "gw-other";
  absl::StatusOr<std::unique_ptr<Agent>> other = Agent::Create(options);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AgentTest, RefusesAnOutboxInUseByAnotherAgent) {
  IngestRecorder recorder;
  std::unique_ptr<FakeServer> server =
      FakeServer::Start(&recorder, Inventory());
  ASSERT_NE(server, nullptr);
  AgentOptions options = Options(*server);
  absl::StatusOr<std::unique_ptr<Agent>> first = Agent::Create(options);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<Agent>> second = Agent::Create(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
  // Free again once the first agent is gone.
  first->reset();
  EXPECT_TRUE(Agent::Create(options).ok());
}

TEST(AgentOptionsTest, ErrorsNameTheFlag) {
  AgentOptions options;
  EXPECT_NE(ValidateAgentOptions(options).message().find("--gateway"),
            std::string::npos);
  options.gateway = "gw";
  EXPECT_TRUE(ValidateAgentOptions(options).ok());

  AgentOptions bad = options;
  bad.batch_size = 20000;
  EXPECT_NE(ValidateAgentOptions(bad).message().find("--batch_size"),
            std::string::npos);
  bad = options;
  bad.max_in_flight = 0;
  EXPECT_NE(ValidateAgentOptions(bad).message().find("--max_in_flight"),
            std::string::npos);
  bad = options;
  bad.backfill_from = absl::CivilDay(2025, 3, 3);
  EXPECT_NE(ValidateAgentOptions(bad).message().find("--backfill_to"),
            std::string::npos);
  bad.backfill_to = absl::CivilDay(2025, 3, 1);
  EXPECT_NE(ValidateAgentOptions(bad).message().find("--backfill_from"),
            std::string::npos);
  bad = options;
  bad.simulate = true;
  bad.exit_when_drained = true;
  EXPECT_NE(ValidateAgentOptions(bad).message().find("--exit_when_drained"),
            std::string::npos);
  bad = options;
  bad.line_idle_timeout = std::chrono::milliseconds(0);
  EXPECT_NE(ValidateAgentOptions(bad).message().find("--line_idle_timeout_s"),
            std::string::npos);
}

TEST(AgentOptionsTest, LineInputsOffLoopbackNeedTheFlag) {
  AgentOptions options;
  options.gateway = "gw";
  options.inputs.emplace();
  options.inputs->tcp_listen = "127.0.0.1:7702";
  options.inputs->udp_listen = "[::1]:7701";
  EXPECT_TRUE(ValidateAgentOptions(options).ok());
  for (const char* address : {"0.0.0.0:7702", "10.1.2.3:7702", "[::]:7702"}) {
    AgentOptions open = options;
    open.inputs->tcp_listen = address;
    const absl::Status refused = ValidateAgentOptions(open);
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << address;
    EXPECT_NE(refused.message().find("--line_allow_non_loopback"),
              std::string::npos)
        << refused;
    EXPECT_NE(refused.message().find(address), std::string::npos) << refused;
    open.line_allow_non_loopback = true;
    EXPECT_TRUE(ValidateAgentOptions(open).ok()) << address;
  }
  AgentOptions udp = options;
  udp.inputs->udp_listen = "192.168.0.5:7701";
  EXPECT_NE(ValidateAgentOptions(udp).message().find("line.udp"),
            std::string::npos);
}

#ifdef MONIPAIKKA_EDGE_BINARY
// Runs the real binary; returns its exit status and what it wrote.
std::pair<int, std::string> RunEdge(const std::string& arguments) {
  std::string command =
      absl::StrCat(MONIPAIKKA_EDGE_BINARY, " ", arguments, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(EdgeMainTest, BadFlagsExitWithStatusTwoNamingTheFlag) {
  for (const auto& [arguments, flag] :
       std::vector<std::pair<std::string, std::string>>{
           {"", "--gateway"},
           {"--gateway=gw --batch_size=0", "--batch_size"},
           {"--gateway=gw --batch_size=abc", "batch_size"},
           {"--gateway=gw --backfill_from=2025-13-01 --backfill_to=2025-12-31",
            "--backfill_from"},
           {"--gateway=gw --backfill_from=2025-03-01", "--backfill_to"},
           {"--gateway=gw --no_such_flag", "no_such_flag"},
           {"--gateway=gw --simulate --exit_when_drained",
            "--exit_when_drained"},
           {"--gateway=gw --sqlite_synchronous=off", "--sqlite_synchronous"},
           {"--gateway=gw --line_idle_timeout_s=0", "--line_idle_timeout_s"}}) {
    auto [status, output] = RunEdge(arguments);
    EXPECT_EQ(status, 2) << arguments << "\n" << output;
    EXPECT_NE(output.find(flag), std::string::npos) << arguments << "\n"
                                                    << output;
  }
}
#endif

}  // namespace
}  // namespace monipaikka::edge
