#pragma once

// The figures of one local day for sets of workstations and rooms ("nodes"):
// observed and occupied time, the day's peak occupancy, desk-day usage and
// room seat figures, each for core hours and for all hours, per local clock
// hour, and optionally the minute-by-minute peak series. Every report is an
// aggregation over such days (server/analytics/usage.h). Pure functions.
//
// Offsets are milliseconds from the day's local midnight.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar.h"
#include "server/analytics/day_states.h"

namespace monipaikka {

// One site's local day.
struct DayFrame {
  absl::CivilDay date;
  int64_t day_start_ms = 0;  // local midnight, UTC ms
  int32_t length_ms = 0;     // 23, 24 or 25 hours
  // The core hours of the day, [core_start_ms, core_end_ms); empty (equal)
  // when the day is not a core day (weekend, public holiday).
  int32_t core_start_ms = 0;
  int32_t core_end_ms = 0;
  // hour_start_ms[h] is where local clock hour h starts (h = 0 … 23) and
  // hour_start_ms[24] == length_ms. An hour skipped by a DST change has no
  // length; the repeated hour of an autumn change lasts two.
  std::array<int32_t, 25> hour_start_ms{};

  bool core_day() const { return core_end_ms > core_start_ms; }
};

DayFrame MakeDayFrame(absl::CivilDay date, const absl::TimeZone& zone,
                      const WeeklyCoreHours& core);

// Which hours a figure measures.
enum HoursMode : int { kCoreHours = 0, kAllHours = 1 };

// [start, end) of the measured hours of `frame` in `mode`.
inline std::pair<int32_t, int32_t> MeasuredWindow(const DayFrame& frame,
                                                  HoursMode mode) {
  if (mode == kAllHours) return {0, frame.length_ms};
  return {frame.core_start_ms, frame.core_end_ms};
}

// Measured time of the hour `hour` (0-23) of `frame` in `mode`.
int32_t MeasuredInHour(const DayFrame& frame, HoursMode mode, int hour);

struct HourFigures {
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  // Largest number of members occupied at one instant of the hour's
  // measured part.
  int32_t peak = 0;
  friend bool operator==(const HourFigures&, const HourFigures&) = default;
};

struct DeskDayFigures {
  // Σ over the members of measured time known / occupied.
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  // Largest number of members occupied at one instant of measured time.
  int32_t peak = 0;
  // Members known at some measured time; members occupied for at least the
  // desk-day threshold of measured time.
  int32_t observed_members = 0;
  int32_t used_members = 0;
  // Per local clock hour (each member's own clock).
  std::array<HourFigures, 24> hours{};
  friend bool operator==(const DeskDayFigures&,
                         const DeskDayFigures&) = default;
};

struct RoomDayFigures {
  // Rooms known at some measured time.
  int32_t observed_rooms = 0;
  int64_t observed_ms = 0;
  // Known with a count (or presence) above 0.
  int64_t occupied_ms = 0;
  // Over rooms with a counting sensor and a capacity: occupied time,
  // Σ count · time and Σ capacity · time while occupied (ms · people).
  int64_t seat_occupied_ms = 0;
  int64_t seat_count_ms = 0;
  int64_t seat_capacity_ms = 0;
  friend bool operator==(const RoomDayFigures&,
                         const RoomDayFigures&) = default;
};

struct NodeDayFigures {
  std::array<DeskDayFigures, 2> desks;  // by HoursMode
  std::array<RoomDayFigures, 2> rooms;  // by HoursMode
  // When asked for: the largest number of members occupied at one instant
  // of each minute of the day (all hours), by minutes since local midnight
  // (elapsed time, so 1380, 1440 or 1500 entries).
  std::vector<uint16_t> minute_peaks;
  friend bool operator==(const NodeDayFigures&,
                         const NodeDayFigures&) = default;
};

// A workstation on the day: its frame (its site's day) and its known states
// (several sensors already combined, CombineDaySpans). Both are borrowed.
struct DeskDayMember {
  const DayFrame* frame = nullptr;
  std::span<const DaySpan> spans;
};

// A room (or other space) with a room sensor.
struct RoomDayMember {
  const DayFrame* frame = nullptr;
  std::span<const DaySpan> spans;
  int32_t capacity = 0;
  // Whether its values are counts of people (area_count, people_counter)
  // rather than presence.
  bool counting = false;
};

// The members of one node, as indexes into the day's desks and rooms.
struct NodeMembers {
  std::vector<int32_t> desks;
  std::vector<int32_t> rooms;
  bool minute_peaks = false;
};

// The figures of every node on one day. `min_used_ms` is the desk-day
// threshold (a desk-day is used when occupied at least that long, and at
// least 1 ms). Peaks and minute series of a node whose members are in
// several time zones run on elapsed time since local midnight and use the
// clock hours of its first member's day.
std::vector<NodeDayFigures> SummarizeDay(std::span<const DeskDayMember> desks,
                                         std::span<const RoomDayMember> rooms,
                                         std::span<const NodeMembers> nodes,
                                         int64_t min_used_ms);

}  // namespace monipaikka
