#pragma once

// The one place where gRPC's status becomes the absl::Status the rest of the
// client works with.

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace monipaikka::client {

// Same code (gRPC and absl number them alike) and message.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace monipaikka::client
