#include "server/bookings/booking_figures.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

constexpr int32_t kMin = 60 * 1000;
constexpr int32_t kHour = 60 * kMin;

int32_t At(int hour, int minute = 0) { return hour * kHour + minute * kMin; }

// Core hours 08:00-16:00.
const DayRange kCore{At(8), At(16)};

TEST(DeskBookingTest, BookedUsedNoShowUnmeasuredAndUnbookedUse) {
  const BookingThresholds t;
  const std::vector<DaySpan> used = {
      {At(8), At(9), 0}, {At(9), At(9, 20), 1}, {At(9, 20), At(16), 0}};
  const std::vector<DaySpan> brief = {
      {At(8), At(9), 0}, {At(9), At(9, 10), 1}, {At(9, 10), At(16), 0}};
  const std::vector<DayRange> booking = {{At(8), At(16)}};

  // Booked and used: a show.
  DeskBookingTally shown = TallyDeskDay({true, used, booking}, kCore, t);
  EXPECT_EQ(shown, (DeskBookingTally{.booked = 1,
                                     .booked_observed = 1,
                                     .no_shows = 0,
                                     .booked_unmeasured = 0,
                                     .observed = 1,
                                     .used = 1,
                                     .unbooked_used = 0}));
  // Booked, occupied only 10 min: a no-show under the 15-min rule.
  DeskBookingTally no_show = TallyDeskDay({true, brief, booking}, kCore, t);
  EXPECT_EQ(no_show.no_shows, 1);
  EXPECT_EQ(no_show.used, 0);
  // Booked, no sensor that day: unmeasured, neither show nor no-show.
  DeskBookingTally unmeasured = TallyDeskDay({false, used, booking}, kCore, t);
  EXPECT_EQ(unmeasured.booked_unmeasured, 1);
  EXPECT_EQ(unmeasured.booked_observed, 0);
  EXPECT_EQ(unmeasured.no_shows, 0);
  EXPECT_EQ(unmeasured.observed, 0);
  // Booked, sensor bound but silent inside core hours: unmeasured too.
  const std::vector<DaySpan> evening = {{At(17), At(18), 1}};
  EXPECT_EQ(TallyDeskDay({true, evening, booking}, kCore, t).booked_unmeasured,
            1);
  // Used without a booking.
  DeskBookingTally walk_up = TallyDeskDay({true, used, {}}, kCore, t);
  EXPECT_EQ(walk_up.unbooked_used, 1);
  EXPECT_EQ(walk_up.booked, 0);
  // A booking only in the evening is not a booked core desk-day.
  const std::vector<DayRange> late = {{At(17), At(19)}};
  EXPECT_EQ(TallyDeskDay({true, used, late}, kCore, t).booked, 0);
  // A holiday (empty measured window) counts nothing, booked or not.
  EXPECT_EQ(TallyDeskDay({true, used, booking}, {0, 0}, t), DeskBookingTally{});
  // The threshold is a flag.
  BookingThresholds five_min;
  five_min.desk_day_min_occupied_ms = 5 * kMin;
  EXPECT_EQ(TallyDeskDay({true, brief, booking}, kCore, five_min).no_shows, 0);

  DeskBookingTally sum = shown;
  sum += no_show;
  sum += unmeasured;
  sum += walk_up;
  EXPECT_EQ(sum.booked, 3);
  EXPECT_EQ(sum.booked_observed, 2);
  EXPECT_EQ(sum.no_shows, 1);
  EXPECT_EQ(sum.used, 2);
}

// A presence-sensed room, 08:00-16:00 known unless said otherwise.
class RoomBookingTest : public ::testing::Test {
 protected:
  RoomBookingTally Tally(const std::vector<DaySpan>& states,
                         const std::vector<RoomBooking>& bookings,
                         BookingThresholds t = {}) {
    RoomBookingDay day;
    day.sensor_bound = true;
    day.states = states;
    day.bookings = bookings;
    return TallyRoomDay(day, kCore, t);
  }
  static RoomBooking Booking(int32_t start, int32_t end, int attendees = -1) {
    return {{start, end}, start, end, attendees};
  }
};

TEST_F(RoomBookingTest, GhostAttendedAndUnknownDuringAnOutage) {
  // 09:00-10:00 booked, nobody comes: a ghost.
  const std::vector<DaySpan> empty = {{At(8), At(16), 0}};
  RoomBookingTally ghost = Tally(empty, {Booking(At(9), At(10), 4)});
  EXPECT_EQ(ghost.meetings, 1);
  EXPECT_EQ(ghost.checked, 1);
  EXPECT_EQ(ghost.ghosts, 1);
  EXPECT_EQ(ghost.ghost_booked_ms, kHour);
  EXPECT_EQ(ghost.booked_ms, kHour);
  EXPECT_EQ(ghost.booked_observed_ms, kHour);
  EXPECT_EQ(ghost.booked_occupied_ms, 0);
  EXPECT_EQ(ghost.invited, 4);
  EXPECT_EQ(ghost.invited_meetings, 1);

  // The sensor is out 08:50-09:10: no presence seen, but the first 15 min
  // are not all known, so the meeting is unknown, not a ghost.
  const std::vector<DaySpan> outage = {{At(8), At(8, 50), 0},
                                       {At(9, 10), At(16), 0}};
  RoomBookingTally unknown = Tally(outage, {Booking(At(9), At(10))});
  EXPECT_EQ(unknown.ghosts, 0);
  EXPECT_EQ(unknown.ghost_unknown, 1);
  EXPECT_EQ(unknown.booked_unknown_ms, 10 * kMin);
  EXPECT_EQ(unknown.booked_observed_ms, 50 * kMin);

  // Presence at 09:14 (inside the first 15 min): attended.
  const std::vector<DaySpan> late_arrival = {
      {At(8), At(9, 14), 0}, {At(9, 14), At(10), 1}, {At(10), At(16), 0}};
  RoomBookingTally attended = Tally(late_arrival, {Booking(At(9), At(10))});
  EXPECT_EQ(attended.attended, 1);
  EXPECT_EQ(attended.ghosts, 0);
  EXPECT_EQ(attended.booked_occupied_ms, 46 * kMin);

  // Presence only from 09:15: a ghost by the 15-min flag, attended by 20.
  const std::vector<DaySpan> later = {
      {At(8), At(9, 15), 0}, {At(9, 15), At(10), 1}, {At(10), At(16), 0}};
  EXPECT_EQ(Tally(later, {Booking(At(9), At(10))}).ghosts, 1);
  BookingThresholds twenty;
  twenty.ghost_first_ms = 20 * kMin;
  EXPECT_EQ(Tally(later, {Booking(At(9), At(10))}, twenty).attended, 1);

  // A 25-min booking is too short to be checked.
  RoomBookingTally short_one = Tally(empty, {Booking(At(9), At(9, 25))});
  EXPECT_EQ(short_one.meetings, 1);
  EXPECT_EQ(short_one.checked, 0);

  // A room with no sensor that day: every booked minute unknown.
  RoomBookingDay unmeasured;
  const std::vector<RoomBooking> one = {Booking(At(9), At(10))};
  unmeasured.bookings = one;
  RoomBookingTally none = TallyRoomDay(unmeasured, kCore, {});
  EXPECT_EQ(none.ghost_unknown, 1);
  EXPECT_EQ(none.booked_unknown_ms, kHour);
}

TEST_F(RoomBookingTest, EarlyReleasesWalkInsAndOverlaps) {
  // 10:00-12:00 booked, used 10:00-11:00, free and known after: released
  // 60 min early. A walk-in 13:00-13:30, and 14:00-14:30 occupied that
  // runs into a 14:15-15:00 booking (not a walk-in; 15 min walk-in time).
  const std::vector<DaySpan> states = {
      {At(8), At(10), 0},      {At(10), At(11), 1},     {At(11), At(13), 0},
      {At(13), At(13, 30), 1}, {At(13, 30), At(14), 0}, {At(14), At(14, 30), 1},
      {At(14, 30), At(16), 0}};
  RoomBookingTally t =
      Tally(states, {Booking(At(10), At(12)), Booking(At(14, 15), At(15))});
  EXPECT_EQ(t.meetings, 2);
  EXPECT_EQ(t.attended, 2);
  EXPECT_EQ(t.early_releases, 2);  // 11:00→12:00 and 14:30→15:00
  EXPECT_EQ(t.released_ms, kHour + 30 * kMin);
  EXPECT_EQ(t.booked_ms, 2 * kHour + 45 * kMin);
  EXPECT_EQ(t.booked_occupied_ms, kHour + 15 * kMin);
  EXPECT_EQ(t.occupied_ms, 2 * kHour);
  EXPECT_EQ(t.walk_in_ms, 45 * kMin);  // 13:00-13:30 and 14:00-14:15
  EXPECT_EQ(t.walk_ins, 1);
  EXPECT_EQ(t.observed_ms, 8 * kHour);

  // A release whose tail is unknown (sensor out from 11:00) is not counted.
  const std::vector<DaySpan> out = {{At(8), At(10), 0}, {At(10), At(11), 1}};
  RoomBookingTally unknown_end = Tally(out, {Booking(At(10), At(12))});
  EXPECT_EQ(unknown_end.early_releases, 0);
  EXPECT_EQ(unknown_end.release_unknown, 1);

  // Two overlapping bookings (a double booking) count their time once.
  const std::vector<DaySpan> free_day = {{At(8), At(16), 0}};
  RoomBookingTally doubled =
      Tally(free_day, {Booking(At(9), At(11)), Booking(At(10), At(12))});
  EXPECT_EQ(doubled.booked_ms, 3 * kHour);
  EXPECT_EQ(doubled.ghosts, 2);
  EXPECT_EQ(doubled.ghost_booked_ms, 4 * kHour);
}

TEST_F(RoomBookingTest, SeatUtilizationOfBookedTimeNeedsACountAndCapacity) {
  // A 6-seat room with a people counter: 2 people 09:00-09:30, 4 people
  // 09:30-10:00, empty after; booked 09:00-10:30.
  const std::vector<DaySpan> counts = {{At(8), At(9), 0},
                                       {At(9), At(9, 30), 2},
                                       {At(9, 30), At(10), 4},
                                       {At(10), At(16), 0}};
  const std::vector<RoomBooking> bookings = {Booking(At(9), At(10, 30))};
  RoomBookingDay day;
  day.sensor_bound = true;
  day.counting = true;
  day.capacity = 6;
  day.states = counts;
  day.bookings = bookings;
  RoomBookingTally t = TallyRoomDay(day, kCore, {});
  EXPECT_EQ(t.seat_occupied_ms, kHour);
  EXPECT_EQ(t.seat_people_ms, 2LL * 30 * kMin + 4LL * 30 * kMin);
  EXPECT_EQ(t.seat_capacity_ms, 6LL * kHour);
  // Mean people 3 of 6 seats while the booked room was occupied.
  EXPECT_DOUBLE_EQ(static_cast<double>(t.seat_people_ms) / t.seat_capacity_ms,
                   0.5);
  EXPECT_EQ(PeoplePresent(day, bookings[0]), 4);
  // Presence sensor only: no seat figures.
  day.counting = false;
  EXPECT_EQ(TallyRoomDay(day, kCore, {}).seat_capacity_ms, 0);
  EXPECT_EQ(PeoplePresent(day, bookings[0]), -1);
}

TEST(RightSizeRoomsTest, RoomsOfEachSizeNeededAtP95) {
  // Today: three 4-seat rooms, two 8-seat rooms, one 12-seat room.
  const std::vector<int32_t> capacities = {4, 4, 4, 8, 8, 12};
  // Day 0: three small meetings at once (2, 3, 4 people), one of 6 people.
  // Day 1: one meeting of 2 and, at another time, one of 3; one of 10.
  // Day 2: one ghost (0 people), which needs no room.
  const std::vector<MeetingHeadcount> meetings = {
      {0, 0, 60, 2}, {0, 10, 50, 3}, {0, 20, 70, 4}, {0, 0, 60, 6},
      {1, 0, 60, 2}, {1, 60, 90, 3}, {1, 0, 30, 10}, {2, 0, 60, 0},
  };
  const std::vector<RoomSizeNeed> needs =
      RightSizeRooms(capacities, meetings, /*days=*/3);
  ASSERT_EQ(needs.size(), 3u);
  // 4 seats: daily peaks 3, 1 (back to back), 0 → P95 (3rd of 3) = 3.
  EXPECT_EQ(needs[0], (RoomSizeNeed{4, 3, 5, 3, 0}));
  // 8 seats: peaks 1, 0, 0 → 1; one of two rooms is surplus.
  EXPECT_EQ(needs[1], (RoomSizeNeed{8, 2, 1, 1, 1}));
  EXPECT_EQ(needs[2], (RoomSizeNeed{12, 1, 1, 1, 0}));
  // With 20 days counted, P95 is the 19th smallest: a single busy day no
  // longer sets the need.
  const std::vector<RoomSizeNeed> over_20 =
      RightSizeRooms(capacities, meetings, /*days=*/20);
  EXPECT_EQ(over_20[0].needed_p95, 1);
  EXPECT_EQ(over_20[1].needed_p95, 0);
}

}  // namespace
}  // namespace monipaikka
