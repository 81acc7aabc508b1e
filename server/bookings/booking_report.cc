#include "server/bookings/booking_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/calendar.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/bookings/booking_figures.h"
#include "server/reports/report_common.h"
#include "server/summary/codec.h"
#include "server/summary/node_days.h"

namespace monipaikka {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kDayMs = 24 * 3600 * 1000;

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

struct GroupTally {
  std::string label;
  DeskBookingTally desks;
  RoomBookingTally rooms;
};

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

// One booking cut to one local day of its target.
struct DeskPart {
  int32_t desk;
  DayRange range;
};
struct RoomPart {
  int32_t room;
  RoomBooking booking;
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
  const HoursMode mode = request.all_hours() ? kAllHours : kCoreHours;
  const v1::BookingGrouping grouping = request.group_by();
  const SelectionMembers members =
      MembersOf(inventory, base, window.first_date, window.last_date);

  // Targets in scope, by inventory index, and by storage id.
  absl::flat_hash_map<int64_t, int32_t> desk_by_id;
  absl::flat_hash_map<int64_t, int32_t> room_by_id;
  for (int32_t w : members.workstations) {
    desk_by_id[inventory.workstations()[w].id] = w;
  }
  for (int32_t r : members.rooms) room_by_id[inventory.spaces()[r].id] = r;

  // Bookings cut into local days, by date.
  const size_t days = static_cast<size_t>(window.days());
  std::vector<std::vector<DeskPart>> desk_parts(days);
  std::vector<std::vector<RoomPart>> room_parts(days);
  FrameCache frames(inventory);
  const int64_t scan_from =
      absl::ToUnixMillis(absl::FromCivil(window.first, absl::UTCTimeZone())) -
      kDayMs;
  const int64_t scan_to = absl::ToUnixMillis(absl::FromCivil(
                              window.last + 1, absl::UTCTimeZone())) +
                          kDayMs;
  auto cut = [&](int32_t site, int64_t start_ms, int64_t end_ms, auto&& emit) {
    const absl::TimeZone& zone = inventory.sites()[site].zone;
    const int32_t first = std::max(window.first_date,
                                   DateIndex(absl::CivilDay(absl::ToCivilDay(
                                       absl::FromUnixMillis(start_ms), zone))));
    const int32_t last = std::min(
        window.last_date, DateIndex(absl::CivilDay(absl::ToCivilDay(
                              absl::FromUnixMillis(end_ms - 1), zone))));
    for (int32_t date = first; date <= last; ++date) {
      const DayFrame& frame = frames.Get(site, date);
      const int64_t day_start = frame.day_start_ms;
      const int64_t from = std::max<int64_t>(start_ms, day_start) - day_start;
      const int64_t to =
          std::min<int64_t>(end_ms, day_start + frame.length_ms) - day_start;
      if (to <= from) continue;
      emit(date, DayRange{static_cast<int32_t>(from), static_cast<int32_t>(to)},
           start_ms - day_start, end_ms - day_start);
    }
  };
  RETURN_IF_ERROR(context.session.Bookings().ScanBookings(
      scan_from, scan_to, [&](const BookingRow& b) {
        if (b.workstation_id != 0) {
          auto it = desk_by_id.find(b.workstation_id);
          if (it == desk_by_id.end()) return;
          const int32_t desk = it->second;
          cut(inventory.workstations()[desk].site, b.start_ms, b.end_ms,
              [&](int32_t date, DayRange range, int64_t, int64_t) {
                desk_parts[date - window.first_date].push_back({desk, range});
              });
        } else {
          auto it = room_by_id.find(b.space_id);
          if (it == room_by_id.end()) return;
          const int32_t room = it->second;
          cut(inventory.spaces()[room].site, b.start_ms, b.end_ms,
              [&](int32_t date, DayRange range, int64_t start, int64_t end) {
                room_parts[date - window.first_date].push_back(
                    {room, RoomBooking{range, start, end, b.attendees}});
              });
        }
      }));

  // Which sensors watch a target in scope.
  absl::flat_hash_map<int32_t, int32_t> desk_of_sensor;
  absl::flat_hash_map<int32_t, int32_t> room_of_sensor;
  int64_t min_sensor = INT64_MAX;
  int64_t max_sensor = INT64_MIN;
  for (int32_t w : members.workstations) {
    for (int32_t s : inventory.workstations()[w].desk_sensors) {
      desk_of_sensor[s] = w;
      min_sensor = std::min(min_sensor, inventory.sensors()[s].id);
      max_sensor = std::max(max_sensor, inventory.sensors()[s].id);
    }
  }
  std::set<int32_t> counting_rooms;
  for (int32_t r : members.rooms) {
    for (int32_t s : inventory.spaces()[r].room_sensors) {
      room_of_sensor[s] = r;
      min_sensor = std::min(min_sensor, inventory.sensors()[s].id);
      max_sensor = std::max(max_sensor, inventory.sensors()[s].id);
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
      if (sensor.meaning != ReadingMeaning::kPresence &&
          sensor.from_date <= window.last_date &&
          sensor.until_date > window.first_date) {
        counting_rooms.insert(r);
      }
    }
  }

  // The groups of each target that do not depend on time.
  absl::flat_hash_map<int32_t, GroupOf> desk_group;
  absl::flat_hash_map<int32_t, GroupOf> room_group;
  for (int32_t w : members.workstations) {
    const OccupancyInventory::Workstation& ws = inventory.workstations()[w];
    desk_group[w] = SpaceGroup(
        inventory, ws.space, grouping, inventory.OrganizationCode(ws),
        ws.organization < 0 ? std::string("Shared use")
                            : inventory.organizations()[ws.organization].name);
  }
  for (int32_t r : members.rooms) {
    room_group[r] = SpaceGroup(inventory, r, grouping, "-", "No organization");
  }

  DeskBookingTally desk_total;
  RoomBookingTally room_total;
  std::map<std::string, GroupTally> groups;
  std::vector<MeetingHeadcount> headcounts;
  int32_t days_counted = 0;
  auto group = [&](const std::string& key,
                   const std::string& label) -> GroupTally& {
    GroupTally& g = groups[key];
    if (g.label.empty()) g.label = label;
    return g;
  };

  // A date's sensor states, by target; filled from the sensor days.
  absl::flat_hash_map<int32_t, std::vector<std::vector<DaySpan>>> desk_states;
  absl::flat_hash_map<int32_t, std::vector<std::vector<DaySpan>>> room_states;
  absl::Status decode_error;
  auto flush = [&](int32_t date) {
    const size_t d = static_cast<size_t>(date - window.first_date);
    const absl::CivilDay day = DateOf(date);
    const int weekday = IsoWeekday(day);
    bool core_day = false;
    absl::flat_hash_map<int32_t, std::vector<DayRange>> booked_desks;
    for (const DeskPart& p : desk_parts[d]) {
      booked_desks[p.desk].push_back(p.range);
    }
    for (int32_t w : members.workstations) {
      const OccupancyInventory::Workstation& ws = inventory.workstations()[w];
      const DayFrame& frame = frames.Get(ws.site, date);
      const auto [start, end] = MeasuredWindow(frame, mode);
      if (end <= start) continue;
      core_day = true;
      bool bound = false;
      for (int32_t s : ws.desk_sensors)
        bound |= inventory.sensors()[s].BoundOn(date);
      // The one sensor's states as they are; several combined.
      std::span<const DaySpan> states;
      std::vector<DaySpan> combined;
      if (auto it = desk_states.find(w); it != desk_states.end()) {
        if (it->second.size() == 1) {
          states = it->second.front();
        } else {
          combined = CombineDaySpans(it->second);
          states = combined;
        }
      }
      auto booked = booked_desks.find(w);
      const DeskBookingDay input{
          bound, states,
          booked == booked_desks.end()
              ? std::span<const DayRange>()
              : std::span<const DayRange>(booked->second)};
      const DeskBookingTally t =
          TallyDeskDay(input, DayRange{start, end}, thresholds);
      desk_total += t;
      if (grouping == v1::BOOKING_GROUPING_WEEKDAY) {
        group(absl::StrCat(weekday), WeekdayName(weekday)).desks += t;
      } else if (grouping != v1::BOOKING_GROUPING_NONE &&
                 grouping != v1::BOOKING_GROUPING_HOUR) {
        const GroupOf& g = desk_group[w];
        group(g.key, g.label).desks += t;
      }
    }
    absl::flat_hash_map<int32_t, std::vector<RoomBooking>> booked_rooms;
    for (const RoomPart& p : room_parts[d]) {
      booked_rooms[p.room].push_back(p.booking);
    }
    for (int32_t r : members.rooms) {
      const OccupancyInventory::Space& space = inventory.spaces()[r];
      const DayFrame& frame = frames.Get(space.site, date);
      const auto [start, end] = MeasuredWindow(frame, mode);
      if (end <= start) continue;
      core_day = true;
      RoomBookingDay input;
      for (int32_t s : space.room_sensors) {
        const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
        if (!sensor.BoundOn(date)) continue;
        input.sensor_bound = true;
        if (sensor.meaning != ReadingMeaning::kPresence) input.counting = true;
      }
      input.capacity = space.capacity;
      input.length_ms = frame.length_ms;
      std::vector<DaySpan> combined;
      if (auto it = room_states.find(r); it != room_states.end()) {
        if (it->second.size() == 1) {
          input.states = it->second.front();
        } else {
          combined = CombineDaySpans(it->second);
          input.states = combined;
        }
      }
      std::vector<RoomBooking>* bookings = nullptr;
      if (auto it = booked_rooms.find(r); it != booked_rooms.end()) {
        bookings = &it->second;
        std::sort(bookings->begin(), bookings->end(),
                  [](const RoomBooking& a, const RoomBooking& b) {
                    return a.start_ms < b.start_ms;
                  });
        input.bookings = *bookings;
      }
      const RoomBookingTally t =
          TallyRoomDay(input, DayRange{start, end}, thresholds);
      room_total += t;
      if (grouping == v1::BOOKING_GROUPING_HOUR) {
        for (int h = 0; h < 24; ++h) {
          const DayRange hour{std::max(start, frame.hour_start_ms[h]),
                              std::min(end, frame.hour_start_ms[h + 1])};
          if (hour.end_ms <= hour.start_ms) continue;
          group(absl::StrFormat("%02d", h),
                absl::StrFormat("%02d:00-%02d:00", h, (h + 1) % 24))
              .rooms += TallyRoomDay(input, hour, thresholds);
        }
      } else if (grouping == v1::BOOKING_GROUPING_WEEKDAY) {
        group(absl::StrCat(weekday), WeekdayName(weekday)).rooms += t;
      } else if (grouping != v1::BOOKING_GROUPING_NONE) {
        const GroupOf& g = room_group[r];
        group(g.key, g.label).rooms += t;
      }
      if (bookings != nullptr && input.counting && counting_rooms.contains(r)) {
        for (const RoomBooking& b : *bookings) {
          if (b.start_ms < start || b.start_ms >= end) continue;
          const int32_t people = PeoplePresent(input, b);
          if (people < 0) continue;
          headcounts.push_back({date, b.part.start_ms, b.part.end_ms, people});
        }
      }
    }
    if (core_day) ++days_counted;
    desk_states.clear();
    room_states.clear();
  };

  int32_t current = window.first_date;
  if (min_sensor <= max_sensor) {
    RETURN_IF_ERROR(context.session.Analytics().ScanSensorDays(
        window.first_date, window.last_date, min_sensor, max_sensor,
        [&](int32_t date, int64_t sensor_id, absl::string_view encoded) {
          while (current < date) flush(current++);
          const int32_t s = inventory.SensorIndex(sensor_id);
          if (s < 0 || !inventory.sensors()[s].BoundOn(date)) return;
          auto desk = desk_of_sensor.find(s);
          auto room = room_of_sensor.find(s);
          if (desk == desk_of_sensor.end() && room == room_of_sensor.end()) {
            return;
          }
          absl::StatusOr<std::vector<DaySpan>> spans = DecodeDaySpans(encoded);
          if (!spans.ok()) {
            if (decode_error.ok()) decode_error = spans.status();
            return;
          }
          if (desk != desk_of_sensor.end()) {
            desk_states[desk->second].push_back(*std::move(spans));
          } else {
            room_states[room->second].push_back(*std::move(spans));
          }
        }));
  }
  while (current <= window.last_date) flush(current++);
  RETURN_IF_ERROR(decode_error);

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
  for (const auto& [key, g] : groups) {
    v1::BookingGroup* out = report.add_groups();
    out->set_key(key);
    out->set_label(g.label);
    ToProto(g.desks, out->mutable_desks());
    ToProto(g.rooms, out->mutable_rooms());
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

}  // namespace monipaikka
