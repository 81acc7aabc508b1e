#pragma once

// The booking figures of one site's local date: what each of the site's
// workstations and rooms contributes to the bookings report on that date
// (docs/bookings.md), and the compact form in which they are kept
// (booking_days), so that a report over a year adds up stored days instead
// of reading and decoding every sensor day and booking again. Pure
// functions: no I/O.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/analytics/day_summary.h"
#include "server/bookings/booking_figures.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka {

// The targets of one site whose figures a site-day holds, in inventory
// order: every workstation of the site, and every room-like space.
struct SiteBookingTargets {
  std::vector<int32_t> workstations;
  std::vector<int32_t> rooms;
  // Changes whenever anything the figures depend on changes (the targets,
  // their sensors and bindings, the room capacities, the inventory's
  // settings and sites): stored days of another fingerprint are out of
  // date.
  std::string fingerprint;
};

// The targets of every site, by site index.
std::vector<SiteBookingTargets> BookingTargetsBySite(
    const OccupancyInventory& inventory);

// A desk-day as three flags; with a non-empty measured window they give
// its whole DeskBookingTally.
enum DeskDayFlag : uint8_t {
  kDeskDayBooked = 1,
  kDeskDayObserved = 2,
  kDeskDayUsed = 4,
};
uint8_t DeskDayFlags(const DeskBookingTally& tally);
DeskBookingTally DeskTallyOfFlags(uint8_t flags);

// One meeting that started in the measured window of a counting room, with
// the most people present at once ([start_ms, end_ms) its part of the day).
struct RoomDayHeadcount {
  int32_t start_ms = 0;
  int32_t end_ms = 0;
  int32_t people = 0;
  friend bool operator==(const RoomDayHeadcount&,
                         const RoomDayHeadcount&) = default;
};

// A room on one date.
struct RoomBookingFiguresOfDay {
  // Over the measured window.
  RoomBookingTally total;
  // Each local clock hour whose part in the measured window is not empty,
  // with the figures of that part.
  std::vector<std::pair<int32_t, RoomBookingTally>> hours;
  // DecodeSiteBookingDay leaves `hours` empty and keeps their stored form
  // here instead (a view into the decoded bytes), for AddRoomHours.
  absl::string_view stored_hours;
  std::vector<RoomDayHeadcount> headcounts;
  friend bool operator==(const RoomBookingFiguresOfDay&,
                         const RoomBookingFiguresOfDay&) = default;
};

// A site on one date: by position in SiteBookingTargets. Empty when the
// date has no measured window at the site (not a core day).
struct SiteBookingDay {
  std::vector<uint8_t> desks;  // DeskDayFlags
  std::vector<RoomBookingFiguresOfDay> rooms;
  friend bool operator==(const SiteBookingDay&,
                         const SiteBookingDay&) = default;
};

// The room's figures on the day of `frame` in `mode`: the total, by hour,
// and the headcount of each meeting that starts in the window (counting
// rooms).
RoomBookingFiguresOfDay ComputeRoomDay(const RoomBookingDay& day,
                                       const DayFrame& frame, HoursMode mode,
                                       const BookingThresholds& thresholds);

// Room figures by local clock hour, added up over room-days.
struct RoomHoursTally {
  std::array<RoomBookingTally, 24> hours;
  // Whether some room-day had the hour in its measured window.
  std::array<bool, 24> present{};
};

// Adds a room-day's hours, from `hours` or else `stored_hours`, to `into`.
// DATA_LOSS on bad stored bytes.
absl::Status AddRoomHours(const RoomBookingFiguresOfDay& room,
                          RoomHoursTally* into);

// Stored form: unsigned LEB128 varints, zero tally fields left out.
std::string EncodeSiteBookingDay(const SiteBookingDay& day);
// Decodes into `day` (its vectors are reused; the rooms' stored_hours point
// into `bytes`). The hours are checked only by AddRoomHours. DATA_LOSS on
// bad bytes.
absl::Status DecodeSiteBookingDay(absl::string_view bytes, SiteBookingDay* day);

}  // namespace monipaikka
