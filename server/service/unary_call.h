#pragma once

// Runs the body of a unary RPC on the query executor and finishes the call
// with the status it returns.

#include <grpcpp/grpcpp.h>

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
  executor->Post([reactor, context, body = std::move(body)](
                     StorageSession& session) mutable {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    reactor->Finish(ToGrpcStatus(body(session)));
  });
  return reactor;
}

}  // namespace monipaikka
