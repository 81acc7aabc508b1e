#pragma once

// Where reports get their daily figures: for a set of workstations and
// rooms described by conditions (a Selection), the node days the summarizer
// keeps when the set is one of the lattice's, otherwise figures computed on
// the spot from the sensor days (same code, same results, slower). Never
// from raw readings.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/vocabulary.h"
#include "server/analytics/day_summary.h"
#include "server/privacy/registry_disclosure.h"
#include "server/storage/storage.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka {

class RegistryFigureCache;  // server/reports/registry_figures.h

// What a report needs besides its request.
struct ReportContext {
  StorageSession& session;
  const OccupancyInventory& inventory;
  // The report's "now" (UTC ms): as_of, and what "silent" is measured from.
  int64_t now_ms = 0;
  // Longest window a report may span, days.
  int max_window_days = 3 * 366;
  // How figures derived from the HR registry (FTE, m²/htv) are published.
  RegistryPublication registry = {};
  // Published registry figures already audited (not owned; may be null).
  RegistryFigureCache* registry_cache = nullptr;
};

// Workstations and rooms meeting every condition given.
struct Selection {
  int32_t site = -1;   // -1: any site
  int32_t space = -1;  // -1: anywhere; else inside this space
  // Organization indexes, -1 for shared use; empty: any.
  std::vector<int32_t> organizations;
  std::vector<WorkstationKind> kinds;  // empty: any
  // Only what is outside every zone / every room of the space.
  bool outside_zones = false;
  bool outside_rooms = false;
  // Workstation index: only that workstation; -1: any.
  int32_t workstation = -1;
  // Whether rooms belong to the selection (not when it asks for
  // organizations or kinds, which rooms do not have).
  bool rooms = true;
};

bool SelectsWorkstation(const OccupancyInventory& inventory,
                        const Selection& selection, int32_t workstation);
bool SelectsRoom(const OccupancyInventory& inventory,
                 const Selection& selection, int32_t space);
// The lattice key of exactly this set, if the lattice keeps it.
std::optional<std::string> LatticeKeyOf(const OccupancyInventory& inventory,
                                        const Selection& selection);

// The members of a selection over the dates first … last.
struct SelectionMembers {
  // Active workstations (with or without sensors).
  std::vector<int32_t> workstations;
  // W: those with a desk sensor bound on some date of the window, and the
  // others.
  std::vector<int32_t> measured;
  std::vector<int32_t> unmeasured;
  // Room-like spaces, and those with a room sensor bound in the window.
  std::vector<int32_t> rooms;
  std::vector<int32_t> rooms_measured;
};
SelectionMembers MembersOf(const OccupancyInventory& inventory,
                           const Selection& selection, int32_t first_date,
                           int32_t last_date);
// `members` narrowed to the local dates `dates` (ascending): W and the
// measured rooms keep only those with a sensor bound on one of those dates;
// the workstations dropped from W join the unmeasured ones. What a report
// over exactly those dates counts, so a time group (a day, a weekday …) is
// the scope narrowed to it.
SelectionMembers MembersOnDates(const OccupancyInventory& inventory,
                                const SelectionMembers& members,
                                std::span<const int32_t> dates);

// Day figures of each selection over first … last: result[s][date - first],
// nullopt when nothing of it was known that date. With `minute_peaks` the
// figures carry the minute series.
absl::StatusOr<std::vector<std::vector<std::optional<NodeDayFigures>>>>
LoadDayFigures(const ReportContext& context,
               std::span<const Selection> selections, int32_t first_date,
               int32_t last_date, bool minute_peaks);

}  // namespace monipaikka
