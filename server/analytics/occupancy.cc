#include "server/analytics/occupancy.h"

#include <algorithm>
#include <limits>

namespace monipaikka {

namespace {

// a + b for b >= 0, saturating at the largest instant instead of overflowing.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  return a + b;
}

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

}  // namespace monipaikka
