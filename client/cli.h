#pragma once

// The command line of `monipaikka`: which command runs with which flags,
// the help texts, and the exit status.
//
// Commands are named `<group> <verb>`: the group is the thing acted on (a
// noun: inventory, sites, sensors, readings, report, targets, tokens, …) and
// the verb what is done to it (list, import, export, set, delete, …); the
// report group names the report instead of a verb (report usage, report
// heatmap, …). The table in cli.cc lists them all. The names of earlier
// releases (import-inventory, sites, set-target, …) still work for one
// release as aliases and print a one-line notice naming the new name.
//
// Each command declares its own flags; flags of the connection (--server,
// --token_file, --output/-o, --deadline_s, --tls, --tls_ca_file,
// --tls_server_name) apply to every command. Flags may come before or after
// the command, as --name=value, --name value or -name=value; booleans as
// --name or --noname. Unknown commands and flags get a "did you mean".
//
// Exit status: 0 success; 1 an error (a gRPC error is printed as
// "error: <STATUS_CODE>: <message>", with a hint for UNAUTHENTICATED and
// PERMISSION_DENIED), or rows skipped or rejected by an import; 2 a usage
// error (printed with the command's usage line).

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace monipaikka::client {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// What the command line sees of its process besides argv.
struct Environment {
  // The environment variables the client reads (see client/settings.h:
  // MONIPAIKKA_SERVER, MONIPAIKKA_TLS_CA, …, MONIPAIKKA_CONFIG,
  // XDG_CONFIG_HOME, HOME); absent = unset. The token variable
  // MONIPAIKKA_TOKEN is read where the token is loaded.
  std::map<std::string, std::string> variables;
  // Whether stderr is a terminal: imports then draw a progress line.
  bool stderr_is_terminal = false;
};

// The environment of this process.
Environment ProcessEnvironment();

// The text of `monipaikka --help`: the commands by group, the global flags,
// the settings and the exit status.
std::string UsageText();

// The text of `monipaikka COMMAND --help` for a command's name ("sites list")
// or old name ("sites"): its usage line, description and its own flags
// only; "" for an unknown name.
std::string CommandHelp(const std::string& name);

// Parses `args` (argv without the program name), connects to the server
// and runs the command. Results go to `out`; errors, usage texts, notices
// and import problems go to `err`. Returns the exit status.
int RunCommandLine(const std::vector<std::string>& args,
                   const Environment& environment, std::ostream& out,
                   std::ostream& err);

}  // namespace monipaikka::client
