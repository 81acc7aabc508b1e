#pragma once

// The command line of `monipaikka`: which command runs with which flags,
// the usage text, and the exit status.
//
// Exit status: 0 success; 1 an error (a gRPC error is printed as
// "error: <STATUS_CODE>: <message>", with a hint for UNAUTHENTICATED and
// PERMISSION_DENIED), or readings skipped or rejected by import-readings;
// 2 a usage error (printed with a short usage text).

#include <ostream>
#include <string>
#include <vector>

#include "client/access_commands.h"
#include "client/analytics_commands.h"
#include "client/workforce_commands.h"
#include "common/channel_security.h"

namespace monipaikka::client {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// The full usage text, listing every command and flag.
extern const char kUsage[];

// A parsed command line; the defaults are those of the flags. Empty strings
// mean "not given".
struct Invocation {
  // Positional arguments: the command, then its arguments.
  std::vector<std::string> args;
  std::string server = "127.0.0.1:7070";
  // File with the API token (--token_file); when empty, MONIPAIKKA_TOKEN.
  std::string token_file;
  std::string output = "table";
  int deadline_s = 60;
  std::string site;
  std::string space;
  std::string gateway;
  std::string from;
  std::string to;
  bool all_hours = false;
  // The HR commands' flags (--organization, --as_of, --from_month, …).
  WorkforceFlags workforce;
  // The analytics commands' flags (--by, --orgs, --candidate, …).
  AnalyticsFlags analytics;
  // The token and audit commands' flags (--role, --name, --ttl, …).
  AccessFlags access;
  // --tls, --tls_ca_file, --tls_server_name: how to reach the server (see
  // common/channel_security.h).
  ChannelSecurityFlags tls;
};

// Checks the invocation, connects to invocation.server (TLS, or plaintext to
// a loopback address without TLS flags) with the token (--token_file, else
// MONIPAIKKA_TOKEN) and runs the command. Results go to `out`; errors, usage
// texts and import problems
// go to `err`. Returns the exit status.
int RunCommandLine(const Invocation& invocation, std::ostream& out,
                   std::ostream& err);

}  // namespace monipaikka::client
