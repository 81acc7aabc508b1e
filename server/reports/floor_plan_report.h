#pragma once

// The floor-closing plan of a site (docs/planning-floors-forecast.md): per
// weekday, the floors (or zones) to keep open with the least area that hold
// the weekday's demand, and what closing the rest saves in a year.

#include "absl/status/statusor.h"
#include "monipaikka/v1/planning.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// INVALID_ARGUMENT naming the field for a missing site, bad dates, a
// negative buffer, an unknown unit or an out-of-range assumption;
// NOT_FOUND for an unknown site.
absl::StatusOr<v1::FloorPlanReport> BuildFloorPlan(
    const ReportContext& context, const v1::FloorPlanRequest& request);

}  // namespace monipaikka
