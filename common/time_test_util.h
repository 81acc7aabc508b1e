#pragma once

// Time helpers for tests (GoogleTest): instants written as RFC 3339 text and
// the Helsinki zone, failing the test instead of crashing on a typo.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "gtest/gtest.h"

namespace monipaikka {

// The instant of an RFC 3339 text, in ms since the epoch; fails the test on
// a typo (and gives 0).
inline int64_t Ms(absl::string_view text) {
  absl::StatusOr<int64_t> ms = ParseInstantMs(text);
  if (!ms.ok()) {
    ADD_FAILURE() << ms.status();
    return 0;
  }
  return *ms;
}

// Europe/Helsinki; fails the test (and gives UTC) when the zone is missing.
inline absl::TimeZone Helsinki() {
  absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Helsinki");
  EXPECT_TRUE(zone.ok()) << zone.status();
  return zone.value_or(absl::UTCTimeZone());
}

}  // namespace monipaikka
