#include "edge/backoff.h"

#include <algorithm>
#include <cmath>

namespace monipaikka::edge {

Backoff::Backoff(BackoffPolicy policy, uint64_t seed)
    : policy_(policy), random_(seed != 0 ? seed : std::random_device{}()) {}

std::chrono::milliseconds Backoff::Ceiling() const {
  const double cap = static_cast<double>(policy_.cap.count());
  // Past ~64 doublings the product overflows to inf, which min() caps.
  const double ceiling =
      std::min(cap, static_cast<double>(policy_.initial.count()) *
                        std::pow(policy_.factor, std::min(retries_, 64)));
  return std::chrono::milliseconds(static_cast<int64_t>(ceiling));
}

std::chrono::milliseconds Backoff::NextDelay() {
  const int64_t ceiling = Ceiling().count();
  ++retries_;
  std::uniform_int_distribution<int64_t> jitter(0,
                                                std::max<int64_t>(0, ceiling));
  return std::chrono::milliseconds(jitter(random_));
}

}  // namespace monipaikka::edge
