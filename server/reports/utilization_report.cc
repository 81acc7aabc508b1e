#include "server/reports/utilization_report.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/analytics/occupancy.h"
#include "server/analytics/utilization.h"

namespace monipaikka {
namespace {

absl::StatusOr<absl::CivilDay> RequestDate(absl::string_view field,
                                           absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", day.status().message()));
  }
  return day;
}

}  // namespace

absl::StatusOr<v1::UtilizationReport> BuildUtilizationReport(
    StorageSession& storage, const v1::UtilizationRequest& request,
    const UtilizationSettings& settings) {
  if (request.site().empty()) {
    return absl::InvalidArgumentError("site: is required");
  }
  ASSIGN_OR_RETURN(absl::CivilDay first,
                   RequestDate("from_date", request.from_date()));
  ASSIGN_OR_RETURN(absl::CivilDay last, RequestDate("to_date", request.to_date()));
  if (last < first) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_date: ", request.to_date(), " is before from_date ",
                     request.from_date()));
  }
  if (last - first + 1 > settings.max_window_days) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_date: the window spans ", last - first + 1,
                     " days; the limit is ", settings.max_window_days));
  }

  ASSIGN_OR_RETURN(WorkstationScope scope,
                   storage.LoadWorkstationScope(request.site(), request.space()));
  ASSIGN_OR_RETURN(absl::TimeZone zone, LoadZone(scope.site.timezone()));
  const v1::CoreHours& core_spec = scope.site.core_hours();
  ASSIGN_OR_RETURN(
      WeeklyCoreHours core,
      WeeklyCoreHours::FromSpec(
          std::vector<int>(core_spec.weekdays().begin(),
                           core_spec.weekdays().end()),
          core_spec.start(), core_spec.end()));
  std::vector<LocalDay> days =
      LocalDays(first, last, zone, core, request.all_hours());
  const int64_t window_start_ms = days.front().day_start_ms;
  const int64_t window_end_ms = days.back().day_end_ms;

  v1::UtilizationReport report;
  report.set_site(scope.site.code());
  report.set_space(scope.space);
  report.set_from_date(FormatDate(first));
  report.set_to_date(FormatDate(last));
  report.set_timezone(scope.site.timezone());
  report.set_all_hours(request.all_hours());
  *report.mutable_core_hours() = core_spec;
  report.set_stale_after_s(settings.desk_stale_after_ms / 1000);
  report.set_workstations_in_scope(
      static_cast<int32_t>(scope.workstations.size()));

  // W: workstations with a desk sensor bound at some time in the window.
  struct Member {
    std::vector<ScopedWorkstation::Binding> bindings;
    std::vector<PresenceReading> readings;
  };
  std::vector<Member> members;
  absl::flat_hash_map<int64_t, size_t> member_of_sensor;
  std::vector<int64_t> sensor_ids;
  for (const ScopedWorkstation& ws : scope.workstations) {
    Member member;
    for (const ScopedWorkstation::Binding& binding : ws.sensors) {
      if (binding.kind != "desk_presence") continue;
      if (binding.from_ms >= window_end_ms ||
          binding.until_ms <= window_start_ms) {
        continue;
      }
      member.bindings.push_back(binding);
    }
    if (member.bindings.empty()) {
      report.add_unmeasured_workstations(ws.code);
      continue;
    }
    for (const ScopedWorkstation::Binding& binding : member.bindings) {
      member_of_sensor[binding.sensor_id] = members.size();
      sensor_ids.push_back(binding.sensor_id);
    }
    members.push_back(std::move(member));
  }
  std::sort(sensor_ids.begin(), sensor_ids.end());
  sensor_ids.erase(std::unique(sensor_ids.begin(), sensor_ids.end()),
                   sensor_ids.end());

  // A reading up to stale_after before the window still decides the state
  // at its start.
  RETURN_IF_ERROR(storage.ScanReadings(
      window_start_ms - settings.desk_stale_after_ms, window_end_ms, sensor_ids,
      [&](const StoredReading& reading) {
        Member& member = members[member_of_sensor.at(reading.sensor_id)];
        for (const ScopedWorkstation::Binding& binding : member.bindings) {
          if (binding.sensor_id == reading.sensor_id &&
              reading.ts_ms >= binding.from_ms &&
              reading.ts_ms < binding.until_ms) {
            member.readings.push_back(
                PresenceReading{reading.ts_ms, reading.value != 0});
            return;
          }
        }
      }));

  std::vector<std::vector<StateInterval>> intervals;
  intervals.reserve(members.size());
  for (Member& member : members) {
    intervals.push_back(
        PresenceIntervals(member.readings, settings.desk_stale_after_ms));
    // A binding period also bounds what its sensor can say.
    if (member.bindings.size() == 1) {
      const ScopedWorkstation::Binding& binding = member.bindings.front();
      std::vector<StateInterval>& list = intervals.back();
      for (StateInterval& interval : list) {
        interval.end_ms = std::min(interval.end_ms, binding.until_ms);
      }
      std::erase_if(list, [](const StateInterval& i) {
        return i.end_ms <= i.start_ms;
      });
    }
  }

  UtilizationFigures figures = ComputeUtilization(intervals, days);
  report.set_workstations_measured(figures.workstations_measured);
  report.set_observed_ms(figures.observed_ms);
  report.set_occupied_ms(figures.occupied_ms);
  report.set_unknown_ms(figures.unknown_ms);
  report.set_time_utilization(figures.time_utilization);
  report.set_days_counted(figures.days_counted);
  report.set_peak_occupancy_mean(figures.peak_occupancy_mean);
  report.set_peak_occupancy_max(figures.peak_occupancy_max);
  report.set_peak_occupancy_p95(figures.peak_occupancy_p95);
  report.set_peak_utilization_mean(figures.peak_utilization_mean);
  report.set_peak_utilization_max(figures.peak_utilization_max);
  report.set_peak_utilization_p95(figures.peak_utilization_p95);
  for (const DailyUtilizationFigures& day : figures.days) {
    v1::DailyUtilization* out = report.add_days();
    out->set_date(FormatDate(day.date));
    out->set_core_day(day.measured);
    out->set_observed_ms(day.observed_ms);
    out->set_occupied_ms(day.occupied_ms);
    out->set_time_utilization(
        day.observed_ms > 0
            ? static_cast<double>(day.occupied_ms) / day.observed_ms
            : 0.0);
    out->set_peak_occupancy(day.peak_occupancy);
    out->set_peak_utilization(
        figures.workstations_measured > 0
            ? static_cast<double>(day.peak_occupancy) /
                  figures.workstations_measured
            : 0.0);
    out->set_observed_workstations(day.observed_workstations);
  }
  return report;
}

}  // namespace monipaikka
