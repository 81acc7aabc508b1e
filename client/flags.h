#pragma once

// The absl flags of `monipaikka` (--server, --output, --deadline_s, --site,
// --space, --gateway, --from, --to, --all_hours) and their checking.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/cli.h"

namespace monipaikka::client {

struct FlagCheck {
  // --help, -help, --helpfull, --helpshort or -h was given.
  bool help = false;
  // INVALID_ARGUMENT naming the first unknown flag, missing value or bad
  // value.
  absl::Status status;
};

// Checks the flags among `args` (argv without the program name) the way
// absl::ParseCommandLine will read them: "--name=value", "-name=value",
// "--name value" for non-boolean flags, "--name" and "--noname" for boolean
// ones, nothing after "--". absl would exit with status 1 on a bad flag;
// checking first lets the caller report a usage error (status 2). Valid
// values are already stored in the flags, as parsing would.
FlagCheck CheckCommandLineFlags(const std::vector<std::string>& args);

// The invocation from the parsed flags and the positional arguments that
// absl::ParseCommandLine returned (without the program name).
Invocation InvocationFromFlags(const std::vector<std::string>& positional);

}  // namespace monipaikka::client
