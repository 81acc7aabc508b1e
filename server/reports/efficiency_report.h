#pragma once

// Space efficiency (m² per FTE) against the targets in force, and the
// checking of targets before they are stored.

#include "absl/status/statusor.h"
#include "monipaikka/v1/analytics.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// INVALID_ARGUMENT for a missing or bad as_of or both site and
// organization; NOT_FOUND for unknown codes.
absl::StatusOr<v1::SpaceEfficiencyReport> BuildSpaceEfficiency(
    const ReportContext& context, const v1::SpaceEfficiencyRequest& request);

// Checks a target (INVALID_ARGUMENT naming "target.<field>", NOT_FOUND for
// an unknown scope code) and converts it for storage.
absl::StatusOr<TargetRow> CheckTarget(const OccupancyInventory& inventory,
                                      const v1::Target& target);
v1::Target TargetToProto(const TargetRow& row);

}  // namespace monipaikka
