#pragma once

// The benchmarks' server: the real Server in the benchmark's own process,
// listening on 127.0.0.1 (plaintext, a free port), with a channel to it
// that carries an admin token made in-process.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "server/server.h"

namespace monipaikka {

struct InProcessServer {
  std::unique_ptr<Server> server;
  std::string address;                     // 127.0.0.1:PORT
  std::shared_ptr<grpc::Channel> channel;  // as admin
};

// Starts the server with `options` (listen and plaintext are set here).
// On failure prints the error and exits with status 1.
InProcessServer StartInProcessServer(ServerOptions options);

// Starts the server on a database bench/portfolio_fixture wrote (two query
// threads) and waits until its summaries are current. `open_seconds` gets
// the time both took. On failure prints the error and exits with status 1.
InProcessServer StartOnPreparedDatabase(const std::string& db,
                                        double* open_seconds);

}  // namespace monipaikka
