// The acceptance test of HR suppression (issue 11 §2–3, docs/hr-privacy.md):
// an attacker of our own, with its own GLPK model written from the
// docs/hr-privacy.md description (not from the auditor's code), fetches
// every HR table family of a period through the real report functions —
// office days in every grouping and margin, the workstation distribution at
// every publication date of the period and its changes against the other
// dates — and bounds every withheld figure by mixed-integer programming.
// It knows every group's headcount (who works in which unit). No withheld
// figure may be pinned, and none may be proven to lie in 1 … k−1.

#include <glpk.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time_format.h"
#include "server/reports/workforce_report.h"
#include "server/storage/storage.h"
#include "server/workforce/workforce_records.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int kK = 5;
// A shown median proves its group has at least this many people with days
// (docs/hr-privacy.md "Side figures": medians only for groups of at least 2k).
constexpr int kMedianMinGroup = 2 * kK;
constexpr int kSeeds = 24;

std::string Pseudonym(int n) {
  std::string text = absl::StrCat(n);
  return std::string(64 - text.size(), 'b') + text;
}

// A scope as the attacker names it.
struct Scope {
  int level = 0;
  std::string organization;
  std::string unit;
  friend auto operator<=>(const Scope&, const Scope&) = default;
};

std::string Name(const Scope& s) {
  return absl::StrCat(s.level, "/", s.organization, "/", s.unit);
}

// The generated registry of one seed.
struct Registry {
  std::vector<std::string> organizations;
  std::vector<EmployeePeriodInput> periods;  // pseudonym n = person n
  std::vector<WorkDayInput> days;
  std::vector<absl::CivilMonth> months;  // with work-location days
  // Months whose office-days tables are fetched: the period's and the one
  // before, whose end is the first publication date compared with.
  std::vector<absl::CivilMonth> office_months;
  std::vector<absl::CivilDay> dates;  // publication dates of the period
};

Registry Generate(uint32_t seed) {
  std::mt19937 random(seed);
  auto uniform = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(random) < p;
  };
  Registry registry;
  const int organizations = uniform(2, 3);
  struct Unit {
    std::string organization;
    std::string unit;
  };
  std::vector<Unit> units;
  for (int o = 0; o < organizations; ++o) {
    const std::string org = absl::StrCat("ORG", o + 1);
    registry.organizations.push_back(org);
    const int unit_count = uniform(2, 4);
    for (int u = 0; u < unit_count; ++u) {
      units.push_back({org, absl::StrCat(org, "-U", u + 1)});
    }
  }
  registry.months = {absl::CivilMonth(2024, 3)};
  if (chance(0.5)) registry.months.push_back(absl::CivilMonth(2024, 4));
  registry.office_months = {absl::CivilMonth(2024, 2)};
  registry.office_months.insert(registry.office_months.end(),
                                registry.months.begin(), registry.months.end());
  for (absl::CivilMonth m : registry.office_months) {
    registry.dates.push_back(absl::CivilDay(m + 1) - 1);
  }
  const absl::CivilDay start(2024, 1, 1);
  const absl::CivilDay last = registry.dates.back();
  auto attributes = [&](EmployeePeriod& p, const Unit& unit) {
    p.organization = unit.organization;
    p.unit = unit.unit;
    p.fte = 1;
    const int office = uniform(0, 19);
    p.office = office < 3    ? OfficeWorkstation::kNone
               : office < 14 ? OfficeWorkstation::kAssigned
                             : OfficeWorkstation::kUnassigned;
    p.home_workstation = chance(0.4);
    p.shared_use = chance(0.3);
    p.multi_space = chance(0.4);
  };
  int person = 0;
  std::vector<std::pair<absl::CivilDay, absl::CivilDay>> spans;  // per person
  auto add_person = [&](const Unit& unit, absl::CivilDay from) {
    EmployeePeriodInput row;
    row.pseudonym = Pseudonym(person);
    row.period.valid_from = from;
    attributes(row.period, unit);
    absl::CivilDay end = kOpenEndDay;
    if (chance(0.2)) {
      // A change between the publication dates: new attributes, a move, or
      // leaving.
      const absl::CivilDay change =
          absl::CivilDay(2024, 2, 10) +
          uniform(0, last - absl::CivilDay(2024, 2, 10));
      if (change > from) {
        EmployeePeriodInput before = row;
        before.period.valid_to = change - 1;
        registry.periods.push_back(before);
        const int kind = uniform(0, 5);
        if (kind == 0) {
          end = change - 1;
          row.period.valid_from = kOpenEndDay;  // no period after leaving
        } else {
          row.period.valid_from = change;
          if (kind == 1) {
            attributes(row.period, units[uniform(0, units.size() - 1)]);
          } else if (kind == 2) {
            row.period.home_workstation = !row.period.home_workstation;
          } else if (kind == 3) {
            row.period.shared_use = !row.period.shared_use;
          } else {
            row.period.office =
                row.period.office == OfficeWorkstation::kAssigned
                    ? OfficeWorkstation::kUnassigned
                    : OfficeWorkstation::kAssigned;
          }
        }
      }
    }
    if (row.period.valid_from != kOpenEndDay) registry.periods.push_back(row);
    spans.push_back({from, end});
    ++person;
  };
  for (const Unit& unit : units) {
    const int size = uniform(3, 15);
    for (int i = 0; i < size; ++i) add_person(unit, start);
    // Sometimes someone joins during the period.
    if (chance(0.4))
      add_person(unit, absl::CivilDay(2024, 3, 1) + uniform(0, 50));
  }
  // Work-location days: most people record some in each month.
  for (int p = 0; p < person; ++p) {
    const double office_bias =
        std::uniform_real_distribution<double>(0, 1)(random);
    for (absl::CivilMonth m : registry.months) {
      if (!chance(0.75)) continue;
      const int count = uniform(1, 18);
      std::set<absl::CivilDay> chosen;
      for (int i = 0; i < count; ++i) {
        const absl::CivilDay day = absl::CivilDay(m) + uniform(0, 27);
        if (day < spans[p].first || day > spans[p].second) continue;
        chosen.insert(day);
      }
      for (absl::CivilDay day : chosen) {
        WorkDayInput input;
        input.pseudonym = Pseudonym(p);
        input.day = day;
        input.kind = chance(office_bias)
                         ? std::vector<int>{1, 2, 3, 5}[uniform(0, 3)]
                         : std::vector<int>{0, 4, 6}[uniform(0, 2)];
        registry.days.push_back(input);
      }
    }
  }
  return registry;
}

// The attacker's background knowledge: who works in which unit.
struct Headcounts {
  // Registered on some day of the month, where the registry had them last.
  std::map<std::pair<absl::CivilMonth, Scope>, int64_t> month;
  // Registered on the day.
  std::map<std::pair<absl::CivilDay, Scope>, int64_t> day;
};

std::vector<Scope> ScopesOf(const std::string& org, const std::string& unit) {
  return {Scope{0, "", ""}, Scope{1, org, ""}, Scope{2, org, unit}};
}

Headcounts CountHeads(const Registry& registry) {
  Headcounts heads;
  for (absl::CivilMonth m : registry.office_months) {
    const absl::CivilDay first(m);
    const absl::CivilDay last = absl::CivilDay(m + 1) - 1;
    std::map<std::string, const EmployeePeriod*> latest;
    for (const EmployeePeriodInput& row : registry.periods) {
      const EmployeePeriod& p = row.period;
      if (p.valid_from > last || p.valid_to < first) continue;
      const EmployeePeriod*& best = latest[row.pseudonym];
      if (best == nullptr || p.valid_from > best->valid_from) best = &p;
    }
    for (const auto& [who, p] : latest) {
      for (const Scope& s : ScopesOf(p->organization, p->unit))
        ++heads.month[{m, s}];
    }
  }
  for (absl::CivilDay d : registry.dates) {
    for (const EmployeePeriodInput& row : registry.periods) {
      const EmployeePeriod& p = row.period;
      if (p.valid_from > d || p.valid_to < d) continue;
      for (const Scope& s : ScopesOf(p.organization, p.unit))
        ++heads.day[{d, s}];
    }
  }
  return heads;
}

// The test's own oracle (not the attacker's knowledge): how many people
// entered or left each category of each scope between two days.
std::map<std::pair<Scope, int>, int> GrossChanges(const Registry& registry,
                                                  absl::CivilDay from,
                                                  absl::CivilDay to) {
  auto categories = [](const EmployeePeriod& p) {
    const bool office = p.office != OfficeWorkstation::kNone;
    return std::array<bool, 6>{true,
                               office,
                               p.home_workstation,
                               office && p.shared_use,
                               p.office == OfficeWorkstation::kUnassigned,
                               office && p.multi_space};
  };
  std::map<std::string, std::pair<const EmployeePeriod*, const EmployeePeriod*>>
      who;
  for (const EmployeePeriodInput& row : registry.periods) {
    const EmployeePeriod& p = row.period;
    if (p.valid_from <= from && p.valid_to >= from)
      who[row.pseudonym].first = &p;
    if (p.valid_from <= to && p.valid_to >= to) who[row.pseudonym].second = &p;
  }
  std::map<std::pair<Scope, int>, int> gross;
  for (const auto& [name, pair] : who) {
    std::set<std::pair<Scope, int>> before;
    std::set<std::pair<Scope, int>> after;
    if (pair.first != nullptr) {
      const auto in = categories(*pair.first);
      for (const Scope& s :
           ScopesOf(pair.first->organization, pair.first->unit)) {
        for (int c = 0; c < 6; ++c) {
          if (in[c]) before.insert({s, c});
        }
      }
    }
    if (pair.second != nullptr) {
      const auto in = categories(*pair.second);
      for (const Scope& s :
           ScopesOf(pair.second->organization, pair.second->unit)) {
        for (int c = 0; c < 6; ++c) {
          if (in[c]) after.insert({s, c});
        }
      }
    }
    for (const auto& key : before) gross[key] += after.count(key) == 0;
    for (const auto& key : after) gross[key] += before.count(key) == 0;
  }
  return gross;
}

// Office-days fields of a row, and distribution categories, as the
// attacker's variables.
enum OfficeField {
  kSharedUse,
  kWithDays,
  kB0,
  kB1,
  kB2,
  kB3,
  kB4,
  kMeeting,
  kBelow
};
constexpr int kOfficeFields = 9;
constexpr int kCategories =
    6;  // employees, in_offices, at_home, shared_use, unassigned, multi_space

struct Published {
  double value = 0;
  bool withheld = false;
};

// Everything the attacker collected, keyed by figure; the same figure
// fetched twice must read the same.
struct Collection {
  std::map<std::string, Published> figures;
  int inconsistent = 0;
  void Put(const std::string& key, double value, bool withheld) {
    auto [it, inserted] = figures.try_emplace(key, Published{value, withheld});
    if (!inserted && (it->second.withheld != withheld ||
                      (!withheld && it->second.value != value))) {
      ADD_FAILURE() << key << " differs between requests";
      ++inconsistent;
    }
  }
};

std::string OfficeKey(absl::CivilMonth m, const Scope& s, int field) {
  return absl::StrCat("od|", FormatIsoMonth(m), "|", Name(s), "|", field);
}
std::string MedianKey(absl::CivilMonth m, const Scope& s) {
  return absl::StrCat("median|", FormatIsoMonth(m), "|", Name(s));
}
std::string DistKey(absl::CivilDay d, const Scope& s, int category) {
  return absl::StrCat("dist|", FormatDate(d), "|", Name(s), "|", category);
}
std::string ChangeKey(absl::CivilDay d, absl::CivilDay from, const Scope& s,
                      int category) {
  return absl::StrCat("chg|", FormatDate(d), "|", FormatDate(from), "|",
                      Name(s), "|", category);
}

// The attacker's mixed-integer model over the collected figures.
class Attacker {
 public:
  Attacker() : problem_(glp_create_prob()) { glp_term_out(GLP_OFF); }
  ~Attacker() { glp_delete_prob(problem_); }

  // A variable for a count in 0 … upper.
  int Variable(const std::string& key, double upper) {
    if (auto it = columns_.find(key); it != columns_.end()) return it->second;
    const int column = glp_add_cols(problem_, 1);
    glp_set_col_kind(problem_, column, GLP_IV);
    glp_set_col_bnds(problem_, column, upper > 0 ? GLP_DB : GLP_FX, 0, upper);
    columns_[key] = column;
    return column;
  }
  int Free(const std::string& key) {
    const int column = glp_add_cols(problem_, 1);
    glp_set_col_kind(problem_, column, GLP_IV);
    glp_set_col_bnds(problem_, column, GLP_FR, 0, 0);
    columns_[key] = column;
    return column;
  }
  bool Has(const std::string& key) const { return columns_.count(key) > 0; }
  int Column(const std::string& key) const { return columns_.at(key); }

  // Σ coefficient × variable in [low, high] (either may be ±infinity).
  void Row(const std::vector<std::pair<int, double>>& terms, double low,
           double high) {
    const int row = glp_add_rows(problem_, 1);
    std::vector<int> index{0};
    std::vector<double> value{0};
    for (const auto& [column, coefficient] : terms) {
      index.push_back(column);
      value.push_back(coefficient);
    }
    glp_set_mat_row(problem_, row, static_cast<int>(terms.size()), index.data(),
                    value.data());
    const bool has_low = std::isfinite(low), has_high = std::isfinite(high);
    if (has_low && has_high) {
      glp_set_row_bnds(problem_, row, low == high ? GLP_FX : GLP_DB, low, high);
    } else if (has_low) {
      glp_set_row_bnds(problem_, row, GLP_LO, low, 0);
    } else {
      glp_set_row_bnds(problem_, row, GLP_UP, 0, high);
    }
  }

  // The minimum or maximum of Σ coefficient × variable.
  double Optimum(const std::vector<std::pair<int, double>>& objective,
                 bool maximize) {
    for (int j = 1; j <= glp_get_num_cols(problem_); ++j)
      glp_set_obj_coef(problem_, j, 0);
    for (const auto& [column, coefficient] : objective) {
      glp_set_obj_coef(problem_, column, coefficient);
    }
    glp_set_obj_dir(problem_, maximize ? GLP_MAX : GLP_MIN);
    // The relaxation first (warm from the previous basis); branch and bound
    // only when its optimal vertex is fractional.
    glp_smcp simplex;
    glp_init_smcp(&simplex);
    simplex.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(problem_, &simplex) != 0) {
      glp_adv_basis(problem_, 0);
      EXPECT_EQ(glp_simplex(problem_, &simplex), 0);
    }
    EXPECT_EQ(glp_get_status(problem_), GLP_OPT)
        << "the attacker's model has no solution";
    bool integral = true;
    for (int j = 1; j <= glp_get_num_cols(problem_) && integral; ++j) {
      const double x = glp_get_col_prim(problem_, j);
      integral = std::abs(x - std::round(x)) < 1e-9;
    }
    if (integral) return glp_get_obj_val(problem_);
    glp_iocp parameters;
    glp_init_iocp(&parameters);
    parameters.msg_lev = GLP_MSG_OFF;
    const int result = glp_intopt(problem_, &parameters);
    EXPECT_EQ(result, 0) << "the attacker's model has no integer solution";
    EXPECT_EQ(glp_mip_status(problem_), GLP_OPT);
    return glp_mip_obj_val(problem_);
  }

 private:
  glp_prob* problem_;
  std::map<std::string, int> columns_;
};

struct Findings {
  int withheld = 0;
  int pinned = 0;
  int small = 0;  // proven in 1 … k−1
  // Shown changes that 1 … k−1 people made: between consecutive
  // publication dates (must not happen) and between others (the residual
  // risk docs/hr-privacy.md states).
  int small_changes_consecutive = 0;
  int small_changes_other = 0;
  int shown_changes_other = 0;
  // Organization and state figures withheld by the audit in groups of k or
  // more (the reason does not say whether to protect another one).
  int margins_protecting = 0;
  // Withheld counts whose reason tells more than the group's known size
  // (SMALL_GROUP in a group of k or more proves the count 1 … k−1).
  int reasons_telling = 0;
  std::vector<std::string> examples;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

// Fetches every table family of `registry`'s period through the report
// functions and attacks it; `label` names the registry in examples.
Findings Attack(const Registry& registry, const std::string& label) {
  testing::TempDir dir;
  auto storage = Storage::OpenSqlite(dir.File("hr.db"));
  EXPECT_TRUE(storage.ok()) << storage.status();
  auto session = (*storage)->OpenSession();
  EXPECT_TRUE(session.ok());
  v1::Inventory inventory;
  for (const std::string& code : registry.organizations) {
    auto* org = inventory.add_organizations();
    org->set_code(code);
    org->set_name(code);
  }
  EXPECT_TRUE((*session)->ImportInventory(inventory).ok());
  auto stored = (*session)->Workforce().UpsertEmployeePeriods(registry.periods);
  EXPECT_TRUE(stored.ok() && stored->rejected.empty());
  auto days = (*session)->Workforce().UpsertWorkDays(registry.days);
  EXPECT_TRUE(days.ok() && days->rejected.empty());
  WorkforceSettings settings;
  settings.anonymity_k = kK;
  settings.today = [] { return absl::CivilDay(2024, 6, 15); };

  const Headcounts heads = CountHeads(registry);
  std::set<Scope> scopes;
  for (const auto& [key, count] : heads.month) scopes.insert(key.second);
  for (const auto& [key, count] : heads.day) scopes.insert(key.second);

  // ---- Fetch every table family of the period ----
  Collection seen;
  std::set<std::string> margins_protecting;
  int reasons_telling = 0;
  // A withheld count's reason may say only what the group's known size
  // says: SMALL_GROUP exactly when it is under k, else PROTECTED.
  auto tells = [&](const v1::HrCount& count, int64_t group) {
    if (!count.withheld()) return false;
    const v1::HrWithheldReason expected =
        group < kK ? v1::HR_WITHHELD_SMALL_GROUP : v1::HR_WITHHELD_PROTECTED;
    return count.reason() != expected;
  };
  // A change between two dates: SMALL_GROUP only when the group is under k
  // on one of them (the withheld count of that date gives the reason).
  auto change_tells = [&](const v1::HrCount& change, int64_t group,
                          int64_t other_group) {
    if (!change.withheld()) return false;
    if (change.reason() == v1::HR_WITHHELD_SMALL_GROUP) {
      return group >= kK && other_group >= kK;
    }
    return change.reason() != v1::HR_WITHHELD_PROTECTED;
  };
  for (absl::CivilMonth m : registry.office_months) {
    for (const Scope& scope : scopes) {
      if (scope.level == 2 && !heads.month.count({m, scope})) continue;
      for (v1::HrGrouping grouping :
           {v1::HR_GROUPING_UNSPECIFIED, v1::HR_GROUPING_ORGANIZATION,
            v1::HR_GROUPING_UNIT}) {
        v1::OfficeDaysRequest request;
        request.set_from_month(FormatIsoMonth(m));
        request.set_to_month(FormatIsoMonth(m));
        request.set_organization(scope.organization);
        request.set_unit(scope.unit);
        request.set_group_by(grouping);
        auto report = BuildOfficeDays(**session, request, settings);
        EXPECT_TRUE(report.ok()) << report.status();
        if (!report.ok()) continue;
        for (const v1::OfficeDaysRow& row : report->rows()) {
          const Scope s{row.level(), row.organization(), row.unit()};
          const v1::HrCount* fields[kOfficeFields] = {
              &row.shared_use(),          &row.with_days(),
              &row.office_day_buckets(0), &row.office_day_buckets(1),
              &row.office_day_buckets(2), &row.office_day_buckets(3),
              &row.office_day_buckets(4), &row.meeting_recommendation(),
              &row.below_recommendation()};
          for (int f = 0; f < kOfficeFields; ++f) {
            seen.Put(OfficeKey(m, s, f), fields[f]->value(),
                     fields[f]->withheld());
            if (s.level < 2 &&
                fields[f]->reason() == v1::HR_WITHHELD_PROTECTED) {
              margins_protecting.insert(OfficeKey(m, s, f));
            }
            auto group = heads.month.find({m, s});
            reasons_telling += tells(
                *fields[f], group == heads.month.end() ? 0 : group->second);
          }
          seen.Put(MedianKey(m, s), row.median_office_days().value(),
                   row.median_office_days().withheld());
        }
      }
    }
  }
  for (absl::CivilDay d : registry.dates) {
    for (const Scope& scope : scopes) {
      if (!heads.day.count({d, scope})) continue;
      std::vector<std::optional<absl::CivilDay>> others{std::nullopt};
      for (absl::CivilDay other : registry.dates) {
        if (other != d) others.push_back(other);
      }
      for (const std::optional<absl::CivilDay>& other : others) {
        v1::WorkstationDistributionRequest request;
        request.set_as_of(FormatDate(d));
        if (other.has_value()) request.set_compare_to(FormatDate(*other));
        request.set_organization(scope.organization);
        request.set_unit(scope.unit);
        auto report =
            BuildWorkstationDistribution(**session, request, settings);
        EXPECT_TRUE(report.ok()) << report.status();
        if (!report.ok()) continue;
        for (int c = 0; c < report->categories_size(); ++c) {
          const v1::DistributionCategory& category = report->categories(c);
          seen.Put(DistKey(d, scope, c), category.employees().value(),
                   category.employees().withheld());
          if (scope.level < 2 &&
              category.employees().reason() == v1::HR_WITHHELD_PROTECTED) {
            margins_protecting.insert(DistKey(d, scope, c));
          }
          reasons_telling +=
              tells(category.employees(), heads.day.at({d, scope}));
          if (other.has_value() && c > 0) {
            auto then = heads.day.find({*other, scope});
            reasons_telling +=
                change_tells(category.change(), heads.day.at({d, scope}),
                             then == heads.day.end() ? 0 : then->second);
          }
          if (other.has_value() && c > 0) {
            seen.Put(ChangeKey(d, *other, scope, c), category.change().value(),
                     category.change().withheld());
          }
        }
      }
    }
  }

  // ---- The attacker's model ----
  Attacker attacker;
  auto value_of = [&](const std::string& key) -> const Published* {
    auto it = seen.figures.find(key);
    return it == seen.figures.end() ? nullptr : &it->second;
  };
  auto fix_if_shown = [&](const std::string& key, int column) {
    if (const Published* p = value_of(key); p != nullptr && !p->withheld) {
      attacker.Row({{column, 1}}, p->value, p->value);
    }
  };
  auto children = [&](const Scope& s) {
    std::vector<Scope> out;
    for (const Scope& c : scopes) {
      if (c.level == s.level + 1 &&
          (s.level == 0 || c.organization == s.organization)) {
        out.push_back(c);
      }
    }
    return out;
  };
  auto headcount_month = [&](absl::CivilMonth m, const Scope& s) -> int64_t {
    auto it = heads.month.find({m, s});
    return it == heads.month.end() ? 0 : it->second;
  };
  auto headcount_day = [&](absl::CivilDay d, const Scope& s) -> int64_t {
    auto it = heads.day.find({d, s});
    return it == heads.day.end() ? 0 : it->second;
  };
  // Office days.
  for (absl::CivilMonth m : registry.office_months) {
    for (const Scope& s : scopes) {
      const double r = headcount_month(m, s);
      std::array<int, kOfficeFields> v{};
      for (int f = 0; f < kOfficeFields; ++f) {
        v[f] = attacker.Variable(OfficeKey(m, s, f), r);
        fix_if_shown(OfficeKey(m, s, f), v[f]);
      }
      attacker.Row({{v[kWithDays], 1}, {v[kMeeting], -1}, {v[kBelow], -1}}, 0,
                   0);
      attacker.Row({{v[kBelow], 1}, {v[kB0], -1}, {v[kB1], -1}}, 0, 0);
      attacker.Row({{v[kMeeting], 1}, {v[kB2], -1}, {v[kB3], -1}, {v[kB4], -1}},
                   0, 0);
      // The median m: at least half of the people with days have ≤ m office
      // days and at least half ≥ m; in buckets 0, 1–4, 5–8, 9–12, 13+.
      if (const Published* median = value_of(MedianKey(m, s));
          median != nullptr) {
        if (!median->withheld) {
          static constexpr double kLow[] = {0, 1, 5, 9, 13};
          static constexpr double kHigh[] = {0, 4, 8, 12, 31};
          std::vector<std::pair<int, double>> at_most{{v[kWithDays], -1}};
          std::vector<std::pair<int, double>> at_least{{v[kWithDays], -1}};
          for (int b = 0; b < 5; ++b) {
            if (kLow[b] <= median->value) at_most.push_back({v[kB0 + b], 2});
            if (kHigh[b] >= median->value) at_least.push_back({v[kB0 + b], 2});
          }
          attacker.Row(at_most, 0, kInf);
          attacker.Row(at_least, 0, kInf);
          attacker.Row({{v[kWithDays], 1}}, kMedianMinGroup, kInf);
          if (median->value != std::floor(median->value)) {
            // Half a day: an even number of people with days.
            const int half = attacker.Free(MedianKey(m, s) + "|half");
            attacker.Row({{v[kWithDays], 1}, {half, -2}}, 0, 0);
          }
        } else if (r >= kMedianMinGroup) {
          attacker.Row({{v[kWithDays], 1}}, -kInf, kMedianMinGroup - 1);
        }
      }
      // Margins: a parent is the sum of its children.
      const std::vector<Scope> parts = children(s);
      if (s.level < 2 && !parts.empty()) {
        for (int f = 0; f < kOfficeFields; ++f) {
          std::vector<std::pair<int, double>> sum{{v[f], -1}};
          for (const Scope& c : parts) {
            sum.push_back(
                {attacker.Variable(OfficeKey(m, c, f), headcount_month(m, c)),
                 1});
          }
          attacker.Row(sum, 0, 0);
        }
      }
    }
  }
  // Distribution at each date.
  for (absl::CivilDay d : registry.dates) {
    for (const Scope& s : scopes) {
      const double e = headcount_day(d, s);
      std::array<int, kCategories> v{};
      for (int c = 1; c < kCategories; ++c) {
        v[c] = attacker.Variable(DistKey(d, s, c), e);
        fix_if_shown(DistKey(d, s, c), v[c]);
      }
      for (int c = 3; c < kCategories; ++c) {
        attacker.Row({{v[1], 1}, {v[c], -1}}, 0,
                     kInf);  // subsets of in_offices
      }
      const std::vector<Scope> parts = children(s);
      if (s.level < 2 && !parts.empty()) {
        for (int c = 1; c < kCategories; ++c) {
          std::vector<std::pair<int, double>> sum{{v[c], -1}};
          for (const Scope& child : parts) {
            sum.push_back({attacker.Variable(DistKey(d, child, c),
                                             headcount_day(d, child)),
                           1});
          }
          attacker.Row(sum, 0, 0);
        }
      }
    }
  }
  // The two tables of a month share the registry: the month's shared-use
  // count is the month end's plus those of the people who left in between.
  for (absl::CivilMonth m : registry.office_months) {
    const absl::CivilDay end = absl::CivilDay(m + 1) - 1;
    for (const Scope& s : scopes) {
      const double leavers = headcount_month(m, s) - headcount_day(end, s);
      attacker.Row({{attacker.Column(OfficeKey(m, s, kSharedUse)), 1},
                    {attacker.Column(DistKey(end, s, 3)), -1}},
                   0, leavers);
    }
  }
  // Published changes.
  for (absl::CivilDay d : registry.dates) {
    for (absl::CivilDay other : registry.dates) {
      if (other == d) continue;
      for (const Scope& s : scopes) {
        for (int c = 1; c < kCategories; ++c) {
          const Published* change = value_of(ChangeKey(d, other, s, c));
          if (change == nullptr || change->withheld) continue;
          attacker.Row({{attacker.Column(DistKey(d, s, c)), 1},
                        {attacker.Column(DistKey(other, s, c)), -1}},
                       change->value, change->value);
        }
      }
    }
  }

  // ---- Bound every withheld figure ----
  Findings findings;
  findings.margins_protecting = static_cast<int>(margins_protecting.size());
  findings.reasons_telling = reasons_telling;
  auto judge = [&](const std::string& key,
                   const std::vector<std::pair<int, double>>& objective,
                   bool count) {
    ++findings.withheld;
    const double low = attacker.Optimum(objective, false);
    const double high = attacker.Optimum(objective, true);
    const bool pinned = high - low < 0.5;
    const bool small = count && low >= 1 && high <= kK - 1;
    findings.pinned += pinned;
    findings.small += small && !pinned;
    if ((pinned || small) && findings.examples.size() < 5) {
      findings.examples.push_back(
          absl::StrCat(label, " ", key, " in ", low, " … ", high));
    }
  };
  for (const auto& [key, figure] : seen.figures) {
    if (!figure.withheld) continue;
    if (key.rfind("od|", 0) == 0 ||
        (key.rfind("dist|", 0) == 0 && key.back() != '0')) {
      judge(key, {{attacker.Column(key), 1}}, true);
    }
  }
  for (absl::CivilDay d : registry.dates) {
    for (absl::CivilDay other : registry.dates) {
      if (other == d) continue;
      for (const Scope& s : scopes) {
        for (int c = 1; c < kCategories; ++c) {
          const std::string key = ChangeKey(d, other, s, c);
          const Published* change = value_of(key);
          if (change == nullptr || !change->withheld) continue;
          judge(key,
                {{attacker.Column(DistKey(d, s, c)), 1},
                 {attacker.Column(DistKey(other, s, c)), -1}},
                false);
        }
      }
    }
  }
  for (size_t i = 0; i < registry.dates.size(); ++i) {
    for (size_t j = 0; j < registry.dates.size(); ++j) {
      if (i == j) continue;
      const absl::CivilDay d = registry.dates[i];
      const absl::CivilDay other = registry.dates[j];
      const bool consecutive = i == j + 1 || j == i + 1;
      const auto gross =
          GrossChanges(registry, std::min(d, other), std::max(d, other));
      for (const Scope& s : scopes) {
        for (int c = 1; c < kCategories; ++c) {
          const Published* change = value_of(ChangeKey(d, other, s, c));
          if (change == nullptr || change->withheld) continue;
          auto it = gross.find({s, c});
          const int moved = it == gross.end() ? 0 : it->second;
          const bool small = moved >= 1 && moved < kK;
          if (consecutive) {
            findings.small_changes_consecutive += small;
            if (small && findings.examples.size() < 5) {
              findings.examples.push_back(
                  absl::StrCat(label, " ", ChangeKey(d, other, s, c),
                               " shown, ", moved, " people changed"));
            }
          } else {
            findings.small_changes_other += small;
            ++findings.shown_changes_other;
          }
        }
      }
    }
  }
  EXPECT_EQ(seen.inconsistent, 0);
  return findings;
}

Findings AttackSeed(uint32_t seed) {
  return Attack(Generate(seed), absl::StrCat("seed ", seed));
}

// The demo's shape (deploy/demo.sh): 7 organizations of 60 people in 3 units
// of 20, a fifth without an office, shared-use premises in three of the
// organizations, and every weekday of March recorded for everyone (55 %
// remote, 30 % own office, 10 % state agency building, 5 % third place).
Registry DemoShaped() {
  std::mt19937 random(7);
  auto chance = [&](double p) {
    return std::uniform_real_distribution<double>(0, 1)(random) < p;
  };
  Registry registry;
  constexpr int kOrganizations = 7;
  for (int o = 0; o < kOrganizations; ++o)
    registry.organizations.push_back(absl::StrCat("ORG", o));
  registry.months = {absl::CivilMonth(2024, 3)};
  registry.office_months = registry.months;
  registry.dates = {absl::CivilDay(2024, 3, 31)};
  for (int i = 0; i < 420; ++i) {
    EmployeePeriodInput row;
    row.pseudonym = Pseudonym(i);
    EmployeePeriod& p = row.period;
    p.valid_from = absl::CivilDay(2024, 1, 1);
    const int organization = i % kOrganizations;
    p.organization = registry.organizations[organization];
    p.unit = absl::StrCat(p.organization, "-", (i / kOrganizations) % 3);
    p.fte = i % 10 == 0 ? 0.8 : 1;
    p.home_workstation = chance(0.55);
    p.office = i % 5 == 0    ? OfficeWorkstation::kNone
               : chance(0.3) ? OfficeWorkstation::kUnassigned
                             : OfficeWorkstation::kAssigned;
    p.multi_space = chance(0.45);
    p.shared_use = organization < 3;
    registry.periods.push_back(row);
  }
  for (absl::CivilDay day(2024, 3, 1); day <= absl::CivilDay(2024, 3, 31);
       ++day) {
    const absl::Weekday weekday = absl::GetWeekday(day);
    if (weekday == absl::Weekday::saturday ||
        weekday == absl::Weekday::sunday) {
      continue;
    }
    for (int i = 0; i < 420; ++i) {
      const double r = std::uniform_real_distribution<double>(0, 1)(random);
      WorkDayInput input;
      input.pseudonym = Pseudonym(i);
      input.day = day;
      input.kind = r < 0.55 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 3 : 6;
      registry.days.push_back(input);
    }
  }
  return registry;
}

// The demo's registry shape, attacked like the random ones; it also
// reports how many organization and state figures the audit withholds in
// groups of k or more (secondary suppression prefers unit figures: see
// hr_disclosure.cc, SystemBuilder::Cost).
TEST(HrAttackTest, ADemoShapedRegistryIsProtected) {
  const Findings f = Attack(DemoShaped(), "demo-shaped");
  std::string examples;
  for (const std::string& e : f.examples) absl::StrAppend(&examples, "\n  ", e);
  EXPECT_GT(f.withheld, 0);
  EXPECT_EQ(f.pinned, 0) << examples;
  EXPECT_EQ(f.small, 0) << examples;
  EXPECT_EQ(f.reasons_telling, 0);
  std::cout << "demo-shaped registry: " << f.withheld << " withheld figures, "
            << f.margins_protecting
            << " organization or state figures withheld by the audit\n";
}

TEST(HrAttackTest, NoWithheldFigureIsPinnedOrProvenSmall) {
  Findings total;
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    const Findings f = AttackSeed(seed);
    total.withheld += f.withheld;
    total.pinned += f.pinned;
    total.small += f.small;
    total.small_changes_consecutive += f.small_changes_consecutive;
    total.small_changes_other += f.small_changes_other;
    total.shown_changes_other += f.shown_changes_other;
    total.reasons_telling += f.reasons_telling;
    for (const std::string& e : f.examples) {
      if (total.examples.size() < 10) total.examples.push_back(e);
    }
  }
  std::string examples;
  for (const std::string& e : total.examples)
    absl::StrAppend(&examples, "\n  ", e);
  EXPECT_GT(total.withheld, 0);
  EXPECT_EQ(total.pinned, 0) << total.withheld << " withheld" << examples;
  EXPECT_EQ(total.small, 0) << total.withheld << " withheld" << examples;
  EXPECT_EQ(total.small_changes_consecutive, 0) << examples;
  // Nor does any withheld count's reason say more than its group's size.
  EXPECT_EQ(total.reasons_telling, 0);
  std::cout << "attacker: " << kSeeds << " registries, " << total.withheld
            << " withheld figures, " << total.pinned << " pinned, "
            << total.small << " proven in 1.." << kK - 1
            << "; changes between non-consecutive"
            << " publication dates: " << total.shown_changes_other << " shown, "
            << total.small_changes_other << " of them made by 1.." << kK - 1
            << " people (residual risk)\n";
}

}  // namespace
}  // namespace monipaikka
