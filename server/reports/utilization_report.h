#pragma once

// Builds the utilization report of a site or space: loads the scope and the
// readings from storage, turns them into occupancy intervals and computes the
// figures with the pure analytics.

#include <cstdint>

#include "absl/status/statusor.h"
#include "monipaikka/v1/utilization.pb.h"
#include "server/storage/storage.h"

namespace monipaikka {

struct UtilizationSettings {
  // How long a desk presence reading holds without a newer one.
  int64_t desk_stale_after_ms = 60 * 60 * 1000;
  // Longest window a report may span, in days.
  int max_window_days = 3 * 366;
};

// INVALID_ARGUMENT for bad dates or windows, NOT_FOUND for an unknown site
// or space.
absl::StatusOr<v1::UtilizationReport> BuildUtilizationReport(
    StorageSession& storage, const v1::UtilizationRequest& request,
    const UtilizationSettings& settings);

}  // namespace monipaikka
