#pragma once

// Memory and CPU time of a running process, from /proc.

#include <sys/types.h>

#include <cstdint>

namespace monipaikka::load {

struct ProcessFigures {
  bool ok = false;      // false when /proc had no such process
  int64_t rss_kib = 0;  // VmRSS: resident now
  int64_t hwm_kib = 0;  // VmHWM: highest resident so far
  double cpu_s = 0;     // user + system
};

ProcessFigures ReadProcessFigures(pid_t pid);

}  // namespace monipaikka::load
