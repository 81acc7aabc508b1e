#pragma once

// What a sensor's uplink says, once decoded from its vendor's format: the
// fields Monipaikka uses, each present only when the frame carried it.
// Decoders fill it from raw frames (elsys.h, milesight.h) and from the JSON
// object a network server's own codec produced (network_object.h); the edge
// agent turns it into readings according to the sensor's kind.
//
// Problems are reported as absl::Status with these codes, which the agent
// counts as reasons (see ProblemReason):
//   INVALID_ARGUMENT  malformed input (not JSON, a field of the wrong type)
//   NOT_FOUND         a required field is missing
//   DATA_LOSS         a truncated frame
//   UNIMPLEMENTED     an unknown payload (channel, type or message id)
//   OUT_OF_RANGE      a value outside what the vendor's format allows
//   RESOURCE_EXHAUSTED  JSON nested deeper than the limit (json_fields.h)

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace monipaikka::edge {

struct DecodedPayload {
  // Presence: the desk or room is occupied.
  std::optional<bool> occupied;
  // People in the watched area (e.g. a ToF sensor's people count, or the sum
  // of its region counts).
  std::optional<int32_t> count;
  // Line crossings summed over the device's lines: running totals since the
  // device's own counter reset, and/or the crossings of the last reporting
  // period.
  std::optional<uint32_t> total_in;
  std::optional<uint32_t> total_out;
  std::optional<uint32_t> period_in;
  std::optional<uint32_t> period_out;
  // PIR detections since the previous report.
  std::optional<int32_t> motion_count;
  // Health.
  std::optional<int32_t> battery_mv;
  std::optional<int32_t> battery_percent;

  // Whether the frame said anything about occupancy or counts.
  bool HasState() const {
    return occupied || count || total_in || total_out || period_in ||
           period_out || motion_count;
  }
  bool HasHealth() const { return battery_mv || battery_percent; }

  friend bool operator==(const DecodedPayload&,
                         const DecodedPayload&) = default;
};

// The counter reason of a problem status: "malformed", "missing_field",
// "truncated_frame", "unknown_payload", "out_of_range", "too_deep", or
// "error".
absl::string_view ProblemReason(const absl::Status& status);

}  // namespace monipaikka::edge
