#pragma once

// Polling for a condition that real processes bring about.

#include <chrono>
#include <thread>

namespace monipaikka::testing {

// Whether `predicate` came to hold within `timeout`, checked every 50 ms.
template <typename Predicate>
bool WaitFor(Predicate predicate,
             std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return predicate();
}

}  // namespace monipaikka::testing
