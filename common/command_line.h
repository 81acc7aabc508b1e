#pragma once

// Command-line parsing shared by the server and the edge agent: absl flags,
// with a flag that cannot be parsed ending the program with
// ExitCode::kBadConfiguration like every other bad flag (absl itself exits
// with 1, the runtime-error status).

#include <vector>

namespace monipaikka {

// Parses the flags of argv (absl::ParseCommandLine) and returns the
// positional arguments, argv[0] first. An unknown flag or a bad value is
// reported by absl on stderr and ends the program with
// ExitCode::kBadConfiguration; --help, --helpfull, --version and the like
// end it with absl's own status. Call once, from main(), single-threaded.
std::vector<char*> ParseCommandLineOrExit(int argc, char** argv);

}  // namespace monipaikka
