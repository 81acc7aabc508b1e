#include "server/bookings/booking_import.h"

#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/bookings/ical_bookings.h"

namespace monipaikka {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;
// A booking longer than this is no desk or room booking but an error.
constexpr int64_t kMaxBookingMs = 14 * kDayMs;
// Bookings are taken from 3 years before the import to 2 years after it
// (reports reach 1 098 days back): a date beyond is a typo, and as the
// edge of an export's covered range it would remove every booking of the
// source up to it.
constexpr int64_t kPastBookingDays = 3 * 365 + 1;
constexpr int64_t kFutureBookingDays = 2 * 365 + 1;
// A source names a mailbox or a booking system; it is listed in tables.
constexpr size_t kMaxSourceLength = 200;

// Codes and mailboxes of the inventory, for mapping.
class TargetIndex {
 public:
  explicit TargetIndex(const OccupancyInventory& inventory)
      : inventory_(inventory) {
    for (size_t s = 0; s < inventory.spaces().size(); ++s) {
      const auto& space = inventory.spaces()[s];
      rooms_[absl::AsciiStrToLower(space.code)] = static_cast<int32_t>(s);
      if (!space.email.empty()) rooms_[space.email] = static_cast<int32_t>(s);
    }
    for (size_t w = 0; w < inventory.workstations().size(); ++w) {
      desks_[inventory.workstations()[w].code] = static_cast<int32_t>(w);
    }
  }
  // A space by code (any case) or mailbox; -1 when none.
  int32_t Room(absl::string_view name) const {
    auto it = rooms_.find(absl::AsciiStrToLower(name));
    return it == rooms_.end() ? -1 : it->second;
  }
  int32_t Desk(absl::string_view code) const {
    auto it = desks_.find(code);
    return it == desks_.end() ? -1 : it->second;
  }
  const absl::TimeZone& ZoneOfSpace(int32_t space) const {
    return inventory_.sites()[inventory_.spaces()[space].site].zone;
  }
  const absl::TimeZone& ZoneOfDesk(int32_t desk) const {
    return inventory_.sites()[inventory_.workstations()[desk].site].zone;
  }

 private:
  const OccupancyInventory& inventory_;
  absl::flat_hash_map<std::string, int32_t> rooms_;
  absl::flat_hash_map<std::string, int32_t> desks_;
};

void Problem(v1::ImportBookingsResponse& response, int64_t line,
             std::string message) {
  v1::BookingProblem* p = response.add_problems();
  p->set_line(line);
  p->set_message(std::move(message));
}

absl::StatusOr<std::optional<int64_t>> OptionalInstant(absl::string_view field,
                                                       absl::string_view text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<int64_t> ms = ParseInstantMs(text);
  if (!ms.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not an RFC 3339 instant"));
  }
  return *ms;
}

// A CSV time: an instant, a local time or a date (see DeskBookingRow).
absl::StatusOr<int64_t> RowTime(absl::string_view field, std::string text,
                                const absl::TimeZone& zone, bool is_end) {
  text = std::string(absl::StripAsciiWhitespace(text));
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": missing"));
  }
  if (absl::StatusOr<int64_t> instant = ParseInstantMs(text); instant.ok()) {
    return *instant;
  }
  if (text.size() == 10) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(text);
    if (day.ok()) {
      return LocalToMs(absl::CivilSecond(is_end ? *day + 1 : *day), zone);
    }
  }
  if (text.size() >= 11 && text[10] == ' ') text[10] = 'T';
  absl::CivilSecond local;
  if (absl::ParseCivilTime(text, &local)) return LocalToMs(local, zone);
  absl::CivilMinute minute;
  if (absl::ParseCivilTime(text, &minute)) {
    return LocalToMs(absl::CivilSecond(minute), zone);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": \"", text,
                   "\" is no instant, local time (YYYY-MM-DD HH:MM) or date"));
}

// The problem of a booking starting at `start_ms`, outside the years
// bookings are taken from.
std::string OutsideYearsTaken(int64_t start_ms, int64_t now_ms) {
  return absl::StrCat(
      "start: ", FormatInstantMs(start_ms), " is more than ",
      start_ms < now_ms ? "3 years before today" : "2 years ahead",
      " (a typo?); bookings are taken from 3 years back to 2 "
      "years ahead");
}

int64_t FloatingToMs(int64_t local_as_utc_s, const absl::TimeZone& zone) {
  const absl::CivilSecond local = absl::ToCivilSecond(
      absl::FromUnixSeconds(local_as_utc_s), absl::UTCTimeZone());
  return LocalToMs(local, zone);
}

}  // namespace

absl::StatusOr<v1::ImportBookingsResponse> ImportBookings(
    StorageSession& session, const OccupancyInventory& inventory,
    const Pseudonymizer* pseudonymizer,
    const v1::ImportBookingsRequest& request, int64_t now_ms,
    std::vector<int32_t>* sites) {
  if (request.source().empty()) {
    return absl::InvalidArgumentError("source: is required");
  }
  if (request.source().size() > kMaxSourceLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("source: must be at most ", kMaxSourceLength,
                     " bytes, got ", request.source().size()));
  }
  for (char c : request.source()) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return absl::InvalidArgumentError(
          "source: must not hold control characters");
    }
  }
  const bool ics = !request.ics().empty();
  if (ics == (request.rows_size() > 0)) {
    return absl::InvalidArgumentError(
        "ics, rows: give exactly one of an iCalendar export and CSV rows");
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> covered_from,
                   OptionalInstant("covered_from", request.covered_from()));
  ASSIGN_OR_RETURN(std::optional<int64_t> covered_to,
                   OptionalInstant("covered_to", request.covered_to()));
  if (covered_from.has_value() != covered_to.has_value()) {
    return absl::InvalidArgumentError(
        "covered_from, covered_to: give both or neither");
  }
  if (covered_from.has_value() && *covered_to <= *covered_from) {
    return absl::InvalidArgumentError("covered_to: must be after covered_from");
  }
  const int64_t earliest_ms = now_ms - kPastBookingDays * kDayMs;
  const int64_t latest_ms = now_ms + kFutureBookingDays * kDayMs;
  if (covered_from.has_value() && *covered_from < earliest_ms) {
    return absl::InvalidArgumentError(
        absl::StrCat("covered_from: ", request.covered_from(),
                     " is more than 3 years before today"));
  }
  if (covered_to.has_value() && *covered_to > latest_ms) {
    return absl::InvalidArgumentError(absl::StrCat(
        "covered_to: ", request.covered_to(), " is more than 2 years ahead"));
  }
  const TargetIndex targets(inventory);
  int32_t default_room = -1;
  if (!request.space().empty()) {
    default_room = targets.Room(request.space());
    if (default_room < 0 || !inventory.IsRoomLike(default_room)) {
      return absl::InvalidArgumentError(
          absl::StrCat("space: no room \"", request.space(), "\""));
    }
  }

  v1::ImportBookingsResponse response;
  BookingReplacement replacement;
  std::vector<int32_t> site_of_row;  // by replacement.rows
  replacement.source = request.source();
  replacement.format = ics ? "ics" : "csv";
  replacement.imported_ms = now_ms;
  if (ics) {
    std::optional<int64_t> from_s, to_s;
    if (covered_from.has_value()) {
      // Instances that overlap the range: expand a day either side, for
      // floating times, and cut below.
      from_s = *covered_from / 1000 - 24 * 3600;
      to_s = *covered_to / 1000 + 24 * 3600;
    }
    ASSIGN_OR_RETURN(ICalExport parsed,
                     ParseICalendar(request.ics(), from_s, to_s));
    response.set_cancelled(parsed.cancelled);
    for (ICalProblem& p : parsed.problems) {
      Problem(response, p.line, std::move(p.message));
    }
    replacement.uids = parsed.uids;
    for (const ICalBooking& b : parsed.bookings) {
      int32_t room = -1;
      for (const std::string& name : b.rooms) {
        room = targets.Room(name);
        if (room >= 0) break;
      }
      if (room < 0) room = default_room;
      if (room < 0) {
        Problem(response, b.line,
                b.rooms.empty()
                    ? std::string("no room: the event names none (ATTENDEE "
                                  "CUTYPE=ROOM or LOCATION); give the "
                                  "import's space")
                    : absl::StrCat("no space with the email or code \"",
                                   b.rooms.front(), "\""));
        continue;
      }
      if (!inventory.IsRoomLike(room)) {
        Problem(response, b.line,
                absl::StrCat("space \"", inventory.spaces()[room].code,
                             "\" is no room"));
        continue;
      }
      BookingRow row;
      row.space_id = inventory.spaces()[room].id;
      site_of_row.push_back(inventory.spaces()[room].site);
      const absl::TimeZone& zone = targets.ZoneOfSpace(room);
      row.start_ms =
          b.floating ? FloatingToMs(b.start_s, zone) : b.start_s * 1000;
      row.end_ms = b.floating ? FloatingToMs(b.end_s, zone) : b.end_s * 1000;
      row.attendees = b.attendees;
      row.uid = b.uid;
      if (covered_from.has_value() &&
          (row.end_ms <= *covered_from || row.start_ms >= *covered_to)) {
        site_of_row.pop_back();
        continue;  // expanded, but outside the range
      }
      if (!covered_from.has_value() &&
          (row.start_ms < earliest_ms || row.start_ms >= latest_ms)) {
        site_of_row.pop_back();
        if (b.recurring) continue;  // an instance beyond the years taken
        Problem(response, b.line, OutsideYearsTaken(row.start_ms, now_ms));
        continue;
      }
      replacement.rows.push_back(std::move(row));
    }
  } else {
    absl::flat_hash_map<std::string, std::string> pseudonyms;
    for (const v1::DeskBookingRow& r : request.rows()) {
      const bool has_desk = !r.workstation().empty();
      if (has_desk == !r.space().empty()) {
        Problem(response, r.line(),
                "workstation, space: give exactly one of them");
        continue;
      }
      BookingRow row;
      const absl::TimeZone* zone = nullptr;
      int32_t site = -1;
      if (has_desk) {
        const int32_t desk = targets.Desk(r.workstation());
        if (desk < 0) {
          Problem(response, r.line(),
                  absl::StrCat("workstation: no workstation \"",
                               r.workstation(), "\""));
          continue;
        }
        row.workstation_id = inventory.workstations()[desk].id;
        site = inventory.workstations()[desk].site;
        zone = &targets.ZoneOfDesk(desk);
      } else {
        const int32_t room = targets.Room(r.space());
        if (room < 0 || !inventory.IsRoomLike(room)) {
          Problem(response, r.line(),
                  absl::StrCat("space: no room \"", r.space(), "\""));
          continue;
        }
        row.space_id = inventory.spaces()[room].id;
        site = inventory.spaces()[room].site;
        zone = &targets.ZoneOfSpace(room);
      }
      absl::StatusOr<int64_t> start = RowTime("start", r.start(), *zone, false);
      absl::StatusOr<int64_t> end = RowTime("end", r.end(), *zone, true);
      if (!start.ok() || !end.ok()) {
        Problem(response, r.line(),
                std::string((start.ok() ? end : start).status().message()));
        continue;
      }
      if (*end <= *start) {
        Problem(response, r.line(), "end: not after start");
        continue;
      }
      if (*end - *start > kMaxBookingMs) {
        Problem(response, r.line(), "end: the booking is longer than 14 days");
        continue;
      }
      if (*start < earliest_ms || *start >= latest_ms) {
        Problem(response, r.line(), OutsideYearsTaken(*start, now_ms));
        continue;
      }
      row.start_ms = *start;
      row.end_ms = *end;
      const std::string booker(absl::StripAsciiWhitespace(r.booker()));
      if (!booker.empty()) {
        if (pseudonymizer == nullptr) {
          response.set_bookers_dropped(response.bookers_dropped() + 1);
        } else {
          auto [it, inserted] = pseudonyms.try_emplace(booker);
          if (inserted) it->second = pseudonymizer->Pseudonymize(booker);
          row.booker = it->second;
        }
      }
      site_of_row.push_back(site);
      replacement.rows.push_back(std::move(row));
    }
  }
  response.set_received(static_cast<int64_t>(replacement.rows.size()) +
                        response.problems_size());

  // The covered range: as given, or the bookings' own.
  if (covered_from.has_value()) {
    replacement.from_ms = *covered_from;
    replacement.to_ms = *covered_to;
  } else if (!replacement.rows.empty()) {
    replacement.from_ms = INT64_MAX;
    replacement.to_ms = INT64_MIN;
    for (const BookingRow& row : replacement.rows) {
      replacement.from_ms = std::min(replacement.from_ms, row.start_ms);
      replacement.to_ms = std::max(replacement.to_ms, row.end_ms);
    }
  }
  if (replacement.to_ms > replacement.from_ms) {
    response.set_covered_from(FormatInstantMs(replacement.from_ms));
    response.set_covered_to(FormatInstantMs(replacement.to_ms));
  }
  std::sort(response.mutable_problems()->begin(),
            response.mutable_problems()->end(),
            [](const v1::BookingProblem& a, const v1::BookingProblem& b) {
              return a.line() < b.line();
            });
  if (replacement.rows.empty() && replacement.uids.empty() &&
      !covered_from.has_value()) {
    return response;  // nothing to store, nothing covered
  }
  ASSIGN_OR_RETURN(BookingReplaceCounts counts,
                   session.Bookings().ReplaceBookings(replacement));
  response.set_added(counts.added);
  response.set_removed(counts.removed);
  response.set_unchanged(counts.unchanged);
  if (sites != nullptr) {
    std::sort(site_of_row.begin(), site_of_row.end());
    site_of_row.erase(std::unique(site_of_row.begin(), site_of_row.end()),
                      site_of_row.end());
    *sites = std::move(site_of_row);
  }
  return response;
}

}  // namespace monipaikka
