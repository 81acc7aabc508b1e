#pragma once

// A clear answer to a request that is not the method's protobuf.
//
// gRPC's callback API answers a unary or server-streaming call whose
// request bytes do not parse as the method's request message with
// UNIMPLEMENTED and no message, as if the method did not exist. This
// interceptor turns that answer, for the methods of the public API, into
// INVALID_ARGUMENT "<Service/Method>: the request is not a <type> protobuf",
// counts it and logs it. (Streams of requests, i.e. IngestService, parse
// their messages themselves.)
//
// Thread safety: the factory may be used from any thread; each interceptor
// belongs to one call.

#include <atomic>
#include <cstdint>

#include <grpcpp/support/server_interceptor.h>

namespace monipaikka {

class MalformedRequestInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `counter` (not owned) counts the requests refused so.
  explicit MalformedRequestInterceptorFactory(std::atomic<uint64_t>* counter)
      : counter_(counter) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  std::atomic<uint64_t>* const counter_;
};

}  // namespace monipaikka
