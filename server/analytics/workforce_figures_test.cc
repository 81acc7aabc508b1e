#include "server/analytics/workforce_figures.h"

#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

constexpr int kK = 5;
const absl::CivilDay kDay(2024, 6, 1);

EmployeePeriod Person(int64_t id, const std::string& org,
                      const std::string& unit, OfficeWorkstation office,
                      bool home = false) {
  EmployeePeriod p;
  p.employee_id = id;
  p.valid_from = absl::CivilDay(2020, 1, 1);
  p.organization = org;
  p.unit = unit;
  p.fte = 1;
  p.office = office;
  p.home_workstation = home;
  return p;
}

TEST(WholePercentTest, RoundsHalfUp) {
  EXPECT_EQ(WholePercent(1350, 56800), 2);    // 2.38
  EXPECT_EQ(WholePercent(15500, 56800), 27);  // 27.29
  EXPECT_EQ(WholePercent(24600, 56800), 43);  // 43.31
  EXPECT_EQ(WholePercent(1, 8), 13);          // 12.5 → 13
  EXPECT_EQ(WholePercent(5, 0), 0);
}

TEST(ComputeDistributionTest, CountsOverlappingCategoriesOnTheDate) {
  std::vector<EmployeePeriod> periods;
  for (int i = 0; i < 10; ++i) {
    EmployeePeriod p = Person(i, "A", "a1",
                              i < 8 ? (i < 3 ? OfficeWorkstation::kUnassigned
                                             : OfficeWorkstation::kAssigned)
                                    : OfficeWorkstation::kNone,
                              /*home=*/i >= 5);
    p.multi_space = i < 6;
    p.shared_use = i == 0 || i == 9;  // 9 has no office: not counted
    periods.push_back(p);
  }
  EmployeePeriod left = Person(99, "A", "a1", OfficeWorkstation::kAssigned);
  left.valid_to = kDay - 1;
  periods.push_back(left);
  // k = 1: nothing is small, the raw counts show.
  DistributionTable table = ComputeDistribution(periods, kDay, 1);
  const ScopeDistribution& state = table.at(HrScope{0, "", ""});
  EXPECT_EQ(state.counts[kAllEmployees].value, 10);
  EXPECT_EQ(state.counts[kInOffices].value, 8);
  EXPECT_EQ(state.counts[kAtHome].value, 5);
  EXPECT_EQ(state.counts[kSharedUse].value, 1);
  EXPECT_EQ(state.counts[kUnassigned].value, 3);
  EXPECT_EQ(state.counts[kMultiSpace].value, 6);
  EXPECT_EQ(state.share_of_office[kUnassigned].value, 38);  // 37.5
  EXPECT_EQ(table.size(), 3u);  // state, A, A/a1
}

TEST(ComputeDistributionTest, SmallUnitIsWithheldWithASiblingAndTotalsStay) {
  std::vector<EmployeePeriod> periods;
  int64_t id = 0;
  auto add = [&](const std::string& unit, int n) {
    for (int i = 0; i < n; ++i) {
      periods.push_back(Person(id++, "A", unit, OfficeWorkstation::kAssigned));
    }
  };
  add("a1", 3);
  add("a2", 20);
  add("a3", 30);
  DistributionTable table = ComputeDistribution(periods, kDay, kK);
  const auto& a1 = table.at(HrScope{2, "A", "a1"});
  const auto& a2 = table.at(HrScope{2, "A", "a2"});
  const auto& a3 = table.at(HrScope{2, "A", "a3"});
  const auto& org = table.at(HrScope{1, "A", ""});
  EXPECT_TRUE(a1.counts[kAllEmployees].withheld);
  EXPECT_EQ(a1.counts[kAllEmployees].value, 0);  // never leaks
  EXPECT_TRUE(a1.counts[kAtHome].withheld);      // even a zero, in a group of 3
  // 53 − 30 − 20 would give 3: the smaller sibling goes too.
  EXPECT_TRUE(a2.counts[kAllEmployees].withheld);
  EXPECT_FALSE(a3.counts[kAllEmployees].withheld);
  EXPECT_EQ(a3.counts[kAllEmployees].value, 30);
  EXPECT_FALSE(org.counts[kAllEmployees].withheld);
  EXPECT_EQ(org.counts[kAllEmployees].value, 53);
  EXPECT_TRUE(a2.share_of_office[kUnassigned].withheld);
}

// For random registries: no withheld figure can be worked out by
// subtraction through any one total, and no shown count is 1 … k−1.
TEST(ComputeDistributionTest, NoWithheldCountCanBeDerivedFromShownOnes) {
  std::mt19937 random(7);
  for (int round = 0; round < 40; ++round) {
    std::vector<EmployeePeriod> periods;
    const int orgs = 1 + random() % 4;
    int64_t id = 0;
    for (int o = 0; o < orgs; ++o) {
      const int units = 1 + random() % 4;
      for (int u = 0; u < units; ++u) {
        const int people = random() % 25;
        for (int i = 0; i < people; ++i) {
          EmployeePeriod p = Person(id++, absl::StrCat("O", o),
                                    absl::StrCat("U", u),
                                    static_cast<OfficeWorkstation>(random() % 3),
                                    random() % 2 == 0);
          p.multi_space = random() % 3 == 0;
          p.shared_use = random() % 4 == 0;
          periods.push_back(p);
        }
      }
    }
    const DistributionTable table = ComputeDistribution(periods, kDay, kK);
    const DistributionTable truth = ComputeDistribution(periods, kDay, 0);
    for (const auto& [scope, figures] : table) {
      const auto& real = truth.at(scope).counts;
      for (int c = 0; c < kDistributionCategories; ++c) {
        if (!figures.counts[c].withheld) {
          EXPECT_FALSE(figures.counts[c].value > 0 && figures.counts[c].value < kK);
          EXPECT_EQ(figures.counts[c].value, real[c].value);
        }
      }
      // Complements inside the scope: total − office, total − home, and
      // office − each office category.
      auto check_pair = [&](int total, int part) {
        if (figures.counts[total].withheld || figures.counts[part].withheld) return;
        const int64_t rest = real[total].value - real[part].value;
        EXPECT_FALSE(rest > 0 && rest < kK)
            << "round " << round << " complement of " << part;
      };
      check_pair(kAllEmployees, kInOffices);
      check_pair(kAllEmployees, kAtHome);
      check_pair(kInOffices, kSharedUse);
      check_pair(kInOffices, kUnassigned);
      check_pair(kInOffices, kMultiSpace);
      // Children of the scope.
      if (scope.level == 2 || figures.counts[0].withheld) continue;
      for (int c = 0; c < kDistributionCategories; ++c) {
        if (figures.counts[c].withheld) continue;
        int withheld = 0;
        int64_t withheld_sum = 0;
        for (const auto& [child, child_figures] : table) {
          if (child.level != scope.level + 1) continue;
          if (scope.level == 1 && child.organization != scope.organization) continue;
          if (child_figures.counts[c].withheld) {
            ++withheld;
            withheld_sum += truth.at(child).counts[c].value;
          }
        }
        EXPECT_NE(withheld, 1) << "round " << round;
        EXPECT_FALSE(withheld_sum > 0 && withheld_sum < kK) << "round " << round;
      }
    }
  }
}

TEST(OfficeDaysTest, BucketsAndOfficeKinds) {
  EXPECT_EQ(OfficeDayBucket(0), 0);
  EXPECT_EQ(OfficeDayBucket(4), 1);
  EXPECT_EQ(OfficeDayBucket(5), 2);
  EXPECT_EQ(OfficeDayBucket(12), 3);
  EXPECT_EQ(OfficeDayBucket(13), 4);
  EXPECT_FALSE(IsOfficeKind(0));  // A remote
  EXPECT_TRUE(IsOfficeKind(1));   // B own office
  EXPECT_TRUE(IsOfficeKind(3));   // D agency building
  EXPECT_FALSE(IsOfficeKind(4));  // E events
  EXPECT_FALSE(IsOfficeKind(6));  // G third places
}

TEST(AttributeMonthTest, APersonWhoMovesMidMonthCountsWhereTheMonthEnds) {
  EmployeePeriod before = Person(1, "A", "a1", OfficeWorkstation::kAssigned);
  before.valid_to = absl::CivilDay(2024, 3, 14);
  EmployeePeriod after = Person(1, "B", "b1", OfficeWorkstation::kUnassigned);
  after.valid_from = absl::CivilDay(2024, 3, 15);
  after.shared_use = true;
  EmployeePeriod leaver = Person(2, "A", "a1", OfficeWorkstation::kAssigned);
  leaver.valid_to = absl::CivilDay(2024, 3, 10);
  EmployeePeriod gone = Person(3, "A", "a1", OfficeWorkstation::kAssigned);
  gone.valid_to = absl::CivilDay(2024, 2, 29);
  std::vector<EmployeePeriod> periods = {before, after, leaver, gone};
  WorkMonth m1{2024, 3, 1, {2, 8, 0, 0, 0, 0, 0}};
  WorkMonth m3{2024, 3, 3, {0, 1, 0, 0, 0, 0, 0}};  // after leaving
  WorkMonth other{2024, 4, 1, {9, 9, 0, 0, 0, 0, 0}};
  std::vector<WorkMonth> months = {m1, m3, other};
  int64_t unregistered = -1;
  std::vector<PersonMonth> people = AttributeMonth(
      periods, months, absl::CivilMonth(2024, 3), &unregistered);
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].employee_id, 1);
  EXPECT_EQ(people[0].organization, "B");  // the whole month's days go to B
  EXPECT_TRUE(people[0].shared_use);
  EXPECT_TRUE(people[0].has_days);
  EXPECT_EQ(people[0].days[1], 8);
  EXPECT_EQ(people[1].employee_id, 2);
  EXPECT_EQ(people[1].organization, "A");
  EXPECT_FALSE(people[1].has_days);
  EXPECT_EQ(unregistered, 1);
}

PersonMonth Month(int64_t id, const std::string& org, const std::string& unit,
                  int office_days, int remote_days) {
  PersonMonth p;
  p.employee_id = id;
  p.organization = org;
  p.unit = unit;
  p.days[1] = office_days;
  p.days[0] = remote_days;
  p.has_days = office_days + remote_days > 0;
  return p;
}

TEST(ComputeOfficeDaysTest, DistributionMedianAndRecommendation) {
  std::vector<PersonMonth> people;
  // 10 people: office days 0, 2, 3, 5, 6, 8, 9, 10, 14, 20.
  const int office[] = {0, 2, 3, 5, 6, 8, 9, 10, 14, 20};
  for (int i = 0; i < 10; ++i) {
    people.push_back(Month(i, "A", "a1", office[i], 20 - office[i]));
  }
  people[0].shared_use = people[1].shared_use = people[2].shared_use = true;
  people[3].shared_use = people[4].shared_use = true;
  OfficeDaysTable table = ComputeOfficeDays(people, 1);
  const ScopeOfficeDays& s = table.at(HrScope{0, "", ""});
  EXPECT_EQ(s.with_days.value, 10);
  EXPECT_EQ(s.buckets[0].value, 1);
  EXPECT_EQ(s.buckets[1].value, 2);
  EXPECT_EQ(s.buckets[2].value, 3);
  EXPECT_EQ(s.buckets[3].value, 2);
  EXPECT_EQ(s.buckets[4].value, 2);
  EXPECT_EQ(s.meeting.value, 7);
  EXPECT_EQ(s.meeting_share.value, 70);
  EXPECT_DOUBLE_EQ(s.median.value, 7.0);  // (6 + 8) / 2
  EXPECT_EQ(s.shared_use_share.value, 50);
  // 77 office days (B) of 200.
  EXPECT_DOUBLE_EQ(s.location_mix[1].value, 38.5);
  EXPECT_DOUBLE_EQ(s.location_mix[0].value, 61.5);

  // At k = 5 the buckets of 1, 2, 2 people are withheld, and with them
  // enough others that none can be worked out; the median of 10 stays.
  OfficeDaysTable k5 = ComputeOfficeDays(people, kK);
  const ScopeOfficeDays& t = k5.at(HrScope{0, "", ""});
  EXPECT_TRUE(t.buckets[0].withheld);
  EXPECT_TRUE(t.buckets[1].withheld);
  EXPECT_FALSE(t.with_days.withheld);
  EXPECT_FALSE(t.median.withheld);
  int withheld = 0;
  for (const HrCount& b : t.buckets) withheld += b.withheld;
  EXPECT_GE(withheld, 2);
  // "not meeting" = 3 people = with_days − meeting: so meeting goes too.
  EXPECT_TRUE(t.meeting.withheld);
  EXPECT_TRUE(t.meeting_share.withheld);
}

TEST(ComputeOfficeDaysTest, ARareLocationKindIsWithheldWithAnother) {
  std::vector<PersonMonth> people;
  for (int i = 0; i < 12; ++i) people.push_back(Month(i, "A", "a1", 6, 10));
  people[0].days[6] = 3;  // one person at a third place (G)
  people[1].days[4] = 1;  // one at an event venue (E)
  people[2].days[4] = 1;
  OfficeDaysTable table = ComputeOfficeDays(people, kK);
  const ScopeOfficeDays& s = table.at(HrScope{0, "", ""});
  EXPECT_TRUE(s.location_mix[6].withheld);
  EXPECT_TRUE(s.location_mix[4].withheld);
  EXPECT_FALSE(s.location_mix[0].withheld);
  EXPECT_FALSE(s.location_mix[1].withheld);
}

TEST(ComputeOfficeDaysTest, AGroupUnderKShowsNothing) {
  std::vector<PersonMonth> people;
  for (int i = 0; i < 4; ++i) people.push_back(Month(i, "A", "a1", 6, 10));
  OfficeDaysTable table = ComputeOfficeDays(people, kK);
  const ScopeOfficeDays& s = table.at(HrScope{2, "A", "a1"});
  EXPECT_TRUE(s.registered.withheld);
  EXPECT_TRUE(s.with_days.withheld);
  EXPECT_TRUE(s.median.withheld);
  for (const HrCount& b : s.buckets) EXPECT_TRUE(b.withheld);
  for (const HrPercent& m : s.location_mix) EXPECT_TRUE(m.withheld);
}

}  // namespace
}  // namespace monipaikka
