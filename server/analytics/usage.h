#pragma once

// Usage figures of a set W of workstations and R of rooms over a set of
// days: time utilization, the statistics of daily peak occupancy, desk-day
// usage and room seat utilization, exactly as docs/figures.md defines them. The
// days' figures come from SummarizeDay (day_summary.h). Pure functions.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/analytics/day_summary.h"

namespace monipaikka {

// One local date of the set, in the report's hours mode.
struct UsageDay {
  absl::CivilDay date;
  // Whether the date has measured hours for some member (a core day of its
  // site, or any day when all hours are measured), in all and per hour.
  bool measured = false;
  std::array<bool, 24> measured_hours{};
  // Σ over W of the date's measured time, in all and per clock hour; Σ over
  // R of it.
  int64_t desk_measured_ms = 0;
  std::array<int64_t, 24> desk_measured_by_hour{};
  int64_t room_measured_ms = 0;
  // The date's figures in the report's mode; nullptr when nothing of the set
  // was known that day. Borrowed.
  const DeskDayFigures* desks = nullptr;
  const RoomDayFigures* rooms = nullptr;
};

struct UsageNumbers {
  int32_t workstations_measured = 0;  // |W|
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  int64_t unknown_ms = 0;
  double unknown_share = 0;     // unknown / (observed + unknown)
  double time_utilization = 0;  // occupied / observed
  int32_t days_counted = 0;
  double peak_occupancy_mean = 0;
  int32_t peak_occupancy_max = 0;
  int32_t peak_occupancy_p95 = 0;
  double peak_utilization_mean = 0;
  double peak_utilization_max = 0;
  double peak_utilization_p95 = 0;
  int64_t desk_days_observed = 0;
  int64_t desk_days_used = 0;
  double desk_day_usage = 0;
  int32_t rooms_measured = 0;  // |R|
  int64_t room_observed_ms = 0;
  int64_t room_occupied_ms = 0;
  int64_t room_unknown_ms = 0;
  double room_time_utilization = 0;
  double room_mean_count_while_occupied = 0;
  double room_seat_utilization = 0;
  bool measured = false;  // some day (hour) had measured hours
  // The counted days' peaks, in day order (for callers that combine).
  std::vector<int32_t> daily_peaks;
};

// The figures over `days`. With `hour` in 0 … 23 only that clock hour of
// each day counts: peaks are the hour's peaks, a day counts when W was
// observed in that hour, and desk-day and room figures are left at 0.
// `workstations` is |W| and `rooms` |R|.
UsageNumbers AggregateUsage(std::span<const UsageDay> days,
                            int32_t workstations, int32_t rooms, int hour = -1);

// The nearest-rank percentile: the ceil(p/100 · n)-th smallest of `values`
// (which need not be sorted); 0 for none. p in (0, 100]. The one percentile
// of the figures (P95 of daily peaks here and in right_sizing.h).
int32_t NearestRank(std::vector<int32_t> values, int percent);

}  // namespace monipaikka
