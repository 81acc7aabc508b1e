#pragma once

// The one adapter between gRPC's status and the absl::Status the rest of the
// code (server, client, edge agent) works with: services convert at their
// boundary with ToGrpcStatus, callers with FromGrpcStatus.
//
// Both keep the code (gRPC and absl number the canonical codes alike) and
// the message. A code outside the canonical 0..16 (gRPC's DO_NOT_USE, an
// absl code added later) becomes UNKNOWN, never a value the other side has
// no name for. gRPC's binary error details are not carried over.

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

grpc::Status ToGrpcStatus(const absl::Status& status);

absl::Status FromGrpcStatus(const grpc::Status& status);

// As above, with the message prefixed "`context`: " when not OK (e.g. the
// method called, so that the caller's log says which call failed).
absl::Status FromGrpcStatus(const grpc::Status& status,
                            absl::string_view context);

}  // namespace monipaikka
