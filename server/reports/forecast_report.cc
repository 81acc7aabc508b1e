#include "server/reports/forecast_report.h"

#include <algorithm>
#include <span>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/analytics/forecast.h"
#include "server/analytics/usage.h"
#include "server/reports/report_common.h"

namespace monipaikka {
namespace {

constexpr int kDefaultHistoryWeeks = 16;
constexpr int kDefaultWeeks = 4;

void ToProto(const ForecastDay& day, v1::ForecastValue* out) {
  out->set_has_value(day.has_value);
  out->set_value(day.value);
  out->set_has_interval(day.has_interval);
  out->set_low80(day.low80);
  out->set_high80(day.high80);
  out->set_low95(day.low95);
  out->set_high95(day.high95);
  out->set_residuals(day.residuals);
  out->set_residual_horizon_weeks(day.residual_horizon_weeks);
}

void ToProto(const BacktestFigures& figures, v1::ForecastAccuracy* out) {
  out->set_days(figures.days);
  out->set_mae(figures.mae);
  out->set_naive_mae(figures.naive_mae);
  out->set_mape_days(figures.mape_days);
  out->set_mape(figures.mape);
  out->set_naive_mape(figures.naive_mape);
  out->set_beats_naive(figures.days > 0 && figures.mae < figures.naive_mae);
}

}  // namespace

absl::StatusOr<v1::ForecastReport> BuildForecast(
    const ReportContext& context, const v1::ForecastRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  if (request.site().empty()) {
    return absl::InvalidArgumentError("site: is required");
  }
  const int32_t site = inventory.SiteIndex(request.site());
  if (site < 0) {
    return absl::NotFoundError(
        absl::StrCat("site: no site \"", request.site(), "\""));
  }
  const OccupancyInventory::Site& s = inventory.sites()[site];
  Selection selection;
  selection.site = site;
  selection.rooms = false;
  if (!request.floor().empty() && !request.organization().empty()) {
    return absl::InvalidArgumentError(
        "organization: give a floor or an organization, not both");
  }
  if (!request.floor().empty()) {
    const int32_t floor = inventory.SpaceIndex(request.floor());
    if (floor < 0) {
      return absl::NotFoundError(
          absl::StrCat("floor: no space \"", request.floor(), "\""));
    }
    if (std::find(s.floors.begin(), s.floors.end(), floor) == s.floors.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("floor: \"", request.floor(),
                       "\" is not a floor of site \"", request.site(), "\""));
    }
    selection.space = floor;
  }
  if (!request.organization().empty()) {
    int32_t org = -1;
    if (request.organization() != "-") {
      org = inventory.OrganizationIndex(request.organization());
      if (org < 0) {
        return absl::NotFoundError(absl::StrCat(
            "organization: no organization \"", request.organization(), "\""));
      }
    }
    selection.organizations = {org};
  }
  const int history_weeks = request.history_weeks() == 0
                                ? kDefaultHistoryWeeks
                                : request.history_weeks();
  if (history_weeks < 2 || history_weeks > 104) {
    return absl::InvalidArgumentError(absl::StrCat(
        "history_weeks: ", request.history_weeks(), " is outside 2 … 104"));
  }
  const int weeks = request.weeks() == 0 ? kDefaultWeeks : request.weeks();
  if (weeks < 1 || weeks > 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("weeks: ", request.weeks(), " is outside 1 … 8"));
  }
  absl::CivilDay last;
  if (request.last_date().empty()) {
    last =
        absl::CivilDay(absl::ToCivilSecond(FromMs(context.now_ms), s.zone)) - 1;
  } else {
    absl::StatusOr<absl::CivilDay> day = ParseDate(request.last_date());
    if (!day.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("last_date: ", day.status().message()));
    }
    last = *day;
  }
  const absl::CivilDay first = last - (7 * history_weeks - 1);
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("last_date", FormatDate(first), "last_date",
                               FormatDate(last), context.max_window_days));

  const Selection selections[] = {selection};
  ASSIGN_OR_RETURN(auto figures,
                   LoadDayFigures(context, selections, window.first_date,
                                  window.last_date, /*minute_peaks=*/false));
  const SelectionMembers members =
      MembersOf(inventory, selection, window.first_date, window.last_date);
  const int32_t measured = static_cast<int32_t>(members.measured.size());
  FrameCache frames(inventory);
  const std::vector<UsageDay> days =
      MakeUsageDays(inventory, frames, members, figures[0], window, kCoreHours);
  std::vector<SeriesValue> peaks;
  std::vector<SeriesValue> utilization;
  for (const UsageDay& day : days) {
    const UsageNumbers numbers =
        AggregateUsage(std::span<const UsageDay>(&day, 1), measured, 0);
    if (numbers.days_counted != 1) continue;
    peaks.push_back(
        {day.date, static_cast<double>(numbers.peak_occupancy_max)});
    utilization.push_back({day.date, numbers.time_utilization});
  }

  // The days ahead: core days, and the holidays of the core weekdays.
  std::vector<absl::CivilDay> targets;
  std::vector<absl::CivilDay> ahead;
  for (absl::CivilDay day = last + 1; day <= last + 7 * weeks; ++day) {
    const bool core_day = frames.Get(site, DateIndex(day)).core_day();
    const bool holiday = !core_day && s.core.weekdays[IsoWeekday(day) - 1] &&
                         IsFinnishPublicHoliday(day);
    if (core_day) targets.push_back(day);
    if (core_day || holiday) ahead.push_back(day);
  }
  ForecastOptions options;
  options.upper = measured;
  const SeriesForecast peak_forecast =
      ForecastSeries(peaks, last, targets, options);
  options.upper = 1.0;
  const SeriesForecast utilization_forecast =
      ForecastSeries(utilization, last, targets, options);

  v1::ForecastReport report;
  report.set_site(request.site());
  report.set_floor(request.floor());
  report.set_organization(request.organization());
  report.set_from_date(FormatDate(first));
  report.set_last_date(FormatDate(last));
  report.set_weeks(weeks);
  report.set_workstations_measured(measured);
  report.set_history_days(static_cast<int32_t>(peaks.size()));
  report.set_level_weeks(options.level_weeks);
  report.set_trend_weeks(options.trend_weeks);
  report.set_damping(options.damping);
  report.set_backtest_weeks(options.backtest_weeks);
  report.set_peak_trend_per_week(peak_forecast.trend_per_week);
  report.set_utilization_trend_per_week(utilization_forecast.trend_per_week);
  ToProto(peak_forecast.backtest, report.mutable_peak_accuracy());
  ToProto(utilization_forecast.backtest, report.mutable_utilization_accuracy());
  size_t t = 0;
  for (const absl::CivilDay day : ahead) {
    v1::ForecastDay* out = report.add_days();
    out->set_date(FormatDate(day));
    out->set_iso_weekday(IsoWeekday(day));
    out->set_weekday(WeekdayName(IsoWeekday(day)));
    out->set_horizon_weeks(static_cast<int32_t>((day - last + 6) / 7));
    if (t < targets.size() && targets[t] == day) {
      ToProto(peak_forecast.days[t], out->mutable_peak_occupancy());
      ToProto(utilization_forecast.days[t], out->mutable_time_utilization());
      ++t;
    } else {
      // A public holiday: no working day, no demand.
      out->set_holiday(true);
      out->mutable_peak_occupancy()->set_has_value(true);
      out->mutable_time_utilization()->set_has_value(true);
    }
  }
  report.set_as_of(FormatInstantMs(context.now_ms));
  ASSIGN_OR_RETURN(int32_t pending, PendingHours(context, window));
  report.set_pending_reading_hours(pending);
  return report;
}

}  // namespace monipaikka
