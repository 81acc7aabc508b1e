#include "server/bookings/booking_days.h"

#include <algorithm>
#include <array>
#include <limits>

#include "absl/strings/str_cat.h"
#include "common/varint.h"

namespace monipaikka {
namespace {

// Version of EncodeSiteBookingDay's form.
constexpr uint64_t kSiteBookingDayVersion = 1;

// The fields of a RoomBookingTally, in stored order.
constexpr std::array<int64_t RoomBookingTally::*, 22> kRoomFields = {
    &RoomBookingTally::meetings,
    &RoomBookingTally::booked_ms,
    &RoomBookingTally::booked_observed_ms,
    &RoomBookingTally::booked_unknown_ms,
    &RoomBookingTally::booked_occupied_ms,
    &RoomBookingTally::checked,
    &RoomBookingTally::ghosts,
    &RoomBookingTally::attended,
    &RoomBookingTally::ghost_unknown,
    &RoomBookingTally::ghost_booked_ms,
    &RoomBookingTally::early_releases,
    &RoomBookingTally::released_ms,
    &RoomBookingTally::release_unknown,
    &RoomBookingTally::walk_in_ms,
    &RoomBookingTally::walk_ins,
    &RoomBookingTally::observed_ms,
    &RoomBookingTally::occupied_ms,
    &RoomBookingTally::seat_occupied_ms,
    &RoomBookingTally::seat_people_ms,
    &RoomBookingTally::seat_capacity_ms,
    &RoomBookingTally::invited_meetings,
    &RoomBookingTally::invited,
};

// 64-bit FNV-1a, the same across processes.
class Fnv {
 public:
  void Add(absl::string_view bytes) {
    for (char c : bytes) {
      hash_ ^= static_cast<uint8_t>(c);
      hash_ *= 1099511628211ULL;
    }
    Add(static_cast<int64_t>(bytes.size()));
  }
  void Add(int64_t value) {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= static_cast<uint8_t>(value >> (8 * i));
      hash_ *= 1099511628211ULL;
    }
  }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 14695981039346656037ULL;
};

void PutTally(std::string& out, const RoomBookingTally& tally) {
  uint64_t mask = 0;
  for (size_t i = 0; i < kRoomFields.size(); ++i) {
    if (tally.*kRoomFields[i] != 0) mask |= uint64_t{1} << i;
  }
  PutVarint(out, mask);
  for (size_t i = 0; i < kRoomFields.size(); ++i) {
    if (tally.*kRoomFields[i] != 0)
      PutVarint(out, ZigZag(tally.*kRoomFields[i]));
  }
}

// Reads a tally written by PutTally.
bool ReadTally(VarintReader& in, RoomBookingTally* tally) {
  uint64_t mask = 0;
  if (!in.Varint(&mask) || mask >= (uint64_t{1} << kRoomFields.size())) {
    return false;
  }
  *tally = RoomBookingTally();
  for (size_t i = 0; mask != 0; ++i, mask >>= 1) {
    if ((mask & 1) == 0) continue;
    uint64_t v = 0;
    if (!in.Varint(&v)) return false;
    (*tally).*kRoomFields[i] = UnZigZag(v);
  }
  return true;
}

absl::Status Corrupt() {
  return absl::DataLossError(
      "stored booking figures (booking_days) are corrupt");
}

}  // namespace

std::vector<SiteBookingTargets> BookingTargetsBySite(
    const OccupancyInventory& inventory) {
  std::vector<SiteBookingTargets> sites(inventory.sites().size());
  for (size_t w = 0; w < inventory.workstations().size(); ++w) {
    const int32_t site = inventory.workstations()[w].site;
    if (site >= 0) sites[site].workstations.push_back(static_cast<int32_t>(w));
  }
  for (size_t s = 0; s < inventory.spaces().size(); ++s) {
    const int32_t index = static_cast<int32_t>(s);
    const int32_t site = inventory.spaces()[s].site;
    if (site >= 0 && inventory.IsRoomLike(index)) {
      sites[site].rooms.push_back(index);
    }
  }
  auto add_sensors = [&](Fnv& fnv, const std::vector<int32_t>& sensors) {
    fnv.Add(static_cast<int64_t>(sensors.size()));
    for (int32_t s : sensors) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
      fnv.Add(sensor.id);
      fnv.Add(static_cast<int64_t>(sensor.meaning));
      fnv.Add(sensor.from_date);
      fnv.Add(sensor.until_date);
    }
  };
  for (size_t i = 0; i < sites.size(); ++i) {
    Fnv fnv;
    fnv.Add(inventory.sites()[i].id);
    for (int32_t w : sites[i].workstations) {
      fnv.Add(inventory.workstations()[w].id);
      add_sensors(fnv, inventory.workstations()[w].desk_sensors);
    }
    fnv.Add("rooms");
    for (int32_t r : sites[i].rooms) {
      fnv.Add(inventory.spaces()[r].id);
      fnv.Add(inventory.spaces()[r].capacity);
      add_sensors(fnv, inventory.spaces()[r].room_sensors);
    }
    // The inventory's own fingerprint covers the settings and the sites'
    // zones and core hours.
    sites[i].fingerprint =
        absl::StrCat("booking-days-v1 ", inventory.fingerprint(), " ",
                     absl::Hex(fnv.value()));
  }
  return sites;
}

uint8_t DeskDayFlags(const DeskBookingTally& tally) {
  return static_cast<uint8_t>((tally.booked != 0 ? kDeskDayBooked : 0) |
                              (tally.observed != 0 ? kDeskDayObserved : 0) |
                              (tally.used != 0 ? kDeskDayUsed : 0));
}

DeskBookingTally DeskTallyOfFlags(uint8_t flags) {
  const bool booked = (flags & kDeskDayBooked) != 0;
  const bool observed = (flags & kDeskDayObserved) != 0;
  const bool used = (flags & kDeskDayUsed) != 0;
  DeskBookingTally tally;
  tally.booked = booked;
  tally.observed = observed;
  tally.used = used;
  tally.booked_observed = booked && observed;
  tally.no_shows = booked && observed && !used;
  tally.booked_unmeasured = booked && !observed;
  tally.unbooked_used = !booked && used;
  return tally;
}

RoomBookingFiguresOfDay ComputeRoomDay(const RoomBookingDay& day,
                                       const DayFrame& frame, HoursMode mode,
                                       const BookingThresholds& thresholds) {
  RoomBookingFiguresOfDay figures;
  const auto [start, end] = MeasuredWindow(frame, mode);
  if (end <= start) return figures;
  figures.total = TallyRoomDay(day, DayRange{start, end}, thresholds);
  for (int h = 0; h < 24; ++h) {
    const DayRange hour{std::max(start, frame.hour_start_ms[h]),
                        std::min(end, frame.hour_start_ms[h + 1])};
    if (hour.end_ms <= hour.start_ms) continue;
    figures.hours.emplace_back(h, TallyRoomDay(day, hour, thresholds));
  }
  if (day.counting) {
    for (const RoomBooking& b : day.bookings) {
      if (b.start_ms < start || b.start_ms >= end) continue;
      const int32_t people = PeoplePresent(day, b);
      if (people < 0) continue;
      figures.headcounts.push_back({b.part.start_ms, b.part.end_ms, people});
    }
  }
  return figures;
}

absl::Status AddRoomHours(const RoomBookingFiguresOfDay& room,
                          RoomHoursTally* into) {
  if (!room.hours.empty() || room.stored_hours.empty()) {
    for (const auto& [hour, tally] : room.hours) {
      into->hours[hour] += tally;
      into->present[hour] = true;
    }
    return absl::OkStatus();
  }
  // Straight from the stored form into the sums: a year by hour adds up
  // some 10 hours of every room-day.
  VarintReader in(room.stored_hours);
  size_t count = 0;
  if (!in.Bounded(&count, 24)) return Corrupt();
  for (size_t i = 0; i < count; ++i) {
    int32_t hour = 0;
    uint64_t mask = 0;
    if (!in.Bounded(&hour, 23) || !in.Varint(&mask) ||
        mask >= (uint64_t{1} << kRoomFields.size())) {
      return Corrupt();
    }
    RoomBookingTally& sum = into->hours[hour];
    for (size_t f = 0; mask != 0; ++f, mask >>= 1) {
      if ((mask & 1) == 0) continue;
      uint64_t v = 0;
      if (!in.Varint(&v)) return Corrupt();
      sum.*kRoomFields[f] += UnZigZag(v);
    }
    into->present[hour] = true;
  }
  if (!in.done()) return Corrupt();
  return absl::OkStatus();
}

std::string EncodeSiteBookingDay(const SiteBookingDay& day) {
  std::string out;
  PutVarint(out, kSiteBookingDayVersion);
  PutVarint(out, day.desks.size());
  out.append(reinterpret_cast<const char*>(day.desks.data()), day.desks.size());
  PutVarint(out, day.rooms.size());
  std::string hours;
  for (const RoomBookingFiguresOfDay& room : day.rooms) {
    PutTally(out, room.total);
    hours.clear();
    PutVarint(hours, room.hours.size());
    for (const auto& [hour, tally] : room.hours) {
      PutVarint(hours, static_cast<uint64_t>(hour));
      PutTally(hours, tally);
    }
    PutVarint(out, hours.size());
    out += hours;
    PutVarint(out, room.headcounts.size());
    for (const RoomDayHeadcount& h : room.headcounts) {
      PutVarint(out, ZigZag(h.start_ms));
      PutVarint(out, ZigZag(h.end_ms - h.start_ms));
      PutVarint(out, ZigZag(h.people));
    }
  }
  return out;
}

absl::Status DecodeSiteBookingDay(absl::string_view bytes,
                                  SiteBookingDay* day) {
  VarintReader in(bytes);
  uint64_t version = 0;
  if (!in.Varint(&version) || version != kSiteBookingDayVersion) {
    return Corrupt();
  }
  size_t desks = 0;
  absl::string_view flags;
  if (!in.Bounded(&desks, in.remaining()) || !in.Take(desks, &flags)) {
    return Corrupt();
  }
  day->desks.assign(flags.begin(), flags.end());
  for (uint8_t f : day->desks) {
    if (f > (kDeskDayBooked | kDeskDayObserved | kDeskDayUsed)) {
      return Corrupt();
    }
  }
  size_t rooms = 0;
  if (!in.Bounded(&rooms, in.remaining())) return Corrupt();
  day->rooms.resize(rooms);
  for (RoomBookingFiguresOfDay& room : day->rooms) {
    room.hours.clear();
    room.stored_hours = {};
    room.headcounts.clear();
    if (!ReadTally(in, &room.total)) return Corrupt();
    size_t hours_size = 0;
    absl::string_view hours_bytes;
    if (!in.Bounded(&hours_size, in.remaining()) ||
        !in.Take(hours_size, &hours_bytes)) {
      return Corrupt();
    }
    room.stored_hours = hours_bytes;
    size_t headcounts = 0;
    if (!in.Bounded(&headcounts, in.remaining())) return Corrupt();
    for (size_t i = 0; i < headcounts; ++i) {
      uint64_t start = 0;
      uint64_t length = 0;
      uint64_t people = 0;
      if (!in.Varint(&start) || !in.Varint(&length) || !in.Varint(&people)) {
        return Corrupt();
      }
      const int64_t s = UnZigZag(start);
      const int64_t e = s + UnZigZag(length);
      const int64_t p = UnZigZag(people);
      constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
      if (s < -kMax || s > kMax || e < -kMax || e > kMax || p < 0 || p > kMax) {
        return Corrupt();
      }
      room.headcounts.push_back({static_cast<int32_t>(s),
                                 static_cast<int32_t>(e),
                                 static_cast<int32_t>(p)});
    }
  }
  if (!in.done()) return Corrupt();
  return absl::OkStatus();
}

}  // namespace monipaikka
