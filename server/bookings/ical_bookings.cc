#include "server/bookings/ical_bookings.h"

#include <libical/ical.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace monipaikka {
namespace {

constexpr int64_t kDayS = 24 * 3600;
// Instances one recurring event may give, at most: bounds the work a
// FREQ=SECONDLY rule could ask for.
constexpr int kMaxInstancesPerEvent = 20000;

absl::Mutex& LibicalMutex() {
  static absl::Mutex* const mutex = new absl::Mutex();
  return *mutex;
}

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

// Where a local time is: in a VTIMEZONE of the export (libical converts),
// in a zone of the system's database (absl converts: libical's own copy of
// the database is not installed), in UTC, or nowhere (floating).
struct Zone {
  const icaltimezone* vtimezone = nullptr;
  std::optional<absl::TimeZone> system;
};

// A DATE or DATE-TIME value resolved to an instant.
struct Instant {
  int64_t s = 0;          // UTC seconds, or local written as UTC (floating)
  bool floating = false;  // no zone: the room's local time
  bool is_date = false;
  icaltimetype local{};  // the value as written (its wall clock)
  Zone zone;
};

// The zone of a property's TZID parameter: a VTIMEZONE of the export, else
// a zone of the system's database by that name. *unknown is set when a
// TZID names neither.
Zone ZoneOf(icalproperty* prop, icalcomponent* event, std::string* unknown) {
  Zone zone;
  const char* tzid = icalproperty_get_parameter_as_string(prop, "TZID");
  if (tzid == nullptr || *tzid == '\0') return zone;
  for (icalcomponent* c = event; c != nullptr;
       c = icalcomponent_get_parent(c)) {
    if (icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) continue;
    if (icaltimezone* own = icalcomponent_get_timezone(c, tzid)) {
      zone.vtimezone = own;
      return zone;
    }
  }
  absl::TimeZone system;
  if (absl::LoadTimeZone(tzid, &system)) {
    zone.system = system;
    return zone;
  }
  *unknown = tzid;
  return zone;
}

// UTC seconds of a wall-clock time in `zone` (floating: the wall clock
// written as if it were UTC).
int64_t ToSeconds(icaltimetype local, const Zone& zone) {
  if (zone.vtimezone != nullptr) {
    // The VTIMEZONE's offset at that wall-clock time (its STANDARD and
    // DAYLIGHT rules), taken off the wall clock.
    local.zone = nullptr;
    int is_daylight = 0;
    const int offset_s = icaltimezone_get_utc_offset(
        const_cast<icaltimezone*>(zone.vtimezone), &local, &is_daylight);
    return static_cast<int64_t>(icaltime_as_timet(local)) - offset_s;
  }
  const absl::CivilSecond civil(
      local.year, local.month, local.day, local.is_date ? 0 : local.hour,
      local.is_date ? 0 : local.minute, local.is_date ? 0 : local.second);
  return absl::ToUnixSeconds(absl::FromCivil(
      civil, zone.system.has_value() ? *zone.system : absl::UTCTimeZone()));
}

absl::StatusOr<Instant> ResolveTime(icaltimetype value, icalproperty* prop,
                                    icalcomponent* event,
                                    absl::string_view name) {
  if (icaltime_is_null_time(value) || !icaltime_is_valid_time(value)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": not a valid time"));
  }
  Instant instant;
  instant.is_date = value.is_date != 0;
  if (icaltime_is_utc(value)) {
    instant.zone.system = absl::UTCTimeZone();
  } else if (!instant.is_date) {
    std::string unknown;
    instant.zone = ZoneOf(prop, event, &unknown);
    if (!unknown.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": unknown time zone TZID=", unknown,
                       " (no VTIMEZONE of that name in the export, and no "
                       "such zone in the time-zone database)"));
    }
  }
  value.zone = nullptr;
  instant.local = value;
  instant.floating =
      instant.zone.vtimezone == nullptr && !instant.zone.system.has_value();
  instant.s = ToSeconds(value, instant.zone);
  return instant;
}

// The (first) property of a kind resolved, or nullopt when absent.
absl::StatusOr<std::optional<Instant>> PropertyTime(icalcomponent* event,
                                                    icalproperty_kind kind,
                                                    absl::string_view name) {
  icalproperty* prop = icalcomponent_get_first_property(event, kind);
  if (prop == nullptr) return std::nullopt;
  icaltimetype value;
  switch (kind) {
    case ICAL_DTSTART_PROPERTY:
      value = icalproperty_get_dtstart(prop);
      break;
    case ICAL_DTEND_PROPERTY:
      value = icalproperty_get_dtend(prop);
      break;
    case ICAL_RECURRENCEID_PROPERTY:
      value = icalproperty_get_recurrenceid(prop);
      break;
    default:
      return absl::InternalError("not a time property");
  }
  absl::StatusOr<Instant> instant = ResolveTime(value, prop, event, name);
  if (!instant.ok()) return instant.status();
  return *instant;
}

std::string Lower(absl::string_view text) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
}

std::string MailboxOf(const char* attendee) {
  std::string address = Lower(attendee == nullptr ? "" : attendee);
  if (absl::StartsWith(address, "mailto:")) address = address.substr(7);
  return address;
}

// One VEVENT read, before its recurrences are expanded.
struct Event {
  int64_t line = 0;
  icalcomponent* component = nullptr;  // borrowed from the parsed tree
  std::string uid;
  Instant start;
  int64_t duration_s = 0;
  bool cancelled = false;
  std::optional<Instant> recurrence_id;
  bool recurs = false;
  int32_t attendees = -1;
  std::vector<std::string> rooms;
};

absl::StatusOr<Event> ReadEvent(icalcomponent* c, int64_t line) {
  if (icalproperty* error =
          icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY)) {
    const char* message = icalproperty_get_xlicerror(error);
    return absl::InvalidArgumentError(absl::StrCat(
        "not valid iCalendar: ", message == nullptr ? "parse error" : message));
  }
  Event event;
  event.line = line;
  event.component = c;
  if (const char* uid = icalcomponent_get_uid(c)) event.uid = uid;
  absl::StatusOr<std::optional<Instant>> start =
      PropertyTime(c, ICAL_DTSTART_PROPERTY, "DTSTART");
  if (!start.ok()) return start.status();
  if (!start->has_value()) {
    return absl::InvalidArgumentError("DTSTART: missing");
  }
  event.start = **start;
  absl::StatusOr<std::optional<Instant>> end =
      PropertyTime(c, ICAL_DTEND_PROPERTY, "DTEND");
  if (!end.ok()) return end.status();
  if (end->has_value()) {
    event.duration_s = (*end)->s - event.start.s;
    if ((*end)->floating != event.start.floating && !(*end)->is_date) {
      return absl::InvalidArgumentError(
          "DTEND: one of DTSTART and DTEND has a time zone and the other not");
    }
  } else if (icalproperty* d =
                 icalcomponent_get_first_property(c, ICAL_DURATION_PROPERTY)) {
    event.duration_s = icaldurationtype_as_int(icalproperty_get_duration(d));
  } else if (event.start.is_date) {
    event.duration_s = kDayS;  // RFC 5545 3.6.1: an all-day event
  } else {
    return absl::InvalidArgumentError(
        "DTEND: missing (and no DURATION): the booking has no length");
  }
  if (event.duration_s <= 0) {
    return absl::InvalidArgumentError("DTEND: not after DTSTART");
  }
  event.cancelled = icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED;
  absl::StatusOr<std::optional<Instant>> recurrence_id =
      PropertyTime(c, ICAL_RECURRENCEID_PROPERTY, "RECURRENCE-ID");
  if (!recurrence_id.ok()) return recurrence_id.status();
  event.recurrence_id = *recurrence_id;
  event.recurs =
      icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY) != nullptr ||
      icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY) != nullptr;
  for (icalproperty* p =
           icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_ATTENDEE_PROPERTY)) {
    icalparameter* cutype =
        icalproperty_get_first_parameter(p, ICAL_CUTYPE_PARAMETER);
    const icalparameter_cutype kind = cutype == nullptr
                                          ? ICAL_CUTYPE_INDIVIDUAL
                                          : icalparameter_get_cutype(cutype);
    if (kind == ICAL_CUTYPE_ROOM || kind == ICAL_CUTYPE_RESOURCE) {
      event.rooms.push_back(MailboxOf(icalproperty_get_attendee(p)));
    } else {
      event.attendees = std::max(event.attendees, 0) + 1;
    }
  }
  if (const char* location = icalcomponent_get_location(c)) {
    // Outlook joins several rooms with "; ".
    for (absl::string_view part : absl::StrSplit(location, ';')) {
      const std::string room = Lower(part);
      if (!room.empty()) event.rooms.push_back(room);
    }
  }
  return event;
}

// The local dates of the DATE values among an event's EXDATEs, and the
// instants of its DATE-TIME ones.
struct Exclusions {
  std::set<int64_t> instants;
  std::set<std::tuple<int, int, int>> dates;
};

absl::StatusOr<Exclusions> ReadExclusions(icalcomponent* c) {
  Exclusions exclusions;
  for (icalproperty* p =
           icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
    absl::StatusOr<Instant> at =
        ResolveTime(icalproperty_get_exdate(p), p, c, "EXDATE");
    if (!at.ok()) return at.status();
    if (at->is_date) {
      exclusions.dates.insert({at->local.year, at->local.month, at->local.day});
    } else {
      exclusions.instants.insert(at->s);
    }
  }
  return exclusions;
}

// The start instants of a recurring event's instances that end after
// from_s and start before to_s, less its EXDATEs.
absl::StatusOr<std::vector<int64_t>> Expand(const Event& event, int64_t from_s,
                                            int64_t to_s) {
  absl::StatusOr<Exclusions> excluded = ReadExclusions(event.component);
  if (!excluded.ok()) return excluded.status();
  std::set<int64_t> starts;
  auto add = [&](icaltimetype local, int64_t s) {
    if (s + event.duration_s <= from_s || s >= to_s) return;
    if (excluded->instants.contains(s)) return;
    if (excluded->dates.contains({local.year, local.month, local.day})) return;
    starts.insert(s);
  };
  add(event.start.local, event.start.s);  // DTSTART is always an instance
  icalcomponent* c = event.component;
  for (icalproperty* p =
           icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_RRULE_PROPERTY)) {
    icalrecurrencetype rule = icalproperty_get_rrule(p);
    if (rule.freq == ICAL_NO_RECURRENCE) {
      return absl::InvalidArgumentError("RRULE: not a valid rule");
    }
    icalrecur_iterator* it = icalrecur_iterator_new(rule, event.start.local);
    if (it == nullptr) {
      return absl::InvalidArgumentError("RRULE: cannot be expanded");
    }
    int count = 0;
    for (icaltimetype next = icalrecur_iterator_next(it);
         !icaltime_is_null_time(next); next = icalrecur_iterator_next(it)) {
      if (++count > kMaxInstancesPerEvent) {
        icalrecur_iterator_free(it);
        return absl::InvalidArgumentError(
            absl::StrCat("RRULE: more than ", kMaxInstancesPerEvent,
                         " instances in the expanded range"));
      }
      next.zone = nullptr;
      const int64_t s = ToSeconds(next, event.start.zone);
      if (s >= to_s) break;
      add(next, s);
    }
    icalrecur_iterator_free(it);
  }
  for (icalproperty* p =
           icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
    icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
    icaltimetype at =
        icaltime_is_null_time(rdate.time) ? rdate.period.start : rdate.time;
    absl::StatusOr<Instant> instant = ResolveTime(at, p, c, "RDATE");
    if (!instant.ok()) return instant.status();
    add(instant->local, instant->s);
  }
  return std::vector<int64_t>(starts.begin(), starts.end());
}

// Lines (from 1) on which a "BEGIN:VEVENT" line stands, in order.
std::vector<int64_t> EventLines(absl::string_view text) {
  std::vector<int64_t> lines;
  int64_t line = 0;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    ++line;
    if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(l), "BEGIN:VEVENT")) {
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace

absl::StatusOr<ICalExport> ParseICalendar(absl::string_view text,
                                          std::optional<int64_t> from_s,
                                          std::optional<int64_t> to_s,
                                          size_t max_bookings) {
  absl::MutexLock lock(&LibicalMutex());
  icalerror_set_errors_are_fatal(0);
  const std::string copy(text);  // libical wants a NUL-terminated string
  std::unique_ptr<icalcomponent, ComponentDeleter> root(
      icalparser_parse_string(copy.c_str()));
  icalerror_clear_errno();
  if (root == nullptr) {
    return absl::InvalidArgumentError("not an iCalendar file (no VCALENDAR)");
  }
  std::vector<icalcomponent*> calendars;
  if (icalcomponent_isa(root.get()) == ICAL_VCALENDAR_COMPONENT) {
    calendars.push_back(root.get());
  } else {
    for (icalcomponent* c = icalcomponent_get_first_component(
             root.get(), ICAL_VCALENDAR_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(
                           root.get(), ICAL_VCALENDAR_COMPONENT)) {
      calendars.push_back(c);
    }
  }
  if (calendars.empty()) {
    return absl::InvalidArgumentError("not an iCalendar file (no VCALENDAR)");
  }
  const std::vector<int64_t> lines = EventLines(text);

  ICalExport out;
  std::vector<Event> events;
  for (icalcomponent* calendar : calendars) {
    for (icalcomponent* c =
             icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(
                           calendar, ICAL_VEVENT_COMPONENT)) {
      const size_t index = static_cast<size_t>(out.events++);
      const int64_t line = index < lines.size() ? lines[index] : 0;
      absl::StatusOr<Event> event = ReadEvent(c, line);
      if (!event.ok()) {
        out.problems.push_back({line, std::string(event.status().message())});
        continue;
      }
      events.push_back(*std::move(event));
    }
  }

  // The range to expand over.
  if (from_s.has_value() && to_s.has_value()) {
    out.expanded_from_s = *from_s;
    out.expanded_to_s = *to_s;
  } else {
    int64_t first = INT64_MAX;
    int64_t last = INT64_MIN;
    for (const Event& e : events) {
      first = std::min(first, e.start.s);
      last = std::max(
          last, e.recurs ? e.start.s + 366 * kDayS : e.start.s + e.duration_s);
    }
    // Floating times may lie up to 14 h either side of their UTC instant.
    out.expanded_from_s =
        from_s.value_or(first == INT64_MAX ? 0 : first - kDayS);
    out.expanded_to_s = to_s.value_or(last == INT64_MIN ? 0 : last + kDayS);
  }

  // Exceptions replace the instance their RECURRENCE-ID names.
  std::map<std::string, std::set<int64_t>> replaced;
  std::set<std::string> uids;
  for (const Event& e : events) {
    if (!e.uid.empty()) uids.insert(e.uid);
    if (e.recurrence_id.has_value()) replaced[e.uid].insert(e.recurrence_id->s);
  }
  for (const Event& e : events) {
    auto booking = [&](int64_t start_s) {
      ICalBooking b;
      b.line = e.line;
      b.uid = e.uid;
      b.start_s = start_s;
      b.end_s = start_s + e.duration_s;
      b.floating = e.start.floating;
      b.recurring = e.recurs && !e.recurrence_id.has_value();
      b.attendees = e.attendees;
      b.rooms = e.rooms;
      return b;
    };
    if (e.recurrence_id.has_value() || !e.recurs) {
      if (e.cancelled) {
        ++out.cancelled;
        continue;
      }
      if (e.start.s + e.duration_s <= out.expanded_from_s ||
          e.start.s >= out.expanded_to_s) {
        continue;
      }
      out.bookings.push_back(booking(e.start.s));
      continue;
    }
    absl::StatusOr<std::vector<int64_t>> starts =
        Expand(e, out.expanded_from_s, out.expanded_to_s);
    if (!starts.ok()) {
      out.problems.push_back({e.line, std::string(starts.status().message())});
      continue;
    }
    const std::set<int64_t>& moved = replaced[e.uid];
    for (int64_t s : *starts) {
      if (moved.contains(s)) continue;  // an exception stands for it
      if (e.cancelled) {
        ++out.cancelled;
        continue;
      }
      out.bookings.push_back(booking(s));
    }
    if (out.bookings.size() > max_bookings) {
      return absl::InvalidArgumentError(
          absl::StrCat("ics: the export expands to more than ", max_bookings,
                       " bookings (by the event at line ", e.line,
                       "): export a shorter range, or one room at a time"));
    }
  }
  std::sort(out.bookings.begin(), out.bookings.end(),
            [](const ICalBooking& a, const ICalBooking& b) {
              return std::tie(a.start_s, a.line) < std::tie(b.start_s, b.line);
            });
  std::sort(out.problems.begin(), out.problems.end(),
            [](const ICalProblem& a, const ICalProblem& b) {
              return a.line < b.line;
            });
  out.uids.assign(uids.begin(), uids.end());
  return out;
}

}  // namespace monipaikka
