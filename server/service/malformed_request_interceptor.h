#pragma once

// A clear answer to a request that is not the method's protobuf.
//
// gRPC's callback API answers a unary or server-streaming call whose
// request bytes do not parse as the method's request message with
// UNIMPLEMENTED and no message, as if the method did not exist. This
// interceptor turns that answer, for the methods of the public API, into
// INVALID_ARGUMENT "<Service/Method>: the request is not a <type> protobuf",
// counts it and logs it (at most a few lines per second; see
// LogRateLimit). (Streams of requests, i.e. IngestService, parse their
// messages themselves.)
//
// It also notes a request over its method's bound (RequestSizeLimit), which
// the handler then refuses after the access check.
//
// Thread safety: the factory may be used from any thread; each interceptor
// belongs to one call.

#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <cstdint>

#include "server/auth/log_rate_limit.h"
#include "server/auth/request_size_limit.h"

namespace monipaikka {

class MalformedRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `counter` (not owned) counts the requests refused so. `sizes` (not
  // owned, may be null) is told of requests over their method's bound.
  explicit MalformedRequestInterceptorFactory(std::atomic<uint64_t>* counter,
                                              RequestSizeLimit* sizes = nullptr)
      : counter_(counter), sizes_(sizes) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  std::atomic<uint64_t>* const counter_;
  RequestSizeLimit* const sizes_;
  LogRateLimit log_limit_{10};
};

}  // namespace monipaikka
