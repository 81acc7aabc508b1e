#pragma once

// Planning reports: right-sizing (needed workstations, surplus, releasable
// area and rent per site and floor), the consolidation what-if, and the
// sensor coverage of a site.

#include "absl/status/statusor.h"
#include "monipaikka/v1/analytics.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// INVALID_ARGUMENT for bad dates or a negative buffer; NOT_FOUND for an
// unknown site.
absl::StatusOr<v1::RightSizingReport> BuildRightSizing(
    const ReportContext& context, const v1::RightSizingRequest& request);

// INVALID_ARGUMENT when no groups, both kinds of groups or no candidate are
// given; NOT_FOUND for unknown codes.
absl::StatusOr<v1::ConsolidationReport> BuildConsolidation(
    const ReportContext& context, const v1::ConsolidationRequest& request);

absl::StatusOr<v1::SensorCoverageReport> BuildSensorCoverage(
    const ReportContext& context, const v1::SensorCoverageRequest& request);

}  // namespace monipaikka
