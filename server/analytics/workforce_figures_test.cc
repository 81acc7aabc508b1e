#include "server/analytics/workforce_figures.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

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

TEST(CountDistributionTest, CountsOverlappingCategoriesOnTheDate) {
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
  const std::map<HrScope, DistributionCounts> table =
      CountDistribution(periods, kDay);
  const DistributionCounts& state = table.at(HrScope{0, "", ""});
  EXPECT_EQ(state[kAllEmployees], 10);
  EXPECT_EQ(state[kInOffices], 8);
  EXPECT_EQ(state[kAtHome], 5);
  EXPECT_EQ(state[kSharedUse], 1);
  EXPECT_EQ(state[kUnassigned], 3);
  EXPECT_EQ(state[kMultiSpace], 6);
  EXPECT_EQ(table.size(), 3u);  // state, A, A/a1
}

// One person moves from a1 to a2 with a home workstation; one leaves a1;
// one joins a2 at an unassigned desk.
TEST(CountDistributionChangesTest, JoinedPlusLeftPerScope) {
  const absl::CivilDay before(2024, 2, 29);
  const absl::CivilDay after(2024, 3, 31);
  EmployeePeriod mover =
      Person(1, "A", "a1", OfficeWorkstation::kAssigned, true);
  mover.valid_to = absl::CivilDay(2024, 3, 10);
  EmployeePeriod moved =
      Person(1, "A", "a2", OfficeWorkstation::kAssigned, true);
  moved.valid_from = absl::CivilDay(2024, 3, 11);
  EmployeePeriod leaver = Person(2, "A", "a1", OfficeWorkstation::kAssigned);
  leaver.valid_to = absl::CivilDay(2024, 3, 1);
  EmployeePeriod joiner = Person(3, "A", "a2", OfficeWorkstation::kUnassigned);
  joiner.valid_from = absl::CivilDay(2024, 3, 20);
  EmployeePeriod stayer = Person(4, "A", "a1", OfficeWorkstation::kAssigned);
  const std::vector<EmployeePeriod> periods = {mover, moved, leaver, joiner,
                                               stayer};
  const auto changes = CountDistributionChanges(periods, before, after);
  const DistributionCounts& a1 = changes.at(HrScope{2, "A", "a1"});
  const DistributionCounts& a2 = changes.at(HrScope{2, "A", "a2"});
  const DistributionCounts& org = changes.at(HrScope{1, "A", ""});
  EXPECT_EQ(a1[kAllEmployees], 2);  // the mover and the leaver
  EXPECT_EQ(a1[kAtHome], 1);
  EXPECT_EQ(a2[kAllEmployees], 2);  // the mover and the joiner
  EXPECT_EQ(a2[kUnassigned], 1);
  EXPECT_EQ(org[kAllEmployees], 2);  // the move stays inside A
  EXPECT_EQ(org[kAtHome], 0);
  EXPECT_EQ(org[kUnassigned], 1);
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
  std::vector<PersonMonth> people =
      AttributeMonth(periods, months, absl::CivilMonth(2024, 3), &unregistered);
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

TEST(CountOfficeDaysTest, DistributionMedianAndRecommendation) {
  std::vector<PersonMonth> people;
  // 10 people: office days 0, 2, 3, 5, 6, 8, 9, 10, 14, 20.
  const int office[] = {0, 2, 3, 5, 6, 8, 9, 10, 14, 20};
  for (int i = 0; i < 10; ++i) {
    people.push_back(Month(i, "A", "a1", office[i], 20 - office[i]));
  }
  people[0].shared_use = people[1].shared_use = people[2].shared_use = true;
  people[3].shared_use = people[4].shared_use = true;
  const auto table = CountOfficeDays(people);
  const OfficeDayCounts& s = table.at(HrScope{0, "", ""});
  EXPECT_EQ(s.registered, 10);
  EXPECT_EQ(s.shared_use, 5);
  EXPECT_EQ(s.with_days, 10);
  EXPECT_EQ(s.buckets[0], 1);
  EXPECT_EQ(s.buckets[1], 2);
  EXPECT_EQ(s.buckets[2], 3);
  EXPECT_EQ(s.buckets[3], 2);
  EXPECT_EQ(s.buckets[4], 2);
  EXPECT_EQ(s.meeting, 7);
  EXPECT_DOUBLE_EQ(MedianOfficeDays(s), 7.0);  // (6 + 8) / 2
  // 77 office days (B) of 200.
  const std::array<double, kLocationKinds> mix = LocationMix(s);
  EXPECT_DOUBLE_EQ(mix[1], 38.5);
  EXPECT_DOUBLE_EQ(mix[0], 61.5);
  EXPECT_EQ(table.size(), 3u);  // state, A, A/a1
  people.pop_back();
  EXPECT_DOUBLE_EQ(
      MedianOfficeDays(CountOfficeDays(people).at(HrScope{0, "", ""})),
      6.0);  // the middle of 9
}

}  // namespace
}  // namespace monipaikka
