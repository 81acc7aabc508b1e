#pragma once

// The usage report (AnalyticsService.GetUsageReport): the figures of a
// scope over a window, in total and grouped by time or by floor, zone, room,
// workstation kind, organization or site, with the scope's sensor coverage.

#include "absl/status/statusor.h"
#include "monipaikka/v1/analytics.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// INVALID_ARGUMENT for bad dates, windows or kinds; NOT_FOUND for unknown
// sites, spaces or organizations.
absl::StatusOr<v1::UsageReport> BuildUsageReport(
    const ReportContext& context, const v1::UsageReportRequest& request);

}  // namespace monipaikka
