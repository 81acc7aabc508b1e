#include "server/bookings/booking_days.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar.h"

namespace monipaikka {
namespace {

constexpr int32_t kMin = 60 * 1000;
constexpr int32_t kHour = 60 * kMin;

TEST(DeskDayFlagsTest, GiveBackTheWholeTallyOfADeskDay) {
  const DayRange window{8 * kHour, 16 * kHour};
  const std::vector<DaySpan> used = {{8 * kHour, 9 * kHour, 1},
                                     {9 * kHour, 16 * kHour, 0}};
  const std::vector<DaySpan> empty = {{8 * kHour, 16 * kHour, 0}};
  const std::vector<DayRange> booking = {{9 * kHour, 12 * kHour}};
  for (bool bound : {false, true}) {
    for (const auto* states : {&used, &empty}) {
      for (bool booked : {false, true}) {
        const DeskBookingDay day{bound, *states,
                                 booked ? std::span<const DayRange>(booking)
                                        : std::span<const DayRange>()};
        const DeskBookingTally tally =
            TallyDeskDay(day, window, BookingThresholds{});
        EXPECT_EQ(DeskTallyOfFlags(DeskDayFlags(tally)), tally)
            << bound << booked;
      }
    }
  }
}

TEST(ComputeRoomDayTest, HoursSplitTheTotalAndCountingRoomsGiveHeadcounts) {
  // Monday 2026-03-16 in Helsinki, core hours 08:00-16:00.
  const DayFrame frame =
      MakeDayFrame(absl::CivilDay(2026, 3, 16), absl::FixedTimeZone(2 * 3600),
                   WeeklyCoreHours{});
  const std::vector<DaySpan> states = {{8 * kHour, 9 * kHour, 0},
                                       {9 * kHour, 10 * kHour + 30 * kMin, 3},
                                       {10 * kHour + 30 * kMin, 16 * kHour, 0}};
  const std::vector<RoomBooking> bookings = {
      {{9 * kHour, 11 * kHour}, 9 * kHour, 11 * kHour, 4},
      {{14 * kHour, 15 * kHour}, 14 * kHour, 15 * kHour, -1}};
  RoomBookingDay day;
  day.sensor_bound = true;
  day.counting = true;
  day.capacity = 6;
  day.states = states;
  day.bookings = bookings;
  const RoomBookingFiguresOfDay figures =
      ComputeRoomDay(day, frame, kCoreHours, BookingThresholds{});
  EXPECT_EQ(figures.total.meetings, 2);
  EXPECT_EQ(figures.total.booked_ms, 3 * kHour);
  EXPECT_EQ(figures.total.ghosts, 1);  // 14:00: nobody
  ASSERT_EQ(figures.hours.size(), 8u);
  EXPECT_EQ(figures.hours.front().first, 8);
  EXPECT_EQ(figures.hours.back().first, 15);
  int64_t booked = 0;
  int64_t meetings = 0;
  for (const auto& [hour, tally] : figures.hours) {
    booked += tally.booked_ms;
    meetings += tally.meetings;
  }
  EXPECT_EQ(booked, figures.total.booked_ms);
  EXPECT_EQ(meetings, figures.total.meetings);
  ASSERT_EQ(figures.headcounts.size(), 2u);
  EXPECT_EQ(figures.headcounts[0],
            (RoomDayHeadcount{9 * kHour, 11 * kHour, 3}));
  EXPECT_EQ(figures.headcounts[1],
            (RoomDayHeadcount{14 * kHour, 15 * kHour, 0}));
  // Not a core day: nothing.
  const DayFrame sunday =
      MakeDayFrame(absl::CivilDay(2026, 3, 15), absl::FixedTimeZone(2 * 3600),
                   WeeklyCoreHours{});
  EXPECT_EQ(ComputeRoomDay(day, sunday, kCoreHours, BookingThresholds{}),
            RoomBookingFiguresOfDay{});
}

SiteBookingDay Sample() {
  SiteBookingDay day;
  day.desks = {0, kDeskDayBooked, kDeskDayBooked | kDeskDayObserved,
               kDeskDayObserved | kDeskDayUsed};
  RoomBookingFiguresOfDay room;
  room.total.meetings = 3;
  room.total.booked_ms = 2 * kHour;
  room.total.seat_people_ms = int64_t{5} * 3 * kHour;
  room.total.invited = 7;
  RoomBookingTally hour;
  hour.booked_ms = kHour;
  room.hours = {{9, hour}, {10, RoomBookingTally{}}};
  room.headcounts = {{9 * kHour, 10 * kHour, 4}, {23 * kHour, 25 * kHour, 0}};
  day.rooms = {room, RoomBookingFiguresOfDay{}};
  return day;
}

RoomHoursTally HoursOf(const RoomBookingFiguresOfDay& room) {
  RoomHoursTally hours;
  EXPECT_TRUE(AddRoomHours(room, &hours).ok());
  return hours;
}

TEST(SiteBookingDayCodecTest, RoundTrips) {
  const SiteBookingDay day = Sample();
  const std::string bytes = EncodeSiteBookingDay(day);
  SiteBookingDay decoded;
  ASSERT_TRUE(DecodeSiteBookingDay(bytes, &decoded).ok());
  EXPECT_EQ(decoded.desks, day.desks);
  ASSERT_EQ(decoded.rooms.size(), day.rooms.size());
  for (size_t i = 0; i < day.rooms.size(); ++i) {
    EXPECT_EQ(decoded.rooms[i].total, day.rooms[i].total);
    EXPECT_EQ(decoded.rooms[i].headcounts, day.rooms[i].headcounts);
    EXPECT_TRUE(decoded.rooms[i].hours.empty());
    const RoomHoursTally want = HoursOf(day.rooms[i]);
    const RoomHoursTally got = HoursOf(decoded.rooms[i]);
    EXPECT_EQ(got.hours, want.hours);
    EXPECT_EQ(got.present, want.present);
  }
  EXPECT_TRUE(HoursOf(decoded.rooms[0]).present[9]);
  EXPECT_TRUE(HoursOf(decoded.rooms[0]).present[10]);
  EXPECT_EQ(HoursOf(decoded.rooms[0]).hours[9].booked_ms, kHour);
  // An empty day, into an object used before.
  ASSERT_TRUE(
      DecodeSiteBookingDay(EncodeSiteBookingDay(SiteBookingDay{}), &decoded)
          .ok());
  EXPECT_TRUE(decoded.desks.empty());
  EXPECT_TRUE(decoded.rooms.empty());
}

TEST(SiteBookingDayCodecTest, BadBytesAreDataLoss) {
  const std::string bytes = EncodeSiteBookingDay(Sample());
  SiteBookingDay decoded;
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_EQ(DecodeSiteBookingDay(bytes.substr(0, n), &decoded).code(),
              absl::StatusCode::kDataLoss)
        << n;
  }
  EXPECT_EQ(DecodeSiteBookingDay(bytes + "x", &decoded).code(),
            absl::StatusCode::kDataLoss);
  std::string bad_flags = bytes;
  bad_flags[2] = 8;  // the first desk
  EXPECT_EQ(DecodeSiteBookingDay(bad_flags, &decoded).code(),
            absl::StatusCode::kDataLoss);
  // Stored hours are checked as they are added: hour 48, and a cut tally.
  RoomHoursTally hours;
  RoomBookingFiguresOfDay room;
  room.stored_hours = absl::string_view("\x01\x30\x00", 3);
  EXPECT_EQ(AddRoomHours(room, &hours).code(), absl::StatusCode::kDataLoss);
  room.stored_hours = absl::string_view("\x01\x09\x01", 3);
  EXPECT_EQ(AddRoomHours(room, &hours).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace monipaikka
