#include "server/privacy/registry_disclosure.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/privacy/disclosure_audit.h"

namespace monipaikka {
namespace {

// The registry's upper bound of one employee's FTE, htv.
constexpr double kMaxFtePerEmployee = 1.5;

// Per group code: employees, Σ FTE and employees changed since the previous
// date.
struct GroupTally {
  int64_t headcount = 0;
  double fte = 0;
  int64_t changed = 0;
};

using Key = std::string (*)(const RegistryMember&);
std::string OrganizationOf(const RegistryMember& m) { return m.organization; }
std::string SiteOf(const RegistryMember& m) { return m.site; }

// Counts, for the grouping `key`, the employees of each group on the date
// and how many of the group's employees on either date are not there on
// both with the same FTE.
std::map<std::string, GroupTally> Tally(
    Key key, std::span<const RegistryMember> members,
    const absl::flat_hash_map<int64_t, const RegistryMember*>& previous_of,
    std::span<const RegistryMember> previous,
    const absl::flat_hash_map<int64_t, const RegistryMember*>& member_of) {
  std::map<std::string, GroupTally> tally;
  for (const RegistryMember& m : members) {
    GroupTally& group = tally[key(m)];
    ++group.headcount;
    group.fte += m.fte;
    auto it = previous_of.find(m.employee_id);
    if (it == previous_of.end() || key(*it->second) != key(m) ||
        it->second->fte != m.fte) {
      ++group.changed;
    }
  }
  for (const RegistryMember& p : previous) {
    auto it = member_of.find(p.employee_id);
    if (it == member_of.end() || key(*it->second) != key(p)) {
      ++tally[key(p)].changed;  // left the group
    }
  }
  return tally;
}

RegistryWithheld PrimaryReason(const GroupTally& group, int k) {
  if (group.headcount > 0 && group.headcount < k) {
    return RegistryWithheld::kSmallGroup;
  }
  if (group.headcount > 0 && group.changed > 0 && group.changed < k) {
    return RegistryWithheld::kFewChanges;
  }
  return RegistryWithheld::kShown;
}

}  // namespace

absl::StatusOr<RegistryFigures> PublishRegistryFigures(
    const std::vector<std::string>& organizations,
    const std::vector<std::string>& sites,
    std::span<const RegistryMember> members,
    std::span<const RegistryMember> previous,
    const RegistryDisclosureSettings& settings) {
  absl::flat_hash_map<int64_t, const RegistryMember*> member_of;
  for (const RegistryMember& m : members) member_of[m.employee_id] = &m;
  absl::flat_hash_map<int64_t, const RegistryMember*> previous_of;
  for (const RegistryMember& p : previous) previous_of[p.employee_id] = &p;
  const std::map<std::string, GroupTally> by_site =
      Tally(SiteOf, members, previous_of, previous, member_of);
  const std::map<std::string, GroupTally> by_org =
      Tally(OrganizationOf, members, previous_of, previous, member_of);

  // The cells: first the shown figures (sites, then organizations, in the
  // order given), then one hidden cell per (organization, site) pair with
  // employees, which links them.
  std::vector<AuditCell> cells;
  std::vector<LinearConstraint> constraints;
  RegistryFigures figures;
  std::vector<std::pair<RegistryFigure*, RegistryWithheld>> shown;
  auto add_shown = [&](const std::map<std::string, GroupTally>& tally,
                       const std::string& code,
                       std::map<std::string, RegistryFigure>& out) {
    auto it = tally.find(code);
    const GroupTally group = it == tally.end() ? GroupTally{} : it->second;
    RegistryFigure& figure = out[code];
    figure.headcount = group.headcount;
    figure.fte = group.fte;
    const RegistryWithheld primary = PrimaryReason(group, settings.anonymity_k);
    AuditCell cell;
    cell.value = group.fte;
    cell.integer = false;
    cell.lower_bound = 0;
    cell.upper_bound =
        kMaxFtePerEmployee * static_cast<double>(group.headcount);
    cell.shown = true;
    // Nobody there: 0, and the attacker knows the headcount.
    cell.known = group.headcount == 0;
    cell.sensitive = primary != RegistryWithheld::kShown;
    cell.protect_low = std::max(0.0, group.fte - settings.fte_protection_htv);
    cell.protect_high =
        std::min(cell.upper_bound, group.fte + settings.fte_protection_htv);
    // Secondary suppression prefers the figures of fewer employees.
    cell.cost = static_cast<double>(group.headcount);
    cells.push_back(cell);
    shown.emplace_back(&figure, primary);
    return cells.size() - 1;
  };
  std::map<std::string, size_t> site_cell;
  for (const std::string& code : sites) {
    if (site_cell.contains(code)) continue;
    site_cell[code] = add_shown(by_site, code, figures.sites);
  }
  std::map<std::string, size_t> org_cell;
  for (const std::string& code : organizations) {
    if (org_cell.contains(code)) continue;
    org_cell[code] = add_shown(by_org, code, figures.organizations);
  }

  std::map<std::pair<std::string, std::string>, std::pair<int64_t, double>>
      pairs;
  for (const RegistryMember& m : members) {
    auto& [headcount, fte] = pairs[{m.organization, m.site}];
    ++headcount;
    fte += m.fte;
  }
  std::map<size_t, LinearConstraint> sums;  // by the shown cell they define
  for (const auto& [key, tally] : pairs) {
    AuditCell cell;
    cell.value = tally.second;
    cell.integer = false;
    cell.lower_bound = 0;
    cell.upper_bound = kMaxFtePerEmployee * static_cast<double>(tally.first);
    cell.shown = false;
    cells.push_back(cell);
    const size_t hidden = cells.size() - 1;
    for (const auto* index :
         {site_cell.contains(key.second) ? &site_cell[key.second] : nullptr,
          org_cell.contains(key.first) ? &org_cell[key.first] : nullptr}) {
      if (index == nullptr) continue;
      sums[*index].terms.emplace_back(hidden, 1.0);
    }
  }
  // Every shown figure equals the sum of its hidden parts (a figure
  // without employees has none, and is 0).
  for (size_t i = 0; i < shown.size(); ++i) {
    LinearConstraint sum = sums[i];
    sum.terms.emplace_back(i, -1.0);
    sum.sense = LinearConstraint::kEqual;
    sum.rhs = 0;
    constraints.push_back(std::move(sum));
  }

  ASSIGN_OR_RETURN(AuditOutcome outcome, AuditDisclosure(cells, constraints));
  figures.solves = outcome.solves;
  for (size_t i = 0; i < shown.size(); ++i) {
    auto [figure, primary] = shown[i];
    if (primary != RegistryWithheld::kShown) {
      figure->withheld = primary;
    } else if (outcome.withheld[i]) {
      figure->withheld = RegistryWithheld::kRevealsWithheld;
    }
  }
  return figures;
}

std::string WithheldReasonText(RegistryWithheld withheld, int anonymity_k) {
  switch (withheld) {
    case RegistryWithheld::kShown:
      return "";
    case RegistryWithheld::kSmallGroup:
      return absl::StrCat("fewer than ", anonymity_k, " employees");
    // One text: which of the two it is would say whether a few employees
    // changed FTE.
    case RegistryWithheld::kFewChanges:
    case RegistryWithheld::kRevealsWithheld:
      return absl::StrCat(
          "withheld by the disclosure audit (fewer than ", anonymity_k,
          " employees changed since the previous publication date, or it "
          "would reveal another withheld figure)");
  }
  return "withheld";
}

}  // namespace monipaikka
