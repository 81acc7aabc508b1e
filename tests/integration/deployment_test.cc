// What the real server and edge agent do with their files: how their
// commits reach the disk (--sqlite_synchronous), the modes of the files they
// create, and the bootstrap admin token across restarts.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bearer_token.h"
#include "tests/support/cluster.h"

namespace monipaikka::testing {
namespace {

using std::chrono::seconds;

// Waits until `process`'s log contains `text`; the log.
std::string WaitForLog(Process& process, absl::string_view text,
                       seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string log = process.Log();
  while (!absl::StrContains(log, text) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = process.Log();
  }
  return log;
}

// The line of `log` with event `event`, or "".
std::string EventLine(const std::string& log, absl::string_view event) {
  const std::string key = absl::StrCat(" event=", event, " ");
  const size_t at = log.find(key);
  if (at == std::string::npos) return "";
  const size_t begin = log.rfind('\n', at);
  const size_t end = log.find('\n', at);
  return log.substr(
      begin == std::string::npos ? 0 : begin + 1,
      end == std::string::npos ? std::string::npos : end - (begin + 1));
}

// The permission bits of `path`, or -1 when it does not exist.
int Mode(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 0777);
}

// The edge agent with a simulation on `outbox`, talking to a server that is
// not there (it starts and queues all the same); stopped by the caller.
std::unique_ptr<Process> StartEdge(const TempDir& dir,
                                   const std::string& outbox,
                                   const std::vector<std::string>& extra) {
  std::vector<std::string> args = {
      absl::StrCat("--server=127.0.0.1:", PickFreePort()), "--gateway=gw-files",
      "--outbox=" + outbox, "--simulate", "--status_interval_s=0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<Process>(
      EdgeBinary(), args,
      dir.File("edge-" + std::to_string(extra.size()) + ".log"));
}

TEST(DurabilityTest, ServerAndEdgeCommitInFullUnlessNormalIsAsked) {
  TempDir dir;
  {
    ServerProcess server(dir, 0, "server-full");
    ASSERT_GT(server.port(), 0);
    const std::string line =
        EventLine(server.process().Log(), "storage_opened");
    EXPECT_TRUE(absl::StrContains(line, "sqlite_synchronous=full")) << line;
  }
  {
    ServerProcess server(dir, 0, "server-normal",
                         {"--sqlite_synchronous=normal"});
    ASSERT_GT(server.port(), 0);
    const std::string line =
        EventLine(server.process().Log(), "storage_opened");
    EXPECT_TRUE(absl::StrContains(line, "sqlite_synchronous=normal")) << line;
  }
  std::string out;
  std::string err;
  EXPECT_EQ(
      RunToCompletion(ServerBinary(),
                      {"--db=" + dir.File("x.db"), "--plaintext",
                       "--listen=127.0.0.1:0", "--sqlite_synchronous=off"},
                      &out, seconds(30), &err),
      2);
  EXPECT_TRUE(absl::StrContains(err, "--sqlite_synchronous")) << err;

  for (const auto& [extra, expected] :
       std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{}, "sqlite_synchronous=full"},
           {{"--sqlite_synchronous=normal"}, "sqlite_synchronous=normal"}}) {
    std::unique_ptr<Process> edge =
        StartEdge(dir, dir.File("outbox.db"), extra);
    const std::string log = WaitForLog(*edge, "event=agent_start", seconds(20));
    const std::string line = EventLine(log, "agent_start");
    EXPECT_TRUE(absl::StrContains(line, expected)) << log;
    edge->Signal(SIGTERM);
    EXPECT_EQ(edge->Wait(seconds(20)), 0) << edge->Log();
  }
}

TEST(FilePermissionsTest, FilesTheServerAndEdgeCreateAreTheirsAlone) {
  TempDir dir;
  // A shell's usual umask, under which files are readable by everyone: the
  // programs must not depend on the caller's.
  const mode_t previous = ::umask(022);
  auto server = std::make_unique<ServerProcess>(dir, 0, "server");
  std::unique_ptr<Process> edge = StartEdge(dir, dir.File("outbox.db"), {});
  ::umask(previous);
  ASSERT_GT(server->port(), 0);
  WaitForLog(*edge, "event=agent_start", seconds(20));
  for (const std::string& file :
       {server->db_path(), server->db_path() + "-wal",
        server->db_path() + "-shm", dir.File("admin.token"),
        dir.File("outbox.db"), dir.File("outbox.db-wal"),
        dir.File("outbox.db-shm"), dir.File("outbox.db.lock")}) {
    EXPECT_EQ(Mode(file), 0600) << file;
  }
  edge->Signal(SIGTERM);
  EXPECT_EQ(edge->Wait(seconds(20)), 0) << edge->Log();
  server->process().Signal(SIGTERM);
  EXPECT_EQ(server->process().Wait(seconds(30)), 0);
}

// The server binary on one database in a temp dir, restarted with other
// flags, plaintext on a free port.
class BootstrapTokenTest : public ::testing::Test {
 protected:
  // Starts a server on the fixture's database; false when it did not serve.
  bool StartServer(const std::string& name,
                   const std::vector<std::string>& extra) {
    server_.reset();
    const std::string port_file = dir_.File(name + ".port");
    std::vector<std::string> args = {
        "--listen=127.0.0.1:0",
        "--plaintext",
        "--db=" + dir_.File("server.db"),
        "--port_file=" + port_file,
        "--metrics_listen=",
        "--http_listen=",
        "--bootstrap_admin_token_file=" + token_file()};
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<Process>(ServerBinary(), args,
                                        dir_.File(name + ".log"));
    port_ = WaitForPortFile(port_file, seconds(30));
    return port_ > 0;
  }
  void StopServer() {
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->Wait(seconds(30)), 0);
  }
  std::string token_file() const { return dir_.File("admin.token"); }
  std::string ReadToken(const std::string& path) const {
    absl::StatusOr<std::string> token = ReadTokenFile(path);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }
  // The client's output of `args` as `token` (csv), or "" on failure.
  std::string Client(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(),
                {absl::StrCat("--server=127.0.0.1:", port_), "--output=csv"});
    setenv(kTokenEnvironmentVariable, token.c_str(), 1);
    std::string out;
    std::string err;
    const int code =
        RunToCompletion(ClientBinary(), args, &out, seconds(60), &err);
    unsetenv(kTokenEnvironmentVariable);
    return code == 0 ? out : "";
  }
  // How many admin tokens `tokens list` shows `token`.
  int AdminTokens(const std::string& token) {
    const std::string list = Client(token, {"tokens", "list"});
    int count = 0;
    for (size_t at = list.find(",admin,"); at != std::string::npos;
         at = list.find(",admin,", at + 1)) {
      ++count;
    }
    return count;
  }

  TempDir dir_;
  std::unique_ptr<Process> server_;
  int port_ = -1;
};

TEST_F(BootstrapTokenTest, DeletedFileMintsNoTokenAndRecoveryIsExplicit) {
  ASSERT_TRUE(StartServer("first", {}));
  const std::string first = ReadToken(token_file());
  EXPECT_EQ(Mode(token_file()), 0600);
  EXPECT_EQ(AdminTokens(first), 1);
  StopServer();

  // The file deleted, as one does once one has one's own admin tokens.
  ASSERT_EQ(std::remove(token_file().c_str()), 0);
  ASSERT_TRUE(StartServer("second", {}));
  EXPECT_EQ(Mode(token_file()), -1) << "a new admin token was minted";
  const std::string line =
      EventLine(server_->Log(), "bootstrap_token_not_created");
  EXPECT_TRUE(absl::StrContains(line, "level=warning")) << server_->Log();
  EXPECT_TRUE(absl::StrContains(line, "tokens create --role=admin")) << line;
  EXPECT_TRUE(absl::StrContains(line, "--recover_admin_token_file")) << line;
  EXPECT_EQ(AdminTokens(first), 1);
  StopServer();

  // Every admin token lost: recovery, asked for by name, once.
  const std::string recovery_file = dir_.File("recovery.token");
  ASSERT_TRUE(
      StartServer("recover", {"--recover_admin_token_file=" + recovery_file}));
  EXPECT_EQ(Mode(recovery_file), 0600);
  const std::string recovery = ReadToken(recovery_file);
  EXPECT_EQ(AdminTokens(recovery), 2);
  EXPECT_TRUE(absl::StrContains(Client(recovery, {"tokens", "list"}),
                                ",recovery,admin,"));
  EXPECT_TRUE(absl::StrContains(Client(recovery, {"audit"}),
                                "--recover_admin_token_file"));
  StopServer();
  // The flag left on the command line mints nothing more.
  ASSERT_TRUE(StartServer("recover-again",
                          {"--recover_admin_token_file=" + recovery_file}));
  EXPECT_EQ(ReadToken(recovery_file), recovery);
  EXPECT_EQ(AdminTokens(recovery), 2);
  StopServer();
}

TEST_F(BootstrapTokenTest, FreshDatabaseReplacesAStaleTokenFile) {
  ASSERT_TRUE(StartServer("first", {}));
  const std::string first = ReadToken(token_file());
  StopServer();
  // A new database beside the old token file: the file's token is of no
  // use there, so the first start writes a working one over it.
  ASSERT_EQ(std::remove(dir_.File("server.db").c_str()), 0);
  std::remove(dir_.File("server.db-wal").c_str());
  std::remove(dir_.File("server.db-shm").c_str());
  ASSERT_TRUE(StartServer("fresh", {}));
  const std::string fresh = ReadToken(token_file());
  EXPECT_NE(fresh, first);
  EXPECT_EQ(AdminTokens(fresh), 1);
  StopServer();
}

}  // namespace
}  // namespace monipaikka::testing
