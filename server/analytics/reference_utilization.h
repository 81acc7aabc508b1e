#pragma once

// A reference implementation of the desk utilization figures, for tests only:
// a second computation, written independently of the production engine
// (day_states.h, day_summary.h, usage.h), that tests compare the engine
// against. It follows DESIGN.md literally, from presence readings to
// known-state intervals to the figures of a set W of workstations over a
// window of local days, and favours being obviously right over speed.
// Built only into the test binaries.

#include <cstdint>
#include <span>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/calendar.h"
#include "server/analytics/usage.h"

namespace monipaikka::reference {

// One presence observation. ts_ms is UTC milliseconds since the epoch.
struct PresenceReading {
  int64_t ts_ms = 0;
  bool occupied = false;

  friend bool operator==(const PresenceReading&,
                         const PresenceReading&) = default;
};

// A half-open span [start_ms, end_ms) in which the target's state was known.
// Time not covered by any interval is UNKNOWN.
struct StateInterval {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  bool occupied = false;

  friend bool operator==(const StateInterval&, const StateInterval&) = default;
};

// The known-state intervals of one target, in time order, non-overlapping,
// adjacent intervals of equal state merged.
//
// A reading sets the state from its ts_ms until the next reading, but for at
// most `stale_after_ms`; after that the state is unknown until the next
// reading. Before the first reading the state is unknown. `readings` may be
// in any order and may repeat a timestamp: they are ordered by ts_ms, and of
// several readings with the same ts_ms the first in the input wins (storage
// never holds two).
std::vector<StateInterval> PresenceIntervals(
    std::span<const PresenceReading> readings, int64_t stale_after_ms);

// The figures of one local day of the window.
struct DayFigures {
  absl::CivilDay date;
  bool measured = false;       // the day has measured (core) hours
  int64_t observed_ms = 0;     // Σ over W of measured time with known state
  int64_t occupied_ms = 0;     // Σ over W of measured time occupied
  int32_t peak_occupancy = 0;  // max |occupied W| at one instant
  int32_t observed_workstations = 0;  // members of W known at some time
};

struct WindowFigures {
  // The desk figures over the window, in the engine's struct: |W|, observed,
  // occupied and unknown time, time utilization, and the statistics of the
  // daily peaks over the days counted (days with measured hours and at least
  // one member of W observed) with their peaks in day order.
  // unknown_share, `measured`, the desk-day and room figures stay 0.
  UsageNumbers totals;
  std::vector<DayFigures> days;  // one per input day, in order
};

// `workstations` holds, for each member of W, its known-state intervals
// (from PresenceIntervals). `days` are the window's local days with their
// measured hours (from LocalDays). Only time inside measured hours counts.
WindowFigures ComputeUtilization(
    std::span<const std::vector<StateInterval>> workstations,
    std::span<const LocalDay> days);

}  // namespace monipaikka::reference
