#pragma once

// A call to any method with raw request bytes, for tests of what the server
// does with requests that are no protobuf of the method's request type.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace monipaikka::testing {

struct CallOutcome {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
};

// Calls `method` ("/pkg.Service/Method") with `messages` as the request
// bytes and the given authorization metadata (none if empty), as a generic
// stream: works for unary and streaming methods alike. A call that sends
// any response was admitted (code OK); it is cancelled then (watches never
// end).
CallOutcome CallWithBytes(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method,
                          const std::vector<std::string>& messages,
                          const std::string& authorization);

}  // namespace monipaikka::testing
