#pragma once

// Targets in force (docs/design.md "Target: scope, metric, value, validity").

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/storage/analytics_storage.h"

namespace monipaikka {

// Metrics the server knows.
inline constexpr char kSpaceEfficiencyMetric[] = "m2_per_fte";
inline constexpr char kSpaceEfficiencyNewMetric[] = "m2_per_fte_new";
inline constexpr char kSharedPremisesMetric[] = "shared_premises_share_pct";

// The target of `metric` in force on `date` for a site and/or organization
// (either may be empty): the most specific scope wins (site, then
// organization, then portfolio); within a scope, the one valid on `date`
// that started last. nullopt when none is in force.
std::optional<TargetRow> TargetInForce(const std::vector<TargetRow>& targets,
                                       absl::string_view metric,
                                       absl::CivilDay date,
                                       absl::string_view site,
                                       absl::string_view organization);

}  // namespace monipaikka
