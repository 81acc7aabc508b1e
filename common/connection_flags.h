#pragma once

// The command-line flags with which the command-line client and the edge
// agent reach the server: --tls, --tls_ca_file, --tls_server_name (see
// channel_security.h) and --token_file (see bearer_token.h). A program
// that links this library has them.

#include <string>

#include "common/channel_security.h"

namespace monipaikka {

struct ConnectionFlags {
  // tls, ca_file and server_name from the flags; cert_file and key_file
  // empty (the edge agent adds its client certificate).
  ChannelSecurityFlags security;
  std::string token_file;
};

// The flags' current values.
ConnectionFlags ConnectionFlagsFromCommandLine();

}  // namespace monipaikka
