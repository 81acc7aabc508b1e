#include "server/analytics/day_summary.h"

#include <algorithm>

#include "common/time_format.h"

namespace monipaikka {
namespace {

constexpr int32_t kMinuteMs = 60 * 1000;

// Each member's measured known and occupied time per clock hour and mode.
struct MemberHours {
  std::array<std::array<int32_t, 24>, 2> observed{};
  std::array<std::array<int32_t, 24>, 2> occupied{};
};

// The first hour whose span reaches past `offset`.
int FirstHourEndingAfter(const DayFrame& frame, int32_t offset) {
  // hour_start_ms[h + 1] is the end of hour h.
  auto it = std::upper_bound(frame.hour_start_ms.begin() + 1,
                             frame.hour_start_ms.end(), offset);
  return static_cast<int>(it - (frame.hour_start_ms.begin() + 1));
}

// Adds the parts of [start, end) in each hour to `per_hour`.
void AddByHour(const DayFrame& frame, int32_t start, int32_t end,
               std::array<int32_t, 24>& per_hour) {
  if (end <= start) return;
  for (int h = FirstHourEndingAfter(frame, start);
       h < 24 && frame.hour_start_ms[h] < end; ++h) {
    const int32_t lo = std::max(start, frame.hour_start_ms[h]);
    const int32_t hi = std::min(end, frame.hour_start_ms[h + 1]);
    if (hi > lo) per_hour[h] += hi - lo;
  }
}

MemberHours HoursOf(const DeskDayMember& member) {
  MemberHours hours;
  const DayFrame& frame = *member.frame;
  for (int mode = kCoreHours; mode <= kAllHours; ++mode) {
    const auto [window_start, window_end] =
        MeasuredWindow(frame, static_cast<HoursMode>(mode));
    if (window_end <= window_start) continue;
    for (const DaySpan& span : member.spans) {
      const int32_t start = std::max(span.start_ms, window_start);
      const int32_t end = std::min(span.end_ms, window_end);
      if (end <= start) continue;
      AddByHour(frame, start, end, hours.observed[mode]);
      if (span.value > 0) AddByHour(frame, start, end, hours.occupied[mode]);
    }
  }
  return hours;
}

// Occupancy changes encoded so that integer order is (time, ends before
// starts): 2·t for an end, 2·t + 1 for a start. Offsets are below 2^27.
uint32_t EndEvent(int32_t t) { return static_cast<uint32_t>(t) << 1; }
uint32_t StartEvent(int32_t t) { return (static_cast<uint32_t>(t) << 1) | 1u; }

// Sweeps sorted events: the largest count overall, per hour of `frame` and,
// when `minutes` is given, per minute.
void Sweep(const std::vector<uint32_t>& events, const DayFrame& frame,
           DeskDayFigures& figures, std::vector<uint16_t>* minutes) {
  int32_t count = 0;
  int32_t previous = 0;
  int hour = 0;
  for (uint32_t event : events) {
    const int32_t t = static_cast<int32_t>(event >> 1);
    if (count > 0 && t > previous) {
      figures.peak = std::max(figures.peak, count);
      while (hour < 24 && frame.hour_start_ms[hour + 1] <= previous) ++hour;
      for (int h = hour; h < 24 && frame.hour_start_ms[h] < t; ++h) {
        if (std::min(t, frame.hour_start_ms[h + 1]) >
            std::max(previous, frame.hour_start_ms[h])) {
          figures.hours[h].peak = std::max(figures.hours[h].peak, count);
        }
      }
      if (minutes != nullptr) {
        const size_t last = std::min<size_t>(
            minutes->size() - 1, static_cast<size_t>((t - 1) / kMinuteMs));
        const uint16_t value =
            static_cast<uint16_t>(std::min<int32_t>(count, 65535));
        for (size_t m = static_cast<size_t>(previous / kMinuteMs); m <= last;
             ++m) {
          (*minutes)[m] = std::max((*minutes)[m], value);
        }
      }
    }
    count += (event & 1u) != 0 ? 1 : -1;
    previous = t;
  }
}

void AddRoom(const RoomDayMember& room, HoursMode mode,
             RoomDayFigures& figures) {
  const auto [window_start, window_end] = MeasuredWindow(*room.frame, mode);
  int64_t observed = 0;
  for (const DaySpan& span : room.spans) {
    const int32_t start = std::max(span.start_ms, window_start);
    const int32_t end = std::min(span.end_ms, window_end);
    if (end <= start) continue;
    const int64_t duration = end - start;
    observed += duration;
    if (span.value <= 0) continue;
    figures.occupied_ms += duration;
    if (room.counting && room.capacity > 0) {
      figures.seat_occupied_ms += duration;
      figures.seat_count_ms += duration * span.value;
      figures.seat_capacity_ms += duration * room.capacity;
    }
  }
  figures.observed_ms += observed;
  if (observed > 0) ++figures.observed_rooms;
}

}  // namespace

DayFrame MakeDayFrame(absl::CivilDay date, const absl::TimeZone& zone,
                      const WeeklyCoreHours& core) {
  DayFrame frame;
  frame.date = date;
  const absl::CivilSecond midnight(date);
  frame.day_start_ms = LocalToMs(midnight, zone);
  frame.length_ms = static_cast<int32_t>(
      LocalToMs(absl::CivilSecond(date + 1), zone) - frame.day_start_ms);
  for (int h = 0; h < 24; ++h) {
    frame.hour_start_ms[h] = static_cast<int32_t>(
        LocalToMs(midnight + h * 3600, zone) - frame.day_start_ms);
  }
  frame.hour_start_ms[24] = frame.length_ms;
  if (core.weekdays[IsoWeekday(date) - 1] && !IsFinnishPublicHoliday(date)) {
    frame.core_start_ms = static_cast<int32_t>(
        LocalToMs(midnight + core.start_minute * 60, zone) -
        frame.day_start_ms);
    frame.core_end_ms = static_cast<int32_t>(
        LocalToMs(midnight + core.end_minute * 60, zone) - frame.day_start_ms);
  }
  return frame;
}

int32_t MeasuredInHour(const DayFrame& frame, HoursMode mode, int hour) {
  const auto [window_start, window_end] = MeasuredWindow(frame, mode);
  const int32_t lo = std::max(window_start, frame.hour_start_ms[hour]);
  const int32_t hi = std::min(window_end, frame.hour_start_ms[hour + 1]);
  return hi > lo ? hi - lo : 0;
}

std::vector<NodeDayFigures> SummarizeDay(std::span<const DeskDayMember> desks,
                                         std::span<const RoomDayMember> rooms,
                                         std::span<const NodeMembers> nodes,
                                         int64_t min_used_ms) {
  const int64_t used_threshold = std::max<int64_t>(1, min_used_ms);
  std::vector<MemberHours> member_hours;
  member_hours.reserve(desks.size());
  for (const DeskDayMember& desk : desks) member_hours.push_back(HoursOf(desk));

  std::vector<NodeDayFigures> result(nodes.size());
  std::vector<uint32_t> events;
  for (size_t n = 0; n < nodes.size(); ++n) {
    const NodeMembers& node = nodes[n];
    NodeDayFigures& figures = result[n];
    for (int mode = kCoreHours; mode <= kAllHours; ++mode) {
      DeskDayFigures& out = figures.desks[mode];
      for (int32_t d : node.desks) {
        const MemberHours& hours = member_hours[d];
        int64_t observed = 0;
        int64_t occupied = 0;
        for (int h = 0; h < 24; ++h) {
          out.hours[h].observed_ms += hours.observed[mode][h];
          out.hours[h].occupied_ms += hours.occupied[mode][h];
          observed += hours.observed[mode][h];
          occupied += hours.occupied[mode][h];
        }
        out.observed_ms += observed;
        out.occupied_ms += occupied;
        if (observed > 0) ++out.observed_members;
        if (occupied >= used_threshold) ++out.used_members;
      }
      for (int32_t r : node.rooms) {
        AddRoom(rooms[r], static_cast<HoursMode>(mode), figures.rooms[mode]);
      }
    }
    if (node.desks.empty()) continue;
    const DayFrame& reference = *desks[node.desks.front()].frame;

    events.clear();
    for (int32_t d : node.desks) {
      for (const DaySpan& span : desks[d].spans) {
        if (span.value <= 0) continue;
        events.push_back(StartEvent(span.start_ms));
        events.push_back(EndEvent(span.end_ms));
      }
    }
    std::sort(events.begin(), events.end());
    if (node.minute_peaks) {
      figures.minute_peaks.assign(
          static_cast<size_t>((reference.length_ms + kMinuteMs - 1) /
                              kMinuteMs),
          0);
    }
    Sweep(events, reference, figures.desks[kAllHours],
          node.minute_peaks ? &figures.minute_peaks : nullptr);

    events.clear();
    for (int32_t d : node.desks) {
      const DayFrame& frame = *desks[d].frame;
      if (!frame.core_day()) continue;
      for (const DaySpan& span : desks[d].spans) {
        if (span.value <= 0) continue;
        const int32_t start = std::max(span.start_ms, frame.core_start_ms);
        const int32_t end = std::min(span.end_ms, frame.core_end_ms);
        if (end <= start) continue;
        events.push_back(StartEvent(start));
        events.push_back(EndEvent(end));
      }
    }
    std::sort(events.begin(), events.end());
    Sweep(events, reference, figures.desks[kCoreHours], nullptr);
  }
  return result;
}

}  // namespace monipaikka
