#pragma once

// Exponential backoff with full jitter for reconnecting: the n-th consecutive
// retry waits a uniformly random time in [0, min(cap, initial * factor^n)]
// (n from 0), which spreads the reconnects of many gateways after a server
// restart instead of having them arrive in waves.
//
// Not thread-safe; owned by one thread.

#include <chrono>
#include <cstdint>
#include <random>

namespace monipaikka::edge {

struct BackoffPolicy {
  std::chrono::milliseconds initial{200};
  std::chrono::milliseconds cap{30000};
  double factor = 2.0;
};

class Backoff {
 public:
  // `seed` makes the jitter reproducible; 0 seeds from std::random_device.
  explicit Backoff(BackoffPolicy policy, uint64_t seed = 0);

  // The delay before the next retry; counts the retry.
  std::chrono::milliseconds NextDelay();
  // The upper bound NextDelay() draws from at the current retry count.
  std::chrono::milliseconds Ceiling() const;
  // After a success: the next delay is drawn from [0, initial] again.
  void Reset() { retries_ = 0; }
  int retries() const { return retries_; }

 private:
  const BackoffPolicy policy_;
  std::mt19937_64 random_;
  int retries_ = 0;
};

}  // namespace monipaikka::edge
