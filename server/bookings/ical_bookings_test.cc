#include "server/bookings/ical_bookings.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace monipaikka {
namespace {

int64_t Utc(const std::string& rfc3339) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error))
      << error;
  return absl::ToUnixSeconds(t);
}

// Exchange's way of writing Helsinki time, with its own VTIMEZONE.
constexpr char kHeader[] = R"(BEGIN:VCALENDAR
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VTIMEZONE
TZID:FLE Standard Time
BEGIN:STANDARD
DTSTART:16010101T040000
TZOFFSETFROM:+0300
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0300
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
)";

std::string Calendar(const std::vector<std::string>& events) {
  return absl::StrCat(kHeader, absl::StrJoin(events, ""), "END:VCALENDAR\n");
}

TEST(ICalBookingsTest, RecurringMeetingWithAnExceptionACancellationAndDst) {
  // Weekly on Mondays 10:00-11:00 Helsinki time from 2026-03-16, four
  // times: 03-16 (EET, +02), 03-23, 03-30 (EEST after the 03-29 change),
  // 04-06. The 03-23 instance is cancelled through EXDATE; the 03-30 one
  // moved to 13:00-14:30 by an exception; and a RECURRENCE-ID for 04-06
  // cancels that one.
  const std::string ics = Calendar({
      R"(BEGIN:VEVENT
UID:weekly-1
SUMMARY:Team
DTSTART;TZID=FLE Standard Time:20260316T100000
DTEND;TZID=FLE Standard Time:20260316T110000
RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO
EXDATE;TZID=FLE Standard Time:20260323T100000
ATTENDEE;CUTYPE=INDIVIDUAL:mailto:a@agency.fi
ATTENDEE;CUTYPE=INDIVIDUAL:mailto:b@agency.fi
ATTENDEE;CUTYPE=ROOM:mailto:Room.3A@agency.fi
LOCATION:Room 3A
END:VEVENT
)",
      R"(BEGIN:VEVENT
UID:weekly-1
RECURRENCE-ID;TZID=FLE Standard Time:20260330T100000
DTSTART;TZID=FLE Standard Time:20260330T130000
DTEND;TZID=FLE Standard Time:20260330T143000
ATTENDEE;CUTYPE=ROOM:mailto:room.3a@agency.fi
END:VEVENT
)",
      R"(BEGIN:VEVENT
UID:weekly-1
RECURRENCE-ID;TZID=FLE Standard Time:20260406T100000
DTSTART;TZID=FLE Standard Time:20260406T100000
DTEND;TZID=FLE Standard Time:20260406T110000
STATUS:CANCELLED
END:VEVENT
)",
  });
  auto parsed = ParseICalendar(ics, std::nullopt, std::nullopt);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->problems.empty()) << parsed->problems.front().line << ": "
                                        << parsed->problems.front().message;
  EXPECT_EQ(parsed->events, 3);
  EXPECT_EQ(parsed->cancelled, 1);
  ASSERT_EQ(parsed->bookings.size(), 2u);
  const ICalBooking& first = parsed->bookings[0];
  EXPECT_EQ(first.start_s, Utc("2026-03-16T08:00:00Z"));
  EXPECT_EQ(first.end_s, Utc("2026-03-16T09:00:00Z"));
  EXPECT_FALSE(first.floating);
  EXPECT_EQ(first.attendees, 2);
  EXPECT_EQ(first.uid, "weekly-1");
  EXPECT_EQ(first.line, 19);  // after the 18 lines of the header
  ASSERT_EQ(first.rooms.size(), 2u);
  EXPECT_EQ(first.rooms[0], "room.3a@agency.fi");
  EXPECT_EQ(first.rooms[1], "room 3a");
  // After the DST change 13:00 local is 10:00Z.
  const ICalBooking& moved = parsed->bookings[1];
  EXPECT_EQ(moved.start_s, Utc("2026-03-30T10:00:00Z"));
  EXPECT_EQ(moved.end_s, Utc("2026-03-30T11:30:00Z"));
  EXPECT_EQ(moved.attendees, -1);
  EXPECT_EQ(parsed->uids, std::vector<std::string>{"weekly-1"});
}

TEST(ICalBookingsTest, ABookingAcrossTheDstChangeLastsItsRealLength) {
  // 2026-10-25 03:00 EEST → 03:00 EET (04:00 repeats 03:00). Booked
  // 02:00-05:00 local in the IANA zone: 4 hours of real time.
  const std::string ics = Calendar({R"(BEGIN:VEVENT
UID:night
DTSTART;TZID=Europe/Helsinki:20261025T020000
DTEND;TZID=Europe/Helsinki:20261025T050000
END:VEVENT
)"});
  auto parsed = ParseICalendar(ics, std::nullopt, std::nullopt);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->bookings.size(), 1u);
  EXPECT_EQ(parsed->bookings[0].start_s, Utc("2026-10-24T23:00:00Z"));
  EXPECT_EQ(parsed->bookings[0].end_s, Utc("2026-10-25T03:00:00Z"));
}

TEST(ICalBookingsTest, BadEventsAreReportedByLineAndTheGoodOnesRead) {
  const std::string ics = Calendar({
      R"(BEGIN:VEVENT
UID:no-zone-known
DTSTART;TZID=Mars/Olympus:20260316T100000
DTEND;TZID=Mars/Olympus:20260316T110000
END:VEVENT
)",
      R"(BEGIN:VEVENT
UID:no-end
DTSTART:20260316T100000Z
END:VEVENT
)",
      R"(BEGIN:VEVENT
UID:backwards
DTSTART:20260316T100000Z
DTEND:20260316T090000Z
END:VEVENT
)",
      R"(BEGIN:VEVENT
UID:floating
DTSTART:20260317T090000
DURATION:PT45M
END:VEVENT
)",
  });
  auto parsed = ParseICalendar(ics, std::nullopt, std::nullopt);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->problems.size(), 3u);
  EXPECT_EQ(parsed->problems[0].line, 19);
  EXPECT_NE(parsed->problems[0].message.find("Mars/Olympus"),
            std::string::npos);
  EXPECT_EQ(parsed->problems[1].line, 24);
  EXPECT_EQ(parsed->problems[1].message.rfind("DTEND:", 0), 0u);
  EXPECT_EQ(parsed->problems[2].line, 28);
  ASSERT_EQ(parsed->bookings.size(), 1u);
  // A time without a zone is the room's local time, written as if UTC.
  EXPECT_TRUE(parsed->bookings[0].floating);
  EXPECT_EQ(parsed->bookings[0].start_s, Utc("2026-03-17T09:00:00Z"));
  EXPECT_EQ(parsed->bookings[0].end_s - parsed->bookings[0].start_s, 45 * 60);

  EXPECT_FALSE(ParseICalendar("hello", std::nullopt, std::nullopt).ok());
}

TEST(ICalBookingsTest, AnOpenEndedRuleIsExpandedOverTheGivenRange) {
  const std::string ics = Calendar({R"(BEGIN:VEVENT
UID:daily
DTSTART:20260105T070000Z
DTEND:20260105T073000Z
RRULE:FREQ=DAILY
END:VEVENT
)"});
  auto parsed = ParseICalendar(ics, Utc("2026-02-01T00:00:00Z"),
                               Utc("2026-02-08T00:00:00Z"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->bookings.size(), 7u);
  EXPECT_EQ(parsed->bookings[0].start_s, Utc("2026-02-01T07:00:00Z"));
  // Without a range: 366 days after DTSTART.
  auto open = ParseICalendar(ics, std::nullopt, std::nullopt);
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->bookings.size(), 367u);
  // More instances than an export may have (a million by default): the
  // whole export is refused, naming the event that went over.
  auto too_many = ParseICalendar(ics, std::nullopt, std::nullopt, 300);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(too_many.status().message()),
            "ics: the export expands to more than 300 bookings (by the event "
            "at line 19): export a shorter range, or one room at a time");
}

}  // namespace
}  // namespace monipaikka
