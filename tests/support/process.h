#pragma once

// Starts real binaries for integration tests and stops them.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace monipaikka::testing {

class Process {
 public:
  // Starts `binary` with `args`; stdout goes to `log_path`, and so does
  // stderr unless `stderr_path` names another file.
  Process(const std::string& binary, const std::vector<std::string>& args,
          const std::string& log_path, const std::string& stderr_path = "");
  // Kills the process (SIGKILL) if it still runs.
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `signal` (e.g. SIGTERM, SIGKILL).
  void Signal(int signal);
  // Waits for exit up to `timeout`; returns the exit code, 128 + signal
  // number when killed by a signal, or -1 on time-out.
  int Wait(std::chrono::milliseconds timeout);
  const std::string& log_path() const { return log_path_; }
  // The log so far.
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool exited_ = false;
  std::string log_path_;
};

// Waits for `path` to exist and hold a port number; -1 on time-out.
int WaitForPortFile(const std::string& path, std::chrono::milliseconds timeout);

// A TCP port on 127.0.0.1 that was free a moment ago.
int PickFreePort();

// Runs `binary args…` to completion (up to `timeout`); returns its exit code
// (-1 on time-out) and puts its stdout into *output and its stderr into
// *errors (either may be null).
int RunToCompletion(const std::string& binary,
                    const std::vector<std::string>& args, std::string* output,
                    std::chrono::milliseconds timeout,
                    std::string* errors = nullptr);

}  // namespace monipaikka::testing
