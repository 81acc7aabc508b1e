#pragma once

// Pieces every occupancy report shares: request checking, scope
// resolution, the per-day inputs of the usage aggregation, silent sensors,
// and the encoding of figures as API messages.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "monipaikka/v1/analytics.pb.h"
#include "server/analytics/usage.h"
#include "server/reports/occupancy_source.h"
#include "server/summary/node_days.h"

namespace monipaikka {

// A checked window of local dates.
struct DateWindow {
  absl::CivilDay first;
  absl::CivilDay last;
  int32_t first_date = 0;  // DateIndex(first)
  int32_t last_date = 0;
  int32_t days() const { return last_date - first_date + 1; }
};

// INVALID_ARGUMENT naming `from_field` / `to_field` for a missing or bad
// date, a reversed window or one longer than max_days.
absl::StatusOr<DateWindow> CheckWindow(absl::string_view from_field,
                                       absl::string_view from,
                                       absl::string_view to_field,
                                       absl::string_view to, int max_days);

// The selection of a report scope. NOT_FOUND names an unknown site, space
// or organization; INVALID_ARGUMENT an unknown workstation kind or a space
// of another site. Fields are named as "scope.site" etc.
absl::StatusOr<Selection> ResolveScope(const OccupancyInventory& inventory,
                                       const v1::ReportScope& scope);

// The per-date inputs of AggregateUsage for a selection with `members`,
// from its loaded figures (borrowed: they must outlive the result).
// `scope_sites` are the sites whose calendars say which dates are measured.
std::vector<UsageDay> MakeUsageDays(
    const OccupancyInventory& inventory, FrameCache& frames,
    const SelectionMembers& members,
    const std::vector<std::optional<NodeDayFigures>>& figures,
    const DateWindow& window, HoursMode mode);
// The same for only the local dates `dates` (inside the window), in order.
std::vector<UsageDay> MakeUsageDays(
    const OccupancyInventory& inventory, FrameCache& frames,
    const SelectionMembers& members,
    const std::vector<std::optional<NodeDayFigures>>& figures,
    const DateWindow& window, std::span<const int32_t> dates, HoursMode mode);

void ToProto(const UsageNumbers& numbers, v1::UsageFigures* out);

// The sensors bound to the members (workstations in scope and rooms in
// scope) that are silent at min(now, end of the window): no reading for
// their stale_after, or none ever. By external id.
absl::StatusOr<std::vector<v1::SilentSensor>> SilentSensors(
    const ReportContext& context, const SelectionMembers& members,
    const DateWindow& window);

// Summarized? The number of dirty hours that can touch the window.
absl::StatusOr<int32_t> PendingHours(const ReportContext& context,
                                     const DateWindow& window);

// "Monday" … "Sunday" for ISO weekday 1 … 7.
const char* WeekdayName(int iso_weekday);

}  // namespace monipaikka
