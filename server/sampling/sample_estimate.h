#pragma once

// Scope figures estimated from a sample of measured workstations, with 95 %
// intervals (docs/planning.md, "Estimates from a sample of desks"). Pure
// functions over plain structs: no I/O, no gRPC, no SQL.
//
// The measured workstations of a scope are a sample within strata (zones or
// workstation kinds). Each figure is a ratio estimate within strata weighted
// by stratum size; its interval comes from a stratified rescaling bootstrap
// over workstations (Rao & Wu 1988, with m_h = n_h − 1 draws, which carries
// the finite population correction 1 − n_h/N_h) with a fixed seed, so the
// same request gives the same interval; the daily peaks' intervals also
// take the spread of their bias correction from a double bootstrap. When
// every workstation of the scope is measured the figures are exact and
// carry no interval; when a stratum has no measured workstation nothing is
// estimated and the stratum is named.
//
// Times are milliseconds. Span offsets are milliseconds from the local
// midnight of the workstation's day, already clipped to the measured hours.

#include <cstdint>
#include <string>
#include <vector>

#include "server/analytics/day_states.h"

namespace monipaikka {

// One measured workstation on one date of the window.
struct SampledDeskDay {
  int32_t day = 0;  // index of the date in the window, 0 … days − 1
  // Measured time (core hours, or all hours) with known state / occupied.
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  // Occupied for at least the desk-day threshold.
  bool used = false;
  // The known states inside the measured hours, in time order (value 0 or
  // 1); only read when peaks are estimated.
  std::vector<DaySpan> spans;
};

// A measured workstation of the sample: its stratum and the dates it was
// observed (dates without any known measured time may be left out).
struct SampledDesk {
  int32_t stratum = 0;
  std::vector<SampledDeskDay> days;
};

struct SamplingStratum {
  std::string name;
  // N_h: active workstations of the stratum in scope, measured or not.
  int32_t population = 0;
};

struct SampleEstimateOptions {
  // Bootstrap replicates (at least 100) and their seed. The daily peaks,
  // whose replicates cost a sweep over every day's state changes, take the
  // first min(replicates, peak_replicates) of them.
  int32_t replicates = 1000;
  int32_t peak_replicates = 200;
  uint64_t seed = 20260415;
  // Estimate the daily peak occupancy (costlier than the ratios).
  bool peaks = true;
  // Right-sizing from the upper end of the P95 interval, buffer in whole
  // percent (docs/figures.md, "Right-sizing").
  int32_t buffer_pct = 10;
  // Sample size: the wanted half-width of the 95 % interval of time
  // utilization, in percentage points (> 0).
  double target_margin_pp = 5.0;
};

// A figure with its 95 % interval. Without an interval (exact figures, or
// nothing estimated) lower == upper == value.
struct EstimatedFigure {
  double value = 0;
  double lower = 0;
  double upper = 0;
};

struct StratumEstimate {
  std::string name;
  int32_t population = 0;  // N_h
  int32_t measured = 0;    // n_h
  // The stratum's own ratios over its measured workstations.
  double time_utilization = 0;
  double desk_day_usage = 0;
  // Standard deviation between the stratum's measured workstations of the
  // residual occupied − R·observed, in hours per workstation (the variance
  // the sample size is planned from); 0 with fewer than 2 measured.
  double residual_sd_h = 0;
  // Measured workstations the stratum needs for the target precision, and
  // how many more sensors that is (max(0, needed − measured)).
  int32_t needed_measured = 0;
  int32_t additional_sensors = 0;
};

struct SampleEstimate {
  // False when some stratum has no measured workstation (named in
  // `unmeasured_strata`) or nothing was measured: no figure is given.
  bool available = false;
  std::vector<std::string> unmeasured_strata;
  // Every workstation of the scope measured: exact figures, no interval.
  bool exact = false;
  int32_t population = 0;  // N = Σ N_h
  int32_t measured = 0;    // n = Σ n_h
  // Strata with exactly one measured workstation: they add no variance to
  // the intervals (which are then too narrow), and are named.
  std::vector<std::string> single_measured_strata;

  // Time utilization, desk-day usage (shares 0 … 1).
  EstimatedFigure time_utilization;
  EstimatedFigure desk_day_usage;
  // Daily peak occupancy as counts of the whole scope: the mean and the
  // nearest-rank P95 over the counted days (dates on which some measured
  // workstation was observed).
  bool peaks = false;
  int32_t days_counted = 0;
  EstimatedFigure peak_occupancy_mean;
  EstimatedFigure peak_occupancy_p95;
  // Right-sizing: ceil(upper P95 × (100 + buffer) / 100); with exact
  // figures ceil(P95 × (100 + buffer) / 100).
  int32_t needed_workstations = 0;

  // Half-width of the Taylor-linearized 95 % interval of time utilization
  // (percentage points), and the sample size plan for the target.
  double taylor_margin_pp = 0;
  double target_margin_pp = 0;
  int32_t needed_measured = 0;  // Σ over strata
  int32_t additional_sensors = 0;
  std::vector<StratumEstimate> strata;

  int32_t replicates = 0;  // 0 when there is no interval
  int32_t peak_replicates = 0;
  // First-level peak replicates that carry two second-level replicates
  // each, for the daily peaks' intervals (peak_replicates / 2).
  int32_t peak_double_replicates = 0;
  uint64_t seed = 0;
};

// The estimate over `desks` (the measured workstations of the scope, each
// with a valid stratum index) for a window of `days` dates. Every stratum
// has population >= the number of its measured desks.
SampleEstimate EstimateFromSample(const std::vector<SamplingStratum>& strata,
                                  const std::vector<SampledDesk>& desks,
                                  int32_t days,
                                  const SampleEstimateOptions& options);

// Needed workstations from a (possibly fractional) P95 of daily peaks:
// ceil(p95 × (100 + buffer_pct) / 100), exact for whole numbers.
int32_t NeededFromPeak(double peak_p95, int32_t buffer_pct);

}  // namespace monipaikka
