#pragma once

// The figures of sets of workstations and rooms on one local date, from the
// sensors' states of that date: used by the summarizer for the lattice and
// by reports for sets the lattice does not keep.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "server/analytics/day_summary.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka {

// The days of sites, computed once each. Not thread-safe.
class FrameCache {
 public:
  explicit FrameCache(const OccupancyInventory& inventory)
      : inventory_(inventory) {}
  // The local day `date` of site `site`; the reference stays valid as long
  // as the cache lives.
  const DayFrame& Get(int32_t site, int32_t date);

 private:
  const OccupancyInventory& inventory_;
  absl::flat_hash_map<std::pair<int32_t, int32_t>, std::unique_ptr<DayFrame>>
      frames_;
};

// Sensor states of one date, by sensor index in the inventory.
using SensorSpansByIndex = absl::flat_hash_map<int32_t, std::vector<DaySpan>>;

// A set of workstations and rooms (inventory indexes, borrowed).
struct NodeDefinition {
  std::span<const int32_t> workstations;
  std::span<const int32_t> rooms;
  bool minute_peaks = false;
};

// The figures of each node on `date`. A workstation counts with the desk
// sensors bound to it that date (several are combined: occupied when any
// says so); a room with its room sensors likewise (counting when any of them
// counts people).
std::vector<NodeDayFigures> ComputeNodeDays(
    const OccupancyInventory& inventory, int32_t date,
    const SensorSpansByIndex& spans, std::span<const NodeDefinition> nodes,
    FrameCache& frames);

}  // namespace monipaikka
