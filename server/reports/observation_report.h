#pragma once

// Observation rounds (SamplingService.ImportObservationRounds and
// GetObservationStudy): importing a utilization study's rows, and its
// figures per scope and group, estimates with intervals when the rounds
// cover a sample, and the calibration against the sensors
// (docs/planning.md, "Observation rounds").

#include "absl/status/statusor.h"
#include "monipaikka/v1/sampling.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// Most rows one import request may carry.
inline constexpr int kMaxObservationRowsPerRequest = 10000;

// Checks every row and stores the good ones (observers dropped). A bad row
// is rejected with its line and a reason naming the field; it never stops
// the others. INVALID_ARGUMENT for a request over the row limit.
absl::StatusOr<v1::ImportObservationRoundsResponse> ImportObservationRounds(
    const ReportContext& context,
    const v1::ImportObservationRoundsRequest& request);

// INVALID_ARGUMENT for bad dates, windows, kinds, strata or options;
// NOT_FOUND for unknown sites, spaces or organizations.
absl::StatusOr<v1::ObservationStudyReport> BuildObservationStudyReport(
    const ReportContext& context, const v1::ObservationStudyRequest& request);

}  // namespace monipaikka
