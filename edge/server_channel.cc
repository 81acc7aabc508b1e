#include "edge/server_channel.h"

#include <climits>

namespace monipaikka::edge {

std::shared_ptr<grpc::Channel> CreateServerChannel(
    const std::string& address, const BackoffPolicy& backoff,
    const ChannelSecurity& security, const std::string& token) {
  grpc::ChannelArguments args;
  auto clamp = [](int64_t ms) {
    return static_cast<int>(std::min<int64_t>(ms, INT_MAX));
  };
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              clamp(backoff.initial.count()));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, clamp(backoff.cap.count()));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 5 * 60 * 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * 1000);
  return CreateSecuredChannel(address, security, args, token);
}

}  // namespace monipaikka::edge
