#include "client/command_options.h"

#include <chrono>

namespace monipaikka::client {

void SetDeadline(const CommandOptions& options, grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(options.deadline));
}

}  // namespace monipaikka::client
