// Bookings through the real binaries on 127.0.0.1: a desk-booking CSV and
// a room mailbox's iCalendar export imported with the client (bad rows
// reported by line, a re-import changing nothing), then the bookings
// report as JSON and CSV.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/bookings.pb.h"
#include "tests/support/client_server_test.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"
#include "tests/support/test_days.h"
#include "tests/support/wait_for.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kMinMs = 60 * 1000;

// YYYYMMDD of a day, for iCalendar.
std::string Compact(absl::CivilDay day) {
  return absl::StrFormat("%04d%02d%02d", day.year(), day.month(), day.day());
}

class BookingsIntegrationTest : public ClientServerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        StartServerWithInventory(OneSiteInventoryJson(3, "gw-it")));
    // A meeting room with a mailbox and a presence sensor.
    const std::string room = dir_.File("room.json");
    std::ofstream(room)
        << R"({"spaces":[{"code":"IT-R1","site":"IT-SITE","parent":"IT-F1",)"
        << R"("level":"room","kind":"meeting_room","capacity":6,)"
        << R"("email":"room1@agency.fi"}],)"
        << R"("sensors":[{"external_id":"IT-ROOM-1","kind":"room_presence",)"
        << R"("space":"IT-R1","gateway":"gw-it"}]})";
    Run({"inventory", "import", room});
    ASSERT_EQ(exit_code_, 0) << out_ << err_;
  }
};

TEST_F(BookingsIntegrationTest, ImportAndReportThroughTheClient) {
  const absl::CivilDay monday = QuietMonday();
  // Monday, known 08:00-16:00: desk 0 occupied 09:00-10:00, desk 1 free,
  // desk 2 silent; the room free all day.
  std::ostringstream readings;
  for (int slot = 0; slot < 16; ++slot) {
    const int minutes = 8 * 60 + slot * 30;
    const std::string at = HelsinkiLocal(monday, minutes / 60, minutes % 60);
    const bool busy = minutes >= 9 * 60 && minutes < 10 * 60;
    readings << "IT-DEV-0," << at << "," << (busy ? 1 : 0) << "\n"
             << "IT-DEV-1," << at << ",0\n"
             << "IT-ROOM-1," << at << ",0\n";
  }
  ASSERT_NO_FATAL_FAILURE(ImportReadings("readings.csv", readings.str()));

  // Every desk booked for Monday; line 5 names no known desk.
  const std::string day = FormatDate(monday);
  const std::string desks_csv = dir_.File("desks.csv");
  std::ofstream(desks_csv) << "desk,start,end,booker\n"
                           << "IT-WS-0," << day << "," << day << ",anna\n"
                           << "IT-WS-1," << day << " 08:00," << day
                           << " 16:00,\n"
                           << "IT-WS-2," << day << "," << day << ",\n"
                           << "NOPE," << day << "," << day << ",\n";
  Run({"bookings", "import", desks_csv, "--source=desk-system"});
  EXPECT_NE(exit_code_, 0);  // a row was refused
  EXPECT_NE(err_.find("desks.csv:5: workstation: no workstation \"NOPE\""),
            std::string::npos)
      << err_;
  // The server has no pseudonym key in this test: the name is dropped.
  EXPECT_NE(err_.find("booker names dropped"), std::string::npos) << err_;
  // A file with only its header says so.
  const std::string header_only = dir_.File("empty.csv");
  std::ofstream(header_only) << "desk,start,end,booker\n";
  Run({"bookings", "import", header_only});
  EXPECT_NE(exit_code_, 0);
  EXPECT_NE(err_.find("empty.csv: no booking to import (an empty file, or "
                      "only a header)"),
            std::string::npos)
      << err_;
  // The refused row is counted.
  absl::StatusOr<HttpResponse> metrics =
      HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(SampleValue(metrics->body,
                        "monipaikka_import_rows_refused_total{import="
                        "\"bookings\"}"),
            1.0)
      << metrics->body;

  // The room mailbox: a 10:00-11:00 meeting nobody attended.
  const std::string ics = dir_.File("room1.ics");
  std::ofstream(ics) << "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                     << "BEGIN:VEVENT\r\nUID:m1\r\n"
                     << "DTSTART;TZID=Europe/Helsinki:" << Compact(monday)
                     << "T100000\r\n"
                     << "DTEND;TZID=Europe/Helsinki:" << Compact(monday)
                     << "T110000\r\n"
                     << "ATTENDEE;CUTYPE=ROOM:mailto:ROOM1@agency.fi\r\n"
                     << "END:VEVENT\r\nEND:VCALENDAR\r\n";
  Run({"--output=json", "bookings", "import", ics});
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
  v1::ImportBookingsResponse imported;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_, &imported).ok())
      << out_;
  EXPECT_EQ(imported.added(), 1);
  // The import's site-days are computed in the background, so that the
  // first report reads them.
  EXPECT_TRUE(WaitFor([&] {
    return server_->process().Log().find(
               "event=booking_days_prepared site=IT-SITE") != std::string::npos;
  })) << server_->process().Log();
  // Again: nothing changes.
  Run({"--output=json", "bookings", "import", ics});
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_, &imported).ok());
  EXPECT_EQ(imported.added(), 0);
  EXPECT_EQ(imported.unchanged(), 1);

  const std::vector<std::string> window = {"--from=" + day,
                                           "--to=" + FormatDate(monday + 4)};
  std::vector<std::string> args = {"--output=json", "report", "bookings"};
  args.insert(args.end(), window.begin(), window.end());
  Run(args);
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
  v1::BookingReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out_, &report).ok())
      << out_;
  EXPECT_EQ(report.desks().booked_desk_days(), 3);
  EXPECT_EQ(report.desks().booked_observed(), 2);
  EXPECT_EQ(report.desks().no_shows(), 1);
  EXPECT_EQ(report.desks().booked_unmeasured(), 1);
  EXPECT_EQ(report.rooms().meetings(), 1);
  EXPECT_EQ(report.rooms().ghosts(), 1);
  EXPECT_EQ(report.rooms().booked_ms(), 60 * kMinMs);

  args = {"--output=csv", "report", "bookings", "--by=weekday"};
  args.insert(args.end(), window.begin(), window.end());
  Run(args);
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
  EXPECT_EQ(out_.rfind("key,label,booked_desk_days,no_shows,", 0), 0u) << out_;
  EXPECT_NE(out_.find("\n1,Monday,3,1,"), std::string::npos) << out_;

  Run({"bookings", "sources"});
  ASSERT_EQ(exit_code_, 0) << out_ << err_;
  EXPECT_NE(out_.find("desk-system"), std::string::npos) << out_;
  EXPECT_NE(out_.find("room1.ics"), std::string::npos) << out_;
}

}  // namespace
}  // namespace monipaikka::testing
