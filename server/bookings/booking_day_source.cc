#include "server/bookings/booking_day_source.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "common/calendar.h"
#include "common/status_macros.h"
#include "server/analytics/day_states.h"
#include "server/summary/codec.h"

namespace monipaikka {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;

// Where a booking or a sensor of a site being computed belongs.
struct TargetAt {
  int32_t slot = -1;      // in `sites`
  int32_t position = -1;  // in SiteBookingTargets
  bool desk = false;
};

// One booking cut to one local day of its target.
struct DeskPart {
  int32_t slot;
  int32_t position;
  DayRange range;
};
struct RoomPart {
  int32_t slot;
  int32_t position;
  RoomBooking booking;
};

// The states of one target on one date: one sensor's as they are, several
// combined.
std::span<const DaySpan> StatesOf(const std::vector<std::vector<DaySpan>>& all,
                                  std::vector<DaySpan>& combined) {
  if (all.empty()) return {};
  if (all.size() == 1) return all.front();
  combined = CombineDaySpans(all);
  return combined;
}

}  // namespace

absl::Status ComputeSiteBookingDays(
    StorageSession& session, const OccupancyInventory& inventory,
    std::span<const SiteBookingTargets> targets, std::span<const int32_t> sites,
    int32_t first_date, int32_t last_date,
    absl::FunctionRef<bool(size_t, int32_t)> wanted, HoursMode mode,
    const BookingThresholds& thresholds, FrameCache& frames,
    absl::FunctionRef<void(size_t, int32_t, const SiteBookingDay&)> visit) {
  // Every target of the sites with missing days, by storage id.
  absl::flat_hash_map<int64_t, TargetAt> desk_by_id;
  absl::flat_hash_map<int64_t, TargetAt> room_by_id;
  absl::flat_hash_map<int32_t, TargetAt> target_of_sensor;
  int64_t min_sensor = INT64_MAX;
  int64_t max_sensor = INT64_MIN;
  auto watch = [&](int32_t s, TargetAt at) {
    target_of_sensor[s] = at;
    min_sensor = std::min(min_sensor, inventory.sensors()[s].id);
    max_sensor = std::max(max_sensor, inventory.sensors()[s].id);
  };
  std::vector<bool> computing(sites.size(), false);
  for (size_t slot = 0; slot < sites.size(); ++slot) {
    for (int32_t date = first_date; date <= last_date; ++date) {
      if (wanted(slot, date)) computing[slot] = true;
    }
    if (!computing[slot]) continue;
    const SiteBookingTargets& t = targets[sites[slot]];
    const int32_t sl = static_cast<int32_t>(slot);
    for (size_t p = 0; p < t.workstations.size(); ++p) {
      const TargetAt at{sl, static_cast<int32_t>(p), true};
      const OccupancyInventory::Workstation& ws =
          inventory.workstations()[t.workstations[p]];
      desk_by_id[ws.id] = at;
      for (int32_t s : ws.desk_sensors) watch(s, at);
    }
    for (size_t p = 0; p < t.rooms.size(); ++p) {
      const TargetAt at{sl, static_cast<int32_t>(p), false};
      const OccupancyInventory::Space& space = inventory.spaces()[t.rooms[p]];
      room_by_id[space.id] = at;
      for (int32_t s : space.room_sensors) watch(s, at);
    }
  }

  // Bookings cut into local days, by date.
  const size_t span_days = static_cast<size_t>(last_date - first_date + 1);
  std::vector<std::vector<DeskPart>> desk_parts(span_days);
  std::vector<std::vector<RoomPart>> room_parts(span_days);
  const int64_t scan_from = absl::ToUnixMillis(absl::FromCivil(
                                DateOf(first_date), absl::UTCTimeZone())) -
                            kDayMs;
  const int64_t scan_to = absl::ToUnixMillis(absl::FromCivil(
                              DateOf(last_date) + 1, absl::UTCTimeZone())) +
                          kDayMs;
  auto cut = [&](int32_t site, int64_t start_ms, int64_t end_ms, auto&& emit) {
    const absl::TimeZone& zone = inventory.sites()[site].zone;
    const int32_t first =
        std::max(first_date, DateIndex(absl::CivilDay(absl::ToCivilDay(
                                 absl::FromUnixMillis(start_ms), zone))));
    const int32_t last =
        std::min(last_date, DateIndex(absl::CivilDay(absl::ToCivilDay(
                                absl::FromUnixMillis(end_ms - 1), zone))));
    for (int32_t date = first; date <= last; ++date) {
      const DayFrame& frame = frames.Get(site, date);
      const int64_t day_start = frame.day_start_ms;
      const int64_t from = std::max<int64_t>(start_ms, day_start) - day_start;
      const int64_t to =
          std::min<int64_t>(end_ms, day_start + frame.length_ms) - day_start;
      if (to <= from) continue;
      emit(date - first_date,
           DayRange{static_cast<int32_t>(from), static_cast<int32_t>(to)},
           start_ms - day_start, end_ms - day_start);
    }
  };
  RETURN_IF_ERROR(session.Bookings().ScanBookings(
      scan_from, scan_to, [&](const BookingRow& b) {
        if (b.workstation_id != 0) {
          auto it = desk_by_id.find(b.workstation_id);
          if (it == desk_by_id.end()) return;
          const TargetAt at = it->second;
          cut(sites[at.slot], b.start_ms, b.end_ms,
              [&](int32_t d, DayRange range, int64_t, int64_t) {
                desk_parts[d].push_back({at.slot, at.position, range});
              });
        } else {
          auto it = room_by_id.find(b.space_id);
          if (it == room_by_id.end()) return;
          const TargetAt at = it->second;
          cut(sites[at.slot], b.start_ms, b.end_ms,
              [&](int32_t d, DayRange range, int64_t start, int64_t end) {
                room_parts[d].push_back(
                    {at.slot, at.position,
                     RoomBooking{range, start, end, b.attendees}});
              });
        }
      }));

  // A date's sensor states, by slot and position; filled from the sensor
  // days.
  std::vector<std::vector<std::vector<std::vector<DaySpan>>>> desk_states(
      sites.size());
  std::vector<std::vector<std::vector<std::vector<DaySpan>>>> room_states(
      sites.size());
  for (size_t slot = 0; slot < sites.size(); ++slot) {
    if (!computing[slot]) continue;
    const SiteBookingTargets& t = targets[sites[slot]];
    desk_states[slot].resize(t.workstations.size());
    room_states[slot].resize(t.rooms.size());
  }
  absl::Status decode_error;
  auto flush = [&](int32_t date) {
    const size_t d = static_cast<size_t>(date - first_date);
    absl::flat_hash_map<std::pair<int32_t, int32_t>, std::vector<DayRange>>
        booked_desks;
    for (const DeskPart& p : desk_parts[d]) {
      booked_desks[{p.slot, p.position}].push_back(p.range);
    }
    absl::flat_hash_map<std::pair<int32_t, int32_t>, std::vector<RoomBooking>>
        booked_rooms;
    for (const RoomPart& p : room_parts[d]) {
      booked_rooms[{p.slot, p.position}].push_back(p.booking);
    }
    for (size_t slot = 0; slot < sites.size(); ++slot) {
      if (!computing[slot] || !wanted(slot, date)) continue;
      const int32_t site = sites[slot];
      const SiteBookingTargets& t = targets[site];
      const DayFrame& frame = frames.Get(site, date);
      const auto [start, end] = MeasuredWindow(frame, mode);
      SiteBookingDay day;
      if (end > start) {
        const int32_t sl = static_cast<int32_t>(slot);
        day.desks.resize(t.workstations.size());
        for (size_t p = 0; p < t.workstations.size(); ++p) {
          const OccupancyInventory::Workstation& ws =
              inventory.workstations()[t.workstations[p]];
          bool bound = false;
          for (int32_t s : ws.desk_sensors) {
            bound |= inventory.sensors()[s].BoundOn(date);
          }
          std::vector<DaySpan> combined;
          auto booked = booked_desks.find({sl, static_cast<int32_t>(p)});
          const DeskBookingDay input{
              bound, StatesOf(desk_states[slot][p], combined),
              booked == booked_desks.end()
                  ? std::span<const DayRange>()
                  : std::span<const DayRange>(booked->second)};
          day.desks[p] = DeskDayFlags(
              TallyDeskDay(input, DayRange{start, end}, thresholds));
        }
        day.rooms.resize(t.rooms.size());
        for (size_t p = 0; p < t.rooms.size(); ++p) {
          const OccupancyInventory::Space& space =
              inventory.spaces()[t.rooms[p]];
          RoomBookingDay input;
          for (int32_t s : space.room_sensors) {
            const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
            if (!sensor.BoundOn(date)) continue;
            input.sensor_bound = true;
            if (sensor.meaning != ReadingMeaning::kPresence) {
              input.counting = true;
            }
          }
          input.capacity = space.capacity;
          input.length_ms = frame.length_ms;
          std::vector<DaySpan> combined;
          input.states = StatesOf(room_states[slot][p], combined);
          if (auto it = booked_rooms.find({sl, static_cast<int32_t>(p)});
              it != booked_rooms.end()) {
            std::sort(it->second.begin(), it->second.end(),
                      [](const RoomBooking& a, const RoomBooking& b) {
                        return a.start_ms < b.start_ms;
                      });
            input.bookings = it->second;
          }
          day.rooms[p] = ComputeRoomDay(input, frame, mode, thresholds);
        }
      }
      visit(slot, date, day);
    }
    for (size_t slot = 0; slot < sites.size(); ++slot) {
      for (auto& states : desk_states[slot]) states.clear();
      for (auto& states : room_states[slot]) states.clear();
    }
  };

  int32_t current = first_date;
  if (min_sensor <= max_sensor) {
    RETURN_IF_ERROR(session.Analytics().ScanSensorDays(
        first_date, last_date, min_sensor, max_sensor,
        [&](int32_t date, int64_t sensor_id, absl::string_view encoded) {
          while (current < date) flush(current++);
          const int32_t s = inventory.SensorIndex(sensor_id);
          if (s < 0 || !inventory.sensors()[s].BoundOn(date)) return;
          auto it = target_of_sensor.find(s);
          if (it == target_of_sensor.end()) return;
          absl::StatusOr<std::vector<DaySpan>> spans = DecodeDaySpans(encoded);
          if (!spans.ok()) {
            if (decode_error.ok()) decode_error = spans.status();
            return;
          }
          const TargetAt at = it->second;
          if (at.desk) {
            desk_states[at.slot][at.position].push_back(*std::move(spans));
          } else {
            room_states[at.slot][at.position].push_back(*std::move(spans));
          }
        }));
  }
  while (current <= last_date) flush(current++);
  return decode_error;
}

}  // namespace monipaikka
