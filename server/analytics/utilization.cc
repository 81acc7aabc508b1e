#include "server/analytics/utilization.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace monipaikka {

namespace {

// Broken preconditions are programming errors (the inputs come from
// PresenceIntervals and LocalDays, never from a user): crash loudly.
void CheckPrecondition(bool condition, const char* message) {
  if (!condition) {
    std::fprintf(stderr, "ComputeUtilization: broken precondition: %s\n",
                 message);
    std::abort();
  }
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

UtilizationFigures ComputeUtilization(
    std::span<const std::vector<StateInterval>> workstations,
    std::span<const LocalDay> days) {
  for (const std::vector<StateInterval>& intervals : workstations) {
    CheckPrecondition(WellFormed(intervals),
                      "a workstation's intervals must be sorted and "
                      "non-overlapping");
  }

  UtilizationFigures figures;
  figures.workstations_measured = static_cast<int32_t>(workstations.size());
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
    DailyUtilizationFigures daily;
    daily.date = day.date;
    daily.measured = day.measured;
    if (!day.measured) {
      figures.days.push_back(daily);
      continue;
    }
    const int64_t from_ms = day.measured_start_ms;
    const int64_t to_ms = day.measured_end_ms;
    CheckPrecondition(from_ms <= to_ms, "a day's measured hours are reversed");
    CheckPrecondition(!any_measured_day || previous_measured_end_ms <= from_ms,
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

    figures.observed_ms += daily.observed_ms;
    figures.occupied_ms += daily.occupied_ms;
    if (daily.observed_workstations > 0) {
      daily_peaks.push_back(daily.peak_occupancy);
    }
    figures.days.push_back(daily);
  }

  figures.unknown_ms =
      measured_ms_per_workstation * figures.workstations_measured -
      figures.observed_ms;
  if (figures.observed_ms > 0) {
    figures.time_utilization = static_cast<double>(figures.occupied_ms) /
                               static_cast<double>(figures.observed_ms);
  }

  figures.days_counted = static_cast<int32_t>(daily_peaks.size());
  if (!daily_peaks.empty()) {
    int64_t sum = 0;
    for (int32_t peak : daily_peaks) {
      sum += peak;
      figures.peak_occupancy_max = std::max(figures.peak_occupancy_max, peak);
    }
    figures.peak_occupancy_mean =
        static_cast<double>(sum) / static_cast<double>(daily_peaks.size());
    figures.peak_occupancy_p95 =
        NearestRankPercentile(std::move(daily_peaks), 95);
  }
  if (figures.workstations_measured > 0) {
    const double size = figures.workstations_measured;
    figures.peak_utilization_mean = figures.peak_occupancy_mean / size;
    figures.peak_utilization_max = figures.peak_occupancy_max / size;
    figures.peak_utilization_p95 = figures.peak_occupancy_p95 / size;
  }
  return figures;
}

int32_t NearestRankPercentile(std::vector<int32_t> values, int percent) {
  if (values.empty()) return 0;
  const int64_t n = static_cast<int64_t>(values.size());
  const int64_t p = std::clamp(percent, 1, 100);
  // ceil(p · n / 100) in exact integer arithmetic; at least 1.
  const int64_t rank = std::clamp<int64_t>((p * n + 99) / 100, 1, n);
  auto nth = values.begin() + (rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

}  // namespace monipaikka
