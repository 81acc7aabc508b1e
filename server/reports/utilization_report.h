#pragma once

// Builds the utilization report of a site or space (the first report,
// UtilizationService.GetUtilization) from the occupancy summaries: the
// figures and their meaning are those of the usage report's totals.

#include <cstdint>

#include "absl/status/statusor.h"
#include "monipaikka/v1/utilization.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// The server's analytics settings.
struct UtilizationSettings {
  // How long a desk presence reading holds without a newer one.
  int64_t desk_stale_after_ms = 60 * 60 * 1000;
  // The same for room sensors (room_presence, people_counter, area_count).
  int64_t room_stale_after_ms = 60 * 60 * 1000;
  // Least occupied time in a day for a desk-day to count as used.
  int64_t desk_day_min_occupied_ms = 15 * 60 * 1000;
  // Longest window a report may span, in days.
  int max_window_days = 3 * 366;
};

// INVALID_ARGUMENT for bad dates or windows, NOT_FOUND for an unknown site
// or space.
absl::StatusOr<v1::UtilizationReport> BuildUtilizationReport(
    const ReportContext& context, const v1::UtilizationRequest& request);

}  // namespace monipaikka
