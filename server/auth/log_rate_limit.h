#pragma once

// Bounds how many log lines one kind of refusal writes: a flood of refused
// calls must not turn into a flood of log lines (disk, and the operator's
// attention). The refusals themselves are still counted in full elsewhere.
//
// Thread safety: Allow() may be called from any thread.

#include <cstdint>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace monipaikka {

class LogRateLimit {
 public:
  // At most `lines_per_second` lines of each kind per second (wall-clock
  // seconds of `now`).
  explicit LogRateLimit(int lines_per_second,
                        std::function<absl::Time()> now = absl::Now)
      : lines_per_second_(lines_per_second), now_(std::move(now)) {}

  // Whether a line of `kind` may be written now. When it may, and lines of
  // this kind were held back since the last one written, *suppressed is
  // set to their number (to be logged as "suppressed M similar"); else 0.
  bool Allow(absl::string_view kind, uint64_t* suppressed)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Window {
    int64_t second = 0;
    int written = 0;
    uint64_t suppressed = 0;
  };
  const int lines_per_second_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Window> windows_ ABSL_GUARDED_BY(mu_);
};

}  // namespace monipaikka
