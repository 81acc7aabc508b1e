#include "server/auth/log_rate_limit.h"

namespace monipaikka {

bool LogRateLimit::Allow(absl::string_view kind, uint64_t* suppressed) {
  *suppressed = 0;
  const int64_t second = absl::ToUnixSeconds(now_());
  absl::MutexLock lock(&mu_);
  Window& window = windows_[kind];
  if (window.second != second) {
    window.second = second;
    window.written = 0;
  }
  if (window.written >= lines_per_second_) {
    ++window.suppressed;
    return false;
  }
  ++window.written;
  *suppressed = window.suppressed;
  window.suppressed = 0;
  return true;
}

}  // namespace monipaikka
