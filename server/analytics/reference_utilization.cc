#include "server/analytics/reference_utilization.h"

#include <algorithm>
#include <limits>

#include "common/check.h"

namespace monipaikka::reference {

namespace {

// a + b for b >= 0, saturating at the largest instant instead of overflowing.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  return a + b;
}

// Whether `intervals` are in time order, non-overlapping and not reversed:
// what the day sweep below relies on.
bool WellFormed(const std::vector<StateInterval>& intervals) {
  for (size_t i = 0; i < intervals.size(); ++i) {
    if (intervals[i].end_ms < intervals[i].start_ms) return false;
    if (i > 0 && intervals[i].start_ms < intervals[i - 1].end_ms) return false;
  }
  return true;
}

// An occupancy change at one instant, encoded so that plain integer order is
// (time, ends before starts): 2·t for an end (-1), 2·t + 1 for a start (+1).
// Intervals are half-open, so a workstation leaving at t and another arriving
// at t are never both occupied at t. Instants are clipped to a day's measured
// hours, far from the int64 limits.
int64_t EndEvent(int64_t t) { return 2 * t; }
int64_t StartEvent(int64_t t) { return 2 * t + 1; }
bool IsStart(int64_t event) { return (event & 1) != 0; }

}  // namespace

std::vector<StateInterval> PresenceIntervals(
    std::span<const PresenceReading> readings, int64_t stale_after_ms) {
  std::vector<StateInterval> intervals;
  // A reading holds for at most stale_after_ms; with none, nothing is known.
  if (readings.empty() || stale_after_ms <= 0) return intervals;

  // Stable: of readings sharing a timestamp, the first in the input comes
  // first and is the one kept below.
  std::vector<PresenceReading> sorted(readings.begin(), readings.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const PresenceReading& a, const PresenceReading& b) {
                     return a.ts_ms < b.ts_ms;
                   });

  intervals.reserve(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    const PresenceReading& reading = sorted[i];
    if (i > 0 && sorted[i - 1].ts_ms == reading.ts_ms) continue;
    int64_t end = SaturatingAdd(reading.ts_ms, stale_after_ms);
    // The next reading with a later timestamp ends this one's state.
    size_t next = i + 1;
    while (next < sorted.size() && sorted[next].ts_ms == reading.ts_ms) ++next;
    if (next < sorted.size()) end = std::min(end, sorted[next].ts_ms);

    if (!intervals.empty() && intervals.back().end_ms == reading.ts_ms &&
        intervals.back().occupied == reading.occupied) {
      intervals.back().end_ms = end;
    } else {
      intervals.push_back({reading.ts_ms, end, reading.occupied});
    }
  }
  return intervals;
}

WindowFigures ComputeUtilization(
    std::span<const std::vector<StateInterval>> workstations,
    std::span<const LocalDay> days) {
  for (const std::vector<StateInterval>& intervals : workstations) {
    MONIPAIKKA_CHECK(WellFormed(intervals),
                     "a workstation's intervals must be sorted and "
                     "non-overlapping");
  }

  WindowFigures figures;
  UsageNumbers& totals = figures.totals;
  totals.workstations_measured = static_cast<int32_t>(workstations.size());
  figures.days.reserve(days.size());

  // cursor[w]: the first interval of workstation w that may still reach into
  // the current or a later day. Days are visited in time order, so cursors
  // only move forward: O(intervals + days · |W|) in all.
  std::vector<size_t> cursor(workstations.size(), 0);
  std::vector<int64_t> events;  // reused across days
  std::vector<int32_t> daily_peaks;
  int64_t measured_ms_per_workstation = 0;
  int64_t previous_measured_end_ms = 0;
  bool any_measured_day = false;

  for (const LocalDay& day : days) {
    DayFigures daily;
    daily.date = day.date;
    daily.measured = day.measured;
    if (!day.measured) {
      figures.days.push_back(daily);
      continue;
    }
    const int64_t from_ms = day.measured_start_ms;
    const int64_t to_ms = day.measured_end_ms;
    MONIPAIKKA_CHECK(from_ms <= to_ms, "a day's measured hours are reversed");
    MONIPAIKKA_CHECK(!any_measured_day || previous_measured_end_ms <= from_ms,
                     "days must be in time order and must not overlap");
    any_measured_day = true;
    previous_measured_end_ms = to_ms;
    measured_ms_per_workstation += to_ms - from_ms;

    events.clear();
    for (size_t w = 0; w < workstations.size(); ++w) {
      const std::vector<StateInterval>& intervals = workstations[w];
      size_t i = cursor[w];
      while (i < intervals.size() && intervals[i].end_ms <= from_ms) ++i;
      cursor[w] = i;
      int64_t known_ms = 0;
      // The last interval visited may continue into the next day, so the
      // cursor is not moved past this scan.
      for (; i < intervals.size() && intervals[i].start_ms < to_ms; ++i) {
        const int64_t start = std::max(intervals[i].start_ms, from_ms);
        const int64_t end = std::min(intervals[i].end_ms, to_ms);
        if (end <= start) continue;
        known_ms += end - start;
        if (intervals[i].occupied) {
          daily.occupied_ms += end - start;
          events.push_back(StartEvent(start));
          events.push_back(EndEvent(end));
        }
      }
      daily.observed_ms += known_ms;
      if (known_ms > 0) ++daily.observed_workstations;
    }

    std::sort(events.begin(), events.end());
    int32_t occupied_now = 0;
    for (int64_t event : events) {
      occupied_now += IsStart(event) ? 1 : -1;
      daily.peak_occupancy = std::max(daily.peak_occupancy, occupied_now);
    }

    totals.observed_ms += daily.observed_ms;
    totals.occupied_ms += daily.occupied_ms;
    if (daily.observed_workstations > 0) {
      daily_peaks.push_back(daily.peak_occupancy);
    }
    figures.days.push_back(daily);
  }

  totals.unknown_ms =
      measured_ms_per_workstation * totals.workstations_measured -
      totals.observed_ms;
  if (totals.observed_ms > 0) {
    totals.time_utilization = static_cast<double>(totals.occupied_ms) /
                              static_cast<double>(totals.observed_ms);
  }

  totals.days_counted = static_cast<int32_t>(daily_peaks.size());
  if (!daily_peaks.empty()) {
    int64_t sum = 0;
    for (int32_t peak : daily_peaks) {
      sum += peak;
      totals.peak_occupancy_max = std::max(totals.peak_occupancy_max, peak);
    }
    totals.peak_occupancy_mean =
        static_cast<double>(sum) / static_cast<double>(daily_peaks.size());
    totals.peak_occupancy_p95 = NearestRank(daily_peaks, 95);
  }
  if (totals.workstations_measured > 0) {
    const double size = totals.workstations_measured;
    totals.peak_utilization_mean = totals.peak_occupancy_mean / size;
    totals.peak_utilization_max = totals.peak_occupancy_max / size;
    totals.peak_utilization_p95 = totals.peak_occupancy_p95 / size;
  }
  totals.daily_peaks = std::move(daily_peaks);
  return figures;
}

}  // namespace monipaikka::reference
