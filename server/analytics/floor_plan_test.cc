#include "server/analytics/floor_plan.h"

#include <cmath>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

using ::testing::ElementsAre;

// Floors A (900 m², 100 desks), B and C (600 m², 60 desks each); demand 110.
// Largest-first and densest-first both take A (the most desks, and the most
// desks per m²: 0.111 against 0.1) and then need B as well: 1 500 m². The
// least area is B + C: 1 200 m² for 120 desks.
TEST(ChooseOpenUnitsTest, BeatsGreedyChoices) {
  const std::vector<PlanUnit> floors = {
      {900, 100, false}, {600, 60, false}, {600, 60, false}};
  const OpenUnits plan = ChooseOpenUnits(floors, 110);
  EXPECT_TRUE(plan.demand_met);
  EXPECT_THAT(plan.open, ElementsAre(false, true, true));
  EXPECT_DOUBLE_EQ(plan.open_area_m2, 1200);
  EXPECT_EQ(plan.open_capacity, 120);
}

// Demand 100 fits on A alone (900 m²), less than B + C.
TEST(ChooseOpenUnitsTest, OneLargeFloorWhenItIsSmallest) {
  const std::vector<PlanUnit> floors = {
      {900, 100, false}, {600, 60, false}, {600, 60, false}};
  const OpenUnits plan = ChooseOpenUnits(floors, 100);
  EXPECT_THAT(plan.open, ElementsAre(true, false, false));
  EXPECT_DOUBLE_EQ(plan.open_area_m2, 900);
}

// Two identical floors and demand for one: the earlier stays open.
TEST(ChooseOpenUnitsTest, EqualFloorsKeepTheEarlierOpen) {
  const std::vector<PlanUnit> floors = {
      {500, 40, false}, {500, 40, false}, {500, 40, false}};
  EXPECT_THAT(ChooseOpenUnits(floors, 30).open,
              ElementsAre(true, false, false));
  EXPECT_THAT(ChooseOpenUnits(floors, 50).open, ElementsAre(true, true, false));
}

// Equal area: the set with more desks wins, wherever it is.
TEST(ChooseOpenUnitsTest, EqualAreaPrefersMoreCapacity) {
  const std::vector<PlanUnit> floors = {{500, 40, false}, {500, 45, false}};
  EXPECT_THAT(ChooseOpenUnits(floors, 30).open, ElementsAre(false, true));
}

// Areas that sum to the same figure in different orders compare equal.
TEST(ChooseOpenUnitsTest, AreasCompareInHundredthsOfSquareMetres) {
  const std::vector<PlanUnit> floors = {
      {0.1, 1, false}, {0.2, 1, false}, {0.3, 2, false}};
  // {0.1 + 0.2} and {0.3} are equal area; {0.3} alone has 2 desks as does
  // the pair: then the earlier units stay open.
  EXPECT_THAT(ChooseOpenUnits(floors, 2).open, ElementsAre(true, true, false));
}

// A home floor that must open counts towards the demand.
TEST(ChooseOpenUnitsTest, MustOpenUnitsCountTowardsDemand) {
  const std::vector<PlanUnit> floors = {
      {900, 100, true}, {600, 60, false}, {600, 60, false}};
  const OpenUnits plan = ChooseOpenUnits(floors, 110);
  EXPECT_THAT(plan.open, ElementsAre(true, true, false));
  EXPECT_DOUBLE_EQ(plan.open_area_m2, 1500);
  EXPECT_TRUE(plan.demand_met);
  // No demand: only what must open.
  EXPECT_THAT(ChooseOpenUnits(floors, 0).open, ElementsAre(true, false, false));
}

TEST(ChooseOpenUnitsTest, DemandAboveCapacityKeepsEverythingOpen) {
  const std::vector<PlanUnit> floors = {{900, 100, false}, {600, 60, false}};
  const OpenUnits plan = ChooseOpenUnits(floors, 161);
  EXPECT_FALSE(plan.demand_met);
  EXPECT_THAT(plan.open, ElementsAre(true, true));
  EXPECT_EQ(plan.open_capacity, 160);
}

// A floor without desks never opens to meet demand.
TEST(ChooseOpenUnitsTest, FloorsWithoutDesksStayClosed) {
  const std::vector<PlanUnit> floors = {{300, 0, false}, {600, 60, false}};
  EXPECT_THAT(ChooseOpenUnits(floors, 10).open, ElementsAre(false, true));
  EXPECT_THAT(ChooseOpenUnits(floors, 0).open, ElementsAre(false, false));
}

// Against every subset of small random sites, with the documented order:
// least area (hundredths of m²), then most capacity, then the later units
// closed first.
TEST(ChooseOpenUnitsTest, MatchesExhaustiveSearch) {
  std::mt19937 random(7);
  for (int round = 0; round < 400; ++round) {
    const int n = 1 + static_cast<int>(random() % 8);
    std::vector<PlanUnit> units(n);
    int total = 0;
    for (PlanUnit& unit : units) {
      unit.capacity = static_cast<int32_t>(random() % 30);
      unit.area_m2 = 50.0 * static_cast<double>(random() % 12) +
                     (random() % 2 == 0 ? 0.5 : 0.0);
      unit.must_open = random() % 6 == 0;
      total += unit.capacity;
    }
    const int32_t demand = static_cast<int32_t>(random() % (total + 5));
    int best = -1;
    int64_t best_area = 0;
    int best_capacity = 0;
    for (int mask = 0; mask < (1 << n); ++mask) {
      int64_t area = 0;
      int capacity = 0;
      bool valid = true;
      for (int i = 0; i < n; ++i) {
        if (mask & (1 << i)) {
          area += std::llround(units[i].area_m2 * 100);
          capacity += units[i].capacity;
        } else if (units[i].must_open) {
          valid = false;
        }
      }
      if (!valid || capacity < demand) continue;
      // Colex order: the set without the highest differing unit is better.
      auto colex_better = [&](int a, int b) {
        for (int i = n - 1; i >= 0; --i) {
          const bool in_a = a & (1 << i), in_b = b & (1 << i);
          if (in_a != in_b) return !in_a;
        }
        return false;
      };
      if (best < 0 || area < best_area ||
          (area == best_area && capacity > best_capacity) ||
          (area == best_area && capacity == best_capacity &&
           colex_better(mask, best))) {
        best = mask;
        best_area = area;
        best_capacity = capacity;
      }
    }
    const OpenUnits plan = ChooseOpenUnits(units, demand);
    if (best < 0) {
      EXPECT_FALSE(plan.demand_met) << "round " << round;
      continue;
    }
    ASSERT_TRUE(plan.demand_met) << "round " << round;
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(plan.open[i], (best & (1 << i)) != 0)
          << "round " << round << " unit " << i;
    }
  }
}

}  // namespace
}  // namespace monipaikka
