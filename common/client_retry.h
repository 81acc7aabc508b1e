#pragma once

// A status a client must not send again by itself: the answer will not
// change within a retry's backoff, and its message says when to ask again.
// The services finish such a call with the trailer kRetryPushbackKey:
// kNoRetryPushback, a negative server pushback, which stops gRPC's client
// retry policy (client/read_retry.h).

#include "absl/status/status.h"
#include "absl/strings/cord.h"

namespace monipaikka {

inline constexpr char kRetryPushbackKey[] = "grpc-retry-pushback-ms";
inline constexpr char kNoRetryPushback[] = "-1";

// The payload that marks a status so.
inline constexpr char kWithoutClientRetryPayload[] =
    "type.monipaikka.fi/without-client-retry";

inline absl::Status WithoutClientRetry(absl::Status status) {
  status.SetPayload(kWithoutClientRetryPayload, absl::Cord());
  return status;
}

inline bool IsWithoutClientRetry(const absl::Status& status) {
  return status.GetPayload(kWithoutClientRetryPayload).has_value();
}

}  // namespace monipaikka
