#pragma once

// The compact binary forms in which the derived occupancy data is stored:
// a sensor's spans of one day (sensor_days.states) and a node's figures of
// one day (node_days.figures). Unsigned LEB128 varints throughout, so that
// the many zeros (night hours, empty minutes) cost a byte each. Decoding
// checks every length and bound and fails with DATA_LOSS rather than trust
// the bytes.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/analytics/day_states.h"
#include "server/analytics/day_summary.h"

namespace monipaikka {

std::string EncodeDaySpans(const std::vector<DaySpan>& spans);
absl::StatusOr<std::vector<DaySpan>> DecodeDaySpans(absl::string_view bytes);

std::string EncodeNodeDay(const NodeDayFigures& figures);
absl::StatusOr<NodeDayFigures> DecodeNodeDay(absl::string_view bytes);

}  // namespace monipaikka
