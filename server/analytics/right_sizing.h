#pragma once

// Right-sizing and consolidation what-ifs (docs/figures.md, "Right-sizing" and
// "Consolidation what-if"). Pure functions.

#include <cstdint>
#include <span>
#include <vector>

#include "absl/time/civil_time.h"

namespace monipaikka {

// ceil(peak_p95 × (100 + buffer_pct) / 100) in exact integer arithmetic
// (20 at 10 % is 22, not 23). buffer_pct >= 0.
int32_t NeededWorkstations(int32_t peak_p95, int32_t buffer_pct);

struct RightSizingInput {
  int32_t workstations = 0;  // |W|
  int32_t peak_p95 = 0;      // P95 of the daily peak occupancy
  int32_t buffer_pct = 10;
  double office_area_m2 = 0;
  double rent_per_m2_eur = 0;  // € per m² and year
};

struct RightSizingFigures {
  int32_t needed = 0;
  // |W| − needed; negative when more are needed than there are.
  int32_t surplus = 0;
  // office area / |W| (0 when W is empty).
  double area_per_workstation_m2 = 0;
  // max(0, surplus) × area per workstation, and its rent per year.
  double releasable_area_m2 = 0;
  double releasable_rent_eur = 0;
};

RightSizingFigures RightSize(const RightSizingInput& input);

// One candidate day of a consolidation.
struct ConsolidationDayInput {
  absl::CivilDay date;
  // The candidate site's core hours that day as minutes since its local
  // midnight (elapsed time), [core_first_minute, core_end_minute); empty on
  // days that are not core days there.
  int32_t core_first_minute = 0;
  int32_t core_end_minute = 0;
  // Per group: its minute peak series that day (minutes since local
  // midnight; see NodeDayFigures::minute_peaks), or nullptr when it was not
  // observed at all that day. Borrowed.
  std::vector<const std::vector<uint16_t>*> groups;
};

struct ConsolidationDayFigures {
  absl::CivilDay date;
  int32_t combined_peak = 0;
  int32_t peak_minute = 0;  // first minute reaching combined_peak
  std::vector<int32_t> group_peaks;
};

struct ConsolidationFigures {
  // Days that are core days of the candidate and on which some group was
  // observed.
  std::vector<ConsolidationDayFigures> days;
  double combined_peak_mean = 0;
  int32_t combined_peak_p95 = 0;
  int32_t combined_peak_max = 0;
  std::vector<int32_t> group_peak_p95;
  std::vector<int32_t> group_peak_max;
  int32_t sum_of_group_p95 = 0;
  int32_t needed = 0;
  bool fits = false;
  int32_t headroom = 0;
  bool fits_at_max = false;
  int32_t headroom_at_max = 0;
};

// Adds the groups' series minute by minute on each day, takes the daily
// peaks of the sum inside the candidate's core hours, and compares their
// P95 (with the buffer, as in right-sizing) and maximum with `capacity`.
ConsolidationFigures Consolidate(std::span<const ConsolidationDayInput> days,
                                 size_t group_count, int32_t capacity,
                                 int32_t buffer_pct);

}  // namespace monipaikka
