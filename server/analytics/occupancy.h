#pragma once

// From presence readings to occupancy intervals of one target (a workstation
// or a room). Pure functions: no I/O.

#include <cstdint>
#include <span>
#include <vector>

namespace monipaikka {

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

}  // namespace monipaikka
