#include "server/reports/efficiency_report.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/reports/occupancy_test_util.h"
#include "server/reports/planning_reports.h"

namespace monipaikka::testing {
namespace {

// Agencies X and Y. S1 (1000 m²): X has 6 office workstations and a home
// workstation, Y 2, and 2 are shared use. S2 (500 m²): X has 4.
// Employees on 2026-03-23: X 40 × 1.0 FTE at S1 and 10 × 0.5 at S2; Y 20 ×
// 1.0 at S1.
class SpaceEfficiencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    for (const char* code : {"X", "Y"}) {
      auto* org = inventory.add_organizations();
      org->set_code(code);
      org->set_name(absl::StrCat("Agency ", code));
    }
    AddSite(inventory, "S1", 1000, 250000);
    AddSite(inventory, "S2", 500, 100000);
    AddSpace(inventory, "S1-1", "S1", "", "floor");
    AddSpace(inventory, "S2-1", "S2", "", "floor");
    int n = 0;
    auto desks = [&](const std::string& floor, const std::string& kind,
                     const std::string& org, int count) {
      for (int i = 0; i < count; ++i) {
        AddDesk(inventory, absl::StrCat("W", n++), floor, kind, org, false);
      }
    };
    desks("S1-1", "unassigned", "X", 6);
    desks("S1-1", "home", "X", 1);
    desks("S1-1", "assigned", "Y", 2);
    desks("S1-1", "shared", "", 2);
    desks("S2-1", "multi-space", "X", 4);
    f_.Import(inventory);
    std::vector<EmployeePeriodInput> employees;
    int id = 0;
    auto add = [&](const std::string& org, const std::string& site, int count,
                   double fte) {
      for (int i = 0; i < count; ++i) {
        EmployeePeriodInput e;
        e.pseudonym = absl::StrFormat("%064x", ++id);
        e.period.valid_from = absl::CivilDay(2025, 1, 1);
        e.period.organization = org;
        e.period.fte = fte;
        e.period.site = site;
        e.period.office = OfficeWorkstation::kUnassigned;
        employees.push_back(e);
      }
    };
    add("X", "S1", 40, 1.0);
    add("X", "S2", 10, 0.5);
    add("Y", "S1", 20, 1.0);
    auto stored = f_.session().Workforce().UpsertEmployeePeriods(employees);
    ASSERT_TRUE(stored.ok()) << stored.status();
    ASSERT_TRUE(stored->rejected.empty()) << stored->rejected[0].message;
  }

  absl::StatusOr<v1::SpaceEfficiencyReport> Efficiency(std::string site,
                                                       std::string org) {
    v1::SpaceEfficiencyRequest request;
    request.set_site(site);
    request.set_organization(org);
    request.set_as_of("2026-03-23");
    return BuildSpaceEfficiency(f_.Context(0), request);
  }

  OccupancyFixture f_;
};

TEST_F(SpaceEfficiencyTest, SitesAgainstTheTargetsInForce) {
  auto report = Efficiency("", "");
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 4);
  const v1::SpaceEfficiencyRow& s1 = report->rows(0);
  EXPECT_EQ(s1.scope(), "site");
  EXPECT_EQ(s1.code(), "S1");
  EXPECT_TRUE(s1.fte_available());
  EXPECT_DOUBLE_EQ(s1.fte(), 60.0);
  EXPECT_DOUBLE_EQ(s1.m2_per_fte(), 1000.0 / 60.0);
  EXPECT_DOUBLE_EQ(s1.target_m2_per_fte(), 18.0);  // existing premises
  EXPECT_EQ(s1.target_scope(), "portfolio");
  EXPECT_TRUE(s1.meets_target());
  EXPECT_DOUBLE_EQ(s1.new_premises_target_m2_per_fte(), 10.0);
  const v1::SpaceEfficiencyRow& s2 = report->rows(1);
  EXPECT_DOUBLE_EQ(s2.fte(), 5.0);
  EXPECT_DOUBLE_EQ(s2.m2_per_fte(), 100.0);
  EXPECT_FALSE(s2.meets_target());

  // Before 16.12.2021 new premises had 15 m²/htv.
  v1::SpaceEfficiencyRequest old;
  old.set_site("S1");
  old.set_as_of("2021-06-01");
  auto then = BuildSpaceEfficiency(f_.Context(0), old);
  ASSERT_TRUE(then.ok());
  EXPECT_DOUBLE_EQ(then->rows(0).new_premises_target_m2_per_fte(), 15.0);
  EXPECT_DOUBLE_EQ(then->rows(0).fte(), 0.0);  // nobody employed yet
  EXPECT_FALSE(then->rows(0).meets_target());
}

TEST_F(SpaceEfficiencyTest, OrganizationsShareTheSitesByWorkstations) {
  auto report = Efficiency("", "X");
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 1);
  const v1::SpaceEfficiencyRow& x = report->rows(0);
  // S1: 6 of the 8 owned office workstations (home and shared ones left
  // out, the shared ones' area shared pro rata); S2: all.
  ASSERT_EQ(x.area_shares_size(), 2);
  EXPECT_EQ(x.area_shares(0).site(), "S1");
  EXPECT_EQ(x.area_shares(0).workstations(), 6);
  EXPECT_EQ(x.area_shares(0).site_workstations(), 8);
  EXPECT_DOUBLE_EQ(x.area_shares(0).area_m2(), 750.0);
  EXPECT_DOUBLE_EQ(x.area_shares(1).area_m2(), 500.0);
  EXPECT_DOUBLE_EQ(x.office_area_m2(), 1250.0);
  EXPECT_DOUBLE_EQ(x.fte(), 45.0);
  EXPECT_DOUBLE_EQ(x.m2_per_fte(), 1250.0 / 45.0);
  EXPECT_FALSE(x.meets_target());

  // An organization's own target wins over the portfolio's.
  v1::Target target;
  target.set_scope("organization");
  target.set_scope_code("X");
  target.set_metric("m2_per_fte");
  target.set_value(30);
  target.set_valid_from("2026-01-01");
  auto row = CheckTarget(f_.inventory(), target);
  ASSERT_TRUE(row.ok()) << row.status();
  ASSERT_TRUE(f_.session().Analytics().PutTarget(*row).ok());
  report = Efficiency("", "X");
  EXPECT_DOUBLE_EQ(report->rows(0).target_m2_per_fte(), 30.0);
  EXPECT_EQ(report->rows(0).target_scope(), "organization");
  EXPECT_TRUE(report->rows(0).meets_target());

  EXPECT_EQ(Efficiency("S1", "X").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Efficiency("", "NOPE").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SpaceEfficiencyTest, ConsolidationReachesASpaceEfficiency) {
  v1::ConsolidationRequest request;
  request.add_organizations("Y");
  request.set_candidate_site("S2");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-27");
  auto report = BuildConsolidation(f_.Context(0), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->fte_available());
  EXPECT_DOUBLE_EQ(report->total_fte(), 20.0);
  EXPECT_DOUBLE_EQ(report->groups(0).fte(), 20.0);
  EXPECT_DOUBLE_EQ(report->m2_per_fte(), 25.0);
  EXPECT_DOUBLE_EQ(report->target_m2_per_fte(), 18.0);
  EXPECT_FALSE(report->meets_target());
  EXPECT_EQ(report->capacity(), 4);
  EXPECT_EQ(report->days_counted(), 0);  // no sensors, no observations
}

TEST_F(SpaceEfficiencyTest, TargetsAreCheckedFieldByField) {
  v1::Target target;
  target.set_scope("building");
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().message().rfind(
                "target.scope:", 0),
            0u);
  target.set_scope("site");
  target.set_scope_code("NOPE");
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().code(),
            absl::StatusCode::kNotFound);
  target.set_scope_code("S1");
  target.set_metric("M2 per FTE");
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().message().rfind(
                "target.metric:", 0),
            0u);
  target.set_metric("m2_per_fte");
  target.set_value(-1);
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().message().rfind(
                "target.value:", 0),
            0u);
  target.set_value(12);
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().message().rfind(
                "target.valid_from:", 0),
            0u);
  target.set_valid_from("2027-01-01");
  target.set_valid_to("2026-12-31");
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().message().rfind(
                "target.valid_to:", 0),
            0u);
  target.set_valid_to("2027-12-31");
  EXPECT_TRUE(CheckTarget(f_.inventory(), target).ok());
}

}  // namespace
}  // namespace monipaikka::testing
