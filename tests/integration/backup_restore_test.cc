// Backup, restore and upgrade with the real binaries, as docs/operations.md
// ("Back up and restore", "Upgrade") tells an operator to do them.
//
// Restore without loss: an edge agent delivers readings; the server's
// database is backed up while it serves; the agent delivers more; the
// server is killed and its database replaced by the backup; after the
// restart the agent, told the newest reading the server holds, sends again
// the acknowledged readings it kept that the backup lacks. The stored set
// then equals the full set.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/sqlite.h"
#include "common/sqlite_migrations.h"
#include "common/time_format.h"
#include "server/storage/schema.h"
#include "tests/support/cluster.h"

namespace monipaikka::testing {
namespace {

constexpr char kGateway[] = "gw-restore";

// Runs the agent on `outbox` until it has delivered everything (and, with
// `first`/`last`, the backfill of those days first); its exit code.
int RunEdgeUntilDrained(const ServerProcess& server, const TempDir& dir,
                        const std::string& log_name,
                        std::optional<absl::CivilDay> first = {},
                        std::optional<absl::CivilDay> last = {}) {
  std::vector<std::string> args = {"--server=" + server.address(),
                                   absl::StrCat("--gateway=", kGateway),
                                   "--outbox=" + dir.File("outbox.db"),
                                   "--seed=7",
                                   "--batch_size=500",
                                   "--exit_when_drained"};
  if (first) {
    args.push_back("--backfill_from=" + FormatDate(*first));
    args.push_back("--backfill_to=" + FormatDate(*last));
  }
  Process edge(EdgeBinary(), args, dir.File(log_name + ".log"));
  const int code = edge.Wait(std::chrono::seconds(180));
  EXPECT_EQ(code, 0) << edge.Log();
  return code;
}

std::vector<StoredRow> Union(std::vector<StoredRow> a,
                             const std::vector<StoredRow>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  return a;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

TEST(BackupRestoreTest, ARestoredServerGetsBackFromTheEdgeWhatTheBackupLacks) {
  constexpr int kDesks = 40;
  TempDir dir;
  const int port = PickFreePort();
  auto server = std::make_unique<ServerProcess>(dir, port, "server-1");
  ASSERT_EQ(server->port(), port);
  const std::string db = server->db_path();
  ASSERT_TRUE(
      ImportInventory(*server, dir, OneSiteInventoryJson(kDesks, kGateway))
          .ok());

  const absl::CivilDay today = TodayInHelsinki();
  const absl::CivilDay first = today - 12;
  const absl::CivilDay middle = today - 7;
  const absl::CivilDay last = today - 1;
  const std::vector<std::string> sensors = OneSiteSensors(kDesks);
  const std::vector<StoredRow> before =
      SimulatedRows(sensors, 7, first, middle);
  const std::vector<StoredRow> after =
      SimulatedRows(sensors, 7, middle + 1, last);
  const std::vector<StoredRow> all = Union(before, after);
  ASSERT_GT(after.size(), 1000u);

  ASSERT_EQ(RunEdgeUntilDrained(*server, dir, "edge-1", first, middle), 0);
  ASSERT_EQ(ReadAllReadings(db), before);

  // The backup, made while the server serves.
  const std::string key = dir.File("pseudonym.key");
  std::ofstream(key) << std::string(64, 'c');
  const std::string backup = dir.File("backup.db");
  std::string out;
  std::string err;
  ASSERT_EQ(RunToCompletion(ServerBinary(),
                            {"backup", "--db=" + db, "--to=" + backup,
                             "--pseudonym_key_file=" + key},
                            &out, std::chrono::seconds(60), &err),
            0)
      << out << err;
  EXPECT_TRUE(absl::StrContains(out, "backup written: " + backup)) << out;
  EXPECT_TRUE(absl::StrContains(out, "PRAGMA integrity_check: ok")) << out;
  EXPECT_TRUE(absl::StrContains(out, "pseudonym key: " + key)) << out;
  struct stat info;
  ASSERT_EQ(::stat(backup.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_EQ(ReadAllReadings(backup), before);
  // A second run never replaces the backup.
  EXPECT_EQ(RunToCompletion(ServerBinary(),
                            {"backup", "--db=" + db, "--to=" + backup}, &out,
                            std::chrono::seconds(60), &err),
            1);
  EXPECT_TRUE(absl::StrContains(err, "exists")) << err;

  // More readings, acknowledged after the backup.
  ASSERT_EQ(RunEdgeUntilDrained(*server, dir, "edge-2", middle + 1, last), 0);
  ASSERT_EQ(ReadAllReadings(db), all);

  // The server dies; the operator restores the backup and starts it again.
  server->process().Signal(SIGKILL);
  ASSERT_EQ(server->process().Wait(std::chrono::seconds(10)), 128 + SIGKILL);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db + suffix);
  }
  std::filesystem::copy_file(backup, db);
  server = std::make_unique<ServerProcess>(dir, port, "server-2");
  ASSERT_EQ(server->port(), port);
  ASSERT_EQ(ReadAllReadings(db), before);

  // The agent (nothing new to produce) sends what the server lacks.
  ASSERT_EQ(RunEdgeUntilDrained(*server, dir, "edge-3"), 0);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  const std::vector<StoredRow> stored = ReadAllReadings(db);
  ASSERT_EQ(stored.size(), all.size());
  EXPECT_TRUE(stored == all);
  // The readings came back from the agent's kept rows: at least every one
  // the backup lacked (more only when the backup's summaries lagged its
  // readings, which makes the server's newest reading look older).
  const std::string edge_log = ReadFile(dir.File("edge-3.log"));
  const size_t line = edge_log.find("event=resending_acknowledged_readings");
  ASSERT_NE(line, std::string::npos) << edge_log;
  const size_t rows_at = edge_log.find(" rows=", line);
  ASSERT_NE(rows_at, std::string::npos) << edge_log;
  const int64_t resent =
      std::strtoll(edge_log.c_str() + rows_at + 6, nullptr, 10);
  std::cout << "readings before the backup=" << before.size()
            << " after=" << after.size() << " sent again=" << resent << "\n";
  EXPECT_GE(resent, static_cast<int64_t>(after.size()));
  EXPECT_LE(resent, static_cast<int64_t>(all.size()));
}

// A database of the previous release: copied beside itself before the
// migration, with the copy's name and the versions in the log.
TEST(UpgradeTest, TheServerCopiesAnOlderDatabaseBeforeMigratingIt) {
  TempDir dir;
  const std::string db = dir.File("server.db");
  const int previous = LatestSchemaVersion() - 1;
  {
    auto old = Database::Open(db);
    ASSERT_TRUE(old.ok()) << old.status();
    ASSERT_TRUE(MigrateSchemaTo(old->get(), previous).ok());
  }
  ServerProcess server(dir, 0, "upgraded");
  ASSERT_GT(server.port(), 0);
  const std::string log = server.process().Log();
  EXPECT_TRUE(absl::StrContains(log, "event=schema_backup_written")) << log;
  EXPECT_TRUE(absl::StrContains(log, "event=schema_migrated")) << log;
  std::string backup;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, absl::StrCat("server.db.v", previous, "-to-v",
                                            LatestSchemaVersion(), ".")) &&
        absl::EndsWith(name, ".backup")) {
      backup = entry.path().string();
    }
  }
  ASSERT_FALSE(backup.empty()) << log;
  EXPECT_TRUE(absl::StrContains(log, backup)) << log;
  DatabaseOptions read_only;
  read_only.read_only = true;
  auto copy = Database::Open(backup, read_only);
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(*SchemaVersion(copy->get()), previous);
}

TEST(UpgradeTest, ADatabaseOfANewerReleaseIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string db = dir.File("server.db");
  {
    auto newer = Database::Open(db);
    ASSERT_TRUE(newer.ok()) << newer.status();
    ASSERT_TRUE(MigrateSchema(newer->get()).ok());
    ASSERT_TRUE((*newer)
                    ->Execute(absl::StrCat("PRAGMA user_version = ",
                                           LatestSchemaVersion() + 1))
                    .ok());
  }
  std::string out;
  std::string err;
  EXPECT_EQ(RunToCompletion(ServerBinary(),
                            {"--db=" + db, "--listen=127.0.0.1:0",
                             "--plaintext", "--metrics_listen="},
                            &out, std::chrono::seconds(30), &err),
            1);
  EXPECT_TRUE(absl::StrContains(
      err, absl::StrCat("has schema version ", LatestSchemaVersion() + 1,
                        ", newer than this server's ", LatestSchemaVersion())))
      << err;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_FALSE(absl::EndsWith(entry.path().string(), ".backup"));
  }
  DatabaseOptions read_only;
  read_only.read_only = true;
  auto kept = Database::Open(db, read_only);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*SchemaVersion(kept->get()), LatestSchemaVersion() + 1);
}

}  // namespace
}  // namespace monipaikka::testing
