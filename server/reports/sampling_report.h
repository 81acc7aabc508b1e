#pragma once

// The sample estimate report (SamplingService.GetSampleEstimate): a scope's
// figures estimated from its measured workstations as a stratified sample,
// with 95 % intervals and a sample-size plan (docs/planning.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "monipaikka/v1/sampling.pb.h"
#include "server/analytics/day_summary.h"
#include "server/reports/occupancy_source.h"
#include "server/reports/report_common.h"
#include "server/sampling/sample_estimate.h"

namespace monipaikka {

// The measured days of each workstation of `workstations` (inventory
// indexes) over `window`, from the stored sensor days: the states of its
// bound desk sensors combined, clipped to the measured hours of its site's
// day in `mode`; result[i] belongs to workstations[i] (stratum left 0).
// Dates without measured hours or known state are left out.
absl::StatusOr<std::vector<SampledDesk>> LoadSampledDesks(
    const ReportContext& context, const std::vector<int32_t>& workstations,
    const DateWindow& window, HoursMode mode);

// The stratum of a workstation: its zone's code; outside every zone, its
// floor's (or, off every floor, its site's) code and " (outside zones)";
// or its kind's name.
std::string SamplingStratumName(const OccupancyInventory& inventory,
                                v1::SamplingStrata strata, int32_t workstation);

// The estimate options of a request; INVALID_ARGUMENT naming the field
// (replicates, buffer_pct, target_margin_pp) out of range. 0 (or no
// buffer) means the default.
absl::StatusOr<SampleEstimateOptions> CheckSampleOptions(
    int32_t replicates, uint64_t seed, std::optional<int32_t> buffer_pct,
    double target_margin_pp);

// Fills the estimate's fields of `report` (not scope, window, strata).
void EstimateToProto(const SampleEstimate& estimate,
                     const SampleEstimateOptions& options,
                     v1::SampleEstimateReport* report);

// INVALID_ARGUMENT for bad dates, windows, kinds, strata or options;
// NOT_FOUND for unknown sites, spaces or organizations.
absl::StatusOr<v1::SampleEstimateReport> BuildSampleEstimateReport(
    const ReportContext& context, const v1::SampleEstimateRequest& request);

}  // namespace monipaikka
