#pragma once

// Runs the body of a unary RPC on the query executor and finishes the call
// with the status it returns.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "server/service/grpc_status.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// `body` is called as body(StorageSession&) -> absl::Status on an executor
// thread; the request and response it captures outlive the call.
template <typename Body>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   QueryExecutor* executor, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto posted = std::chrono::steady_clock::now();
  executor->Post([reactor, context, executor, posted, body = std::move(body)](
                     StorageSession& session) mutable {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    grpc::Status status = ToGrpcStatus(body(session));
    executor->query_seconds().Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - posted)
            .count());
    reactor->Finish(status);
  });
  return reactor;
}

}  // namespace monipaikka
