#include "server/reports/efficiency_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/reports/registry_figures.h"
#include "server/reports/targets.h"

namespace monipaikka {
namespace {

// Active office workstations per (site, organization): home workstations
// are not in the office and shared-use ones belong to nobody.
std::map<std::pair<int32_t, int32_t>, int32_t> OwnedWorkstations(
    const OccupancyInventory& inventory) {
  std::map<std::pair<int32_t, int32_t>, int32_t> owned;
  for (const OccupancyInventory::Workstation& ws : inventory.workstations()) {
    if (!ws.active || !InOffice(ws.kind) || ws.organization < 0) continue;
    ++owned[{ws.site, ws.organization}];
  }
  return owned;
}

// Sets a row's FTE and m²/htv from the published figure, or says why they
// are withheld (then m2_per_fte and meets_target stay 0 / false).
// `figures` is null when the registry could not be read.
void SetFte(const std::map<std::string, RegistryFigure>* figures,
            const std::string& code, int anonymity_k,
            v1::SpaceEfficiencyRow* row) {
  row->set_fte_available(figures != nullptr);
  if (figures == nullptr) return;
  const RegistryFigure& figure = figures->at(code);
  if (!figure.shown()) {
    row->set_fte_withheld(WithheldToProto(figure.withheld));
    row->set_fte_withheld_reason(
        WithheldReasonText(figure.withheld, anonymity_k));
    return;
  }
  row->set_fte(figure.fte);
  if (figure.fte > 0) {
    row->set_m2_per_fte(row->office_area_m2() / figure.fte);
  }
}

void SetTargets(const std::vector<TargetRow>& targets, absl::CivilDay as_of,
                absl::string_view site, absl::string_view organization,
                v1::SpaceEfficiencyRow* row) {
  std::optional<TargetRow> target =
      TargetInForce(targets, kSpaceEfficiencyMetric, as_of, site, organization);
  if (target.has_value()) {
    row->set_target_m2_per_fte(target->value);
    row->set_target_scope(target->scope);
    row->set_meets_target(row->fte_withheld() == v1::REGISTRY_FIGURE_SHOWN &&
                          row->fte() > 0 && row->m2_per_fte() <= target->value);
  }
  std::optional<TargetRow> new_premises = TargetInForce(
      targets, kSpaceEfficiencyNewMetric, as_of, site, organization);
  if (new_premises.has_value()) {
    row->set_new_premises_target_m2_per_fte(new_premises->value);
  }
}

}  // namespace

absl::StatusOr<v1::SpaceEfficiencyReport> BuildSpaceEfficiency(
    const ReportContext& context, const v1::SpaceEfficiencyRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  if (request.as_of().empty()) {
    return absl::InvalidArgumentError("as_of: is required");
  }
  absl::StatusOr<absl::CivilDay> as_of = ParseDate(request.as_of());
  if (!as_of.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("as_of: ", as_of.status().message()));
  }
  if (!request.site().empty() && !request.organization().empty()) {
    return absl::InvalidArgumentError(
        "organization: give a site or an organization, not both");
  }
  std::vector<int32_t> sites;
  std::vector<int32_t> organizations;
  if (!request.site().empty()) {
    const int32_t site = inventory.SiteIndex(request.site());
    if (site < 0) {
      return absl::NotFoundError(
          absl::StrCat("site: no site \"", request.site(), "\""));
    }
    sites.push_back(site);
  } else if (!request.organization().empty()) {
    const int32_t org = inventory.OrganizationIndex(request.organization());
    if (org < 0) {
      return absl::NotFoundError(absl::StrCat(
          "organization: no organization \"", request.organization(), "\""));
    }
    organizations.push_back(org);
  } else {
    for (size_t s = 0; s < inventory.sites().size(); ++s) {
      sites.push_back(static_cast<int32_t>(s));
    }
    for (size_t o = 0; o < inventory.organizations().size(); ++o) {
      organizations.push_back(static_cast<int32_t>(o));
    }
    std::sort(sites.begin(), sites.end(), [&](int32_t a, int32_t b) {
      return inventory.sites()[a].code < inventory.sites()[b].code;
    });
    std::sort(organizations.begin(), organizations.end(),
              [&](int32_t a, int32_t b) {
                return inventory.organizations()[a].code <
                       inventory.organizations()[b].code;
              });
  }
  ASSIGN_OR_RETURN(std::vector<TargetRow> targets,
                   context.session.Analytics().ListTargets());
  const auto owned = OwnedWorkstations(inventory);
  std::map<int32_t, int32_t> owned_at_site;
  for (const auto& [key, count] : owned) owned_at_site[key.first] += count;

  // The figures of every site and organization of the publication date,
  // whichever rows are asked: the pattern must not depend on the request.
  const absl::StatusOr<RegistrySnapshot> snapshot =
      LoadRegistryFigures(context, *as_of);
  const int k = context.registry.disclosure.anonymity_k;

  v1::SpaceEfficiencyReport report;
  report.set_as_of(FormatDate(*as_of));
  report.set_registry_date(
      FormatDate(RegistryDateFor(*as_of, context.registry)));
  for (int32_t s : sites) {
    const OccupancyInventory::Site& site = inventory.sites()[s];
    v1::SpaceEfficiencyRow* row = report.add_rows();
    row->set_scope("site");
    row->set_code(site.code);
    row->set_name(site.name);
    row->set_office_area_m2(site.office_area_m2);
    SetFte(snapshot.ok() ? &snapshot->figures.sites : nullptr, site.code, k,
           row);
    SetTargets(targets, *as_of, site.code, "", row);
  }
  for (int32_t o : organizations) {
    const OccupancyInventory::Organization& org = inventory.organizations()[o];
    v1::SpaceEfficiencyRow* row = report.add_rows();
    row->set_scope("organization");
    row->set_code(org.code);
    row->set_name(org.name);
    double area = 0;
    std::vector<std::pair<std::string, v1::AreaShare>> shares;
    for (const auto& [key, count] : owned) {
      if (key.second != o) continue;
      const OccupancyInventory::Site& site = inventory.sites()[key.first];
      v1::AreaShare share;
      share.set_site(site.code);
      share.set_workstations(count);
      share.set_site_workstations(owned_at_site[key.first]);
      share.set_area_m2(site.office_area_m2 * count / owned_at_site[key.first]);
      area += share.area_m2();
      shares.emplace_back(site.code, std::move(share));
    }
    std::sort(shares.begin(), shares.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [code, share] : shares) {
      *row->add_area_shares() = std::move(share);
    }
    row->set_office_area_m2(area);
    SetFte(snapshot.ok() ? &snapshot->figures.organizations : nullptr, org.code,
           k, row);
    SetTargets(targets, *as_of, "", org.code, row);
  }
  return report;
}

absl::StatusOr<TargetRow> CheckTarget(const OccupancyInventory& inventory,
                                      const v1::Target& target) {
  TargetRow row;
  row.id = target.id();
  if (target.id() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("target.id: ", target.id(), " is negative"));
  }
  row.scope = target.scope();
  if (row.scope != "portfolio" && row.scope != "organization" &&
      row.scope != "site") {
    return absl::InvalidArgumentError(
        absl::StrCat("target.scope: \"", row.scope,
                     "\" is not portfolio, organization or site"));
  }
  row.scope_code = target.scope_code();
  if (row.scope == "portfolio" && !row.scope_code.empty()) {
    return absl::InvalidArgumentError(
        "target.scope_code: a portfolio target has no code");
  }
  if (row.scope == "site" && inventory.SiteIndex(row.scope_code) < 0) {
    return absl::NotFoundError(
        absl::StrCat("target.scope_code: no site \"", row.scope_code, "\""));
  }
  if (row.scope == "organization" &&
      inventory.OrganizationIndex(row.scope_code) < 0) {
    return absl::NotFoundError(absl::StrCat(
        "target.scope_code: no organization \"", row.scope_code, "\""));
  }
  row.metric = target.metric();
  if (row.metric.empty() ||
      !std::all_of(row.metric.begin(), row.metric.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat("target.metric: \"", row.metric,
                     "\" is not a metric name (lowercase letters, digits, _)"));
  }
  if (!std::isfinite(target.value()) || target.value() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("target.value: ", target.value(), " is not a value >= 0"));
  }
  row.value = target.value();
  absl::StatusOr<absl::CivilDay> from = ParseDate(target.valid_from());
  if (!from.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("target.valid_from: ", from.status().message()));
  }
  row.valid_from = FormatDate(*from);
  if (!target.valid_to().empty()) {
    absl::StatusOr<absl::CivilDay> to = ParseDate(target.valid_to());
    if (!to.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("target.valid_to: ", to.status().message()));
    }
    if (*to < *from) {
      return absl::InvalidArgumentError(
          absl::StrCat("target.valid_to: ", target.valid_to(),
                       " is before valid_from ", target.valid_from()));
    }
    row.valid_to = FormatDate(*to);
  }
  row.note = target.note();
  return row;
}

v1::Target TargetToProto(const TargetRow& row) {
  v1::Target target;
  target.set_id(row.id);
  target.set_scope(row.scope);
  target.set_scope_code(row.scope_code);
  target.set_metric(row.metric);
  target.set_value(row.value);
  target.set_valid_from(row.valid_from);
  target.set_valid_to(row.valid_to);
  target.set_note(row.note);
  return target;
}

}  // namespace monipaikka
