#include "bench/in_process_server.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/bearer_token.h"

namespace monipaikka {
namespace {

[[noreturn]] void Fail(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
  std::exit(1);
}

}  // namespace

InProcessServer StartInProcessServer(ServerOptions options) {
  options.listen = "127.0.0.1:0";
  options.plaintext = true;
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  if (!server.ok()) Fail(server.status());
  InProcessServer started;
  started.server = *std::move(server);
  started.address = absl::StrCat("127.0.0.1:", started.server->port());
  NewToken admin;
  admin.name = "benchmark";
  admin.role = Role::kAdmin;
  absl::StatusOr<std::string> token = started.server->CreateToken(admin);
  if (!token.ok()) Fail(token.status());
  started.channel = CreateChannelWithToken(started.address,
                                           grpc::InsecureChannelCredentials(),
                                           grpc::ChannelArguments(), *token);
  return started;
}

InProcessServer StartOnPreparedDatabase(const std::string& db,
                                        double* open_seconds) {
  ServerOptions options;
  options.database = db;
  options.query_threads = 2;
  const auto start = std::chrono::steady_clock::now();
  InProcessServer started = StartInProcessServer(options);
  started.server->occupancy().summarizer().AwaitCurrent(absl::Hours(1));
  *open_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return started;
}

}  // namespace monipaikka
