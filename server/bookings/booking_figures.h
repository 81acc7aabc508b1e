#pragma once

// Bookings against reality: the figures that compare desk and meeting-room
// bookings with the sensors' known states, exactly as docs/bookings.md
// defines them. Pure functions over plain structs: no I/O.
//
// Everything happens inside one target's local day. Times are offsets in
// milliseconds from the day's local midnight (day_states.h); a booking that
// spans midnight is cut at it and each part belongs to its own day. The
// measured window (core hours by default) is given by the caller.

#include <cstdint>
#include <span>
#include <vector>

#include "server/analytics/day_states.h"

namespace monipaikka {

// The thresholds of the figures; each is a flag of the report.
struct BookingThresholds {
  // A desk-day is used when its desk is occupied at least this long in the
  // measured window (the desk-day rule of the usage figures).
  int64_t desk_day_min_occupied_ms = 15 * 60 * 1000;
  // Meetings at least this long are checked for ghosts and early releases.
  int64_t ghost_min_booking_ms = 30 * 60 * 1000;
  // A ghost meeting shows no presence in this first part of its booking.
  int64_t ghost_first_ms = 15 * 60 * 1000;
  // An early release leaves the room free (and known) for at least this
  // long before the booking ends.
  int64_t early_release_min_ms = 15 * 60 * 1000;
};

// [start_ms, end_ms) within a local day.
struct DayRange {
  int32_t start_ms = 0;
  int32_t end_ms = 0;
};

// ---- Desks ----

// A workstation on one core day: whether it is in W that day (a desk
// sensor bound), its known states, and its bookings' parts on that day.
struct DeskBookingDay {
  bool sensor_bound = false;
  std::span<const DaySpan> states;
  std::span<const DayRange> bookings;
};

// Additive counts of desk-days (workstation, date).
struct DeskBookingTally {
  // Desk-days with a booking that overlaps the measured window.
  int64_t booked = 0;
  // … of which the desk was observed (known at some measured time) …
  int64_t booked_observed = 0;
  // … and not used (occupied less than the desk-day threshold): no-shows.
  int64_t no_shows = 0;
  // Booked, but not observed at all (no sensor bound, or no known state in
  // the measured window): counted neither as shows nor as no-shows.
  int64_t booked_unmeasured = 0;
  // Observed desk-days, used ones, and the used ones without a booking.
  int64_t observed = 0;
  int64_t used = 0;
  int64_t unbooked_used = 0;

  DeskBookingTally& operator+=(const DeskBookingTally& other);
  friend bool operator==(const DeskBookingTally&,
                         const DeskBookingTally&) = default;
};

// The desk-day's counts over the measured window [window.start_ms,
// window.end_ms). An empty window (not a core day) counts nothing.
DeskBookingTally TallyDeskDay(const DeskBookingDay& day, DayRange window,
                              const BookingThresholds& thresholds);

// ---- Meeting rooms ----

// One booking of a room, as seen from one local day of the room.
struct RoomBooking {
  // The part of the booking on this day.
  DayRange part;
  // Where the whole booking starts and ends, as offsets from this day's
  // midnight (they may lie outside the day).
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int32_t attendees = -1;  // invited, -1 unknown
};

// A room on one local day.
struct RoomBookingDay {
  bool sensor_bound = false;
  // Whether the states are counts of people (area_count, people_counter).
  bool counting = false;
  int32_t capacity = 0;
  // Known states: 0/1 presence, or counts.
  std::span<const DaySpan> states;
  // The day's bookings (parts), in start order; they may overlap.
  std::span<const RoomBooking> bookings;
  // The length of the day (23, 24 or 25 h): states beyond it are unknown.
  int32_t length_ms = 24 * 3600 * 1000;
};

// Additive room figures.
struct RoomBookingTally {
  // Meetings: bookings that start inside the window.
  int64_t meetings = 0;
  // Booked time inside the window (overlapping bookings counted once), and
  // how it splits into known and unknown, and occupied.
  int64_t booked_ms = 0;
  int64_t booked_observed_ms = 0;
  int64_t booked_unknown_ms = 0;
  int64_t booked_occupied_ms = 0;
  // Meetings of at least ghost_min_booking_ms: checked ones, and of those,
  // ghosts (first part fully known and free), attended (presence in the
  // first part) and unknown (no presence, but some of the first part
  // unknown: a sensor outage is never a ghost).
  int64_t checked = 0;
  int64_t ghosts = 0;
  int64_t attended = 0;
  int64_t ghost_unknown = 0;
  // Booked time of the ghost meetings (whole bookings).
  int64_t ghost_booked_ms = 0;
  // Attended meetings released early: the room is known and free from the
  // last presence to the booking's end for at least early_release_min_ms;
  // the time so given back; and attended meetings whose end is unknown.
  int64_t early_releases = 0;
  int64_t released_ms = 0;
  int64_t release_unknown = 0;
  // Known, occupied time in the window outside every booking (walk-in
  // time), and the occupied runs in the window that touch no booking
  // (walk-ins).
  int64_t walk_in_ms = 0;
  int64_t walk_ins = 0;
  // The room's known and occupied time in the window, booked or not.
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  // Seat utilization of booked time, over rooms with a counting sensor and
  // a capacity: booked, occupied time; Σ people · time and Σ capacity ·
  // time over it (ms · people).
  int64_t seat_occupied_ms = 0;
  int64_t seat_people_ms = 0;
  int64_t seat_capacity_ms = 0;
  // Invited attendees, summed over the meetings that say.
  int64_t invited_meetings = 0;
  int64_t invited = 0;

  RoomBookingTally& operator+=(const RoomBookingTally& other);
  friend bool operator==(const RoomBookingTally&,
                         const RoomBookingTally&) = default;
};

// The room-day's figures over the window [window.start_ms, window.end_ms):
// time figures inside it, meeting counts for the bookings that start in it.
RoomBookingTally TallyRoomDay(const RoomBookingDay& day, DayRange window,
                              const BookingThresholds& thresholds);

// The most people present at once during a meeting's booked part, or -1
// when the room does not count people or none of the part is known.
int32_t PeoplePresent(const RoomBookingDay& day, const RoomBooking& booking);

// ---- Right-sizing of rooms ----

// One meeting with the people present at its busiest.
struct MeetingHeadcount {
  int32_t day = 0;  // any day number; meetings of one day are compared
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int32_t people = 0;
};

// How many rooms of one size the meetings needed.
struct RoomSizeNeed {
  int32_t capacity = 0;
  int32_t rooms_now = 0;
  // Meetings whose people fit this size and no smaller one of today's.
  int64_t meetings = 0;
  // P95 (nearest rank, over `days`) of each day's largest number of such
  // meetings held at the same instant.
  int32_t needed_p95 = 0;
  int32_t surplus = 0;  // rooms_now - needed_p95
  friend bool operator==(const RoomSizeNeed&, const RoomSizeNeed&) = default;
};

// Sizes are the distinct capacities (> 0) of today's rooms `capacities`; a
// meeting needs the smallest size that seats its people (the largest when
// none does); meetings with nobody present need none. `days` is the number
// of days counted (days with a meeting count as well as days without; at
// least the number of distinct days of `meetings`).
std::vector<RoomSizeNeed> RightSizeRooms(
    std::span<const int32_t> capacities,
    std::span<const MeetingHeadcount> meetings, int32_t days);

}  // namespace monipaikka
