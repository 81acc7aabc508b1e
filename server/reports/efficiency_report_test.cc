#include "server/reports/efficiency_report.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/privacy/registry_disclosure.h"
#include "server/reports/occupancy_test_util.h"
#include "server/reports/planning_reports.h"
#include "server/reports/registry_figures.h"

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
    // No workstations; employees only where a test adds them.
    AddSite(inventory, "S3", 300, 60000);
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
    Store(employees);
  }

  void Store(const std::vector<EmployeePeriodInput>& employees) {
    auto stored = f_.session().Workforce().UpsertEmployeePeriods(employees);
    ASSERT_TRUE(stored.ok()) << stored.status();
    ASSERT_TRUE(stored->rejected.empty()) << stored->rejected[0].message;
  }

  // An employee of `org` at `site` from `from`, with pseudonym number `id`
  // (the fixture's are 1 … 70).
  static EmployeePeriodInput Employee(int id, const std::string& org,
                                      const std::string& site, double fte,
                                      absl::CivilDay from) {
    EmployeePeriodInput e;
    e.pseudonym = absl::StrFormat("%064x", id);
    e.period.valid_from = from;
    e.period.organization = org;
    e.period.fte = fte;
    e.period.site = site;
    e.period.office = OfficeWorkstation::kUnassigned;
    return e;
  }

  // The report context on `today` (Europe/Helsinki).
  ReportContext Context(absl::CivilDay today = absl::CivilDay(2026, 6, 15)) {
    ReportContext context = f_.Context(0);
    context.registry.today = today;
    return context;
  }

  absl::StatusOr<v1::SpaceEfficiencyReport> EfficiencyOn(
      const std::string& as_of,
      absl::CivilDay today = absl::CivilDay(2026, 6, 15)) {
    v1::SpaceEfficiencyRequest request;
    request.set_as_of(as_of);
    return BuildSpaceEfficiency(Context(today), request);
  }

  static const v1::SpaceEfficiencyRow& Row(const v1::SpaceEfficiencyReport& r,
                                           const std::string& code) {
    for (const v1::SpaceEfficiencyRow& row : r.rows()) {
      if (row.code() == code) return row;
    }
    static const v1::SpaceEfficiencyRow kNone;
    ADD_FAILURE() << "no row " << code;
    return kNone;
  }

  absl::StatusOr<v1::SpaceEfficiencyReport> Efficiency(std::string site,
                                                       std::string org) {
    v1::SpaceEfficiencyRequest request;
    request.set_site(site);
    request.set_organization(org);
    request.set_as_of("2026-03-23");
    return BuildSpaceEfficiency(Context(), request);
  }

  OccupancyFixture f_;
};

TEST_F(SpaceEfficiencyTest, SitesAgainstTheTargetsInForce) {
  auto report = Efficiency("", "");
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 5);  // S1, S2, S3, X, Y
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
  auto then = BuildSpaceEfficiency(Context(), old);
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
  EXPECT_EQ(Efficiency("", "NOPE").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SpaceEfficiencyTest, ConsolidationReachesASpaceEfficiency) {
  v1::ConsolidationRequest request;
  request.add_organizations("Y");
  request.set_candidate_site("S2");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-27");
  auto report = BuildConsolidation(Context(), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->fte_available());
  EXPECT_EQ(report->fte_registry_date(), "2026-02-28");
  EXPECT_DOUBLE_EQ(report->total_fte(), 20.0);
  EXPECT_DOUBLE_EQ(report->groups(0).fte(), 20.0);
  EXPECT_DOUBLE_EQ(report->m2_per_fte(), 25.0);
  EXPECT_DOUBLE_EQ(report->target_m2_per_fte(), 18.0);
  EXPECT_FALSE(report->meets_target());
  EXPECT_EQ(report->capacity(), 4);
  EXPECT_EQ(report->days_counted(), 0);  // no sensors, no observations
}

// Issue 11 §1: a site with two registered employees showed FTE 2, and on a
// later date 1.6 (one of them went to 0.6).
TEST_F(SpaceEfficiencyTest, ASiteOfTwoEmployeesIsSuppressedOnEveryDate) {
  Store({Employee(101, "Y", "S3", 1.0, absl::CivilDay(2026, 1, 1)),
         Employee(102, "Y", "S3", 1.0, absl::CivilDay(2026, 1, 1))});
  Store({Employee(102, "Y", "S3", 0.6, absl::CivilDay(2026, 3, 10))});
  for (const char* as_of : {"2026-02-15", "2026-03-20", "2026-04-20"}) {
    SCOPED_TRACE(as_of);
    auto report = EfficiencyOn(as_of);
    ASSERT_TRUE(report.ok()) << report.status();
    const v1::SpaceEfficiencyRow& s3 = Row(*report, "S3");
    EXPECT_TRUE(s3.fte_available());
    EXPECT_EQ(s3.fte_withheld(), v1::REGISTRY_FIGURE_SMALL_GROUP);
    EXPECT_EQ(s3.fte_withheld_reason(), "fewer than 5 employees");
    EXPECT_EQ(s3.fte(), 0);
    EXPECT_EQ(s3.m2_per_fte(), 0);
    EXPECT_FALSE(s3.meets_target());
    // S3 = Y − Y@S1 = Y − (S1 − (X − S2)): one of them must go with it
    // (Y is withheld on its own on the month ends where its two at S3
    // joined or changed: fewer than 5 changed).
    int withheld = 0;
    for (const char* code : {"S1", "S2", "X", "Y"}) {
      const v1::SpaceEfficiencyRow& row = Row(*report, code);
      if (row.fte_withheld() == v1::REGISTRY_FIGURE_SHOWN) continue;
      ++withheld;
      EXPECT_FALSE(row.fte_withheld_reason().empty());
      EXPECT_EQ(row.fte(), 0);
      if (row.fte_withheld() == v1::REGISTRY_FIGURE_PROTECTED) {
        EXPECT_EQ(row.fte_withheld_reason(),
                  WithheldReasonText(RegistryWithheld::kRevealsWithheld, 5));
      }
    }
    EXPECT_GE(withheld, 1);
    // Asking for one row gives the same pattern.
    v1::SpaceEfficiencyRequest one;
    one.set_as_of(as_of);
    one.set_organization("Y");
    auto alone = BuildSpaceEfficiency(Context(), one);
    ASSERT_TRUE(alone.ok());
    EXPECT_EQ(alone->rows(0).fte_withheld(), Row(*report, "Y").fte_withheld());
  }
}

// X = X@S1 + X@S2: an organization's total against its sites.
TEST_F(SpaceEfficiencyTest, AnOrganizationTotalDoesNotRevealItsSmallSite) {
  Store({Employee(101, "X", "S3", 1.0, absl::CivilDay(2026, 1, 1)),
         Employee(102, "X", "S3", 0.8, absl::CivilDay(2026, 1, 1)),
         Employee(103, "X", "S3", 0.4, absl::CivilDay(2026, 1, 1))});
  auto report = EfficiencyOn("2026-03-23");
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Row(*report, "S3").fte_withheld(), v1::REGISTRY_FIGURE_SMALL_GROUP);
  // With S1, S2, X and Y all shown, S3 = X − S2 − (S1 − Y) = 2.2.
  bool all_shown = true;
  for (const char* code : {"S1", "S2", "X", "Y"}) {
    all_shown = all_shown &&
                Row(*report, code).fte_withheld() == v1::REGISTRY_FIGURE_SHOWN;
  }
  EXPECT_FALSE(all_shown);
}

// The attacker chooses the groups of a consolidation: their sum is shown only
// when every part is.
TEST_F(SpaceEfficiencyTest, AConsolidationOfChosenGroupsSumsOnlyShownFigures) {
  Store({Employee(101, "Y", "S3", 1.0, absl::CivilDay(2026, 1, 1)),
         Employee(102, "Y", "S3", 0.6, absl::CivilDay(2026, 1, 1))});
  auto efficiency = EfficiencyOn("2026-03-23");
  ASSERT_TRUE(efficiency.ok());
  const std::vector<std::vector<std::string>> choices = {
      {"S3"}, {"S1", "S3"}, {"S2", "S3"}, {"S1"}, {"S2"}, {"S1", "S2"}};
  for (const auto& sites : choices) {
    SCOPED_TRACE(absl::StrJoin(sites, ","));
    v1::ConsolidationRequest request;
    for (const std::string& s : sites) request.add_sites(s);
    request.set_candidate_site("S1");
    request.set_from_date("2026-03-23");
    request.set_to_date("2026-03-27");
    auto report = BuildConsolidation(Context(), request);
    ASSERT_TRUE(report.ok()) << report.status();
    bool all_shown = true;
    double sum = 0;
    for (const v1::ConsolidationGroup& group : report->groups()) {
      // The same figure as the efficiency report's row.
      EXPECT_EQ(group.fte_withheld(),
                Row(*efficiency, group.code()).fte_withheld());
      EXPECT_EQ(group.fte(), Row(*efficiency, group.code()).fte());
      all_shown =
          all_shown && group.fte_withheld() == v1::REGISTRY_FIGURE_SHOWN;
      sum += group.fte();
    }
    if (all_shown) {
      EXPECT_EQ(report->total_fte_withheld(), v1::REGISTRY_FIGURE_SHOWN);
      EXPECT_DOUBLE_EQ(report->total_fte(), sum);
    } else {
      EXPECT_EQ(report->total_fte_withheld(), v1::REGISTRY_FIGURE_PROTECTED);
      EXPECT_EQ(report->total_fte_withheld_reason(),
                WithheldReasonText(RegistryWithheld::kRevealsWithheld, 5));
      EXPECT_EQ(report->total_fte(), 0);
      EXPECT_EQ(report->m2_per_fte(), 0);
      EXPECT_FALSE(report->meets_target());
    }
  }
}

TEST_F(SpaceEfficiencyTest, TheRegistryIsReadAtThePublicationDateBefore) {
  // Five of X's ten at S2 go from 0.5 to 0.3 FTE on 10 March.
  std::vector<EmployeePeriodInput> change;
  for (int id = 41; id <= 45; ++id) {
    change.push_back(Employee(id, "X", "S2", 0.3, absl::CivilDay(2026, 3, 10)));
  }
  Store(change);
  // 20 March: the registry of 28 February, before the change.
  auto before = EfficiencyOn("2026-03-20");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->as_of(), "2026-03-20");
  EXPECT_EQ(before->registry_date(), "2026-02-28");
  EXPECT_DOUBLE_EQ(Row(*before, "S2").fte(), 5.0);
  // 31 March once it has passed: after it.
  auto after = EfficiencyOn("2026-03-31");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->registry_date(), "2026-03-31");
  EXPECT_EQ(Row(*after, "S2").fte_withheld(), v1::REGISTRY_FIGURE_SHOWN);
  EXPECT_DOUBLE_EQ(Row(*after, "S2").fte(), 4.0);
  // On 31 March itself the month end has not passed yet.
  auto same_day = EfficiencyOn("2026-03-31", absl::CivilDay(2026, 3, 31));
  ASSERT_TRUE(same_day.ok());
  EXPECT_EQ(same_day->registry_date(), "2026-02-28");
  // A future date is answered with the latest passed publication date.
  auto future = EfficiencyOn("2027-01-10");
  ASSERT_TRUE(future.ok());
  EXPECT_EQ(future->registry_date(), "2026-05-31");
  // One person's change alone is withheld on the date it shows.
  Store({Employee(46, "X", "S2", 0.2, absl::CivilDay(2026, 4, 3))});
  auto april = EfficiencyOn("2026-04-30");
  ASSERT_TRUE(april.ok());
  EXPECT_EQ(Row(*april, "S2").fte_withheld(), v1::REGISTRY_FIGURE_PROTECTED);
  EXPECT_NE(Row(*april, "S2").fte_withheld_reason().find("changed since"),
            std::string::npos);
}

TEST_F(SpaceEfficiencyTest, CachedFiguresFollowTheRegistry) {
  RegistryFigureCache cache;
  ReportContext context = Context();
  context.registry_cache = &cache;
  v1::SpaceEfficiencyRequest request;
  request.set_as_of("2026-03-23");
  request.set_site("S2");
  for (int i = 0; i < 2; ++i) {  // audited, then from the cache
    auto report = BuildSpaceEfficiency(context, request);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_DOUBLE_EQ(report->rows(0).fte(), 5.0);
  }
  // A retroactive change of the registry at that date is not served from
  // the cache.
  std::vector<EmployeePeriodInput> change;
  for (int id = 41; id <= 45; ++id) {
    change.push_back(Employee(id, "X", "S2", 0.3, absl::CivilDay(2026, 2, 1)));
  }
  Store(change);
  auto changed = BuildSpaceEfficiency(context, request);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->rows(0).fte_withheld(), v1::REGISTRY_FIGURE_SHOWN);
  EXPECT_DOUBLE_EQ(changed->rows(0).fte(), 4.0);
}

TEST_F(SpaceEfficiencyTest, TargetsAreCheckedFieldByField) {
  v1::Target target;
  target.set_scope("building");
  EXPECT_EQ(CheckTarget(f_.inventory(), target)
                .status()
                .message()
                .rfind("target.scope:", 0),
            0u);
  target.set_scope("site");
  target.set_scope_code("NOPE");
  EXPECT_EQ(CheckTarget(f_.inventory(), target).status().code(),
            absl::StatusCode::kNotFound);
  target.set_scope_code("S1");
  target.set_metric("M2 per FTE");
  EXPECT_EQ(CheckTarget(f_.inventory(), target)
                .status()
                .message()
                .rfind("target.metric:", 0),
            0u);
  target.set_metric("m2_per_fte");
  target.set_value(-1);
  EXPECT_EQ(CheckTarget(f_.inventory(), target)
                .status()
                .message()
                .rfind("target.value:", 0),
            0u);
  target.set_value(12);
  EXPECT_EQ(CheckTarget(f_.inventory(), target)
                .status()
                .message()
                .rfind("target.valid_from:", 0),
            0u);
  target.set_valid_from("2027-01-01");
  target.set_valid_to("2026-12-31");
  EXPECT_EQ(CheckTarget(f_.inventory(), target)
                .status()
                .message()
                .rfind("target.valid_to:", 0),
            0u);
  target.set_valid_to("2027-12-31");
  EXPECT_TRUE(CheckTarget(f_.inventory(), target).ok());
}

}  // namespace
}  // namespace monipaikka::testing
