// monipaikka: the command-line client. Everything but the wiring of argv to
// the library lives in monipaikka_client_lib (see client/cli.h).

#include <iostream>
#include <string>
#include <vector>

#include "client/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return monipaikka::client::RunCommandLine(
      args, monipaikka::client::ProcessEnvironment(), std::cout, std::cerr);
}
