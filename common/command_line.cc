#include "common/command_line.h"

#include <cstdlib>

#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/exit_code.h"

namespace monipaikka {
namespace {

// absl::ParseCommandLine exits with status 1 when it cannot parse a flag
// (unknown flag, bad value) after printing which; this atexit handler turns
// that exit into kBadConfiguration. Debian's abseil has no public parse
// function that returns errors instead.
bool parsing_flags = false;

void BadConfigurationExitStatus() {
  if (parsing_flags) std::_Exit(ExitStatus(ExitCode::kBadConfiguration));
}

// --help, --helpfull, --version etc. also end the program inside
// ParseCommandLine; those keep absl's own exit status.
bool AsksForUsage(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    absl::ConsumePrefix(&arg, "-");
    absl::ConsumePrefix(&arg, "-");
    if (absl::StartsWith(arg, "help") || absl::StartsWith(arg, "version") ||
        absl::StartsWith(arg, "only_check_args")) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<char*> ParseCommandLineOrExit(int argc, char** argv) {
  std::atexit(BadConfigurationExitStatus);
  parsing_flags = !AsksForUsage(argc, argv);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  parsing_flags = false;
  return positional;
}

}  // namespace monipaikka
