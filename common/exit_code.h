#pragma once

// How Monipaikka's programs end (their exit status), the same for the
// server and the edge agent, so that an operator's scripts and systemd can
// tell a configuration to fix from a failure to retry.

namespace monipaikka {

enum class ExitCode : int {
  // Stopped as asked (SIGINT, SIGTERM) after an orderly shutdown, or done.
  kOk = 0,
  // Could not start with a valid configuration (storage, TLS or key files,
  // an address in use), or failed while running. Retrying may help once the
  // environment is fixed.
  kRuntimeError = 1,
  // The command line was refused before anything started: an unknown flag,
  // a value out of range, a bad combination, a stray argument. A message on
  // stderr names the flag. Retrying without changing it never helps.
  kBadConfiguration = 2,
};

// The exit status of `code`, for returning from main().
constexpr int ExitStatus(ExitCode code) { return static_cast<int>(code); }

}  // namespace monipaikka
