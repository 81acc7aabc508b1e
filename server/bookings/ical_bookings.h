#pragma once

// Meeting-room bookings from an iCalendar export (RFC 5545, as Exchange /
// Microsoft 365 room mailboxes export them), parsed with libical: VEVENTs
// with DTSTART / DTEND (or DURATION) in their TZID time zones, RRULE and
// RDATE recurrences less EXDATEs, RECURRENCE-ID exceptions that move or
// cancel one instance, STATUS:CANCELLED, and the number of attendees.
// docs/bookings.md gives the exact rules.
//
// Thread safety: libical keeps its built-in time zones in process-wide
// state; ParseICalendar serializes its calls with a mutex of its own.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// One booked instance, before it is mapped to a room.
struct ICalBooking {
  // Line of the VEVENT's BEGIN in the export (from 1).
  int64_t line = 0;
  std::string uid;
  // [start_s, end_s): UTC seconds, or, when `floating`, the local wall
  // clock of the room's site written as if it were UTC (times without a
  // zone, and all-day events).
  int64_t start_s = 0;
  int64_t end_s = 0;
  bool floating = false;
  // An instance of a recurring event (RRULE or RDATE).
  bool recurring = false;
  // ATTENDEEs other than rooms and resources; -1 when there are none.
  int32_t attendees = -1;
  // How the event names its room: mailbox addresses of ATTENDEEs with
  // CUTYPE=ROOM or RESOURCE (lower case, without "mailto:"), then LOCATION.
  std::vector<std::string> rooms;
};

// A VEVENT that could not be taken, by line.
struct ICalProblem {
  int64_t line = 0;
  std::string message;
};

struct ICalExport {
  std::vector<ICalBooking> bookings;  // by start
  std::vector<ICalProblem> problems;  // by line
  // Every UID of the export (cancelled events included: their bookings
  // are covered, so a cancellation removes a stored one).
  std::vector<std::string> uids;
  int64_t events = 0;     // VEVENTs read
  int64_t cancelled = 0;  // events and instances dropped as cancelled
  // The range the recurrences were expanded over, UTC seconds.
  int64_t expanded_from_s = 0;
  int64_t expanded_to_s = 0;
};

// Parses `text`. Recurrences are expanded over [from_s, to_s) when given;
// otherwise from the earliest DTSTART to the latest end of a
// non-recurring event or, when something recurs, 366 days after the latest
// DTSTART. INVALID_ARGUMENT when the text is no iCalendar at all (no
// VCALENDAR); bad events are problems, and the good ones are still read.
// An export that expands to more than `max_bookings` instances is
// INVALID_ARGUMENT: a few lines of minutely rules would otherwise make
// millions of bookings.
inline constexpr size_t kMaxBookingsPerExport = 1'000'000;
absl::StatusOr<ICalExport> ParseICalendar(
    absl::string_view text, std::optional<int64_t> from_s,
    std::optional<int64_t> to_s, size_t max_bookings = kMaxBookingsPerExport);

}  // namespace monipaikka
