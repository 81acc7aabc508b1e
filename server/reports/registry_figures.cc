#include "server/reports/registry_figures.h"

#include <string>
#include <vector>

#include "common/log.h"
#include "common/status_macros.h"

namespace monipaikka {

namespace {

absl::StatusOr<RegistrySnapshot> Load(const ReportContext& context,
                                      absl::CivilDay requested) {
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
  ASSIGN_OR_RETURN(snapshot.figures,
                   PublishRegistryFigures(organizations, sites, members,
                                          previous,
                                          context.registry.disclosure));
  return snapshot;
}

}  // namespace

absl::StatusOr<RegistrySnapshot> LoadRegistryFigures(
    const ReportContext& context, absl::CivilDay requested) {
  absl::StatusOr<RegistrySnapshot> snapshot = Load(context, requested);
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
    case RegistryWithheld::kFewChanges:
      return v1::REGISTRY_FIGURE_FEW_CHANGES;
    case RegistryWithheld::kRevealsWithheld:
      return v1::REGISTRY_FIGURE_REVEALS_WITHHELD;
  }
  return v1::REGISTRY_FIGURE_REVEALS_WITHHELD;
}

}  // namespace monipaikka
