#pragma once

// Utilization figures of a set W of workstations over a window of local
// days, exactly as the design document defines them. Pure functions over
// plain structs: no I/O, no gRPC, no SQL.

#include <cstdint>
#include <span>
#include <vector>

#include "common/calendar.h"
#include "server/analytics/occupancy.h"

namespace monipaikka {

struct DailyUtilizationFigures {
  absl::CivilDay date;
  bool measured = false;       // the day has measured (core) hours
  int64_t observed_ms = 0;     // Σ over W of measured time with known state
  int64_t occupied_ms = 0;     // Σ over W of measured time occupied
  int32_t peak_occupancy = 0;  // max |occupied W| at one instant
  int32_t observed_workstations = 0;  // members of W known at some time
};

struct UtilizationFigures {
  int32_t workstations_measured = 0;  // |W|
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  // Σ over W of measured time with unknown state.
  int64_t unknown_ms = 0;
  // occupied / observed; 0 when observed is 0.
  double time_utilization = 0;
  // Days with measured hours and at least one member of W observed.
  int32_t days_counted = 0;
  // Statistics of the daily peak occupancy over the counted days; P95 is the
  // nearest rank: the ceil(0.95 n)-th smallest of the n daily values.
  double peak_occupancy_mean = 0;
  int32_t peak_occupancy_max = 0;
  int32_t peak_occupancy_p95 = 0;
  // The same divided by |W| (0 when W is empty).
  double peak_utilization_mean = 0;
  double peak_utilization_max = 0;
  double peak_utilization_p95 = 0;
  std::vector<DailyUtilizationFigures> days;  // one per input day, in order
};

// `workstations` holds, for each member of W, its known-state intervals
// (from PresenceIntervals). `days` are the window's local days with their
// measured hours (from LocalDays). Only time inside measured hours counts.
UtilizationFigures ComputeUtilization(
    std::span<const std::vector<StateInterval>> workstations,
    std::span<const LocalDay> days);

// The nearest-rank percentile: the ceil(p/100 · n)-th smallest value of
// `values` (which need not be sorted); 0 for no values. p in (0, 100].
int32_t NearestRankPercentile(std::vector<int32_t> values, int percent);

}  // namespace monipaikka
