// Edge MQTT benchmark: how many MQTT messages per second one edge agent turns
// from network-server JSON into readings forwarded to (and committed by) the
// server, on one core, and the agent's resident memory with 5,000 known
// sensors.
//
// Set-up, all on 127.0.0.1: the server runs in this process, a mosquitto
// broker and the real monipaikka-edge binary run as child processes. The
// agent is pinned to one CPU (the last one), everything else to the others,
// so the agent's figure is what one core does. Steps:
//  1. import an inventory of --sensors desk sensors (Elsys ERS Desk DevEUIs)
//     behind one gateway;
//  2. start the agent once so that the broker creates its persistent session
//     (QoS 1 subscription to ChirpStack v4 uplinks), then stop it;
//  3. publish --messages ChirpStack v4 uplink events (realistic ~800 byte
//     JSON with rxInfo/txInfo, base64 Elsys frames decoded by the agent,
//     round-robin over the sensors) into the broker, which queues them;
//  4. start the agent and time it from process start until the server has
//     committed every reading; read the agent's CPU time and RSS from /proc.
// Figures: messages/s (wall), messages per CPU-second of the agent, peak and
// final RSS in MiB. Targets: >= 20,000 messages/s, < 30 MiB resident.
//
// Usage: edge_mqtt_bench [--messages=200000] [--sensors=5000] [--dir=/tmp]
//                        [--edge=PATH] [--mosquitto=/usr/sbin/mosquitto]

#include <grpcpp/grpcpp.h>
#include <mosquitto.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "bench/in_process_server.h"
#include "common/bearer_token.h"
#include "common/time_format.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "server/server.h"

ABSL_FLAG(int, messages, 200000, "MQTT messages to process");
ABSL_FLAG(int, sensors, 5000, "known sensors (desk presence, one gateway)");
ABSL_FLAG(std::string, dir, "/tmp", "where the benchmark files go");
ABSL_FLAG(std::string, edge, MONIPAIKKA_EDGE_BIN, "monipaikka-edge binary");
ABSL_FLAG(std::string, mosquitto, "/usr/sbin/mosquitto", "mosquitto broker");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kGateway[] = "gw-bench";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "edge_mqtt_bench: %s\n", what.c_str());
  std::exit(1);
}

int Cpus() {
  return std::max(1, static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
}

void PinTo(int first, int last) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu = first; cpu <= last; ++cpu) CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

// Starts `argv` with stdout/stderr to `log`, pinned to CPUs first..last.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log,
            int first_cpu, int last_cpu) {
  const pid_t pid = fork();
  if (pid < 0) Fail("fork failed");
  if (pid == 0) {
    PinTo(first_cpu, last_cpu);
    FILE* out = std::fopen(log.c_str(), "w");
    if (out != nullptr) {
      dup2(fileno(out), 1);
      dup2(fileno(out), 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void Stop(pid_t pid) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// (utime + stime) in seconds, and VmHWM / VmRSS in KiB, of `pid`.
struct ProcessFigures {
  double cpu_s = 0;
  int64_t hwm_kib = 0;
  int64_t rss_kib = 0;
  // Of rss_kib: private memory, and pages of mapped files (shared libraries).
  int64_t anon_kib = 0;
  int64_t file_kib = 0;
};
ProcessFigures Measure(pid_t pid) {
  ProcessFigures figures;
  std::string stat = Slurp(absl::StrCat("/proc/", pid, "/stat"));
  const size_t paren = stat.rfind(')');
  if (paren != std::string::npos) {
    std::istringstream fields(stat.substr(paren + 2));
    std::string field;
    std::vector<std::string> values;
    while (fields >> field) values.push_back(field);
    // After the name: state is field 3; utime 14, stime 15 (1-based).
    if (values.size() > 13) {
      const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
      figures.cpu_s = (std::stod(values[11]) + std::stod(values[12])) / ticks;
    }
  }
  std::istringstream status(Slurp(absl::StrCat("/proc/", pid, "/status")));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0)
      figures.hwm_kib = std::stoll(line.substr(6));
    if (line.rfind("VmRSS:", 0) == 0)
      figures.rss_kib = std::stoll(line.substr(6));
    if (line.rfind("RssAnon:", 0) == 0)
      figures.anon_kib = std::stoll(line.substr(8));
    if (line.rfind("RssFile:", 0) == 0)
      figures.file_kib = std::stoll(line.substr(8));
  }
  return figures;
}

std::string DevEui(int i) { return absl::StrFormat("a81758fffe%06x", i); }

v1::Inventory MakeInventory(int sensors) {
  v1::Inventory inventory;
  v1::Organization* org = inventory.add_organizations();
  org->set_code("BENCH");
  org->set_name("Benchmark");
  v1::Site* site = inventory.add_sites();
  site->set_code("BENCH-SITE");
  site->set_name("Benchmark house");
  site->set_kind("D");
  site->set_timezone("Europe/Helsinki");
  v1::Space* floor = inventory.add_spaces();
  floor->set_code("BENCH-F1");
  floor->set_site("BENCH-SITE");
  floor->set_level("floor");
  for (int i = 0; i < sensors; ++i) {
    v1::Workstation* ws = inventory.add_workstations();
    ws->set_code(absl::StrCat("BENCH-WS-", i));
    ws->set_space("BENCH-F1");
    ws->set_kind("unassigned");
    ws->set_organization("BENCH");
    v1::Sensor* sensor = inventory.add_sensors();
    sensor->set_external_id(DevEui(i));
    sensor->set_kind("desk_presence");
    sensor->set_workstation(ws->code());
    sensor->set_gateway(kGateway);
  }
  return inventory;
}

// A ChirpStack v4 uplink event of an Elsys ERS Desk: temperature, humidity,
// light, occupancy, VDD.
std::string Uplink(int sensor, uint32_t fcnt, int64_t ts_ms, bool occupied) {
  const std::string frame = absl::HexStringToBytes(
      absl::StrFormat("0100e20229040027110%d070e10", occupied ? 2 : 0));
  return absl::StrCat(
      R"({"deduplicationId":"3ac7e3c4-4401-4b8d-9386-)",
      absl::StrFormat("%012x", fcnt), R"(","time":")", FormatInstantMs(ts_ms),
      R"(","deviceInfo":{"tenantId":"52f14cd4-c6f1-4fbd-8f87-4025e1d49242",)"
      R"("tenantName":"Valtion toimitilat","applicationId":"17c82e96-be03-4f38-aef3-f83d48582d97",)"
      R"("applicationName":"Pasila desks","deviceProfileId":"14855bf7-d10d-4aee-b618-ebfcb64dc7ad",)"
      R"("deviceProfileName":"ELSYS ERS Desk","deviceName":"desk-)",
      sensor, R"(","devEui":")", DevEui(sensor),
      R"(","tags":{}},"devAddr":"00189440","adr":true,"dr":5,"fCnt":)", fcnt,
      R"(,"fPort":5,"confirmed":false,"data":")", absl::Base64Escape(frame),
      R"(","rxInfo":[{"gatewayId":"0016c001f153a14c","uplinkId":4217106255,)"
      R"("rssi":-87,"snr":7.5,"channel":2,"location":{},"context":"E3OWOQ==",)"
      R"("metadata":{"region_common_name":"EU868","region_config_id":"eu868"}}],)"
      R"("txInfo":{"frequency":868500000,"modulation":{"lora":{"bandwidth":125000,)"
      R"("spreadingFactor":7,"codeRate":"CR_4_5"}}}})");
}

void PublishAll(int port, const std::vector<std::string>& payloads,
                const std::vector<std::string>& topics) {
  mosquitto_lib_init();
  struct mosquitto* mosq = mosquitto_new(nullptr, true, nullptr);
  static int acknowledged = 0;
  mosquitto_publish_callback_set(
      mosq, [](struct mosquitto*, void*, int) { ++acknowledged; });
  if (mosquitto_connect(mosq, "127.0.0.1", port, 60) != MOSQ_ERR_SUCCESS) {
    Fail("publisher cannot connect");
  }
  size_t sent = 0;
  while (acknowledged < static_cast<int>(payloads.size())) {
    while (sent < payloads.size() && sent - acknowledged < 500) {
      if (mosquitto_publish(mosq, nullptr, topics[sent].c_str(),
                            static_cast<int>(payloads[sent].size()),
                            payloads[sent].data(), 1,
                            false) != MOSQ_ERR_SUCCESS) {
        Fail("publish failed");
      }
      ++sent;
    }
    if (mosquitto_loop(mosq, 100, 100) != MOSQ_ERR_SUCCESS)
      Fail("publisher lost");
  }
  mosquitto_disconnect(mosq);
  mosquitto_destroy(mosq);
}

template <typename Predicate>
bool WaitFor(Predicate predicate, std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return predicate();
}

int Main() {
  const int messages = absl::GetFlag(FLAGS_messages);
  const int sensors = absl::GetFlag(FLAGS_sensors);
  const std::string dir =
      absl::GetFlag(FLAGS_dir) + "/monipaikka-edge-mqtt-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const int cpus = Cpus();
  const int agent_cpu = cpus - 1;
  const int others_last = std::max(0, cpus - 2);
  PinTo(0, others_last);  // this process: server and publisher

  ServerOptions options;
  options.database = dir + "/server.db";
  InProcessServer bench = StartInProcessServer(options);
  const std::string& address = bench.address;
  const std::shared_ptr<grpc::Channel>& channel = bench.channel;
  // The agent speaks with a device token of its gateway, as in production.
  NewToken device;
  device.name = "benchmark edge";
  device.role = Role::kDevice;
  device.gateway = kGateway;
  absl::StatusOr<std::string> device_token = bench.server->CreateToken(device);
  if (!device_token.ok()) Fail(std::string(device_token.status().message()));
  std::ofstream(dir + "/edge.token") << *device_token << "\n";
  {
    auto stub = v1::InventoryService::NewStub(channel);
    grpc::ClientContext context;
    v1::ImportInventoryRequest request;
    *request.mutable_inventory() = MakeInventory(sensors);
    v1::ImportInventoryResponse response;
    grpc::Status status = stub->ImportInventory(&context, request, &response);
    if (!status.ok()) Fail("import: " + status.error_message());
  }

  // The broker, with room for the whole backlog in the agent's session and
  // no limit on unacknowledged messages in flight to it.
  const int broker_port = 18800 + static_cast<int>(getpid() % 1000);
  std::ofstream(dir + "/mosquitto.conf")
      << "listener " << broker_port << " 127.0.0.1\nallow_anonymous true\n"
      << "persistence false\nmax_queued_messages 0\nmax_queued_bytes 0\n"
      << "max_inflight_messages 0\n";
  const pid_t broker =
      Spawn({absl::GetFlag(FLAGS_mosquitto), "-c", dir + "/mosquitto.conf"},
            dir + "/mosquitto.log", 0, others_last);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::ofstream(dir + "/inputs.json") << absl::StrCat(
      R"({"mqtt": {"host": "127.0.0.1", "port": )", broker_port,
      R"(, "subscriptions": [{"topic": "application/+/device/+/event/up",)"
      R"( "format": "chirpstack_v4", "codec": "elsys", "qos": 1}]}})");
  const std::vector<std::string> edge_args = {
      absl::GetFlag(FLAGS_edge),
      "--server=" + address,
      absl::StrCat("--gateway=", kGateway),
      "--outbox=" + dir + "/outbox.db",
      "--inputs=" + dir + "/inputs.json",
      "--status_interval_s=0",
      "--token_file=" + dir + "/edge.token"};

  // 2. The persistent session.
  pid_t edge = Spawn(edge_args, dir + "/edge-1.log", agent_cpu, agent_cpu);
  if (!WaitFor(
          [&] {
            return Slurp(dir + "/edge-1.log").find("mqtt_connected") !=
                   std::string::npos;
          },
          std::chrono::seconds(30))) {
    Fail("the agent did not connect: " + Slurp(dir + "/edge-1.log"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  Stop(edge);

  // 3. The backlog.
  const int64_t start_ms = absl::ToUnixMillis(absl::Now()) - 6 * 3600 * 1000;
  std::vector<std::string> payloads;
  std::vector<std::string> topics;
  payloads.reserve(messages);
  topics.reserve(messages);
  size_t bytes = 0;
  for (int i = 0; i < messages; ++i) {
    const int sensor = i % sensors;
    const uint32_t fcnt = static_cast<uint32_t>(i / sensors) + 1;
    payloads.push_back(
        Uplink(sensor, fcnt, start_ms + i * 10, (i / sensors) % 2));
    topics.push_back(absl::StrCat("application/17c82e96/device/",
                                  DevEui(sensor), "/event/up"));
    bytes += payloads.back().size();
  }
  const auto publish_started = Clock::now();
  PublishAll(broker_port, payloads, topics);
  const double publish_s =
      std::chrono::duration<double>(Clock::now() - publish_started).count();

  // 4. The measured run.
  const uint64_t accepted_before = bench.server->counters().accepted.load();
  const auto started = Clock::now();
  edge = Spawn(edge_args, dir + "/edge-2.log", agent_cpu, agent_cpu);
  ProcessFigures figures;
  const bool done = WaitFor(
      [&] {
        figures = Measure(edge);  // the last sample before it is stopped
        return bench.server->counters().accepted.load() - accepted_before >=
               static_cast<uint64_t>(messages);
      },
      std::chrono::seconds(600));
  const double seconds =
      std::chrono::duration<double>(Clock::now() - started).count();
  figures = Measure(edge);
  Stop(edge);
  Stop(broker);
  const uint64_t accepted =
      bench.server->counters().accepted.load() - accepted_before;
  bench.server->Shutdown();
  if (!done) {
    Fail(absl::StrCat("only ", accepted, " of ", messages,
                      " readings arrived: ", Slurp(dir + "/edge-2.log")));
  }
  std::printf(
      "messages: %d ChirpStack v4 uplinks (%.0f bytes average), "
      "%d known sensors, QoS 1\n",
      messages, static_cast<double>(bytes) / messages, sensors);
  std::printf("publish into the broker: %.1f s (not measured)\n", publish_s);
  std::printf("agent on CPU %d of %d: %.2f s wall, %.2f s CPU\n", agent_cpu,
              cpus, seconds, figures.cpu_s);
  std::printf(
      "throughput: %.0f messages/s (wall, MQTT JSON -> committed by the "
      "server)\n",
      messages / seconds);
  std::printf("agent CPU cost: %.0f messages per CPU-second\n",
              figures.cpu_s > 0 ? messages / figures.cpu_s : 0.0);
  std::printf(
      "agent memory: %.1f MiB peak resident (VmHWM), %.1f MiB at the "
      "end (VmRSS)\n",
      figures.hwm_kib / 1024.0, figures.rss_kib / 1024.0);
  std::printf(
      "  of which %.1f MiB private (heap, stacks, SQLite cache) and "
      "%.1f MiB mapped files (code of the shared libraries)\n",
      figures.anon_kib / 1024.0, figures.file_kib / 1024.0);
  std::printf("targets: >= 20000 messages/s %s; < 30 MiB resident %s\n",
              messages / seconds >= 20000 ? "MET" : "MISSED",
              figures.hwm_kib < 30 * 1024 ? "MET" : "MISSED");
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
