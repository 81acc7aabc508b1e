#pragma once

// The forecast of a site's (floor's, organization's) daily peak occupancy
// and time utilization for the coming weeks, with prediction intervals and
// its backtest against seasonal naive (docs/planning-floors-forecast.md).

#include "absl/status/statusor.h"
#include "monipaikka/v1/planning.pb.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

// INVALID_ARGUMENT naming the field for a missing site, a bad date, weeks
// out of range, a floor of another site or both floor and organization;
// NOT_FOUND for an unknown site, floor or organization.
absl::StatusOr<v1::ForecastReport> BuildForecast(
    const ReportContext& context, const v1::ForecastRequest& request);

}  // namespace monipaikka
