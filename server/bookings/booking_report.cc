#include "server/bookings/booking_report.h"

#include <algorithm>
#include <array>
#include <set>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/calendar.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/bookings/booking_day_source.h"
#include "server/bookings/booking_days.h"
#include "server/bookings/booking_figures.h"
#include "server/reports/report_common.h"
#include "server/summary/node_days.h"

namespace monipaikka {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}

void ToProto(const DeskBookingTally& t, v1::DeskBookingFigures* out) {
  out->set_booked_desk_days(t.booked);
  out->set_booked_observed(t.booked_observed);
  out->set_no_shows(t.no_shows);
  out->set_no_show_rate(Ratio(t.no_shows, t.booked_observed));
  out->set_booked_unmeasured(t.booked_unmeasured);
  out->set_observed_desk_days(t.observed);
  out->set_used_desk_days(t.used);
  out->set_unbooked_used(t.unbooked_used);
  out->set_unbooked_use_share(Ratio(t.unbooked_used, t.used));
}

void ToProto(const RoomBookingTally& t, v1::RoomBookingFigures* out) {
  out->set_meetings(t.meetings);
  out->set_booked_ms(t.booked_ms);
  out->set_booked_observed_ms(t.booked_observed_ms);
  out->set_booked_unknown_ms(t.booked_unknown_ms);
  out->set_booked_occupied_ms(t.booked_occupied_ms);
  out->set_booked_occupied_share(
      Ratio(t.booked_occupied_ms, t.booked_observed_ms));
  out->set_checked(t.checked);
  out->set_ghosts(t.ghosts);
  out->set_attended(t.attended);
  out->set_ghost_unknown(t.ghost_unknown);
  out->set_ghost_rate(Ratio(t.ghosts, t.ghosts + t.attended));
  out->set_ghost_booked_ms(t.ghost_booked_ms);
  out->set_early_releases(t.early_releases);
  out->set_released_ms(t.released_ms);
  out->set_release_unknown(t.release_unknown);
  out->set_walk_ins(t.walk_ins);
  out->set_walk_in_ms(t.walk_in_ms);
  out->set_observed_ms(t.observed_ms);
  out->set_occupied_ms(t.occupied_ms);
  out->set_has_seat_data(t.seat_capacity_ms > 0);
  out->set_seat_utilization(Ratio(static_cast<double>(t.seat_people_ms),
                                  static_cast<double>(t.seat_capacity_ms)));
  out->set_mean_people(Ratio(static_cast<double>(t.seat_people_ms),
                             static_cast<double>(t.seat_occupied_ms)));
  out->set_invited_meetings(t.invited_meetings);
  out->set_mean_invited(Ratio(t.invited, t.invited_meetings));
}

// A group's figures: desk-days counted by their DeskDayFlags.
struct GroupTally {
  std::string key;
  std::string label;
  std::array<int64_t, 8> desk_days{};
  RoomBookingTally rooms;
  bool seen = false;
};

DeskBookingTally DeskTallyOfCounts(const std::array<int64_t, 8>& counts) {
  DeskBookingTally total;
  for (uint8_t flags = 0; flags < counts.size(); ++flags) {
    const DeskBookingTally one = DeskTallyOfFlags(flags);
    total.booked += one.booked * counts[flags];
    total.booked_observed += one.booked_observed * counts[flags];
    total.no_shows += one.no_shows * counts[flags];
    total.booked_unmeasured += one.booked_unmeasured * counts[flags];
    total.observed += one.observed * counts[flags];
    total.used += one.used * counts[flags];
    total.unbooked_used += one.unbooked_used * counts[flags];
  }
  return total;
}

// The group of a target (site, floor, room, organization); empty key for
// the time groupings.
struct GroupOf {
  std::string key;
  std::string label;
};

std::string SpaceLabel(const OccupancyInventory::Space& space) {
  return space.name.empty() ? space.code : space.name;
}

GroupOf SpaceGroup(const OccupancyInventory& inventory, int32_t space,
                   v1::BookingGrouping grouping,
                   const std::string& organization_code,
                   const std::string& organization_name) {
  const OccupancyInventory::Space& s = inventory.spaces()[space];
  switch (grouping) {
    case v1::BOOKING_GROUPING_SITE: {
      const OccupancyInventory::Site& site = inventory.sites()[s.site];
      return {site.code, site.name};
    }
    case v1::BOOKING_GROUPING_FLOOR: {
      const auto& floor = inventory.spaces()[s.floor < 0 ? space : s.floor];
      return {floor.code, SpaceLabel(floor)};
    }
    case v1::BOOKING_GROUPING_ROOM:
      if (s.room < 0) return {"-", "(outside rooms)"};
      return {inventory.spaces()[s.room].code,
              SpaceLabel(inventory.spaces()[s.room])};
    case v1::BOOKING_GROUPING_ORGANIZATION:
      return {organization_code, organization_name};
    default:
      return {};
  }
}

// A site with targets in scope: its targets' positions in the site-day
// figures with their group (-1: none).
struct ScopeSite {
  int32_t site = -1;
  std::vector<std::pair<int32_t, int32_t>> desks;
  std::vector<std::pair<int32_t, int32_t>> rooms;
};

}  // namespace

absl::StatusOr<v1::BookingReport> BuildBookingReport(
    const ReportContext& context, const v1::BookingReportRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  ASSIGN_OR_RETURN(Selection base, ResolveScope(inventory, request.scope()));
  if (!v1::BookingGrouping_IsValid(request.group_by())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "group_by: ", request.group_by(), " is not a booking grouping"));
  }
  BookingThresholds thresholds;
  thresholds.desk_day_min_occupied_ms =
      inventory.settings().desk_day_min_occupied_ms;
  const BookingThresholds defaults = thresholds;
  struct {
    const char* field;
    int32_t value;
    int64_t* target;
  } const minutes[] = {
      {"ghost_min_booking_min", request.ghost_min_booking_min(),
       &thresholds.ghost_min_booking_ms},
      {"ghost_first_min", request.ghost_first_min(),
       &thresholds.ghost_first_ms},
      {"early_release_min", request.early_release_min(),
       &thresholds.early_release_min_ms},
  };
  for (const auto& m : minutes) {
    if (m.value < 0 || m.value > 24 * 60) {
      return absl::InvalidArgumentError(absl::StrCat(
          m.field, ": ", m.value, " is not a number of minutes in 0 … 1440"));
    }
    if (m.value > 0) *m.target = m.value * kMinuteMs;
  }
  // Stored site-day figures are those of the default thresholds.
  const bool stored_figures =
      thresholds.ghost_min_booking_ms == defaults.ghost_min_booking_ms &&
      thresholds.ghost_first_ms == defaults.ghost_first_ms &&
      thresholds.early_release_min_ms == defaults.early_release_min_ms;
  const HoursMode mode = request.all_hours() ? kAllHours : kCoreHours;
  const char* const hours_variant = mode == kAllHours ? "all" : "core";
  const v1::BookingGrouping grouping = request.group_by();
  const SelectionMembers members =
      MembersOf(inventory, base, window.first_date, window.last_date);
  const std::vector<SiteBookingTargets> targets =
      BookingTargetsBySite(inventory);

  // Groups by key; the groups of each target that do not depend on time.
  std::vector<GroupTally> groups;
  absl::flat_hash_map<std::string, int32_t> group_ids;
  auto group_id = [&](const std::string& key,
                      const std::string& label) -> int32_t {
    auto [it, added] =
        group_ids.emplace(key, static_cast<int32_t>(groups.size()));
    if (added) groups.push_back({key, label, {}, {}, false});
    return it->second;
  };
  const bool target_groups = grouping != v1::BOOKING_GROUPING_NONE &&
                             grouping != v1::BOOKING_GROUPING_WEEKDAY &&
                             grouping != v1::BOOKING_GROUPING_HOUR;
  std::array<int32_t, 8> weekday_group{};
  weekday_group.fill(-1);

  // The sites of the targets in scope, with their targets' positions.
  std::vector<ScopeSite> scope;
  std::vector<int32_t> slot_of_site(inventory.sites().size(), -1);
  auto slot_of = [&](int32_t site) -> ScopeSite& {
    if (slot_of_site[site] < 0) {
      slot_of_site[site] = static_cast<int32_t>(scope.size());
      scope.push_back({site, {}, {}});
    }
    return scope[slot_of_site[site]];
  };
  {
    std::vector<int32_t> position(inventory.workstations().size(), -1);
    for (const SiteBookingTargets& t : targets) {
      for (size_t p = 0; p < t.workstations.size(); ++p) {
        position[t.workstations[p]] = static_cast<int32_t>(p);
      }
    }
    for (int32_t w : members.workstations) {
      const OccupancyInventory::Workstation& ws = inventory.workstations()[w];
      if (ws.site < 0) continue;
      int32_t g = -1;
      if (target_groups) {
        const GroupOf of = SpaceGroup(
            inventory, ws.space, grouping, inventory.OrganizationCode(ws),
            ws.organization < 0
                ? std::string("Shared use")
                : inventory.organizations()[ws.organization].name);
        g = group_id(of.key, of.label);
      }
      slot_of(ws.site).desks.emplace_back(position[w], g);
    }
    std::vector<int32_t> room_position(inventory.spaces().size(), -1);
    for (const SiteBookingTargets& t : targets) {
      for (size_t p = 0; p < t.rooms.size(); ++p) {
        room_position[t.rooms[p]] = static_cast<int32_t>(p);
      }
    }
    for (int32_t r : members.rooms) {
      const int32_t site = inventory.spaces()[r].site;
      if (site < 0 || room_position[r] < 0) continue;
      int32_t g = -1;
      if (target_groups) {
        const GroupOf of =
            SpaceGroup(inventory, r, grouping, "-", "No organization");
        g = group_id(of.key, of.label);
      }
      slot_of(site).rooms.emplace_back(room_position[r], g);
    }
  }

  // Rooms whose sensors count people in the window.
  std::set<int32_t> counting_rooms;
  for (int32_t r : members.rooms) {
    for (int32_t s : inventory.spaces()[r].room_sensors) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
      if (sensor.meaning != ReadingMeaning::kPresence &&
          sensor.from_date <= window.last_date &&
          sensor.until_date > window.first_date) {
        counting_rooms.insert(r);
      }
    }
  }

  // Adding up: a site-day's figures into the totals and groups.
  const size_t days = static_cast<size_t>(window.days());
  FrameCache frames(inventory);
  std::array<int64_t, 8> desk_days{};
  RoomBookingTally room_total;
  std::vector<MeetingHeadcount> headcounts;
  std::vector<bool> counted(days, false);
  RoomHoursTally room_hours;  // by hour
  absl::Status add_error;
  auto add = [&](size_t slot, int32_t date, const SiteBookingDay& day) {
    const ScopeSite& site = scope[slot];
    const DayFrame& frame = frames.Get(site.site, date);
    const auto [start, end] = MeasuredWindow(frame, mode);
    if (end <= start) return;
    counted[static_cast<size_t>(date - window.first_date)] = true;
    int32_t weekday = -1;
    if (grouping == v1::BOOKING_GROUPING_WEEKDAY) {
      const int d = IsoWeekday(DateOf(date));
      if (weekday_group[d] < 0) {
        weekday_group[d] = group_id(absl::StrCat(d), WeekdayName(d));
      }
      weekday = weekday_group[d];
    }
    for (const auto& [position, g] : site.desks) {
      const uint8_t flags = day.desks[position];
      ++desk_days[flags];
      const int32_t to = weekday >= 0 ? weekday : g;
      if (to >= 0) {
        ++groups[to].desk_days[flags];
        groups[to].seen = true;
      }
    }
    for (const auto& [position, g] : site.rooms) {
      const RoomBookingFiguresOfDay& room = day.rooms[position];
      room_total += room.total;
      if (grouping == v1::BOOKING_GROUPING_HOUR) {
        if (absl::Status added = AddRoomHours(room, &room_hours);
            !added.ok() && add_error.ok()) {
          add_error = added;
        }
      } else {
        const int32_t to = weekday >= 0 ? weekday : g;
        if (to >= 0) {
          groups[to].rooms += room.total;
          groups[to].seen = true;
        }
      }
      for (const RoomDayHeadcount& h : room.headcounts) {
        headcounts.push_back({date, h.start_ms, h.end_ms, h.people});
      }
    }
  };
  // Whether a site-day's figures fit the site's targets on that date.
  auto fits = [&](size_t slot, int32_t date, const SiteBookingDay& day) {
    const ScopeSite& site = scope[slot];
    const auto [start, end] = MeasuredWindow(frames.Get(site.site, date), mode);
    const SiteBookingTargets& t = targets[site.site];
    return end <= start || (day.desks.size() == t.workstations.size() &&
                            day.rooms.size() == t.rooms.size());
  };

  // The stored site-days that are current.
  std::vector<std::vector<bool>> done(scope.size(),
                                      std::vector<bool>(days, false));
  if (stored_figures && !scope.empty()) {
    absl::flat_hash_map<int64_t, size_t> slot_of_id;
    for (size_t slot = 0; slot < scope.size(); ++slot) {
      slot_of_id[inventory.sites()[scope[slot].site].id] = slot;
    }
    SiteBookingDay day;
    RETURN_IF_ERROR(context.session.Bookings().ScanBookingDays(
        hours_variant, window.first_date, window.last_date,
        [&](int64_t site_id, int32_t date, absl::string_view fingerprint,
            absl::string_view figures) {
          auto it = slot_of_id.find(site_id);
          if (it == slot_of_id.end()) return;
          const size_t slot = it->second;
          const size_t d = static_cast<size_t>(date - window.first_date);
          if (fingerprint != targets[scope[slot].site].fingerprint ||
              done[slot][d]) {
            return;
          }
          // Bytes that do not decode are computed again, and replaced.
          if (!DecodeSiteBookingDay(figures, &day).ok() ||
              !fits(slot, date, day)) {
            return;
          }
          add(slot, date, day);
          done[slot][d] = true;
        }));
  }

  // The others are computed from the bookings and the sensor days.
  int32_t first_missing = INT32_MAX;
  int32_t last_missing = INT32_MIN;
  for (size_t slot = 0; slot < scope.size(); ++slot) {
    for (size_t d = 0; d < days; ++d) {
      if (done[slot][d]) continue;
      const int32_t date = window.first_date + static_cast<int32_t>(d);
      first_missing = std::min(first_missing, date);
      last_missing = std::max(last_missing, date);
    }
  }
  if (first_missing <= last_missing) {
    // The dates' generations before their inputs are read: a change while
    // they are computed makes what is stored out of date at once.
    std::vector<int64_t> generations;
    if (stored_figures) {
      ASSIGN_OR_RETURN(generations,
                       context.session.Bookings().BookingDayGenerations(
                           first_missing, last_missing));
    }
    std::vector<int32_t> sites;
    for (const ScopeSite& site : scope) sites.push_back(site.site);
    std::vector<StoredBookingDay> stored;
    RETURN_IF_ERROR(ComputeSiteBookingDays(
        context.session, inventory, targets, sites, first_missing, last_missing,
        [&](size_t slot, int32_t date) {
          return !done[slot][static_cast<size_t>(date - window.first_date)];
        },
        mode, thresholds, frames,
        [&](size_t slot, int32_t date, const SiteBookingDay& day) {
          add(slot, date, day);
          if (stored_figures) {
            const int32_t site = scope[slot].site;
            stored.push_back(
                {inventory.sites()[site].id, date, targets[site].fingerprint,
                 generations[static_cast<size_t>(date - first_missing)],
                 EncodeSiteBookingDay(day)});
          }
        }));
    // The report stands without them: the next one computes them again.
    if (!stored.empty()) {
      if (absl::Status written = context.session.Bookings().WriteBookingDays(
              hours_variant, stored);
          !written.ok()) {
        Log(LogLevel::kWarning, "booking_days_not_stored",
            {{"error", std::string(written.message())}});
      }
    }
  }
  RETURN_IF_ERROR(add_error);
  for (int h = 0; h < 24; ++h) {
    if (!room_hours.present[h]) continue;
    GroupTally& g =
        groups[group_id(absl::StrFormat("%02d", h),
                        absl::StrFormat("%02d:00-%02d:00", h, (h + 1) % 24))];
    g.rooms = room_hours.hours[h];
    g.seen = true;
  }
  int32_t days_counted = 0;
  for (bool c : counted) days_counted += c ? 1 : 0;
  const DeskBookingTally desk_total = DeskTallyOfCounts(desk_days);

  v1::BookingReport report;
  *report.mutable_scope() = request.scope();
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_all_hours(request.all_hours());
  report.set_group_by(grouping);
  report.set_desk_day_min_occupied_s(
      static_cast<int32_t>(thresholds.desk_day_min_occupied_ms / 1000));
  report.set_ghost_min_booking_min(
      static_cast<int32_t>(thresholds.ghost_min_booking_ms / kMinuteMs));
  report.set_ghost_first_min(
      static_cast<int32_t>(thresholds.ghost_first_ms / kMinuteMs));
  report.set_early_release_min(
      static_cast<int32_t>(thresholds.early_release_min_ms / kMinuteMs));
  report.set_as_of(FormatInstantMs(context.now_ms));
  report.set_workstations_in_scope(
      static_cast<int32_t>(members.workstations.size()));
  report.set_rooms_in_scope(static_cast<int32_t>(members.rooms.size()));
  report.set_rooms_measured(
      static_cast<int32_t>(members.rooms_measured.size()));
  report.set_rooms_counting(static_cast<int32_t>(counting_rooms.size()));
  report.set_days_counted(days_counted);
  ToProto(desk_total, report.mutable_desks());
  ToProto(room_total, report.mutable_rooms());
  std::vector<const GroupTally*> shown;
  for (const GroupTally& g : groups) {
    if (g.seen) shown.push_back(&g);
  }
  std::sort(
      shown.begin(), shown.end(),
      [](const GroupTally* a, const GroupTally* b) { return a->key < b->key; });
  for (const GroupTally* g : shown) {
    v1::BookingGroup* out = report.add_groups();
    out->set_key(g->key);
    out->set_label(g->label);
    ToProto(DeskTallyOfCounts(g->desk_days), out->mutable_desks());
    ToProto(g->rooms, out->mutable_rooms());
  }
  std::vector<int32_t> capacities;
  for (int32_t r : counting_rooms) {
    capacities.push_back(inventory.spaces()[r].capacity);
  }
  for (const RoomSizeNeed& need :
       RightSizeRooms(capacities, headcounts, days_counted)) {
    v1::RoomSizeNeed* out = report.add_room_sizes();
    out->set_capacity(need.capacity);
    out->set_rooms_now(need.rooms_now);
    out->set_meetings(need.meetings);
    out->set_needed_p95(need.needed_p95);
    out->set_surplus(need.surplus);
  }
  return report;
}

absl::StatusOr<int32_t> PrepareBookingDays(const ReportContext& context,
                                           const std::string& site_code,
                                           int64_t from_ms, int64_t to_ms) {
  const std::vector<OccupancyInventory::Site>& sites =
      context.inventory.sites();
  auto site = std::find_if(sites.begin(), sites.end(),
                           [&](const auto& s) { return s.code == site_code; });
  if (site == sites.end()) {
    return absl::NotFoundError(
        absl::StrCat("site: no site \"", site_code, "\""));
  }
  if (to_ms <= from_ms) return 0;
  const auto local_day = [&](int64_t ms) {
    return absl::ToCivilDay(absl::FromUnixMillis(ms), site->zone);
  };
  const absl::CivilDay last =
      std::min(local_day(to_ms - 1), local_day(context.now_ms));
  const absl::CivilDay first = std::max(
      local_day(from_ms), last - (std::max(context.max_window_days, 1) - 1));
  if (last < first) return 0;
  v1::BookingReportRequest request;
  request.mutable_scope()->set_site(site_code);
  request.set_from_date(FormatDate(first));
  request.set_to_date(FormatDate(last));
  RETURN_IF_ERROR(BuildBookingReport(context, request).status());
  return static_cast<int32_t>(last - first + 1);
}

}  // namespace monipaikka
