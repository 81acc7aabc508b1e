// Cost of checking an API token: TokenStore::Authenticate (hash the
// presented token, look it up in the in-memory copy of the token table,
// check expiry and revocation) with many tokens stored, on one thread and
// on several at once. Prints checks per second and ns per check.
//
//   build/bench/auth_bench [--tokens=1000] [--checks=1000000] [--threads=2]

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "server/auth/token_store.h"
#include "server/storage/storage.h"

ABSL_FLAG(int, tokens, 1000, "tokens stored");
ABSL_FLAG(int, checks, 1000000, "checks per thread");
ABSL_FLAG(int, threads, 2, "threads checking at once");
ABSL_FLAG(std::string, dir, "/tmp", "directory for the benchmark's database");

namespace monipaikka {
namespace {

int Main() {
  const std::string dir = absl::GetFlag(FLAGS_dir) + "/monipaikka-auth-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto storage = Storage::OpenSqlite(dir + "/server.db");
  if (!storage.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(storage.status().message()).c_str());
    return 1;
  }
  auto session = (*storage)->OpenSession();
  if (!session.ok()) return 1;
  TokenStore store([] { return absl::ToUnixMillis(absl::Now()); });
  std::vector<std::string> secrets;
  for (int i = 0; i < absl::GetFlag(FLAGS_tokens); ++i) {
    NewToken token;
    token.name = "token " + std::to_string(i);
    token.role = i % 2 == 0 ? Role::kDevice : Role::kFacility;
    if (token.role == Role::kDevice) token.gateway = "gw-" + std::to_string(i);
    auto created = store.Create((*session)->Access(), token);
    if (!created.ok()) return 1;
    secrets.push_back(created->secret);
  }
  const int checks = absl::GetFlag(FLAGS_checks);
  for (int threads : {1, absl::GetFlag(FLAGS_threads)}) {
    std::vector<std::thread> workers;
    std::vector<int> failures(threads, 0);
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        TokenRefusal refusal;
        for (int i = 0; i < checks; ++i) {
          if (!store.Authenticate(secrets[(i + t) % secrets.size()], &refusal)
                   .ok()) {
            ++failures[t];
          }
        }
      });
    }
    for (std::thread& worker : workers) worker.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    int failed = 0;
    for (int f : failures) failed += f;
    const double total = static_cast<double>(checks) * threads;
    std::printf(
        "tokens=%zu threads=%d checks=%.0f: %.0f checks/s, %.0f ns per check "
        "per thread, failures=%d\n",
        secrets.size(), threads, total, total / seconds, seconds * 1e9 / checks,
        failed);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
