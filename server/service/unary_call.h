#pragma once

// Authorizes a unary RPC, runs its body on the query executor and finishes
// the call with the status the body returns.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/client_retry.h"
#include "common/grpc_status.h"
#include "server/auth/access_control.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Checks the caller against `policy` first (on the calling gRPC thread; it
// does not block): a refused call finishes at once with UNAUTHENTICATED or
// PERMISSION_DENIED; then the request's size (RequestSizeLimit): one over
// the method's bound finishes with RESOURCE_EXHAUSTED. Otherwise `body` is
// called on an executor thread as body(StorageSession&) or
// body(StorageSession&, const Caller&) -> absl::Status; the request and
// response it captures outlive the call. Its queries are interrupted at the
// call's deadline or the executor's
// --max_query_seconds, whichever comes first (DEADLINE_EXCEEDED). A status
// marked WithoutClientRetry tells the client's retry policy to stand back.
template <typename Body>
grpc::ServerUnaryReactor* RunUnary(grpc::CallbackServerContext* context,
                                   QueryExecutor* executor,
                                   const AccessControl& access,
                                   const RpcPolicy& policy, Body body) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Caller> caller = access.Authorize(*context, policy);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
  if (absl::Status size = access.CheckRequestSize(*context, policy);
      !size.ok()) {
    reactor->Finish(ToGrpcStatus(size));
    return reactor;
  }
  const auto posted = std::chrono::steady_clock::now();
  executor->Post([reactor, context, executor, posted, rpc = policy.rpc,
                  caller = *std::move(caller),
                  body = std::move(body)](StorageSession& session) mutable {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    const std::chrono::system_clock::time_point deadline = context->deadline();
    const absl::Time call_deadline =
        deadline == std::chrono::system_clock::time_point::max()
            ? absl::InfiniteFuture()
            : absl::FromChrono(deadline);
    const absl::Status status = executor->RunWithDeadline(
        session, call_deadline, rpc, [&]() -> absl::Status {
          if constexpr (std::is_invocable_v<Body&, StorageSession&,
                                            const Caller&>) {
            return body(session, caller);
          } else {
            return body(session);
          }
        });
    executor->query_seconds().Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - posted)
            .count());
    if (IsWithoutClientRetry(status))
      context->AddTrailingMetadata(kRetryPushbackKey, kNoRetryPushback);
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

}  // namespace monipaikka
