#include "server/privacy/hr_disclosure.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace monipaikka {
namespace {

constexpr int kK = 5;
const absl::CivilDay kPrevious(2024, 2, 29);
const absl::CivilDay kDate(2024, 3, 31);

// A unit's people on both publication dates and in March.
struct Unit {
  std::string organization;
  std::string unit;
  int people = 0;
  int shared_use = 0;   // the first ones
  int at_home = 0;      // the last ones
  int office_days = 6;  // each, in March
};

struct Period {
  std::vector<EmployeePeriod> periods;
  std::vector<PersonMonth> month;
};

Period Build(const std::vector<Unit>& units) {
  Period out;
  int64_t id = 0;
  for (const Unit& u : units) {
    for (int i = 0; i < u.people; ++i, ++id) {
      EmployeePeriod p;
      p.employee_id = id;
      p.valid_from = absl::CivilDay(2024, 1, 1);
      p.organization = u.organization;
      p.unit = u.unit;
      p.office = OfficeWorkstation::kAssigned;
      p.shared_use = i < u.shared_use;
      p.home_workstation = i >= u.people - u.at_home;
      out.periods.push_back(p);
      PersonMonth m;
      m.employee_id = id;
      m.organization = u.organization;
      m.unit = u.unit;
      m.shared_use = p.shared_use;
      m.days[1] = u.office_days;
      m.days[0] = 10;
      m.has_days = true;
      out.month.push_back(m);
    }
  }
  return out;
}

HrPeriodCounts Counts(const Period& period) {
  HrPeriodCounts counts;
  counts.office_days = CountOfficeDays(period.month);
  counts.has_snapshot = true;
  counts.snapshot = CountDistribution(period.periods, kDate);
  counts.previous = CountDistribution(period.periods, kPrevious);
  counts.changes = CountDistributionChanges(period.periods, kPrevious, kDate);
  return counts;
}

const HrScope kState{0, "", ""};
HrScope UnitScope(const std::string& org, const std::string& unit) {
  return HrScope{2, org, unit};
}

TEST(HrDisclosureTest, TheTwoTablesOfAMonthAreOneSystem) {
  // docs/hr-privacy.md, way in 2: U1 has 15 people, 11 in shared use; "not in
  // shared use" is 4. Withholding it in the office-days table alone is
  // undone by the distribution's 11 at the month end.
  const Period period = Build(
      {{"A", "U1", 15, 11, 0}, {"A", "U2", 20, 10, 0}, {"A", "U3", 25, 12, 0}});
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(Counts(period), kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const HrScope u1 = UnitScope("A", "U1");
  EXPECT_FALSE(tables->office_days.at(u1).registered.withheld);
  EXPECT_TRUE(tables->office_days.at(u1).shared_use.withheld);
  // 11 is no small count: it is withheld for the complement.
  EXPECT_EQ(tables->office_days.at(u1).shared_use.reason,
            HrWithheld::kProtectsAnother);
  EXPECT_TRUE(tables->snapshot.at(u1).counts[kSharedUse].withheld);
  EXPECT_TRUE(tables->office_days.at(u1).shared_use_share.withheld);
  EXPECT_TRUE(tables->snapshot.at(u1).share_of_office[kSharedUse].withheld);
  // And the sums do not give it back: some other unit's (or the
  // organization's) shared-use count goes with it in both tables.
  int others = 0;
  for (const auto& [scope, row] : tables->office_days) {
    if (scope != u1 && scope != kState) others += row.shared_use.withheld;
  }
  EXPECT_GE(others, 1);
  EXPECT_GT(tables->solves, 0);
}

TEST(HrDisclosureTest, AChangeByOnePersonIsWithheldWithTheCountThatRevealsIt) {
  // docs/hr-privacy.md, way in 4: one person in a unit of 14 gets a home
  // workstation between the publication dates (6 → 7 at home).
  Period period = Build(
      {{"A", "U1", 14, 0, 7}, {"A", "U2", 30, 0, 10}, {"A", "U3", 30, 0, 12}});
  // Person 7 of U1 was not at home on the previous date.
  EmployeePeriod& later = period.periods[7];
  ASSERT_TRUE(later.home_workstation);
  EmployeePeriod earlier = later;
  earlier.valid_to = absl::CivilDay(2024, 3, 14);
  earlier.home_workstation = false;
  later.valid_from = absl::CivilDay(2024, 3, 15);
  period.periods.push_back(earlier);
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(Counts(period), kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const HrScope u1 = UnitScope("A", "U1");
  const HrCount& change = tables->change.at(u1)[kAtHome];
  EXPECT_TRUE(change.withheld);
  // The withheld count's reason (both read HR_WITHHELD_PROTECTED outside).
  EXPECT_EQ(change.reason, tables->snapshot.at(u1).counts[kAtHome].reason);
  // The previous date's 6 is known; showing the 7 would give the +1.
  EXPECT_TRUE(tables->snapshot.at(u1).counts[kAtHome].withheld);
  // The organization's change (+1, also one person) likewise.
  EXPECT_TRUE(tables->change.at(HrScope{1, "A", ""})[kAtHome].withheld);
  // Nobody changed in U2: its change (0) is shown.
  EXPECT_FALSE(tables->change.at(UnitScope("A", "U2"))[kMultiSpace].withheld);
}

TEST(HrDisclosureTest, MediansNeedTwiceKOnTheKnownHeadcount) {
  const Period period = Build({{"A", "U1", 9, 0, 0, 6},
                               {"A", "U2", 10, 0, 0, 7},
                               {"A", "U3", 30, 0, 0, 8}});
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(Counts(period), kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const ScopeOfficeDays& u1 = tables->office_days.at(UnitScope("A", "U1"));
  const ScopeOfficeDays& u2 = tables->office_days.at(UnitScope("A", "U2"));
  EXPECT_TRUE(u1.median.withheld);  // 9 < 2k, though every count is shown
  EXPECT_EQ(u1.median.reason, HrWithheld::kSideFigure);
  EXPECT_FALSE(u1.with_days.withheld);
  EXPECT_FALSE(u2.median.withheld);
  EXPECT_DOUBLE_EQ(u2.median.value, 7);
  // The location mix: only for groups of at least 2k with a whole row.
  EXPECT_TRUE(u1.location_mix[1].withheld);
  EXPECT_FALSE(u2.location_mix[1].withheld);
}

TEST(HrDisclosureTest, TheSamePeriodGivesTheSamePatternFromTheCache) {
  const Period period = Build(
      {{"A", "U1", 7, 3, 2}, {"A", "U2", 12, 4, 9}, {"B", "U1", 8, 1, 1}});
  absl::StatusOr<HrPeriodTables> first = AuditHrPeriod(Counts(period), kK);
  absl::StatusOr<HrPeriodTables> second = AuditHrPeriod(Counts(period), kK);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_GT(first->solves, 0);
  EXPECT_EQ(second->solves, 0);
  for (const auto& [scope, row] : first->snapshot) {
    for (int c = 0; c < kDistributionCategories; ++c) {
      EXPECT_EQ(row.counts[c].withheld,
                second->snapshot.at(scope).counts[c].withheld);
    }
  }
  // Another k is another audit.
  absl::StatusOr<HrPeriodTables> k3 = AuditHrPeriod(Counts(period), 3);
  ASSERT_TRUE(k3.ok());
  EXPECT_GT(k3->solves, 0);
}

TEST(HrDisclosureTest, AGroupUnderKShowsNothingButZeroSidesStayProtected) {
  const Period period = Build(
      {{"A", "U1", 4, 2, 1}, {"A", "U2", 30, 9, 10}, {"A", "U3", 30, 12, 12}});
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(Counts(period), kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const ScopeOfficeDays& u1 = tables->office_days.at(UnitScope("A", "U1"));
  EXPECT_TRUE(u1.registered.withheld);
  EXPECT_EQ(u1.registered.value, 0);  // never leaks
  EXPECT_TRUE(u1.with_days.withheld);
  EXPECT_TRUE(u1.median.withheld);
  for (const HrCount& b : u1.buckets) EXPECT_TRUE(b.withheld);
  for (const HrPercent& m : u1.location_mix) EXPECT_TRUE(m.withheld);
  for (const HrCount& c : tables->snapshot.at(UnitScope("A", "U1")).counts) {
    EXPECT_TRUE(c.withheld);
  }
}

TEST(HrDisclosureTest, ARareLocationKindIsWithheldWithAnother) {
  Period period = Build({{"A", "U1", 12, 0, 0}, {"A", "U2", 12, 0, 0}});
  period.month[0].days[6] = 3;  // one person at a third place (G)
  period.month[1].days[4] = 1;  // one at an event venue (E)
  period.month[2].days[4] = 1;
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(Counts(period), kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const ScopeOfficeDays& u1 = tables->office_days.at(UnitScope("A", "U1"));
  EXPECT_TRUE(u1.location_mix[6].withheld);
  EXPECT_TRUE(u1.location_mix[4].withheld);
  EXPECT_FALSE(u1.location_mix[0].withheld);
  EXPECT_FALSE(u1.location_mix[1].withheld);
}

TEST(HrDisclosureTest, ACancelledAuditStopsAndIsNotCached) {
  // Content of its own (the cache is shared by the tests of this process).
  const Period period = Build({{"E", "E1", 14, 3, 5, 2},
                               {"E", "E2", 19, 7, 8, 6},
                               {"E", "E3", 23, 9, 2, 1}});
  const HrPeriodCounts counts = Counts(period);
  const std::atomic<bool> cancelled{true};
  absl::StatusOr<HrPeriodTables> stopped =
      AuditHrPeriod(counts, kK, {.cancelled = &cancelled});
  EXPECT_EQ(stopped.status().code(), absl::StatusCode::kCancelled)
      << stopped.status();
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(counts, kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_GT(tables->solves, 0);  // Audited now, not taken from a cache.
}

TEST(HrDisclosureTest, AnAuditPastItsDeadlineIsNotCached) {
  // Content of its own (the cache is shared by the tests of this process).
  const Period period = Build({{"D", "D1", 13, 2, 4, 3},
                               {"D", "D2", 17, 6, 9, 7},
                               {"D", "D3", 21, 8, 1, 2}});
  const HrPeriodCounts counts = Counts(period);
  absl::StatusOr<HrPeriodTables> late =
      AuditHrPeriod(counts, kK, {.deadline = absl::Now() - absl::Seconds(1)});
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded);
  absl::StatusOr<HrPeriodTables> tables = AuditHrPeriod(counts, kK);
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_GT(tables->solves, 0);  // Audited now, not taken from a cache.
  EXPECT_TRUE(tables->office_days.at(UnitScope("D", "D1")).shared_use.withheld);
  // Once audited, the pattern comes from the cache even past a deadline.
  absl::StatusOr<HrPeriodTables> cached =
      AuditHrPeriod(counts, kK, {.deadline = absl::Now() - absl::Seconds(1)});
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->solves, 0);
}

}  // namespace
}  // namespace monipaikka
