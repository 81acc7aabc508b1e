#include "server/reports/report_common.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"

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

const char* WeekdayName(int iso_weekday) {
  static constexpr const char* kNames[] = {"Monday",   "Tuesday", "Wednesday",
                                           "Thursday", "Friday",  "Saturday",
                                           "Sunday"};
  return iso_weekday >= 1 && iso_weekday <= 7 ? kNames[iso_weekday - 1] : "";
}

absl::StatusOr<DateWindow> CheckWindow(absl::string_view from_field,
                                       absl::string_view from,
                                       absl::string_view to_field,
                                       absl::string_view to, int max_days) {
  DateWindow window;
  ASSIGN_OR_RETURN(window.first, RequestDate(from_field, from));
  ASSIGN_OR_RETURN(window.last, RequestDate(to_field, to));
  if (window.last < window.first) {
    return absl::InvalidArgumentError(
        absl::StrCat(to_field, ": ", to, " is before ", from_field, " ", from));
  }
  if (window.last - window.first + 1 > max_days) {
    return absl::InvalidArgumentError(absl::StrCat(
        to_field, ": the window spans ", window.last - window.first + 1,
        " days; the limit is ", max_days));
  }
  window.first_date = DateIndex(window.first);
  window.last_date = DateIndex(window.last);
  return window;
}

absl::StatusOr<Selection> ResolveScope(const OccupancyInventory& inventory,
                                       const v1::ReportScope& scope) {
  Selection selection;
  if (!scope.site().empty()) {
    selection.site = inventory.SiteIndex(scope.site());
    if (selection.site < 0) {
      return absl::NotFoundError(
          absl::StrCat("scope.site: no site \"", scope.site(), "\""));
    }
  }
  if (!scope.space().empty()) {
    selection.space = inventory.SpaceIndex(scope.space());
    if (selection.space < 0) {
      return absl::NotFoundError(
          absl::StrCat("scope.space: no space \"", scope.space(), "\""));
    }
    const int32_t site = inventory.spaces()[selection.space].site;
    if (selection.site >= 0 && site != selection.site) {
      return absl::NotFoundError(absl::StrCat("scope.space: no space \"",
                                              scope.space(), "\" in site \"",
                                              scope.site(), "\""));
    }
    selection.site = site;
  }
  for (const std::string& code : scope.organizations()) {
    int32_t org = -1;
    if (code != "-") {
      org = inventory.OrganizationIndex(code);
      if (org < 0) {
        return absl::NotFoundError(absl::StrCat(
            "scope.organizations: no organization \"", code, "\""));
      }
    }
    if (std::find(selection.organizations.begin(),
                  selection.organizations.end(),
                  org) == selection.organizations.end()) {
      selection.organizations.push_back(org);
    }
  }
  for (const std::string& text : scope.workstation_kinds()) {
    const std::optional<WorkstationKind> kind = ParseWorkstationKind(text);
    if (!kind) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scope.workstation_kinds: \"", text, "\" is not a workstation kind (",
          JoinNames(kWorkstationKinds), ")"));
    }
    if (std::find(selection.kinds.begin(), selection.kinds.end(), *kind) ==
        selection.kinds.end()) {
      selection.kinds.push_back(*kind);
    }
  }
  selection.rooms = selection.organizations.empty() && selection.kinds.empty();
  return selection;
}

std::vector<UsageDay> MakeUsageDays(
    const OccupancyInventory& inventory, FrameCache& frames,
    const SelectionMembers& members,
    const std::vector<std::optional<NodeDayFigures>>& figures,
    const DateWindow& window, HoursMode mode) {
  std::vector<int32_t> dates;
  dates.reserve(static_cast<size_t>(window.days()));
  for (int32_t date = window.first_date; date <= window.last_date; ++date) {
    dates.push_back(date);
  }
  return MakeUsageDays(inventory, frames, members, figures, window, dates,
                       mode);
}

std::vector<UsageDay> MakeUsageDays(
    const OccupancyInventory& inventory, FrameCache& frames,
    const SelectionMembers& members,
    const std::vector<std::optional<NodeDayFigures>>& figures,
    const DateWindow& window, std::span<const int32_t> dates, HoursMode mode) {
  std::map<int32_t, int64_t> desks_by_site;
  std::map<int32_t, int64_t> rooms_by_site;
  std::map<int32_t, bool> scope_sites;
  for (int32_t w : members.measured) {
    ++desks_by_site[inventory.workstations()[w].site];
  }
  for (int32_t r : members.rooms_measured) {
    ++rooms_by_site[inventory.spaces()[r].site];
  }
  for (int32_t w : members.workstations) {
    scope_sites[inventory.workstations()[w].site] = true;
  }
  for (int32_t r : members.rooms)
    scope_sites[inventory.spaces()[r].site] = true;

  std::vector<UsageDay> days(dates.size());
  for (size_t i = 0; i < dates.size(); ++i) {
    const int32_t date = dates[i];
    UsageDay& day = days[i];
    day.date = DateOf(date);
    for (const auto& [site, unused] : scope_sites) {
      const DayFrame& frame = frames.Get(site, date);
      const auto [start, end] = MeasuredWindow(frame, mode);
      if (end > start) day.measured = true;
      for (int h = 0; h < 24; ++h) {
        if (MeasuredInHour(frame, mode, h) > 0) day.measured_hours[h] = true;
      }
    }
    for (const auto& [site, count] : desks_by_site) {
      const DayFrame& frame = frames.Get(site, date);
      const auto [start, end] = MeasuredWindow(frame, mode);
      day.desk_measured_ms += count * (end - start);
      for (int h = 0; h < 24; ++h) {
        day.desk_measured_by_hour[h] += count * MeasuredInHour(frame, mode, h);
      }
    }
    for (const auto& [site, count] : rooms_by_site) {
      const auto [start, end] = MeasuredWindow(frames.Get(site, date), mode);
      day.room_measured_ms += count * (end - start);
    }
    const std::optional<NodeDayFigures>& f = figures[date - window.first_date];
    if (f.has_value()) {
      day.desks = &f->desks[mode];
      if (!members.rooms.empty()) day.rooms = &f->rooms[mode];
    }
  }
  return days;
}

void ToProto(const UsageNumbers& n, v1::UsageFigures* out) {
  out->set_workstations_measured(n.workstations_measured);
  out->set_observed_ms(n.observed_ms);
  out->set_occupied_ms(n.occupied_ms);
  out->set_unknown_ms(n.unknown_ms);
  out->set_unknown_share(n.unknown_share);
  out->set_time_utilization(n.time_utilization);
  out->set_days_counted(n.days_counted);
  out->set_peak_occupancy_mean(n.peak_occupancy_mean);
  out->set_peak_occupancy_max(n.peak_occupancy_max);
  out->set_peak_occupancy_p95(n.peak_occupancy_p95);
  out->set_peak_utilization_mean(n.peak_utilization_mean);
  out->set_peak_utilization_max(n.peak_utilization_max);
  out->set_peak_utilization_p95(n.peak_utilization_p95);
  out->set_desk_days_observed(n.desk_days_observed);
  out->set_desk_days_used(n.desk_days_used);
  out->set_desk_day_usage(n.desk_day_usage);
  out->set_rooms_measured(n.rooms_measured);
  out->set_room_observed_ms(n.room_observed_ms);
  out->set_room_occupied_ms(n.room_occupied_ms);
  out->set_room_time_utilization(n.room_time_utilization);
  out->set_room_mean_count_while_occupied(n.room_mean_count_while_occupied);
  out->set_room_seat_utilization(n.room_seat_utilization);
  out->set_room_unknown_ms(n.room_unknown_ms);
}

absl::StatusOr<std::vector<v1::SilentSensor>> SilentSensors(
    const ReportContext& context, const SelectionMembers& members,
    const DateWindow& window) {
  const OccupancyInventory& inventory = context.inventory;
  absl::flat_hash_map<int64_t, int64_t> last_ms;
  RETURN_IF_ERROR(context.session.Analytics().ScanLastReadings(
      [&](const LastReading& r) { last_ms[r.sensor_id] = r.ts_ms; }));
  std::vector<v1::SilentSensor> silent;
  auto check = [&](int32_t s, const std::string& target) {
    const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
    const absl::TimeZone& zone = inventory.sites()[sensor.site].zone;
    const int64_t window_end =
        LocalToMs(absl::CivilSecond(window.last + 1), zone);
    const int64_t reference = std::min(context.now_ms, window_end);
    const int32_t date = DateIndex(
        absl::CivilDay(absl::ToCivilSecond(FromMs(reference - 1), zone)));
    if (!sensor.BoundOn(date)) return;
    auto last = last_ms.find(sensor.id);
    v1::SilentSensor out;
    if (last == last_ms.end()) {
      out.set_status("never");
    } else if (last->second + sensor.stale_after_ms <= reference) {
      out.set_status("stale");
      out.set_last_seen(FormatInstantMs(last->second));
    } else {
      return;
    }
    out.set_sensor(sensor.external_id);
    out.set_kind(Name(sensor.kind));
    out.set_target(target);
    silent.push_back(std::move(out));
  };
  for (int32_t w : members.workstations) {
    for (int32_t s : inventory.workstations()[w].desk_sensors) {
      check(s, inventory.workstations()[w].code);
    }
  }
  for (int32_t r : members.rooms) {
    for (int32_t s : inventory.spaces()[r].room_sensors) {
      check(s, inventory.spaces()[r].code);
    }
  }
  std::sort(silent.begin(), silent.end(),
            [](const v1::SilentSensor& a, const v1::SilentSensor& b) {
              return a.sensor() < b.sensor();
            });
  return silent;
}

absl::StatusOr<int32_t> PendingHours(const ReportContext& context,
                                     const DateWindow& window) {
  // Generous bounds: a day before and after in UTC covers every zone and
  // every stale_after under a day.
  const absl::TimeZone utc = absl::UTCTimeZone();
  const int64_t from = LocalToMs(absl::CivilSecond(window.first - 1), utc);
  const int64_t to = LocalToMs(absl::CivilSecond(window.last + 2), utc);
  return context.session.Analytics().CountDirtyHours(from, to);
}

}  // namespace monipaikka
