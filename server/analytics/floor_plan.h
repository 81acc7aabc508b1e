#pragma once

// The floor-closing plan (docs/planning-floors-forecast.md): which floors
// (or zones) of a site to keep open on a weekday so that the open ones hold
// the weekday's demand with the least area. Pure functions.

#include <cstdint>
#include <span>
#include <vector>

namespace monipaikka {

// A floor or zone that the plan may close.
struct PlanUnit {
  // Area, m² (>= 0). Compared in whole hundredths of a m², so that equal
  // areas are equal however they were summed.
  double area_m2 = 0;
  // Office workstations in it (active, not home workstations), >= 0.
  int32_t capacity = 0;
  // Must stay open (a home floor kept open).
  bool must_open = false;
};

struct OpenUnits {
  // Whether the open units hold the demand. When even all units together
  // hold less, every unit is open and this is false.
  bool demand_met = false;
  // Per unit, in the order given.
  std::vector<bool> open;
  double open_area_m2 = 0;
  int32_t open_capacity = 0;
};

// The set of units to keep open:
//   minimize   Σ area_i · x_i
//   subject to Σ capacity_i · x_i >= demand,
//              x_i = 1 for every unit that must open, x_i ∈ {0, 1}.
// Solved exactly by dynamic programming over the exact capacity sums of the
// units that may close (time and memory O(units × their total capacity)).
// Among sets of equal least area, the one with the most capacity; among
// those, the one that keeps the earlier units (in the order given) open:
// the later a unit comes, the sooner it closes. `demand` <= 0 needs nothing
// but the units that must open.
OpenUnits ChooseOpenUnits(std::span<const PlanUnit> units, int32_t demand);

// The energy a plan saves and its carbon dioxide, from assumptions the
// report shows.
struct EnergyAssumptions {
  // Energy a closed m² saves per closed day, kWh.
  double kwh_per_m2_closed_day = 0.25;
  // Emission factor of that energy, kg CO₂ per kWh.
  double kg_co2_per_kwh = 0.08;
};

}  // namespace monipaikka
