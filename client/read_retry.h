#pragma once

// The client's gRPC channel retries a read that failed as UNAVAILABLE: a
// connection the server closed under load (gRPC closes idle connections when
// its memory quota runs short) or a server restarting. Reads are every unary
// Get… and List… method of the API; imports, token changes and streams are
// never sent twice.

#include <string>

#include "grpcpp/support/channel_arguments.h"

namespace monipaikka::client {

// At most four attempts, 0.1 s to 1 s apart (with gRPC's jitter), within the
// call's deadline.
inline constexpr int kReadAttempts = 4;

// The service config (gRPC's JSON) holding that retry policy for every read
// method of the API.
std::string ReadRetryServiceConfig();

// Channel arguments with that service config.
grpc::ChannelArguments ReadRetryChannelArguments();

}  // namespace monipaikka::client
