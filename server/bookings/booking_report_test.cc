#include "server/bookings/booking_report.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/bookings/booking_import.h"
#include "server/reports/occupancy_test_util.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kMin = 60 * 1000;
constexpr int64_t kHour = 60 * kMin;

// Site HKI (Europe/Helsinki, core hours Mon-Fri 08:00-16:00 less public
// holidays). Room R (capacity 6, mailbox room.r@agency.fi) with a people
// counter; desks D1 and D2 with sensors, D3 without.
//
// Room R: a weekly Monday 10:00-11:00 meeting from 2026-03-16, four times;
// 03-23 cancelled by EXDATE; 03-30 (after the DST change of 03-29) moved to
// 13:00-14:30 by an exception; 04-06 is Easter Monday, a holiday. A single
// meeting on Tuesday 03-17 09:00-10:00 with three attendees.
// Counts: 03-16 and 03-17 known 08:00-16:00 (0 people, except on 03-17:
// 2 from 09:00, 4 from 09:30, 0 from 09:45); 03-30 known only 08:00-13:00
// (the counter is out from then on).
//
// Desks, on 03-16 and 03-17 known 08:00-16:00: D1 occupied 09:00-10:00 both
// days; D2 only 09:00-09:10 on 03-16. D1, D2 and D3 are booked for 03-16.
class BookingReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    auto* org = inventory.add_organizations();
    org->set_code("X");
    org->set_name("Agency X");
    AddSite(inventory, "HKI");
    AddSpace(inventory, "HKI-1", "HKI", "", "floor");
    AddSpace(inventory, "HKI-1-R", "HKI", "HKI-1", "room", 6)
        ->set_email("Room.R@agency.fi");
    AddRoomSensor(inventory, "R-CNT", "HKI-1-R", "area_count");
    AddDesk(inventory, "D1", "HKI-1", "unassigned", "X");
    AddDesk(inventory, "D2", "HKI-1", "unassigned", "X");
    AddDesk(inventory, "D3", "HKI-1", "unassigned", "X", /*sensor=*/false);
    f_.Import(inventory);

    auto hourly = [](const std::string& date, int from_h, int to_h) {
      std::vector<std::pair<std::string, int64_t>> readings;
      for (int h = from_h; h <= to_h; ++h) {
        readings.emplace_back(absl::StrFormat("%sT%02d:00:00Z", date, h), 0);
      }
      return readings;
    };
    // 08:00-16:00 EET is 06:00Z-14:00Z; EEST 05:00Z-13:00Z.
    auto room = hourly("2026-03-16", 6, 14);
    auto tuesday = hourly("2026-03-17", 6, 14);
    tuesday[1].second = 2;  // 07:00Z
    tuesday.emplace_back("2026-03-17T07:30:00Z", 4);
    tuesday.emplace_back("2026-03-17T07:45:00Z", 0);
    room.insert(room.end(), tuesday.begin(), tuesday.end());
    auto outage = hourly("2026-03-30", 5, 9);  // known until 10:00Z
    room.insert(room.end(), outage.begin(), outage.end());
    f_.Insert("R-CNT", room);

    std::vector<std::pair<std::string, int64_t>> d1, d2;
    for (const char* date : {"2026-03-16", "2026-03-17"}) {
      auto day = hourly(date, 6, 14);
      auto d1_day = day;
      d1_day[1].second = 1;  // 09:00-10:00 local
      d1.insert(d1.end(), d1_day.begin(), d1_day.end());
      auto d2_day = day;
      if (std::string(date) == "2026-03-16") {
        d2_day[1].second = 1;
        d2_day.emplace_back("2026-03-16T07:10:00Z", 0);
      }
      d2.insert(d2.end(), d2_day.begin(), d2_day.end());
    }
    f_.Insert("D1-DEV", d1);
    f_.Insert("D2-DEV", d2);
    f_.Summarize();
  }

  v1::ImportBookingsResponse Import(const v1::ImportBookingsRequest& request) {
    auto response = ImportBookings(f_.session(), f_.inventory(), nullptr,
                                   request, At("2026-04-10T00:00:00Z"));
    EXPECT_TRUE(response.ok()) << response.status();
    return response.value_or(v1::ImportBookingsResponse{});
  }

  // A row of `csv` on its next line (from 2, after the header) that starts
  // and ends on `start` (a date: the whole day).
  static v1::DeskBookingRow* AddRow(v1::ImportBookingsRequest& csv,
                                    const std::string& start) {
    v1::DeskBookingRow* row = csv.add_rows();
    row->set_line(csv.rows_size() + 1);
    row->set_start(start);
    row->set_end(start);
    return row;
  }

  // The desk system's export: D1, D2 and D3 booked for 03-16, lines 2-4.
  static v1::ImportBookingsRequest DeskSystemExport() {
    v1::ImportBookingsRequest csv;
    csv.set_source("desk system");
    for (const char* desk : {"D1", "D2", "D3"}) {
      AddRow(csv, "2026-03-16")->set_workstation(desk);
    }
    return csv;
  }

  void ImportAll() {
    v1::ImportBookingsRequest ics;
    ics.set_source("room.r mailbox");
    ics.set_ics(kCalendar);
    const v1::ImportBookingsResponse calendar = Import(ics);
    EXPECT_EQ(calendar.problems_size(), 0);
    EXPECT_EQ(calendar.added(), 4);  // 03-16, 03-17, 03-30, 04-06
    v1::ImportBookingsRequest csv = DeskSystemExport();
    // Across the DST change of Sunday 03-29: 02:00 EET to 05:00 EEST is
    // two hours.
    v1::DeskBookingRow* night = AddRow(csv, "2026-03-29 02:00");
    night->set_space("HKI-1-R");
    night->set_end("2026-03-29 05:00");
    AddRow(csv, "2026-03-16")->set_workstation("ZZ");
    const v1::ImportBookingsResponse desks = Import(csv);
    EXPECT_EQ(desks.added(), 4);
    ASSERT_EQ(desks.problems_size(), 1);
    EXPECT_EQ(desks.problems(0).line(), 6);
    EXPECT_EQ(desks.problems(0).message(),
              "workstation: no workstation \"ZZ\"");
    // The same export again changes nothing.
    const v1::ImportBookingsResponse again = Import(csv);
    EXPECT_EQ(again.added(), 0);
    EXPECT_EQ(again.removed(), 0);
    EXPECT_EQ(again.unchanged(), 4);
  }

  v1::BookingReport Report(v1::BookingGrouping grouping,
                           bool all_hours = false) {
    v1::BookingReportRequest request;
    request.set_from_date("2026-03-16");
    request.set_to_date("2026-04-06");
    request.set_group_by(grouping);
    request.set_all_hours(all_hours);
    auto report =
        BuildBookingReport(f_.Context(At("2026-04-10T00:00:00Z")), request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.value_or(v1::BookingReport{});
  }

  static constexpr char kCalendar[] = R"(BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:weekly
DTSTART;TZID=Europe/Helsinki:20260316T100000
DTEND;TZID=Europe/Helsinki:20260316T110000
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Helsinki:20260323T100000
ATTENDEE;CUTYPE=INDIVIDUAL:mailto:a@agency.fi
ATTENDEE;CUTYPE=INDIVIDUAL:mailto:b@agency.fi
ATTENDEE;CUTYPE=ROOM:mailto:room.r@agency.fi
END:VEVENT
BEGIN:VEVENT
UID:weekly
RECURRENCE-ID;TZID=Europe/Helsinki:20260330T100000
DTSTART;TZID=Europe/Helsinki:20260330T130000
DTEND;TZID=Europe/Helsinki:20260330T143000
LOCATION:HKI-1-R
END:VEVENT
BEGIN:VEVENT
UID:tuesday
DTSTART:20260317T070000Z
DTEND:20260317T080000Z
ATTENDEE:mailto:a@agency.fi
ATTENDEE:mailto:b@agency.fi
ATTENDEE:mailto:c@agency.fi
LOCATION:Room.R@agency.fi
END:VEVENT
END:VCALENDAR
)";

  OccupancyFixture f_;
};

TEST_F(BookingReportTest, DesksNoShowsUnmeasuredAndUnbookedUse) {
  ImportAll();
  const v1::BookingReport report = Report(v1::BOOKING_GROUPING_WEEKDAY);
  const v1::DeskBookingFigures& d = report.desks();
  EXPECT_EQ(d.booked_desk_days(), 3);
  EXPECT_EQ(d.booked_observed(), 2);
  EXPECT_EQ(d.no_shows(), 1);  // D2: 10 min
  EXPECT_DOUBLE_EQ(d.no_show_rate(), 0.5);
  EXPECT_EQ(d.booked_unmeasured(), 1);  // D3 has no sensor
  EXPECT_EQ(d.observed_desk_days(), 4);
  EXPECT_EQ(d.used_desk_days(), 2);
  EXPECT_EQ(d.unbooked_used(), 1);  // D1 on Tuesday
  EXPECT_DOUBLE_EQ(d.unbooked_use_share(), 0.5);
  ASSERT_GE(report.groups_size(), 2);
  EXPECT_EQ(report.groups(0).key(), "1");
  EXPECT_EQ(report.groups(0).desks().booked_desk_days(), 3);
  EXPECT_EQ(report.groups(1).key(), "2");
  EXPECT_EQ(report.groups(1).desks().unbooked_used(), 1);
  EXPECT_EQ(report.workstations_in_scope(), 3);
  // 16 weekdays less Good Friday and Easter Monday.
  EXPECT_EQ(report.days_counted(), 14);
}

TEST_F(BookingReportTest, RoomsGhostsUnknownDuringAnOutageAndTheHoliday) {
  ImportAll();
  const v1::BookingReport report = Report(v1::BOOKING_GROUPING_WEEKDAY);
  const v1::RoomBookingFigures& r = report.rooms();
  // 03-16, 03-17 and the moved 03-30; the 03-23 instance is cancelled and
  // the 04-06 one falls on a holiday, outside core hours.
  EXPECT_EQ(r.meetings(), 3);
  EXPECT_EQ(r.checked(), 3);
  EXPECT_EQ(r.ghosts(), 1);         // 03-16: nobody came
  EXPECT_EQ(r.attended(), 1);       // 03-17
  EXPECT_EQ(r.ghost_unknown(), 1);  // 03-30: the counter was out
  EXPECT_DOUBLE_EQ(r.ghost_rate(), 0.5);
  EXPECT_EQ(r.ghost_booked_ms(), kHour);
  EXPECT_EQ(r.booked_ms(), 60 * kMin + 60 * kMin + 90 * kMin);
  EXPECT_EQ(r.booked_observed_ms(), 120 * kMin);
  EXPECT_EQ(r.booked_unknown_ms(), 90 * kMin);
  EXPECT_EQ(r.booked_occupied_ms(), 45 * kMin);
  // Released 15 min early (free and known 09:45-10:00).
  EXPECT_EQ(r.early_releases(), 1);
  EXPECT_EQ(r.released_ms(), 15 * kMin);
  // 2 people for 30 min and 4 for 15 min in a 6-seat room.
  EXPECT_TRUE(r.has_seat_data());
  EXPECT_DOUBLE_EQ(r.seat_utilization(), (2.0 * 30 + 4.0 * 15) / (6.0 * 45));
  EXPECT_DOUBLE_EQ(r.mean_people(), (2.0 * 30 + 4.0 * 15) / 45);
  EXPECT_EQ(r.invited_meetings(), 2);
  EXPECT_DOUBLE_EQ(r.mean_invited(), 2.5);
  EXPECT_EQ(r.walk_ins(), 0);
  EXPECT_EQ(report.rooms_counting(), 1);
  // Mondays: 03-16 and 03-30.
  EXPECT_EQ(report.groups(0).rooms().meetings(), 2);
  // One meeting of 4 people on one of 14 days: one 6-seat room at P95.
  ASSERT_EQ(report.room_sizes_size(), 1);
  EXPECT_EQ(report.room_sizes(0).capacity(), 6);
  EXPECT_EQ(report.room_sizes(0).meetings(), 1);
  EXPECT_EQ(report.room_sizes(0).needed_p95(), 1);
  EXPECT_EQ(report.room_sizes(0).surplus(), 0);
}

TEST_F(BookingReportTest, AllHoursCountTheDstNightAndTheHolidayAsUnknown) {
  ImportAll();
  const v1::BookingReport report =
      Report(v1::BOOKING_GROUPING_WEEKDAY, /*all_hours=*/true);
  ASSERT_GE(report.groups_size(), 3);
  const v1::BookingGroup& sunday = report.groups(report.groups_size() - 1);
  EXPECT_EQ(sunday.key(), "7");
  EXPECT_EQ(sunday.rooms().booked_ms(), 2 * kHour);
  EXPECT_EQ(sunday.rooms().booked_unknown_ms(), 2 * kHour);
  EXPECT_EQ(sunday.rooms().ghost_unknown(), 1);
  // The holiday's instance counts too, unknown: no data that day.
  EXPECT_EQ(report.rooms().meetings(), 5);
  EXPECT_EQ(report.rooms().ghost_unknown(), 3);
}

TEST_F(BookingReportTest, AChangedExportReplacesWhatItCovers) {
  ImportAll();
  // The room mailbox exported again without the Tuesday meeting.
  v1::ImportBookingsRequest ics;
  ics.set_source("room.r mailbox");
  std::string calendar = kCalendar;
  calendar.erase(calendar.find("BEGIN:VEVENT\nUID:tuesday"),
                 calendar.find("END:VCALENDAR") -
                     calendar.find("BEGIN:VEVENT\nUID:tuesday"));
  ics.set_ics(calendar);
  const v1::ImportBookingsResponse response = Import(ics);
  EXPECT_EQ(response.added(), 0);
  EXPECT_EQ(response.removed(), 1);
  EXPECT_EQ(response.unchanged(), 3);
  EXPECT_EQ(Report(v1::BOOKING_GROUPING_NONE).rooms().meetings(), 2);
}

TEST_F(BookingReportTest, StoredDaysFollowNewBookingsAndSensorDays) {
  ImportAll();
  // The first report stores each site-day's figures, the next reads them.
  EXPECT_EQ(Report(v1::BOOKING_GROUPING_NONE).rooms().meetings(), 3);
  EXPECT_EQ(Report(v1::BOOKING_GROUPING_NONE).desks().no_shows(), 1);
  // The room mailbox exported again without the Tuesday meeting.
  v1::ImportBookingsRequest ics;
  ics.set_source("room.r mailbox");
  std::string calendar = kCalendar;
  calendar.erase(calendar.find("BEGIN:VEVENT\nUID:tuesday"),
                 calendar.find("END:VCALENDAR") -
                     calendar.find("BEGIN:VEVENT\nUID:tuesday"));
  ics.set_ics(calendar);
  EXPECT_EQ(Import(ics).removed(), 1);
  EXPECT_EQ(Report(v1::BOOKING_GROUPING_NONE).rooms().meetings(), 2);
  // D2 turns out to have been used on 03-16 after all: 09:20-09:50.
  f_.Insert("D2-DEV",
            {{"2026-03-16T07:20:00Z", 1}, {"2026-03-16T07:50:00Z", 0}});
  f_.Summarize();
  const v1::BookingReport report = Report(v1::BOOKING_GROUPING_NONE);
  EXPECT_EQ(report.desks().no_shows(), 0);
  EXPECT_EQ(report.desks().used_desk_days(), 3);
}

// What an import asks for after it: the site's site-days of the import's
// window up to today are computed and stored, and a report reads them.
TEST_F(BookingReportTest, PreparedDaysAreStoredUpToTodayAndReportsReadThem) {
  ImportAll();
  auto count_stored = [&] {
    int stored = 0;
    EXPECT_TRUE(f_.session()
                    .Bookings()
                    .ScanBookingDays("core",
                                     DateIndex(absl::CivilDay(2026, 3, 1)),
                                     DateIndex(absl::CivilDay(2026, 4, 30)),
                                     [&](int64_t, int32_t, absl::string_view,
                                         absl::string_view) { ++stored; })
                    .ok());
    return stored;
  };
  EXPECT_EQ(count_stored(), 0);
  // The window 03-16 … 04-20 (local); today is 04-10: 26 dates.
  auto dates = PrepareBookingDays(f_.Context(At("2026-04-10T09:00:00Z")), "HKI",
                                  At("2026-03-15T22:00:00Z"),
                                  At("2026-04-20T21:00:00Z"));
  ASSERT_TRUE(dates.ok()) << dates.status();
  EXPECT_EQ(*dates, 26);
  EXPECT_EQ(count_stored(), 26);
  // The report reads them: the figures StoredDaysFollowNewBookings… and
  // the hand-computed tests give.
  const v1::BookingReport report = Report(v1::BOOKING_GROUPING_NONE);
  EXPECT_EQ(report.rooms().meetings(), 3);
  EXPECT_EQ(report.desks().no_shows(), 1);
  EXPECT_EQ(count_stored(), 26);
  // A window wholly after today, and an unknown site.
  EXPECT_EQ(*PrepareBookingDays(f_.Context(At("2026-04-10T09:00:00Z")), "HKI",
                                At("2026-05-01T00:00:00Z"),
                                At("2026-05-02T00:00:00Z")),
            0);
  EXPECT_TRUE(absl::IsNotFound(
      PrepareBookingDays(f_.Context(At("2026-04-10T09:00:00Z")), "NOPE", 0, 1)
          .status()));
}

TEST_F(BookingReportTest, OtherThresholdsAreNotTakenFromStoredDays) {
  ImportAll();
  EXPECT_EQ(Report(v1::BOOKING_GROUPING_NONE).rooms().checked(), 3);
  v1::BookingReportRequest request;
  request.set_from_date("2026-03-16");
  request.set_to_date("2026-04-06");
  request.set_ghost_min_booking_min(120);  // none of the meetings is as long
  auto report =
      BuildBookingReport(f_.Context(At("2026-04-10T00:00:00Z")), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rooms().meetings(), 3);
  EXPECT_EQ(report->rooms().checked(), 0);
  EXPECT_EQ(report->ghost_min_booking_min(), 120);
  EXPECT_EQ(Report(v1::BOOKING_GROUPING_NONE).rooms().checked(), 3);
}

// Every grouping and both hour modes give the same report from the stored
// site-days as when they were computed.
class BookingReportStoredTest : public BookingReportTest,
                                public ::testing::WithParamInterface<
                                    std::tuple<v1::BookingGrouping, bool>> {};

TEST_P(BookingReportStoredTest, SameAsComputed) {
  ImportAll();
  const auto [grouping, all_hours] = GetParam();
  const v1::BookingReport computed = Report(grouping, all_hours);
  const v1::BookingReport stored = Report(grouping, all_hours);
  EXPECT_EQ(stored.SerializeAsString(), computed.SerializeAsString());
  EXPECT_GT(computed.days_counted(), 0);
  if (grouping != v1::BOOKING_GROUPING_NONE) {
    EXPECT_GT(computed.groups_size(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllGroupings, BookingReportStoredTest,
    ::testing::Combine(::testing::Values(v1::BOOKING_GROUPING_NONE,
                                         v1::BOOKING_GROUPING_SITE,
                                         v1::BOOKING_GROUPING_FLOOR,
                                         v1::BOOKING_GROUPING_ROOM,
                                         v1::BOOKING_GROUPING_ORGANIZATION,
                                         v1::BOOKING_GROUPING_WEEKDAY,
                                         v1::BOOKING_GROUPING_HOUR),
                       ::testing::Bool()));

// A date years away is a typo: as the edge of the export's covered range it
// would remove every booking of the source up to it. It is a problem of its
// line, and the rest of the export replaces only what it covers.
TEST_F(BookingReportTest, ADateYearsAwayIsAProblemAndRemovesNothing) {
  ImportAll();
  v1::ImportBookingsRequest csv = DeskSystemExport();
  AddRow(csv, "2062-11-03")->set_workstation("D1");
  const v1::ImportBookingsResponse response = Import(csv);
  ASSERT_EQ(response.problems_size(), 1);
  EXPECT_EQ(response.problems(0).line(), 5);
  EXPECT_EQ(response.problems(0).message().rfind("start: 2062-11-0", 0), 0u)
      << response.problems(0).message();
  EXPECT_NE(response.problems(0).message().find("more than 2 years ahead"),
            std::string::npos);
  // The 03-29 room booking of the source is outside what the export covers.
  EXPECT_EQ(response.removed(), 0);
  EXPECT_EQ(response.unchanged(), 3);
  EXPECT_EQ(response.covered_to().rfind("2026-03-1", 0), 0u);

  // A covered range given from 1900 is refused as a whole.
  v1::ImportBookingsRequest wide = csv;
  wide.set_covered_from("1900-01-01T00:00:00Z");
  wide.set_covered_to("2026-04-01T00:00:00Z");
  auto refused = ImportBookings(f_.session(), f_.inventory(), nullptr, wide,
                                At("2026-04-10T00:00:00Z"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("covered_from:", 0), 0u);

  // In an iCalendar export: a single event years ahead is a problem; a
  // weekly meeting without an end is taken up to 2 years ahead.
  v1::ImportBookingsRequest ics;
  ics.set_source("room.r mailbox 2");
  ics.set_space("HKI-1-R");
  ics.set_ics(
      "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n"
      "BEGIN:VEVENT\nUID:typo\nDTSTART:20621103T080000Z\n"
      "DTEND:20621103T090000Z\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:weekly\nDTSTART:20260302T080000Z\n"
      "DTEND:20260302T090000Z\nRRULE:FREQ=WEEKLY\nEND:VEVENT\n"
      "END:VCALENDAR\n");
  const v1::ImportBookingsResponse calendar = Import(ics);
  ASSERT_EQ(calendar.problems_size(), 1);
  EXPECT_EQ(calendar.problems(0).line(), 4);
  EXPECT_EQ(calendar.problems(0).message().rfind("start: 2062-11-03", 0), 0u);
  EXPECT_GT(calendar.added(), 52);
  EXPECT_LE(calendar.added(), 52 * 2 + 8);
  EXPECT_LT(calendar.covered_to(), "2028-04-11");
}

TEST_F(BookingReportTest, BadRequestsNameTheField) {
  v1::BookingReportRequest request;
  request.set_from_date("2026-03-16");
  request.set_to_date("2026-03-01");
  auto context = f_.Context(0);
  EXPECT_EQ(BuildBookingReport(context, request)
                .status()
                .message()
                .rfind("to_date:", 0),
            0u);
  request.set_to_date("2026-03-20");
  request.set_ghost_first_min(-1);
  EXPECT_EQ(BuildBookingReport(context, request)
                .status()
                .message()
                .rfind("ghost_first_min:", 0),
            0u);
  v1::ImportBookingsRequest import;
  import.set_source("x");
  EXPECT_EQ(ImportBookings(f_.session(), f_.inventory(), nullptr, import, 0)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  // A source is listed in tables: no terminal escapes, no pages of text.
  import.set_ics("BEGIN:VCALENDAR\nEND:VCALENDAR\n");
  import.set_source("room\n\x1b[31mred");
  EXPECT_EQ(ImportBookings(f_.session(), f_.inventory(), nullptr, import, 0)
                .status()
                .message(),
            "source: must not hold control characters");
  import.set_source(std::string(201, 'x'));
  EXPECT_EQ(ImportBookings(f_.session(), f_.inventory(), nullptr, import, 0)
                .status()
                .message()
                .rfind("source: must be at most 200 bytes", 0),
            0u);
}

}  // namespace
}  // namespace monipaikka::testing
