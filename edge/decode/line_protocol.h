#pragma once

// The plain line protocol for simple devices and bridges (over UDP and TCP,
// see edge/line_listener.h): one reading per line,
//
//   <sensor> <state> [<time>]
//
//   sensor  the sensor's external id as in the inventory: 1..128 printable
//           ASCII characters without spaces (a DevEUI in any case is matched
//           as one)
//   state   "occupied" or "free" (also "vacant") for presence sensors,
//           "count=<n>" (0..100000) for counting sensors
//   time    optional: an RFC 3339 instant ("2026-03-23T07:15:00Z",
//           "2026-03-23T09:15:00.250+02:00") or Unix milliseconds; without
//           it the agent stamps the reading when it receives it
//
// Fields are separated by spaces or tabs; a trailing "\r" is ignored; blank
// lines and lines starting with "#" carry nothing. Examples:
//   DESK-17 occupied
//   DESK-17 free 2026-03-23T07:15:00Z
//   ROOM-3 count=4 1774250100000

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::edge {

struct LineReading {
  std::string sensor;
  std::optional<bool> occupied;
  std::optional<int32_t> count;
  std::optional<int64_t> ts_ms;

  friend bool operator==(const LineReading&, const LineReading&) = default;
};

inline constexpr size_t kMaxLineBytes = 512;

// nullopt for a blank or comment line. INVALID_ARGUMENT naming the field
// ("state: ...", "time: ...") for a bad line, OUT_OF_RANGE for a count
// outside 0..100000.
absl::StatusOr<std::optional<LineReading>> ParseLine(absl::string_view line);

}  // namespace monipaikka::edge
