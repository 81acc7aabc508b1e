#include "server/reports/targets.h"

#include "common/time_format.h"

namespace monipaikka {

std::optional<TargetRow> TargetInForce(const std::vector<TargetRow>& targets,
                                       absl::string_view metric,
                                       absl::CivilDay date,
                                       absl::string_view site,
                                       absl::string_view organization) {
  const std::string day = FormatDate(date);
  auto best_of = [&](absl::string_view scope,
                     absl::string_view code) -> std::optional<TargetRow> {
    std::optional<TargetRow> best;
    for (const TargetRow& target : targets) {
      if (target.metric != metric || target.scope != scope ||
          target.scope_code != code) {
        continue;
      }
      // Dates are "YYYY-MM-DD": text order is date order.
      if (target.valid_from > day) continue;
      if (!target.valid_to.empty() && target.valid_to < day) continue;
      if (!best.has_value() || target.valid_from > best->valid_from) {
        best = target;
      }
    }
    return best;
  };
  if (!site.empty()) {
    if (auto t = best_of("site", site)) return t;
  }
  if (!organization.empty()) {
    if (auto t = best_of("organization", organization)) return t;
  }
  return best_of("portfolio", "");
}

}  // namespace monipaikka
