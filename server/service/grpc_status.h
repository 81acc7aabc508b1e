#pragma once

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"

namespace monipaikka {

// The one place where the core's absl::Status becomes a gRPC status.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace monipaikka
