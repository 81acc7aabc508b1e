#include "server/analytics/floor_plan.h"

#include <cmath>
#include <limits>

namespace monipaikka {
namespace {

// Area in whole hundredths of a m².
int64_t AreaUnits(double area_m2) {
  return area_m2 > 0 ? std::llround(area_m2 * 100.0) : 0;
}

}  // namespace

OpenUnits ChooseOpenUnits(std::span<const PlanUnit> units, int32_t demand) {
  OpenUnits result;
  result.open.assign(units.size(), false);
  int64_t forced_capacity = 0;
  int64_t free_capacity = 0;
  std::vector<size_t> free;  // indexes of the units that may close
  for (size_t i = 0; i < units.size(); ++i) {
    const int32_t capacity = units[i].capacity > 0 ? units[i].capacity : 0;
    if (units[i].must_open) {
      result.open[i] = true;
      forced_capacity += capacity;
    } else {
      free.push_back(i);
      free_capacity += capacity;
    }
  }
  const int64_t rest = demand > forced_capacity ? demand - forced_capacity : 0;
  if (rest > free_capacity) {
    // Not even everything holds the demand: keep everything open.
    for (size_t i : free) result.open[i] = true;
  } else {
    // best[c]: least area of a set of the free units whose capacities sum
    // to exactly c, over the units seen so far. take[k][c]: whether the
    // k-th free unit is in that set for c, strictly better than without it
    // (so that on equal area a later unit stays out).
    constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
    const size_t width = static_cast<size_t>(free_capacity) + 1;
    std::vector<int64_t> best(width, kNone);
    best[0] = 0;
    std::vector<std::vector<bool>> take(free.size());
    int64_t reach = 0;  // largest sum reachable so far
    for (size_t k = 0; k < free.size(); ++k) {
      const PlanUnit& unit = units[free[k]];
      const int64_t capacity = unit.capacity > 0 ? unit.capacity : 0;
      const int64_t area = AreaUnits(unit.area_m2);
      take[k].assign(width, false);
      for (int64_t c = reach + capacity; c >= capacity; --c) {
        const int64_t without = best[c];
        const int64_t before = best[c - capacity];
        if (before == kNone) continue;
        if (before + area < without) {
          best[c] = before + area;
          take[k][c] = true;
        }
      }
      reach += capacity;
    }
    // The least area over sums >= rest; on equal area the largest sum.
    int64_t chosen = -1;
    for (int64_t c = rest; c <= free_capacity; ++c) {
      if (best[c] == kNone) continue;
      if (chosen < 0 || best[c] <= best[chosen]) chosen = c;
    }
    for (size_t k = free.size(); k-- > 0;) {
      if (take[k][chosen]) {
        result.open[free[k]] = true;
        chosen -= units[free[k]].capacity > 0 ? units[free[k]].capacity : 0;
      }
    }
  }
  int64_t open_capacity = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    if (!result.open[i]) continue;
    result.open_area_m2 += units[i].area_m2 > 0 ? units[i].area_m2 : 0;
    open_capacity += units[i].capacity > 0 ? units[i].capacity : 0;
  }
  result.open_capacity = static_cast<int32_t>(open_capacity);
  result.demand_met = open_capacity >= demand;
  return result;
}

}  // namespace monipaikka
