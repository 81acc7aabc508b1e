#pragma once

// Reading samples out of the Prometheus text format in tests.

#include <optional>

#include "absl/strings/string_view.h"

namespace monipaikka::testing {

// The value of the sample whose series is exactly `series` (the metric name
// and, if any, its labels as printed, e.g.
// `monipaikka_readings_rejected_total{reason="unknown_sensor"}`), or nullopt
// when there is no such line.
std::optional<double> SampleValue(absl::string_view text,
                                  absl::string_view series);

}  // namespace monipaikka::testing
