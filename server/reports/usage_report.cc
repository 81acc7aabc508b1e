#include "server/reports/usage_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/reports/report_common.h"

namespace monipaikka {
namespace {

// A group defined by a set of members (floor, zone, kind …).
struct EntityGroup {
  std::string label;
  Selection selection;
};

// `selection` narrowed to inside `space`.
Selection WithSpace(const OccupancyInventory& inventory, Selection selection,
                    int32_t space) {
  if (selection.space < 0 || inventory.SpaceWithin(space, selection.space)) {
    selection.space = space;
  }
  selection.site = inventory.spaces()[space].site;
  return selection;
}

std::string SpaceLabel(const OccupancyInventory::Space& space) {
  return space.name.empty() ? space.code : space.name;
}

// The group key and selection of a member standing in `space_index`.
void AddSpaceGroup(const OccupancyInventory& inventory, const Selection& base,
                   v1::Grouping grouping, int32_t space_index,
                   std::map<std::string, EntityGroup>& groups) {
  const OccupancyInventory::Space& space = inventory.spaces()[space_index];
  int32_t group_space = -1;
  bool outside_zones = false;
  bool outside_rooms = false;
  switch (grouping) {
    case v1::GROUPING_FLOOR:
      group_space = space.floor;
      break;
    case v1::GROUPING_ZONE:
      if (space.zone >= 0) {
        group_space = space.zone;
      } else {
        group_space = space.floor;
        outside_zones = true;
      }
      break;
    case v1::GROUPING_ROOM:
      if (space.room >= 0) {
        group_space = space.room;
      } else if (space.zone >= 0) {
        group_space = space.zone;
        outside_rooms = true;
      } else {
        group_space = space.floor;
        outside_rooms = true;
        outside_zones = true;
      }
      break;
    default:
      return;
  }
  if (group_space < 0) return;
  const OccupancyInventory::Space& g = inventory.spaces()[group_space];
  const bool outside = outside_zones || outside_rooms;
  const std::string key = outside ? absl::StrCat(g.code, "/-") : g.code;
  if (groups.contains(key)) return;
  EntityGroup group;
  group.selection = WithSpace(inventory, base, group_space);
  group.selection.outside_zones = outside_zones;
  group.selection.outside_rooms = outside_rooms;
  group.label =
      outside
          ? absl::StrCat(SpaceLabel(g),
                         outside_rooms && !outside_zones ? " (outside rooms)"
                         : outside_rooms ? " (outside zones and rooms)"
                                         : " (outside zones)")
          : SpaceLabel(g);
  groups.emplace(key, std::move(group));
}

std::map<std::string, EntityGroup> EntityGroups(
    const OccupancyInventory& inventory, const Selection& base,
    const SelectionMembers& members, v1::Grouping grouping) {
  std::map<std::string, EntityGroup> groups;
  for (int32_t w : members.workstations) {
    const OccupancyInventory::Workstation& ws = inventory.workstations()[w];
    switch (grouping) {
      case v1::GROUPING_FLOOR:
      case v1::GROUPING_ZONE:
      case v1::GROUPING_ROOM:
        AddSpaceGroup(inventory, base, grouping, ws.space, groups);
        break;
      case v1::GROUPING_WORKSTATION_KIND:
        if (const std::string kind(Name(ws.kind)); !groups.contains(kind)) {
          EntityGroup group{kind, base};
          group.selection.kinds = {ws.kind};
          group.selection.rooms = false;
          groups.emplace(kind, std::move(group));
        }
        break;
      case v1::GROUPING_ORGANIZATION: {
        const std::string code = inventory.OrganizationCode(ws);
        if (!groups.contains(code)) {
          EntityGroup group{
              ws.organization < 0
                  ? std::string("Shared use")
                  : inventory.organizations()[ws.organization].name,
              base};
          group.selection.organizations = {ws.organization};
          group.selection.rooms = false;
          groups.emplace(code, std::move(group));
        }
        break;
      }
      case v1::GROUPING_WORKSTATION: {
        EntityGroup group{ws.code, base};
        group.selection.workstation = w;
        group.selection.rooms = false;
        groups.emplace(ws.code, std::move(group));
        break;
      }
      case v1::GROUPING_SITE: {
        const OccupancyInventory::Site& site = inventory.sites()[ws.site];
        if (!groups.contains(site.code)) {
          EntityGroup group{site.name, base};
          group.selection.site = ws.site;
          groups.emplace(site.code, std::move(group));
        }
        break;
      }
      default:
        break;
    }
  }
  for (int32_t r : members.rooms) {
    switch (grouping) {
      case v1::GROUPING_FLOOR:
      case v1::GROUPING_ZONE:
      case v1::GROUPING_ROOM:
        AddSpaceGroup(inventory, base, grouping, r, groups);
        break;
      case v1::GROUPING_SITE: {
        const int32_t site_index = inventory.spaces()[r].site;
        const OccupancyInventory::Site& site = inventory.sites()[site_index];
        if (!groups.contains(site.code)) {
          EntityGroup group{site.name, base};
          group.selection.site = site_index;
          groups.emplace(site.code, std::move(group));
        }
        break;
      }
      default:
        break;
    }
  }
  return groups;
}

// `members` split by site (the site of each member's space): for a scope
// and its members, what MembersOf gives for the scope narrowed to each
// site, in one pass instead of one over the inventory per site. Each list
// keeps its order (ascending index, as MembersOf gives it); sites without
// members have no entry.
absl::flat_hash_map<int32_t, SelectionMembers> MembersBySite(
    const OccupancyInventory& inventory, const SelectionMembers& members) {
  absl::flat_hash_map<int32_t, SelectionMembers> by_site;
  auto site_of_workstation = [&](int32_t w) {
    return inventory.spaces()[inventory.workstations()[w].space].site;
  };
  auto site_of_room = [&](int32_t r) { return inventory.spaces()[r].site; };
  for (int32_t w : members.workstations) {
    by_site[site_of_workstation(w)].workstations.push_back(w);
  }
  for (int32_t w : members.measured) {
    by_site[site_of_workstation(w)].measured.push_back(w);
  }
  for (int32_t w : members.unmeasured) {
    by_site[site_of_workstation(w)].unmeasured.push_back(w);
  }
  for (int32_t r : members.rooms) by_site[site_of_room(r)].rooms.push_back(r);
  for (int32_t r : members.rooms_measured) {
    by_site[site_of_room(r)].rooms_measured.push_back(r);
  }
  return by_site;
}

bool IsTimeGrouping(v1::Grouping grouping) {
  switch (grouping) {
    case v1::GROUPING_DAY:
    case v1::GROUPING_WEEK:
    case v1::GROUPING_MONTH:
    case v1::GROUPING_WEEKDAY:
    case v1::GROUPING_HOUR:
    case v1::GROUPING_WEEKDAY_HOUR:
      return true;
    default:
      return false;
  }
}

std::string IsoWeekKey(absl::CivilDay day) {
  const absl::CivilDay thursday = day + (4 - IsoWeekday(day));
  const int64_t year = thursday.year();
  const int64_t week = (thursday - absl::CivilDay(year, 1, 1)) / 7 + 1;
  return absl::StrFormat("%04d-W%02d", year, week);
}

std::string HourLabel(int hour) {
  return absl::StrFormat("%02d:00-%02d:00", hour, (hour + 1) % 24);
}

// The inputs a time group is computed from.
struct TimeGroupInputs {
  const OccupancyInventory& inventory;
  FrameCache& frames;
  const SelectionMembers& members;  // of the whole window
  const std::vector<std::optional<NodeDayFigures>>& figures;
  const DateWindow& window;
  HoursMode mode;
};

// Each group is the scope narrowed to its dates: W and R are the members
// with a sensor bound on one of the group's dates, so a desk whose sensor
// is installed (or removed) inside the window counts only on its dates, as
// in a report over those dates alone. Hour groups span every date.
void AddTimeGroups(const TimeGroupInputs& in, v1::Grouping grouping,
                   v1::UsageReport& report) {
  const int32_t ws_in_scope =
      static_cast<int32_t>(in.members.workstations.size());
  const int32_t rooms_in_scope = static_cast<int32_t>(in.members.rooms.size());
  // The scope narrowed to some dates: its days and |W|, |R|.
  struct Narrowed {
    std::vector<UsageDay> days;
    int32_t workstations = 0;
    int32_t rooms = 0;
  };
  auto narrow = [&](const std::vector<int32_t>& dates) {
    const SelectionMembers members =
        MembersOnDates(in.inventory, in.members, dates);
    return Narrowed{MakeUsageDays(in.inventory, in.frames, members, in.figures,
                                  in.window, dates, in.mode),
                    static_cast<int32_t>(members.measured.size()),
                    static_cast<int32_t>(members.rooms_measured.size())};
  };
  auto add = [&](const std::string& key, const std::string& label, int weekday,
                 int hour, const Narrowed& scope, bool only_measured) {
    UsageNumbers numbers =
        AggregateUsage(scope.days, scope.workstations, scope.rooms, hour);
    if (only_measured && !numbers.measured) return;
    v1::UsageGroup* group = report.add_groups();
    group->set_key(key);
    group->set_label(label);
    group->set_weekday(weekday);
    group->set_hour(hour);
    group->set_measured(numbers.measured);
    group->set_workstations_in_scope(ws_in_scope);
    group->set_rooms_in_scope(rooms_in_scope);
    ToProto(numbers, group->mutable_figures());
  };
  std::vector<int32_t> all_dates;
  for (int32_t date = in.window.first_date; date <= in.window.last_date;
       ++date) {
    all_dates.push_back(date);
  }
  switch (grouping) {
    case v1::GROUPING_DAY:
      for (int32_t date : all_dates) {
        const absl::CivilDay day = DateOf(date);
        add(FormatDate(day), WeekdayName(IsoWeekday(day)), 0, -1,
            narrow({date}), false);
      }
      return;
    case v1::GROUPING_WEEK:
    case v1::GROUPING_MONTH: {
      std::vector<std::pair<std::string, std::vector<int32_t>>> buckets;
      for (int32_t date : all_dates) {
        const absl::CivilDay day = DateOf(date);
        const std::string key =
            grouping == v1::GROUPING_WEEK
                ? IsoWeekKey(day)
                : absl::StrFormat("%04d-%02d", day.year(), day.month());
        if (buckets.empty() || buckets.back().first != key) {
          buckets.emplace_back(key, std::vector<int32_t>{});
        }
        buckets.back().second.push_back(date);
      }
      for (const auto& [key, dates] : buckets) {
        add(key,
            absl::StrCat(FormatDate(DateOf(dates.front())), " to ",
                         FormatDate(DateOf(dates.back()))),
            0, -1, narrow(dates), false);
      }
      return;
    }
    case v1::GROUPING_WEEKDAY:
    case v1::GROUPING_WEEKDAY_HOUR:
      for (int weekday = 1; weekday <= 7; ++weekday) {
        std::vector<int32_t> dates;
        for (int32_t date : all_dates) {
          if (IsoWeekday(DateOf(date)) == weekday) dates.push_back(date);
        }
        const Narrowed scope = narrow(dates);
        if (grouping == v1::GROUPING_WEEKDAY) {
          add(absl::StrCat(weekday), WeekdayName(weekday), weekday, -1, scope,
              true);
          continue;
        }
        for (int hour = 0; hour < 24; ++hour) {
          add(absl::StrFormat("%d-%02d", weekday, hour),
              absl::StrCat(WeekdayName(weekday), " ", HourLabel(hour)), weekday,
              hour, scope, true);
        }
      }
      return;
    case v1::GROUPING_HOUR: {
      const Narrowed scope = narrow(all_dates);
      for (int hour = 0; hour < 24; ++hour) {
        add(absl::StrFormat("%02d", hour), HourLabel(hour), 0, hour, scope,
            true);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace

absl::StatusOr<v1::UsageReport> BuildUsageReport(
    const ReportContext& context, const v1::UsageReportRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  ASSIGN_OR_RETURN(Selection base, ResolveScope(inventory, request.scope()));
  if (!v1::Grouping_IsValid(request.group_by())) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_by: ", request.group_by(), " is not a grouping"));
  }
  const HoursMode mode = request.all_hours() ? kAllHours : kCoreHours;
  const SelectionMembers members =
      MembersOf(inventory, base, window.first_date, window.last_date);

  v1::UsageReport report;
  *report.mutable_scope() = request.scope();
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_all_hours(request.all_hours());
  report.set_group_by(request.group_by());
  report.set_desk_stale_after_s(inventory.settings().desk_stale_after_ms /
                                1000);
  report.set_room_stale_after_s(inventory.settings().room_stale_after_ms /
                                1000);
  report.set_desk_day_min_occupied_s(
      inventory.settings().desk_day_min_occupied_ms / 1000);
  report.set_as_of(FormatInstantMs(context.now_ms));
  ASSIGN_OR_RETURN(int32_t pending, PendingHours(context, window));
  report.set_pending_reading_hours(pending);
  {
    std::set<int32_t> sites;
    for (int32_t w : members.workstations) {
      sites.insert(inventory.workstations()[w].site);
    }
    for (int32_t r : members.rooms) sites.insert(inventory.spaces()[r].site);
    std::set<std::string> zones;
    std::map<std::string, const OccupancyInventory::Site*> by_code;
    for (int32_t s : sites) {
      zones.insert(inventory.sites()[s].timezone);
      by_code[inventory.sites()[s].code] = &inventory.sites()[s];
    }
    for (const std::string& zone : zones) report.add_timezones(zone);
    for (const auto& [code, site] : by_code) {
      v1::SiteCalendar* calendar = report.add_calendars();
      calendar->set_site(code);
      calendar->set_timezone(site->timezone);
      *calendar->mutable_core_hours() = site->core_spec;
    }
  }

  std::vector<Selection> selections = {base};
  std::map<std::string, EntityGroup> entity_groups;
  if (!IsTimeGrouping(request.group_by()) &&
      request.group_by() != v1::GROUPING_NONE) {
    entity_groups = EntityGroups(inventory, base, members, request.group_by());
    for (const auto& [key, group] : entity_groups) {
      selections.push_back(group.selection);
    }
  }
  ASSIGN_OR_RETURN(auto figures,
                   LoadDayFigures(context, selections, window.first_date,
                                  window.last_date, /*minute_peaks=*/false));

  FrameCache frames(inventory);
  const std::vector<UsageDay> days =
      MakeUsageDays(inventory, frames, members, figures[0], window, mode);
  const int32_t workstations = static_cast<int32_t>(members.measured.size());
  const int32_t rooms = static_cast<int32_t>(members.rooms_measured.size());
  const UsageNumbers total = AggregateUsage(days, workstations, rooms);
  ToProto(total, report.mutable_total());

  v1::Coverage* coverage = report.mutable_coverage();
  coverage->set_workstations_in_scope(
      static_cast<int32_t>(members.workstations.size()));
  coverage->set_workstations_measured(workstations);
  for (int32_t w : members.unmeasured) {
    coverage->add_unmeasured_workstations(inventory.workstations()[w].code);
  }
  coverage->set_rooms_in_scope(static_cast<int32_t>(members.rooms.size()));
  coverage->set_rooms_measured(rooms);
  coverage->set_unknown_ms(total.unknown_ms);
  coverage->set_unknown_share(total.unknown_share);
  ASSIGN_OR_RETURN(std::vector<v1::SilentSensor> silent,
                   SilentSensors(context, members, window));
  for (v1::SilentSensor& sensor : silent) {
    *coverage->add_silent_sensors() = std::move(sensor);
  }

  if (IsTimeGrouping(request.group_by())) {
    AddTimeGroups({inventory, frames, members, figures[0], window, mode},
                  request.group_by(), report);
    return report;
  }
  // Sites: the scope's members split by site in one pass (a site group is
  // the scope narrowed to the site).
  absl::flat_hash_map<int32_t, SelectionMembers> by_site;
  if (request.group_by() == v1::GROUPING_SITE) {
    by_site = MembersBySite(inventory, members);
  }
  size_t s = 1;
  for (const auto& [key, group] : entity_groups) {
    const auto site_members = by_site.find(group.selection.site);
    const SelectionMembers group_members =
        site_members != by_site.end()
            ? std::move(site_members->second)
            : MembersOf(inventory, group.selection, window.first_date,
                        window.last_date);
    const std::vector<UsageDay> group_days = MakeUsageDays(
        inventory, frames, group_members, figures[s++], window, mode);
    const UsageNumbers numbers = AggregateUsage(
        group_days, static_cast<int32_t>(group_members.measured.size()),
        static_cast<int32_t>(group_members.rooms_measured.size()));
    v1::UsageGroup* out = report.add_groups();
    out->set_key(key);
    out->set_label(group.label);
    out->set_hour(-1);
    out->set_measured(numbers.measured);
    out->set_workstations_in_scope(
        static_cast<int32_t>(group_members.workstations.size()));
    out->set_rooms_in_scope(static_cast<int32_t>(group_members.rooms.size()));
    ToProto(numbers, out->mutable_figures());
  }
  return report;
}

}  // namespace monipaikka
