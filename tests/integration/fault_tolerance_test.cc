// Faults the system survives, each with the real server and edge agent on
// 127.0.0.1:
//  - the server is down for a while as the edge keeps receiving readings
//    (line protocol over TCP): the outbox grows, the agent is killed
//    (SIGKILL) and restarted meanwhile, its outbox is intact and drains once
//    the server is back; every reading stored exactly once;
//  - the outbox's disk budget is used up: the newest readings are refused
//    and counted, what was queued is delivered;
//  - the connection is reset mid-stream (RST, through a proxy): the agent
//    reconnects and resends only what was not acknowledged;
//  - the server's disk fills (a tmpfs): ingest says so, the server stays
//    up, and ingest recovers once space is freed.
// (The server killed mid-commit is crash_recovery_test.cc.)

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/sqlite.h"
#include "common/time_format.h"
#include "tests/support/cluster.h"
#include "tests/support/tcp_proxy.h"
#include "tests/support/wait_for.h"

namespace monipaikka::testing {
namespace {

constexpr char kGateway[] = "gw-fault";
constexpr int kDesks = 10;

// The value of `key` in the last log line of `event`, if any.
std::optional<int64_t> LastLogValue(const std::string& log,
                                    const std::string& event,
                                    const std::string& key) {
  std::optional<int64_t> value;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (line.find(" event=" + event + " ") == absl::string_view::npos) continue;
    for (absl::string_view field : absl::StrSplit(line, ' ')) {
      std::pair<absl::string_view, absl::string_view> kv =
          absl::StrSplit(field, absl::MaxSplits('=', 1));
      int64_t number = 0;
      if (kv.first == key && absl::SimpleAtoi(kv.second, &number)) {
        value = number;
      }
    }
  }
  return value;
}

// A device token of `gateway`, created through the client as admin and
// written to a file in `dir` for the agent's --token_file; the file's path.
std::string DeviceTokenFile(const ServerProcess& server, const TempDir& dir,
                            const std::string& gateway) {
  const std::string token = CreateToken(server, server.admin_token(), "device",
                                        gateway, {"--gateway=" + gateway});
  const std::string path = dir.File(gateway + ".token");
  std::ofstream(path) << token << "\n";
  return path;
}

// Rows queued in an outbox file (read-only): waiting for an
// acknowledgement, not those kept after one (--keep_acked_hours). -1 when
// unreadable.
int64_t OutboxRows(const std::string& path) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(path, options);
  if (!db.ok()) return -1;
  auto stmt =
      (*db)->Prepare("SELECT COUNT(*) FROM outbox WHERE acked_ms IS NULL");
  if (!stmt.ok()) return -1;
  absl::StatusOr<std::optional<int64_t>> count =
      (*stmt)->OneRow([&] { return (*stmt)->ColumnInt64(0); });
  return count.ok() ? count->value_or(-1) : -1;
}

// A client of the agent's line protocol over TCP: sends lines in chunks and
// collects one reply per line.
class LineClient {
 public:
  explicit LineClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address),
                           sizeof address) == 0;
  }
  ~LineClient() { ::close(fd_); }
  bool connected() const { return connected_; }

  // Sends `lines` and returns the reply to each ("ok", "error …").
  std::vector<std::string> Send(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) absl::StrAppend(&text, line, "\n");
    size_t written = 0;
    while (written < text.size()) {
      const ssize_t n =
          ::write(fd_, text.data() + written, text.size() - written);
      if (n <= 0) return {};
      written += static_cast<size_t>(n);
    }
    std::vector<std::string> replies;
    while (replies.size() < lines.size()) {
      const size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        replies.push_back(buffer_.substr(0, newline));
        buffer_.erase(0, newline + 1);
        continue;
      }
      char chunk[4096];
      const ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n <= 0) break;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    return replies;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// Produces distinct readings of the inventory's desks, one second apart,
// starting two days ago, and remembers which the agent accepted.
class ReadingSource {
 public:
  ReadingSource()
      : t0_ms_((absl::ToUnixMillis(absl::Now()) / 1000 - 2 * 24 * 3600) *
               1000) {}

  // Sends `count` readings in chunks of 250; returns the replies that were
  // not "ok". Accepted readings are added to expected().
  std::vector<std::string> Send(LineClient& client, int count) {
    std::vector<std::string> refused;
    for (int sent = 0; sent < count;) {
      const int chunk = std::min(250, count - sent);
      std::vector<std::string> lines;
      std::vector<StoredRow> rows;
      for (int i = 0; i < chunk; ++i, ++next_) {
        const std::string sensor = absl::StrCat("IT-DEV-", next_ % kDesks);
        const int64_t ts = t0_ms_ + next_ * 1000;
        const bool occupied = next_ % 3 == 0;
        lines.push_back(
            absl::StrCat(sensor, occupied ? " occupied " : " free ", ts));
        rows.push_back(StoredRow{sensor, ts, occupied ? 1 : 0});
      }
      const std::vector<std::string> replies = client.Send(lines);
      EXPECT_EQ(replies.size(), lines.size());
      for (size_t i = 0; i < replies.size(); ++i) {
        if (replies[i] == "ok") {
          expected_.push_back(rows[i]);
        } else {
          refused.push_back(replies[i]);
        }
      }
      sent += chunk;
    }
    return refused;
  }

  std::vector<StoredRow> expected() const {
    std::vector<StoredRow> sorted = expected_;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }
  int64_t accepted() const { return static_cast<int64_t>(expected_.size()); }

 private:
  const int64_t t0_ms_;
  int64_t next_ = 0;
  std::vector<StoredRow> expected_;
};

// The server and an edge agent whose input is the line protocol on TCP.
class EdgeFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = PickFreePort();
    StartServer();
    const absl::Status imported =
        ImportInventory(*server_, dir_, OneSiteInventoryJson(kDesks, kGateway));
    ASSERT_TRUE(imported.ok()) << imported;
    token_file_ = DeviceTokenFile(*server_, dir_, kGateway);
    line_port_ = PickFreePort();
    std::ofstream(dir_.File("inputs.json")) << absl::StrCat(
        R"({"line": {"tcp": "127.0.0.1:)", line_port_, R"("}})");
  }

  void StartServer() {
    server_ = std::make_unique<ServerProcess>(
        dir_, port_, absl::StrCat("server-", ++server_runs_));
    ASSERT_EQ(server_->port(), port_);
  }

  void StopServer() {
    server_->process().Signal(SIGTERM);
    ASSERT_EQ(server_->process().Wait(std::chrono::seconds(30)), 0);
  }

  void StartEdge(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {absl::StrCat("--server=127.0.0.1:", port_),
                                     absl::StrCat("--gateway=", kGateway),
                                     "--outbox=" + outbox_path(),
                                     "--inputs=" + dir_.File("inputs.json"),
                                     "--status_interval_s=1",
                                     "--token_file=" + token_file_};
    args.insert(args.end(), extra.begin(), extra.end());
    edge_ = std::make_unique<Process>(
        EdgeBinary(), args,
        dir_.File(absl::StrCat("edge-", ++edge_runs_, ".log")));
    ASSERT_TRUE(WaitFor([&] {
      return edge_->Log().find("event=inputs_started") != std::string::npos;
    })) << edge_->Log();
  }

  std::string outbox_path() const { return dir_.File("outbox.db"); }

  TempDir dir_;
  int port_ = 0;
  int line_port_ = 0;
  std::string token_file_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Process> edge_;
  int server_runs_ = 0;
  int edge_runs_ = 0;
};

TEST_F(EdgeFaultTest,
       ServerDownAgentKilledOutboxIntactAndEverythingDeliveredOnce) {
  StartEdge();
  ReadingSource source;
  {
    LineClient client(line_port_);
    ASSERT_TRUE(client.connected());
    EXPECT_TRUE(source.Send(client, 500).empty());
  }
  ASSERT_TRUE(WaitFor([&] { return CountReadings(server_->db_path()) == 500; }))
      << edge_->Log();

  // The server goes away; the agent keeps taking readings for a few seconds.
  StopServer();
  const auto outage_start = std::chrono::steady_clock::now();
  {
    LineClient client(line_port_);
    ASSERT_TRUE(client.connected());
    while (std::chrono::steady_clock::now() - outage_start <
           std::chrono::seconds(3)) {
      EXPECT_TRUE(source.Send(client, 500).empty());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const int64_t during_outage = source.accepted() - 500;
  ASSERT_GE(during_outage, 2000);

  // Killed while the server is away, with a full outbox, the agent leaves a
  // sound outbox holding every reading of the outage.
  edge_->Signal(SIGKILL);
  ASSERT_EQ(edge_->Wait(std::chrono::seconds(10)), 128 + SIGKILL);
  EXPECT_EQ(IntegrityCheck(outbox_path()), "ok");
  EXPECT_GE(OutboxRows(outbox_path()), during_outage);

  // Restarted while the server is still down: it serves from its cached
  // sensor list and takes more readings.
  StartEdge();
  EXPECT_NE(edge_->Log().find("source=cache"), std::string::npos)
      << edge_->Log();
  {
    LineClient client(line_port_);
    ASSERT_TRUE(client.connected());
    EXPECT_TRUE(source.Send(client, 1000).empty());
  }
  EXPECT_GE(OutboxRows(outbox_path()), during_outage + 1000);

  StartServer();
  const std::vector<StoredRow> expected = source.expected();
  ASSERT_TRUE(WaitFor([&] { return OutboxRows(outbox_path()) == 0; },
                      std::chrono::seconds(120)))
      << OutboxRows(outbox_path()) << " rows left\n"
      << edge_->Log();
  const std::vector<StoredRow> stored = ReadAllReadings(server_->db_path());
  ASSERT_EQ(stored.size(), expected.size());
  EXPECT_TRUE(stored == expected);
  EXPECT_EQ(IntegrityCheck(server_->db_path()), "ok");
}

TEST_F(EdgeFaultTest, FullOutboxRefusesTheNewestCountsThemAndDeliversTheRest) {
  StartEdge({"--outbox_max_mb=1"});
  StopServer();
  ReadingSource source;
  std::vector<std::string> refused;
  {
    LineClient client(line_port_);
    ASSERT_TRUE(client.connected());
    // About 25 bytes a row: 1 MiB holds some tens of thousands.
    for (int round = 0; round < 200 && refused.empty(); ++round) {
      refused = source.Send(client, 1000);
    }
    ASSERT_FALSE(refused.empty()) << "the outbox never filled";
    // Still full: every further reading is refused.
    const std::vector<std::string> more = source.Send(client, 500);
    EXPECT_EQ(more.size(), 500u);
    refused.insert(refused.end(), more.begin(), more.end());
  }
  EXPECT_EQ(refused.front().rfind("error outbox full: ", 0), 0u)
      << refused.front();
  EXPECT_NE(refused.front().find("--outbox_max_mb"), std::string::npos);
  const int64_t queued = OutboxRows(outbox_path());
  EXPECT_EQ(queued, source.accepted());
  ASSERT_TRUE(WaitFor([&] {
    return LastLogValue(edge_->Log(), "status_inputs", "dropped_outbox_full") ==
           static_cast<int64_t>(refused.size());
  })) << edge_->Log();

  // The server returns: the queue drains and there is room again.
  StartServer();
  ASSERT_TRUE(WaitFor([&] { return OutboxRows(outbox_path()) == 0; },
                      std::chrono::seconds(120)))
      << edge_->Log();
  {
    LineClient client(line_port_);
    ASSERT_TRUE(client.connected());
    EXPECT_TRUE(source.Send(client, 100).empty());
  }
  const std::vector<StoredRow> expected = source.expected();
  ASSERT_TRUE(WaitFor([&] {
    return CountReadings(server_->db_path()) ==
           static_cast<int64_t>(expected.size());
  })) << edge_->Log();
  EXPECT_TRUE(ReadAllReadings(server_->db_path()) == expected);
}

// A backfill streamed through a proxy that resets every connection (RST on
// both sides) three times mid-stream.
TEST(ConnectionResetTest, AgentReconnectsAndResendsOnlyWhatWasNotAcknowledged) {
  constexpr int kResetDesks = 100;
  constexpr uint64_t kSeed = 5;
  constexpr int kBatchSize = 500;
  constexpr int kMaxInFlight = 4;
  TempDir dir;
  ServerProcess server(dir, 0, "server");
  ASSERT_GT(server.port(), 0);
  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << OneSiteInventoryJson(kResetDesks, "gw-reset");
  std::string out, err;
  ASSERT_EQ(RunToCompletion(
                ClientBinary(),
                {"--server=" + server.address(), "import-inventory", inventory},
                &out, std::chrono::seconds(60), &err),
            0)
      << out << err;
  const absl::CivilDay last = TodayInHelsinki() - 1;
  const absl::CivilDay first = last - 41;
  const std::vector<StoredRow> expected =
      SimulatedRows(OneSiteSensors(kResetDesks), kSeed, first, last);

  TcpProxy proxy(server.port());
  Process edge(
      EdgeBinary(),
      {absl::StrCat("--server=127.0.0.1:", proxy.port()), "--gateway=gw-reset",
       "--outbox=" + dir.File("outbox.db"),
       "--token_file=" + DeviceTokenFile(server, dir, "gw-reset"),
       "--backfill_from=" + FormatDate(first),
       "--backfill_to=" + FormatDate(last), absl::StrCat("--seed=", kSeed),
       absl::StrCat("--batch_size=", kBatchSize),
       absl::StrCat("--max_in_flight=", kMaxInFlight), "--exit_when_drained"},
      dir.File("edge.log"));
  int resets = 0;
  for (const double share : {0.2, 0.5, 0.8}) {
    const int64_t threshold = static_cast<int64_t>(expected.size() * share);
    ASSERT_TRUE(
        WaitFor([&] { return CountReadings(server.db_path()) >= threshold; },
                std::chrono::seconds(120)))
        << edge.Log();
    ASSERT_LT(CountReadings(server.db_path()),
              static_cast<int64_t>(expected.size()))
        << "the backfill finished before the reset: nothing was proven";
    const int reset = proxy.ResetAll();
    EXPECT_GE(reset, 1);
    resets += reset > 0 ? 1 : 0;
  }
  ASSERT_EQ(edge.Wait(std::chrono::seconds(300)), 0) << edge.Log();
  const std::vector<StoredRow> stored = ReadAllReadings(server.db_path());
  ASSERT_EQ(stored.size(), expected.size());
  EXPECT_TRUE(stored == expected);

  const std::string log = edge.Log();
  const int64_t sent = LastLogValue(log, "summary", "sent").value_or(-1);
  const int64_t duplicates =
      LastLogValue(log, "summary", "duplicates").value_or(-1);
  const int64_t reconnects =
      LastLogValue(log, "summary", "reconnects").value_or(-1);
  std::cout << "resets=" << resets << " readings=" << expected.size()
            << " sent=" << sent << " duplicates=" << duplicates
            << " reconnects=" << reconnects << "\n";
  EXPECT_GE(reconnects, resets) << log;
  EXPECT_GE(proxy.accepted(), resets + 1);
  // Only the unacknowledged window can have been sent twice: at most
  // max_in_flight batches per reset, never the whole backfill again.
  const int64_t window = int64_t{kMaxInFlight} * kBatchSize;
  const int64_t resent = sent - static_cast<int64_t>(expected.size());
  EXPECT_GE(resent, 0) << log;
  EXPECT_LE(resent, resets * window) << log;
  // Of those, the ones the server had committed come back as duplicates.
  EXPECT_GE(duplicates, 0);
  EXPECT_LE(duplicates, resent) << log;
}

// A tmpfs of a few MB, mounted for the test and unmounted after it.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& path, int megabytes) : path_(path) {
    std::filesystem::create_directories(path);
    const std::string options = absl::StrCat("size=", megabytes, "m");
    if (::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

  // Writes a file until the disk is full; returns the bytes written.
  int64_t Fill(const std::string& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    int64_t total = 0;
    std::string block(64 * 1024, 'x');
    for (size_t size : {size_t{64 * 1024}, size_t{4096}, size_t{512}}) {
      while (true) {
        const ssize_t n = ::write(fd, block.data(), size);
        if (n <= 0) break;
        total += n;
      }
    }
    ::close(fd);
    return total;
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

TEST(ServerDiskFullTest, IngestSaysStorageFullServerStaysUpAndRecovers) {
  TempDir dir;
  SmallDisk disk(dir.File("disk"), 24);
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs (" << disk.error()
                 << "); the disk-full test needs root or CAP_SYS_ADMIN";
  }
  constexpr int kFullDesks = 100;
  constexpr uint64_t kSeed = 3;
  const int port = PickFreePort();
  const std::string db_path = dir.File("disk/server.db");
  ServerProcess server(dir, port, "server", {}, db_path);
  ASSERT_EQ(server.port(), port);
  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << OneSiteInventoryJson(kFullDesks, "gw-full");
  std::string out, err;
  ASSERT_EQ(RunToCompletion(
                ClientBinary(),
                {"--server=" + server.address(), "import-inventory", inventory},
                &out, std::chrono::seconds(60), &err),
            0)
      << out << err;
  const std::string token_file = DeviceTokenFile(server, dir, "gw-full");
  const std::string ballast = dir.File("disk/ballast");
  ASSERT_GT(disk.Fill(ballast), 0);

  const absl::CivilDay last = TodayInHelsinki() - 1;
  const absl::CivilDay first = last - 27;
  const std::vector<StoredRow> expected =
      SimulatedRows(OneSiteSensors(kFullDesks), kSeed, first, last);
  Process edge(
      EdgeBinary(),
      {"--server=" + server.address(), "--gateway=gw-full",
       "--token_file=" + token_file, "--outbox=" + dir.File("outbox.db"),
       "--backfill_from=" + FormatDate(first),
       "--backfill_to=" + FormatDate(last), absl::StrCat("--seed=", kSeed),
       "--batch_size=500", "--exit_when_drained"},
      dir.File("edge.log"));
  // The agent is told why its batches are not taken.
  ASSERT_TRUE(WaitFor([&] {
    return edge.Log().find("message=\"storage full: ") != std::string::npos;
  })) << edge.Log();
  EXPECT_NE(edge.Log().find("code=8 "),
            std::string::npos);  // RESOURCE_EXHAUSTED
  const int64_t stored_while_full = CountReadings(db_path);
  EXPECT_LT(stored_while_full, static_cast<int64_t>(expected.size()));
  std::cout << "stored while full: " << stored_while_full << " of "
            << expected.size() << "\n";

  // The server stays up and answers other calls.
  EXPECT_TRUE(server.process().running());
  ASSERT_EQ(
      RunToCompletion(ClientBinary(), {"--server=" + server.address(), "sites"},
                      &out, std::chrono::seconds(30), &err),
      0)
      << out << err;
  EXPECT_NE(out.find("IT-SITE"), std::string::npos) << out;

  // Space is freed: the agent's retries get through and everything arrives.
  ASSERT_EQ(::unlink(ballast.c_str()), 0);
  ASSERT_EQ(edge.Wait(std::chrono::seconds(180)), 0) << edge.Log();
  EXPECT_TRUE(server.process().running());
  EXPECT_EQ(IntegrityCheck(db_path), "ok");
  const std::vector<StoredRow> stored = ReadAllReadings(db_path);
  ASSERT_EQ(stored.size(), expected.size());
  EXPECT_TRUE(stored == expected);
}

}  // namespace
}  // namespace monipaikka::testing
