#include "server/bookings/booking_figures.h"

#include <algorithm>
#include <map>
#include <utility>

#include "server/analytics/usage.h"

namespace monipaikka {
namespace {

int64_t Overlap(int64_t a_start, int64_t a_end, int64_t b_start,
                int64_t b_end) {
  return std::max<int64_t>(0,
                           std::min(a_end, b_end) - std::max(a_start, b_start));
}

// Known time of `states` in [from, to).
int64_t KnownIn(std::span<const DaySpan> states, int64_t from, int64_t to) {
  int64_t known = 0;
  for (const DaySpan& s : states)
    known += Overlap(s.start_ms, s.end_ms, from, to);
  return known;
}

// Occupied (value > 0) time of `states` in [from, to).
int64_t OccupiedIn(std::span<const DaySpan> states, int64_t from, int64_t to) {
  int64_t occupied = 0;
  for (const DaySpan& s : states) {
    if (s.value > 0) occupied += Overlap(s.start_ms, s.end_ms, from, to);
  }
  return occupied;
}

// The union of the ranges clipped to `window`, sorted and disjoint.
std::vector<DayRange> MergeInWindow(std::vector<DayRange> ranges,
                                    DayRange window) {
  std::sort(ranges.begin(), ranges.end(),
            [](const DayRange& a, const DayRange& b) {
              return a.start_ms < b.start_ms;
            });
  std::vector<DayRange> merged;
  for (DayRange r : ranges) {
    r.start_ms = std::max(r.start_ms, window.start_ms);
    r.end_ms = std::min(r.end_ms, window.end_ms);
    if (r.end_ms <= r.start_ms) continue;
    if (!merged.empty() && r.start_ms <= merged.back().end_ms) {
      merged.back().end_ms = std::max(merged.back().end_ms, r.end_ms);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

}  // namespace

DeskBookingTally& DeskBookingTally::operator+=(const DeskBookingTally& o) {
  booked += o.booked;
  booked_observed += o.booked_observed;
  no_shows += o.no_shows;
  booked_unmeasured += o.booked_unmeasured;
  observed += o.observed;
  used += o.used;
  unbooked_used += o.unbooked_used;
  return *this;
}

DeskBookingTally TallyDeskDay(const DeskBookingDay& day, DayRange window,
                              const BookingThresholds& thresholds) {
  DeskBookingTally tally;
  if (window.end_ms <= window.start_ms) return tally;
  const bool observed = day.sensor_bound &&
                        KnownIn(day.states, window.start_ms, window.end_ms) > 0;
  const bool used =
      observed && OccupiedIn(day.states, window.start_ms, window.end_ms) >=
                      std::max<int64_t>(1, thresholds.desk_day_min_occupied_ms);
  const bool booked = std::any_of(
      day.bookings.begin(), day.bookings.end(), [&](const DayRange& b) {
        return b.start_ms < window.end_ms && b.end_ms > window.start_ms;
      });
  tally.observed = observed ? 1 : 0;
  tally.used = used ? 1 : 0;
  if (booked) {
    tally.booked = 1;
    if (observed) {
      tally.booked_observed = 1;
      tally.no_shows = used ? 0 : 1;
    } else {
      tally.booked_unmeasured = 1;
    }
  } else if (used) {
    tally.unbooked_used = 1;
  }
  return tally;
}

RoomBookingTally& RoomBookingTally::operator+=(const RoomBookingTally& o) {
  meetings += o.meetings;
  booked_ms += o.booked_ms;
  booked_observed_ms += o.booked_observed_ms;
  booked_unknown_ms += o.booked_unknown_ms;
  booked_occupied_ms += o.booked_occupied_ms;
  checked += o.checked;
  ghosts += o.ghosts;
  attended += o.attended;
  ghost_unknown += o.ghost_unknown;
  ghost_booked_ms += o.ghost_booked_ms;
  early_releases += o.early_releases;
  released_ms += o.released_ms;
  release_unknown += o.release_unknown;
  walk_in_ms += o.walk_in_ms;
  walk_ins += o.walk_ins;
  observed_ms += o.observed_ms;
  occupied_ms += o.occupied_ms;
  seat_occupied_ms += o.seat_occupied_ms;
  seat_people_ms += o.seat_people_ms;
  seat_capacity_ms += o.seat_capacity_ms;
  invited_meetings += o.invited_meetings;
  invited += o.invited;
  return *this;
}

RoomBookingTally TallyRoomDay(const RoomBookingDay& day, DayRange window,
                              const BookingThresholds& thresholds) {
  RoomBookingTally tally;
  if (window.end_ms <= window.start_ms) return tally;
  const std::span<const DaySpan> states =
      day.sensor_bound ? day.states : std::span<const DaySpan>();
  const bool seats = day.counting && day.capacity > 0;

  // Booked time: the union of the parts inside the window.
  std::vector<DayRange> parts;
  parts.reserve(day.bookings.size());
  for (const RoomBooking& b : day.bookings) parts.push_back(b.part);
  const std::vector<DayRange> booked = MergeInWindow(parts, window);
  for (const DayRange& r : booked) {
    tally.booked_ms += r.end_ms - r.start_ms;
    for (const DaySpan& s : states) {
      const int64_t overlap =
          Overlap(s.start_ms, s.end_ms, r.start_ms, r.end_ms);
      if (overlap == 0) continue;
      tally.booked_observed_ms += overlap;
      if (s.value <= 0) continue;
      tally.booked_occupied_ms += overlap;
      if (seats) {
        tally.seat_occupied_ms += overlap;
        tally.seat_people_ms += overlap * s.value;
        tally.seat_capacity_ms += overlap * day.capacity;
      }
    }
  }
  tally.booked_unknown_ms = tally.booked_ms - tally.booked_observed_ms;
  tally.observed_ms = KnownIn(states, window.start_ms, window.end_ms);
  tally.occupied_ms = OccupiedIn(states, window.start_ms, window.end_ms);
  tally.walk_in_ms = tally.occupied_ms - tally.booked_occupied_ms;

  // Walk-ins: occupied runs (adjacent occupied spans joined) in the window
  // that touch no booking.
  int64_t run_start = -1;
  int64_t run_end = -1;
  auto close_run = [&] {
    if (run_start < 0) return;
    const int64_t from = std::max<int64_t>(run_start, window.start_ms);
    const int64_t to = std::min<int64_t>(run_end, window.end_ms);
    if (to > from) {
      const bool touches = std::any_of(
          day.bookings.begin(), day.bookings.end(), [&](const RoomBooking& b) {
            return b.part.start_ms < run_end && b.part.end_ms > run_start;
          });
      if (!touches) ++tally.walk_ins;
    }
    run_start = run_end = -1;
  };
  for (const DaySpan& s : states) {
    if (s.value <= 0) {
      close_run();
      continue;
    }
    if (run_start >= 0 && s.start_ms == run_end) {
      run_end = s.end_ms;
    } else {
      close_run();
      run_start = s.start_ms;
      run_end = s.end_ms;
    }
  }
  close_run();

  // Meetings that start in the window.
  for (const RoomBooking& b : day.bookings) {
    if (b.start_ms < window.start_ms || b.start_ms >= window.end_ms) continue;
    ++tally.meetings;
    if (b.attendees >= 0) {
      ++tally.invited_meetings;
      tally.invited += b.attendees;
    }
    if (b.end_ms - b.start_ms < thresholds.ghost_min_booking_ms) continue;
    ++tally.checked;
    // The first part of the booking; what lies beyond the day is unknown.
    const int64_t first_end = b.start_ms + thresholds.ghost_first_ms;
    const int64_t first_known_end = std::min<int64_t>(first_end, day.length_ms);
    if (OccupiedIn(states, b.start_ms, first_known_end) > 0) {
      ++tally.attended;
    } else {
      if (first_known_end == first_end &&
          KnownIn(states, b.start_ms, first_end) == first_end - b.start_ms) {
        ++tally.ghosts;
        tally.ghost_booked_ms += b.end_ms - b.start_ms;
      } else {
        ++tally.ghost_unknown;
      }
      continue;
    }
    // Early release: from the end of the last presence in the booking to
    // its end, the room is free; it counts when that is long enough and
    // known throughout.
    int64_t last_presence_end = b.start_ms;
    const int64_t in_day_end = std::min<int64_t>(b.end_ms, day.length_ms);
    for (const DaySpan& s : states) {
      if (s.value > 0 && s.start_ms < in_day_end && s.end_ms > b.start_ms) {
        last_presence_end = std::max<int64_t>(
            last_presence_end, std::min<int64_t>(s.end_ms, b.end_ms));
      }
    }
    const int64_t tail = b.end_ms - last_presence_end;
    if (tail < thresholds.early_release_min_ms) continue;
    if (b.end_ms <= day.length_ms &&
        KnownIn(states, last_presence_end, b.end_ms) == tail) {
      ++tally.early_releases;
      tally.released_ms += tail;
    } else {
      ++tally.release_unknown;
    }
  }
  return tally;
}

int32_t PeoplePresent(const RoomBookingDay& day, const RoomBooking& booking) {
  if (!day.counting || !day.sensor_bound) return -1;
  int32_t people = -1;
  for (const DaySpan& s : day.states) {
    if (Overlap(s.start_ms, s.end_ms, booking.part.start_ms,
                booking.part.end_ms) > 0) {
      people = std::max(people, s.value);
    }
  }
  return people;
}

std::vector<RoomSizeNeed> RightSizeRooms(
    std::span<const int32_t> capacities,
    std::span<const MeetingHeadcount> meetings, int32_t days) {
  std::map<int32_t, int32_t> rooms_by_size;
  for (int32_t c : capacities) {
    if (c > 0) ++rooms_by_size[c];
  }
  std::vector<int32_t> sizes;
  for (const auto& [size, count] : rooms_by_size) sizes.push_back(size);
  std::vector<RoomSizeNeed> needs;
  if (sizes.empty()) return needs;
  // Per size and day: the start (+1) and end (-1) events of its meetings.
  std::vector<std::map<int32_t, std::vector<std::pair<int64_t, int>>>> events(
      sizes.size());
  std::vector<int64_t> meeting_counts(sizes.size(), 0);
  for (const MeetingHeadcount& m : meetings) {
    if (m.people <= 0 || m.end_ms <= m.start_ms) continue;
    auto it = std::lower_bound(sizes.begin(), sizes.end(), m.people);
    const size_t size = it == sizes.end()
                            ? sizes.size() - 1
                            : static_cast<size_t>(it - sizes.begin());
    ++meeting_counts[size];
    auto& day = events[size][m.day];
    day.emplace_back(m.start_ms, +1);
    day.emplace_back(m.end_ms, -1);
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::vector<int32_t> peaks;
    for (auto& [day, day_events] : events[i]) {
      // Ends before starts at the same instant: back-to-back meetings can
      // share a room.
      std::sort(day_events.begin(), day_events.end());
      int32_t now = 0;
      int32_t peak = 0;
      for (const auto& [t, delta] : day_events) {
        now += delta;
        peak = std::max(peak, now);
      }
      peaks.push_back(peak);
    }
    const int32_t counted =
        std::max<int32_t>(days, static_cast<int32_t>(peaks.size()));
    peaks.resize(static_cast<size_t>(counted), 0);
    RoomSizeNeed need;
    need.capacity = sizes[i];
    need.rooms_now = rooms_by_size[sizes[i]];
    need.meetings = meeting_counts[i];
    need.needed_p95 = NearestRank(peaks, 95);
    need.surplus = need.rooms_now - need.needed_p95;
    needs.push_back(need);
  }
  return needs;
}

}  // namespace monipaikka
