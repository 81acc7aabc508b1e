#include "server/reports/utilization_report.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/reports/report_common.h"

namespace monipaikka {

absl::StatusOr<v1::UtilizationReport> BuildUtilizationReport(
    const ReportContext& context, const v1::UtilizationRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  if (request.site().empty()) {
    return absl::InvalidArgumentError("site: is required");
  }
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  Selection selection;
  selection.site = inventory.SiteIndex(request.site());
  if (selection.site < 0) {
    return absl::NotFoundError(
        absl::StrCat("no site \"", request.site(), "\""));
  }
  if (!request.space().empty()) {
    selection.space = inventory.SpaceIndex(request.space());
    if (selection.space < 0 ||
        inventory.spaces()[selection.space].site != selection.site) {
      return absl::NotFoundError(absl::StrCat("no space \"", request.space(),
                                              "\" in site \"", request.site(),
                                              "\""));
    }
  }
  const OccupancyInventory::Site& site = inventory.sites()[selection.site];
  const HoursMode mode = request.all_hours() ? kAllHours : kCoreHours;
  // Desks only: this report predates rooms.
  selection.rooms = false;
  const SelectionMembers members =
      MembersOf(inventory, selection, window.first_date, window.last_date);
  ASSIGN_OR_RETURN(auto figures,
                   LoadDayFigures(context, {&selection, 1}, window.first_date,
                                  window.last_date, /*minute_peaks=*/false));
  FrameCache frames(inventory);
  const std::vector<UsageDay> days =
      MakeUsageDays(inventory, frames, members, figures[0], window, mode);
  const int32_t measured = static_cast<int32_t>(members.measured.size());
  const UsageNumbers total = AggregateUsage(days, measured, 0);

  v1::UtilizationReport report;
  report.set_site(site.code);
  report.set_space(request.space());
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_timezone(site.timezone);
  report.set_all_hours(request.all_hours());
  *report.mutable_core_hours() = site.core_spec;
  report.set_stale_after_s(inventory.settings().desk_stale_after_ms / 1000);
  report.set_workstations_in_scope(
      static_cast<int32_t>(members.workstations.size()));
  report.set_workstations_measured(measured);
  for (int32_t w : members.unmeasured) {
    report.add_unmeasured_workstations(inventory.workstations()[w].code);
  }
  report.set_observed_ms(total.observed_ms);
  report.set_occupied_ms(total.occupied_ms);
  report.set_unknown_ms(total.unknown_ms);
  report.set_time_utilization(total.time_utilization);
  report.set_days_counted(total.days_counted);
  report.set_peak_occupancy_mean(total.peak_occupancy_mean);
  report.set_peak_occupancy_max(total.peak_occupancy_max);
  report.set_peak_occupancy_p95(total.peak_occupancy_p95);
  report.set_peak_utilization_mean(total.peak_utilization_mean);
  report.set_peak_utilization_max(total.peak_utilization_max);
  report.set_peak_utilization_p95(total.peak_utilization_p95);
  for (int32_t date = window.first_date; date <= window.last_date; ++date) {
    const UsageDay& day = days[date - window.first_date];
    v1::DailyUtilization* out = report.add_days();
    out->set_date(FormatDate(day.date));
    const auto [start, end] =
        MeasuredWindow(frames.Get(selection.site, date), mode);
    out->set_core_day(end > start);
    if (day.desks == nullptr) continue;
    out->set_observed_ms(day.desks->observed_ms);
    out->set_occupied_ms(day.desks->occupied_ms);
    out->set_time_utilization(
        day.desks->observed_ms > 0
            ? static_cast<double>(day.desks->occupied_ms) /
                  day.desks->observed_ms
            : 0.0);
    out->set_peak_occupancy(day.desks->peak);
    // The day's own W: a desk whose sensor is bound on other dates of the
    // window only does not dilute this day.
    const int32_t day_date[] = {date};
    const auto day_measured = static_cast<int32_t>(
        MembersOnDates(inventory, members, day_date).measured.size());
    out->set_peak_utilization(
        day_measured > 0 ? static_cast<double>(day.desks->peak) / day_measured
                         : 0.0);
    out->set_observed_workstations(day.desks->observed_members);
  }
  return report;
}

}  // namespace monipaikka
