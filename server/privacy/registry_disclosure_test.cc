#include "server/privacy/registry_disclosure.h"

#include <glpk.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

constexpr RegistryDisclosureSettings kSettings{5, 0.5};

// Appends `count` employees of `org` at `site` with `fte` each; ids follow
// on from those already there.
void Add(std::vector<RegistryMember>& members, const std::string& org,
         const std::string& site, int count, double fte) {
  for (int i = 0; i < count; ++i) {
    members.push_back(
        {static_cast<int64_t>(members.size() + 1), org, site, fte});
  }
}

TEST(RegistryDisclosureTest, LargeGroupsAreShownExactly) {
  std::vector<RegistryMember> members;
  Add(members, "X", "S1", 40, 1.0);
  Add(members, "X", "S2", 10, 0.5);
  Add(members, "Y", "S1", 20, 1.0);
  auto figures = PublishRegistryFigures({"X", "Y"}, {"S1", "S2"}, members,
                                        members, kSettings);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_TRUE(figures->sites.at("S1").shown());
  EXPECT_DOUBLE_EQ(figures->sites.at("S1").fte, 60.0);
  EXPECT_EQ(figures->sites.at("S1").headcount, 60);
  EXPECT_TRUE(figures->sites.at("S2").shown());
  EXPECT_DOUBLE_EQ(figures->sites.at("S2").fte, 5.0);
  EXPECT_TRUE(figures->organizations.at("X").shown());
  EXPECT_DOUBLE_EQ(figures->organizations.at("X").fte, 45.0);
  EXPECT_TRUE(figures->organizations.at("Y").shown());
}

// Issue 11 §1: a site with two registered employees showed FTE 2, and 1.6
// on a later date.
TEST(RegistryDisclosureTest, ASiteOfTwoEmployeesIsWithheldOnEveryDate) {
  std::vector<RegistryMember> before;
  Add(before, "X", "S1", 30, 1.0);
  Add(before, "X", "SMALL", 2, 1.0);
  std::vector<RegistryMember> after = before;
  after.back().fte = 0.6;
  for (const auto* members : {&before, &after}) {
    auto figures = PublishRegistryFigures({"X"}, {"S1", "SMALL"}, *members,
                                          before, kSettings);
    ASSERT_TRUE(figures.ok()) << figures.status();
    EXPECT_EQ(figures->sites.at("SMALL").withheld,
              RegistryWithheld::kSmallGroup);
    // X = S1 + SMALL: X and S1 cannot both be shown.
    EXPECT_FALSE(figures->organizations.at("X").shown() &&
                 figures->sites.at("S1").shown());
  }
  EXPECT_EQ(WithheldReasonText(RegistryWithheld::kSmallGroup, 5),
            "fewer than 5 employees");
}

// An organization's total against its sites: X = X@S1 + X@S2 and
// S1 = X@S1 + Y@S1, Y = Y@S1. Showing X, S1 and Y gives the withheld S2
// (X's 2 employees there) as X − (S1 − Y).
TEST(RegistryDisclosureTest, AnOrganizationTotalDoesNotGiveAwayASmallSite) {
  std::vector<RegistryMember> members;
  Add(members, "X", "S1", 10, 1.0);
  Add(members, "X", "S2", 2, 0.8);
  Add(members, "Y", "S1", 10, 1.0);
  auto figures = PublishRegistryFigures({"X", "Y"}, {"S1", "S2"}, members,
                                        members, kSettings);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->sites.at("S2").withheld, RegistryWithheld::kSmallGroup);
  const bool all_shown = figures->organizations.at("X").shown() &&
                         figures->organizations.at("Y").shown() &&
                         figures->sites.at("S1").shown();
  EXPECT_FALSE(all_shown);
  int secondary = 0;
  for (const auto* group : {&figures->organizations, &figures->sites}) {
    for (const auto& [code, figure] : *group) {
      if (figure.withheld == RegistryWithheld::kRevealsWithheld) ++secondary;
    }
  }
  EXPECT_GE(secondary, 1);
  // Told apart from a change by a few employees, it would say that a few
  // changed FTE: both read the same.
  EXPECT_EQ(WithheldReasonText(RegistryWithheld::kRevealsWithheld, 5),
            "withheld by the disclosure audit (fewer than 5 employees changed "
            "since the previous publication date, or it would reveal another "
            "withheld figure)");
  EXPECT_EQ(WithheldReasonText(RegistryWithheld::kRevealsWithheld, 5),
            WithheldReasonText(RegistryWithheld::kFewChanges, 5));
}

// A site against its organizations: S2's only organization is X, whose
// other employees have no office site; then X = S2 + X@none, and X@none is
// not shown anywhere, so X may stay, but a small site of one organization
// whose employees are all there is the organization itself.
TEST(RegistryDisclosureTest, ASmallOrganizationAtOneSiteHidesTheSiteToo) {
  std::vector<RegistryMember> members;
  Add(members, "X", "S1", 20, 1.0);
  Add(members, "Z", "S2", 3, 1.0);
  Add(members, "Y", "S2", 8, 1.0);
  auto figures = PublishRegistryFigures({"X", "Y", "Z"}, {"S1", "S2"}, members,
                                        members, kSettings);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->organizations.at("Z").withheld,
            RegistryWithheld::kSmallGroup);
  // S2 = Y + Z: S2 and Y cannot both be shown.
  EXPECT_FALSE(figures->sites.at("S2").shown() &&
               figures->organizations.at("Y").shown());
  EXPECT_TRUE(figures->sites.at("S1").shown());
  EXPECT_TRUE(figures->organizations.at("X").shown());
}

TEST(RegistryDisclosureTest, AFewChangesSinceThePreviousDateAreWithheld) {
  std::vector<RegistryMember> before;
  Add(before, "X", "S1", 20, 1.0);
  Add(before, "Y", "S2", 20, 1.0);
  Add(before, "Y", "S3", 20, 1.0);
  std::vector<RegistryMember> after = before;
  after[0].fte = 0.6;  // one person at X/S1 went part-time
  for (int i = 20; i < 25; ++i) after[i].fte = 0.8;  // five at Y/S2
  auto figures = PublishRegistryFigures({"X", "Y"}, {"S1", "S2", "S3"}, after,
                                        before, kSettings);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->sites.at("S1").withheld, RegistryWithheld::kFewChanges);
  EXPECT_EQ(figures->organizations.at("X").withheld,
            RegistryWithheld::kFewChanges);
  EXPECT_TRUE(figures->sites.at("S2").shown());
  EXPECT_TRUE(figures->sites.at("S3").shown());
  EXPECT_TRUE(figures->organizations.at("Y").shown());
  EXPECT_THAT(WithheldReasonText(RegistryWithheld::kFewChanges, 5),
              ::testing::HasSubstr("changed since the previous publication"));

  // Nothing changed: the same figures are shown.
  auto same = PublishRegistryFigures({"X", "Y"}, {"S1", "S2", "S3"}, before,
                                     before, kSettings);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(same->sites.at("S1").shown());
  EXPECT_TRUE(same->organizations.at("X").shown());
}

TEST(RegistryDisclosureTest, AMoveCountsAsAChangeInBothGroups) {
  std::vector<RegistryMember> before;
  Add(before, "X", "S1", 20, 1.0);
  Add(before, "X", "S2", 20, 1.0);
  std::vector<RegistryMember> after = before;
  after[0].site = "S2";
  auto figures =
      PublishRegistryFigures({"X"}, {"S1", "S2"}, after, before, kSettings);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_EQ(figures->sites.at("S1").withheld, RegistryWithheld::kFewChanges);
  EXPECT_EQ(figures->sites.at("S2").withheld, RegistryWithheld::kFewChanges);
  // The organization's own figure did not change.
  EXPECT_NE(figures->organizations.at("X").withheld,
            RegistryWithheld::kFewChanges);
}

TEST(RegistryDisclosureTest, AGroupWithoutEmployeesShowsZero) {
  std::vector<RegistryMember> members;
  Add(members, "X", "S1", 20, 1.0);
  auto figures = PublishRegistryFigures({"X", "EMPTY"}, {"S1", "NEW"}, members,
                                        members, kSettings);
  ASSERT_TRUE(figures.ok()) << figures.status();
  EXPECT_TRUE(figures->sites.at("NEW").shown());
  EXPECT_EQ(figures->sites.at("NEW").headcount, 0);
  EXPECT_DOUBLE_EQ(figures->sites.at("NEW").fte, 0.0);
  EXPECT_TRUE(figures->organizations.at("EMPTY").shown());
  EXPECT_TRUE(figures->sites.at("S1").shown());
}

// An attacker of its own (not the auditor's model): the unknowns are the
// FTE sums of each (organization, site) pair, within 0 … 1.5 × its
// headcount (known); every published figure fixes the sum of its pairs.
// Returns the min and max of the pairs of `target` (a site or an
// organization code; `site` says which).
struct Range {
  double min = 0;
  double max = 0;
};
Range AttackerRange(const std::vector<RegistryMember>& members,
                    const RegistryFigures& figures, const std::string& target,
                    bool site) {
  std::map<std::pair<std::string, std::string>, int> pairs;
  for (const RegistryMember& m : members) ++pairs[{m.organization, m.site}];
  std::vector<std::pair<std::string, std::string>> columns;
  glp_prob* lp = glp_create_prob();
  glp_add_cols(lp, static_cast<int>(pairs.size()));
  for (const auto& [pair, headcount] : pairs) {
    columns.push_back(pair);
    glp_set_col_bnds(lp, static_cast<int>(columns.size()), GLP_DB, 0,
                     1.5 * headcount);
  }
  std::vector<int> ia = {0}, ja = {0};
  std::vector<double> ar = {0};
  auto add_row = [&](const std::string& code, bool is_site, double value) {
    const int row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, GLP_FX, value, value);
    for (size_t c = 0; c < columns.size(); ++c) {
      if ((is_site ? columns[c].second : columns[c].first) != code) continue;
      ia.push_back(row);
      ja.push_back(static_cast<int>(c + 1));
      ar.push_back(1.0);
    }
  };
  for (const auto& [code, figure] : figures.sites) {
    if (figure.shown()) add_row(code, true, figure.fte);
  }
  for (const auto& [code, figure] : figures.organizations) {
    if (figure.shown()) add_row(code, false, figure.fte);
  }
  glp_load_matrix(lp, static_cast<int>(ia.size() - 1), ia.data(), ja.data(),
                  ar.data());
  for (size_t c = 0; c < columns.size(); ++c) {
    glp_set_obj_coef(lp, static_cast<int>(c + 1),
                     (site ? columns[c].second : columns[c].first) == target);
  }
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  Range range;
  glp_set_obj_dir(lp, GLP_MIN);
  EXPECT_EQ(glp_simplex(lp, &parm), 0);
  range.min = glp_get_obj_val(lp);
  glp_set_obj_dir(lp, GLP_MAX);
  EXPECT_EQ(glp_simplex(lp, &parm), 0);
  range.max = glp_get_obj_val(lp);
  glp_delete_prob(lp);
  return range;
}

// Many generated registries: organizations spread over sites in groups of
// 1 … 8, FTE 0.2 … 1.0. No withheld figure may be narrowed by the
// attacker below v ± 0.5 (clipped to 0 … 1.5 × headcount); no secondary
// one pinned.
TEST(RegistryDisclosureTest, AnLpAttackerNarrowsNoWithheldFigure) {
  glp_term_out(GLP_OFF);
  std::mt19937 random(20261202);
  int withheld = 0;
  for (int round = 0; round < 300; ++round) {
    const int org_count = 2 + static_cast<int>(random() % 4);
    const int site_count = 2 + static_cast<int>(random() % 4);
    std::vector<std::string> orgs, sites;
    for (int o = 0; o < org_count; ++o) orgs.push_back("O" + std::to_string(o));
    for (int s = 0; s < site_count; ++s)
      sites.push_back("S" + std::to_string(s));
    std::vector<RegistryMember> members;
    for (const std::string& org : orgs) {
      for (const std::string& site : sites) {
        if (random() % 3 == 0) continue;
        const int count = 1 + static_cast<int>(random() % 8);
        for (int i = 0; i < count; ++i) {
          members.push_back({static_cast<int64_t>(members.size() + 1), org,
                             random() % 10 == 0 ? "" : site,
                             0.2 + 0.1 * static_cast<double>(random() % 9)});
        }
      }
    }
    auto figures =
        PublishRegistryFigures(orgs, sites, members, members, kSettings);
    ASSERT_TRUE(figures.ok()) << figures.status();
    for (bool site : {true, false}) {
      for (const auto& [code, figure] :
           site ? figures->sites : figures->organizations) {
        if (figure.shown()) continue;
        ++withheld;
        const Range range = AttackerRange(members, *figures, code, site);
        SCOPED_TRACE(absl::StrCat("round ", round, " ", code, " = ", figure.fte,
                                  " in [", range.min, ", ", range.max, "]"));
        if (figure.withheld == RegistryWithheld::kRevealsWithheld) {
          EXPECT_GT(range.max - range.min, 1e-6);
        } else {
          const double high = 1.5 * static_cast<double>(figure.headcount);
          EXPECT_LE(range.min, std::max(0.0, figure.fte - 0.5) + 1e-6);
          EXPECT_GE(range.max, std::min(high, figure.fte + 0.5) - 1e-6);
        }
      }
    }
  }
  EXPECT_GT(withheld, 100);
}

}  // namespace
}  // namespace monipaikka
