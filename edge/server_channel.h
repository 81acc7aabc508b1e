#pragma once

// The gRPC channel from the agent to the server, shared by the uplink and the
// inventory calls.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "common/channel_security.h"
#include "edge/backoff.h"

namespace monipaikka::edge {

// A channel to `address` ("host:port"), secured as `security` says (TLS,
// or plaintext to loopback; the default is plaintext), whose calls carry
// `token` (none if empty) as "authorization: Bearer <token>". gRPC's own
// reconnect backoff follows `backoff`, so a restarted server is reached
// again as soon as the uplink retries; keepalive pings every 5 minutes (the
// interval a default gRPC server accepts) detect a silently dead connection.
std::shared_ptr<grpc::Channel> CreateServerChannel(
    const std::string& address, const BackoffPolicy& backoff,
    const ChannelSecurity& security = {}, const std::string& token = "");

}  // namespace monipaikka::edge
