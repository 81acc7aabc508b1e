// monipaikka: the command-line client. Everything but the wiring of argv to
// the library lives in monipaikka_client_lib (see client/cli.h).

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "client/cli.h"
#include "client/flags.h"

int main(int argc, char** argv) {
  using monipaikka::client::kExitOk;
  using monipaikka::client::kExitUsage;
  using monipaikka::client::kUsage;

  const std::vector<std::string> args(argv + 1, argv + argc);
  const monipaikka::client::FlagCheck check =
      monipaikka::client::CheckCommandLineFlags(args);
  if (check.help) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!check.status.ok()) {
    std::cerr << "monipaikka: " << check.status.message() << "\n"
              << "Run 'monipaikka help' for all commands and flags.\n";
    return kExitUsage;
  }
  const std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  const std::vector<std::string> positional(parsed.begin() + 1, parsed.end());
  return monipaikka::client::RunCommandLine(
      monipaikka::client::InvocationFromFlags(positional), std::cout,
      std::cerr);
}
