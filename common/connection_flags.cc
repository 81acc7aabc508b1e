#include "common/connection_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(bool, tls, false,
          "speak TLS to the server (the default for a non-loopback --server, "
          "and when any other --tls_* flag is given)");
ABSL_FLAG(std::string, tls_ca_file, "",
          "PEM CA certificates to verify the server with (default: the "
          "system's roots)");
ABSL_FLAG(std::string, tls_server_name, "",
          "name the server's certificate must carry (default: the host of "
          "--server)");
ABSL_FLAG(std::string, token_file, "",
          "file with the API token; default: the environment variable "
          "MONIPAIKKA_TOKEN");

namespace monipaikka {

ConnectionFlags ConnectionFlagsFromCommandLine() {
  ConnectionFlags flags;
  flags.security.tls = absl::GetFlag(FLAGS_tls);
  flags.security.ca_file = absl::GetFlag(FLAGS_tls_ca_file);
  flags.security.server_name = absl::GetFlag(FLAGS_tls_server_name);
  flags.token_file = absl::GetFlag(FLAGS_token_file);
  return flags;
}

}  // namespace monipaikka
