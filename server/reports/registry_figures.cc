#include "server/reports/registry_figures.h"

#include <string>
#include <vector>

#include "absl/hash/hash.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace monipaikka {

namespace {

// The cache key of an audit's whole input.
uint64_t InputKey(const RegistrySnapshot& snapshot,
                  const RegistryDisclosureSettings& settings,
                  const std::vector<std::string>& organizations,
                  const std::vector<std::string>& sites,
                  const std::vector<RegistryMember>& members,
                  const std::vector<RegistryMember>& previous) {
  size_t key = absl::HashOf(snapshot.date.year(), snapshot.date.month(),
                            snapshot.date.day(), snapshot.previous.year(),
                            snapshot.previous.month(), snapshot.previous.day(),
                            settings.anonymity_k, settings.fte_protection_htv,
                            organizations, sites);
  for (const auto* rows : {&members, &previous}) {
    key = absl::HashOf(key, rows->size());
    for (const RegistryMember& m : *rows) {
      key = absl::HashOf(key, m.employee_id, m.organization, m.site, m.fte);
    }
  }
  return key;
}

absl::StatusOr<RegistrySnapshot> Load(const ReportContext& context,
                                      absl::CivilDay requested,
                                      RegistryFigureCache* cache) {
  RegistrySnapshot snapshot;
  snapshot.date = RegistryDateFor(requested, context.registry);
  snapshot.previous =
      LatestPublicationDate(snapshot.date - 1, context.registry.calendar);
  std::vector<RegistryMember> members;
  std::vector<RegistryMember> previous;
  RETURN_IF_ERROR(context.session.Workforce().ScanEmployeePeriods(
      snapshot.previous, snapshot.date, [&](const EmployeePeriod& period) {
        const RegistryMember member{period.employee_id, period.organization,
                                    period.site, period.fte};
        if (period.valid_from <= snapshot.date &&
            snapshot.date <= period.valid_to) {
          members.push_back(member);
        }
        if (period.valid_from <= snapshot.previous &&
            snapshot.previous <= period.valid_to) {
          previous.push_back(member);
        }
      }));
  std::vector<std::string> sites;
  for (const OccupancyInventory::Site& site : context.inventory.sites()) {
    sites.push_back(site.code);
  }
  std::vector<std::string> organizations;
  for (const OccupancyInventory::Organization& org :
       context.inventory.organizations()) {
    organizations.push_back(org.code);
  }
  const uint64_t key = InputKey(snapshot, context.registry.disclosure,
                                organizations, sites, members, previous);
  if (cache != nullptr) {
    if (std::optional<RegistryFigures> cached = cache->Find(key)) {
      snapshot.figures = *std::move(cached);
      return snapshot;
    }
  }
  ASSIGN_OR_RETURN(
      snapshot.figures,
      PublishRegistryFigures(organizations, sites, members, previous,
                             context.registry.disclosure));
  if (cache != nullptr) cache->Put(key, snapshot.figures);
  return snapshot;
}

}  // namespace

std::optional<RegistryFigures> RegistryFigureCache::Find(uint64_t key) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [k, figures] : entries_) {
    if (k == key) return figures;
  }
  return std::nullopt;
}

void RegistryFigureCache::Put(uint64_t key, const RegistryFigures& figures) {
  absl::MutexLock lock(&mu_);
  for (const auto& entry : entries_) {
    if (entry.first == key) return;
  }
  entries_.emplace_back(key, figures);
  while (entries_.size() > capacity_) entries_.pop_front();
}

absl::StatusOr<RegistrySnapshot> LoadRegistryFigures(
    const ReportContext& context, absl::CivilDay requested) {
  absl::StatusOr<RegistrySnapshot> snapshot =
      Load(context, requested, context.registry_cache);
  if (!snapshot.ok()) {
    // The reports go on without FTE (fte_available false); say why here.
    Log(LogLevel::kError, "registry_figures_failed",
        {{"error", std::string(snapshot.status().message())}});
  }
  return snapshot;
}

v1::RegistryFigureWithheld WithheldToProto(RegistryWithheld withheld) {
  switch (withheld) {
    case RegistryWithheld::kShown:
      return v1::REGISTRY_FIGURE_SHOWN;
    case RegistryWithheld::kSmallGroup:
      return v1::REGISTRY_FIGURE_SMALL_GROUP;
    // One reason: which of these it is would say whether a few employees
    // changed FTE.
    case RegistryWithheld::kFewChanges:
    case RegistryWithheld::kRevealsWithheld:
      return v1::REGISTRY_FIGURE_PROTECTED;
  }
  return v1::REGISTRY_FIGURE_PROTECTED;
}

}  // namespace monipaikka
