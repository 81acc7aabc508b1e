// The server is killed (SIGKILL) while an edge agent streams to it, and
// restarted on the same port and database: no acknowledged reading is lost
// (the edge forgets only what was acknowledged, so anything lost would be
// missing at the end) and nothing is stored twice.

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"
#include "tests/support/cluster.h"

namespace monipaikka::testing {
namespace {

TEST(CrashRecoveryTest,
     ServerKilledMidStreamLosesNothingAndStoresNothingTwice) {
  constexpr int kDesks = 150;
  constexpr uint64_t kSeed = 11;
  TempDir dir;
  const int port = PickFreePort();
  auto server = std::make_unique<ServerProcess>(dir, port, "server-1");
  ASSERT_EQ(server->port(), port);
  const std::string db_path = server->db_path();

  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << OneSiteInventoryJson(kDesks, "gw-crash");
  std::string out;
  std::string err;
  ASSERT_EQ(RunToCompletion(ClientBinary(),
                            {"--server=" + server->address(),
                             "import-inventory", inventory},
                            &out, std::chrono::seconds(60), &err),
            0)
      << out << err;

  const absl::CivilDay today = TodayInHelsinki();
  const absl::CivilDay first = today - 56;
  const absl::CivilDay last = today - 1;
  const std::vector<StoredRow> expected =
      SimulatedRows(OneSiteSensors(kDesks), kSeed, first, last);

  Process edge(
      EdgeBinary(),
      {"--server=" + server->address(), "--gateway=gw-crash",
       "--outbox=" + dir.File("outbox.db"),
       "--backfill_from=" + FormatDate(first),
       "--backfill_to=" + FormatDate(last), absl::StrCat("--seed=", kSeed),
       "--batch_size=500", "--exit_when_drained"},
      dir.File("edge.log"));

  // Kill the server once part of the backfill has been committed.
  const int64_t threshold = static_cast<int64_t>(expected.size() / 10);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int64_t stored_before_kill = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    stored_before_kill = CountReadings(db_path);
    if (stored_before_kill >= threshold) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(stored_before_kill, threshold) << edge.Log();
  server->process().Signal(SIGKILL);
  ASSERT_EQ(server->process().Wait(std::chrono::seconds(10)), 128 + SIGKILL);
  const int64_t stored_at_kill = CountReadings(db_path);
  ASSERT_LT(stored_at_kill, static_cast<int64_t>(expected.size()))
      << "the server was killed after the whole backfill: nothing was proven";

  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  server = std::make_unique<ServerProcess>(dir, port, "server-2");
  ASSERT_EQ(server->port(), port);

  ASSERT_EQ(edge.Wait(std::chrono::seconds(300)), 0) << edge.Log();
  EXPECT_EQ(IntegrityCheck(db_path), "ok");
  const std::vector<StoredRow> stored = ReadAllReadings(db_path);
  ASSERT_EQ(stored.size(), expected.size());
  EXPECT_TRUE(stored == expected);
}

}  // namespace
}  // namespace monipaikka::testing
