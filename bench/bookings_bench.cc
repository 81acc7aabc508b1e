// Bookings benchmark: a year of bookings for a 2,000-desk, 200-room site.
//
// Builds a database with the site's inventory and a year of sensor days
// (the summarizer's per-sensor daily states, written directly: this
// benchmark measures the bookings, not ingest), then
//   (a) imports a year of bookings the way BookingService.ImportBookings
//       does: each room's iCalendar export (weekly recurring meetings with
//       exceptions and cancellations, and single meetings) and the desk
//       booking system's CSV rows month by month; prints the import rate;
//   (b) times the bookings report over the year (no-shows of the desks,
//       ghost meetings of the rooms, right-sizing) in total, by weekday,
//       by hour and for one floor, and prints p50 and p95, and the first
//       run apart. After the imports the site-days are prepared first, as
//       the server does in the background after an import (--prepare);
//       with --prepare=false the first report computes them.
//
// Usage: bookings_bench [--desks=2000 --rooms=200 --days=365] [--runs=20]
//   [--prepare=true] [--dir=/tmp]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "server/analytics/day_states.h"
#include "server/bookings/booking_import.h"
#include "server/bookings/booking_report.h"
#include "server/storage/storage.h"
#include "server/summary/codec.h"
#include "server/summary/occupancy_inventory.h"

ABSL_FLAG(int, desks, 2000, "desks of the site");
ABSL_FLAG(int, rooms, 200, "meeting rooms of the site");
ABSL_FLAG(int, days, 365, "days of bookings and sensor data");
ABSL_FLAG(int, runs, 20, "timed runs of each report");
ABSL_FLAG(bool, prepare, true,
          "prepare the site-days after the imports as the server does "
          "(false: the first report computes them)");
ABSL_FLAG(std::string, dir, "/tmp", "where the database goes");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int32_t kMin = 60 * 1000;
constexpr int32_t kHour = 60 * kMin;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(
      std::max(1.0, std::ceil(p / 100.0 * static_cast<double>(values.size()))));
  return values[rank - 1];
}

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "bookings_bench: %s: %s\n", what,
                 std::string(status.message()).c_str());
    std::exit(1);
  }
}

int Run() {
  const int desks = absl::GetFlag(FLAGS_desks);
  const int rooms = absl::GetFlag(FLAGS_rooms);
  const int days = absl::GetFlag(FLAGS_days);
  const std::string path =
      absl::StrCat(absl::GetFlag(FLAGS_dir), "/bookings_bench.db");
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto storage = Storage::OpenSqlite(path);
  Check(storage.status(), "open");
  auto session = (*storage)->OpenSession();
  Check(session.status(), "session");
  StorageSession& s = **session;

  // The inventory: one site, 10 floors, desks and rooms spread over them;
  // rooms of 4, 6, 8 and 12 seats with people counters.
  v1::Inventory inventory;
  auto* org = inventory.add_organizations();
  org->set_code("A");
  org->set_name("Agency A");
  auto* site = inventory.add_sites();
  site->set_code("S");
  site->set_name("Virastotalo");
  site->set_kind("D");
  const int capacities[] = {4, 6, 8, 12};
  for (int f = 0; f < 10; ++f) {
    auto* floor = inventory.add_spaces();
    floor->set_code(absl::StrCat("S-", f));
    floor->set_site("S");
    floor->set_level("floor");
  }
  for (int r = 0; r < rooms; ++r) {
    auto* room = inventory.add_spaces();
    room->set_code(absl::StrCat("S-R", r));
    room->set_site("S");
    room->set_parent(absl::StrCat("S-", r % 10));
    room->set_level("room");
    room->set_kind("meeting_room");
    room->set_capacity(capacities[r % 4]);
    room->set_email(absl::StrCat("room", r, "@agency.fi"));
    auto* sensor = inventory.add_sensors();
    sensor->set_external_id(absl::StrCat("RC", r));
    sensor->set_kind("area_count");
    sensor->set_space(room->code());
    sensor->set_gateway("gw");
  }
  for (int d = 0; d < desks; ++d) {
    auto* ws = inventory.add_workstations();
    ws->set_code(absl::StrCat("D", d));
    ws->set_space(absl::StrCat("S-", d % 10));
    ws->set_kind("unassigned");
    ws->set_organization("A");
    auto* sensor = inventory.add_sensors();
    sensor->set_external_id(absl::StrCat("DS", d));
    sensor->set_kind("desk_presence");
    sensor->set_workstation(ws->code());
    sensor->set_gateway("gw");
  }
  Check(s.ImportInventory(inventory).status(), "inventory");
  auto rows = s.Analytics().LoadInventoryRows();
  Check(rows.status(), "inventory rows");
  auto inv = OccupancyInventory::Build(*rows, SummarySettings{});
  Check(inv.status(), "inventory snapshot");
  const OccupancyInventory& snapshot = **inv;

  // A year of sensor days: weekdays known 07:00-17:00; desks occupied with
  // a 60 % chance a day, rooms with counts in some hours.
  const absl::CivilDay first(2025, 1, 6);
  const int32_t first_date = DateIndex(first);
  std::mt19937 random(42);
  std::bernoulli_distribution present(0.6);
  std::uniform_int_distribution<int> people(0, 6);
  const auto load_start = Clock::now();
  for (int day = 0; day < days; ++day) {
    const absl::CivilDay date = first + day;
    if (IsoWeekday(date) > 5) continue;
    SummaryWrite write;
    for (size_t i = 0; i < snapshot.sensors().size(); ++i) {
      const auto& sensor = snapshot.sensors()[i];
      std::vector<DaySpan> spans;
      if (sensor.desk()) {
        if (present(random)) {
          spans = {{7 * kHour, 9 * kHour, 0},
                   {9 * kHour, 15 * kHour, 1},
                   {15 * kHour, 17 * kHour, 0}};
        } else {
          spans = {{7 * kHour, 17 * kHour, 0}};
        }
      } else {
        for (int h = 7; h < 17; ++h) {
          const int n = people(random) > 3 ? people(random) : 0;
          if (!spans.empty() && spans.back().value == n) {
            spans.back().end_ms = (h + 1) * kHour;
          } else {
            spans.push_back({h * kHour, (h + 1) * kHour, n});
          }
        }
      }
      write.sensor_days.push_back(
          {first_date + day, sensor.id, EncodeDaySpans(spans)});
    }
    Check(s.Analytics().WriteSummaries(write), "sensor days");
  }
  std::printf("sensor days written: %d days × %zu sensors in %.1f s\n", days,
              snapshot.sensors().size(), Seconds(Clock::now() - load_start));

  // (a) Bookings. Rooms: per room an iCalendar export with four weekly
  // series (one with an EXDATE and a moved instance, one cancelled once)
  // and a single meeting on every other weekday.
  const absl::CivilDay last = first + (days - 1);
  auto compact = [](absl::CivilDay d) {
    return absl::StrFormat("%04d%02d%02d", d.year(), d.month(), d.day());
  };
  int64_t imported = 0;
  double import_s = 0;
  const int64_t now_ms = ToMs(absl::Now());
  for (int r = 0; r < rooms; ++r) {
    std::string ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    for (int series = 0; series < 4; ++series) {
      const int hour = 8 + series * 2;
      const absl::CivilDay start = first + series;
      absl::StrAppend(
          &ics, "BEGIN:VEVENT\r\nUID:r", r, "-s", series, "\r\n",
          "DTSTART;TZID=Europe/Helsinki:", compact(start),
          absl::StrFormat("T%02d0000", hour), "\r\n",
          "DTEND;TZID=Europe/Helsinki:", compact(start),
          absl::StrFormat("T%02d0000", hour + 1), "\r\n",
          "RRULE:FREQ=WEEKLY;UNTIL=", compact(last), "T235959Z\r\n",
          "EXDATE;TZID=Europe/Helsinki:", compact(start + 14),
          absl::StrFormat("T%02d0000", hour), "\r\n",
          "ATTENDEE:mailto:a@agency.fi\r\nATTENDEE:mailto:b@agency.fi\r\n",
          "ATTENDEE;CUTYPE=ROOM:mailto:room", r, "@agency.fi\r\n",
          "END:VEVENT\r\n");
      absl::StrAppend(
          &ics, "BEGIN:VEVENT\r\nUID:r", r, "-s", series, "\r\n",
          "RECURRENCE-ID;TZID=Europe/Helsinki:", compact(start + 21),
          absl::StrFormat("T%02d0000", hour), "\r\n",
          "DTSTART;TZID=Europe/Helsinki:", compact(start + 21),
          absl::StrFormat("T%02d3000", hour), "\r\n",
          "DTEND;TZID=Europe/Helsinki:", compact(start + 21),
          absl::StrFormat("T%02d3000", hour + 1), "\r\n",
          series == 3 ? "STATUS:CANCELLED\r\n" : "",
          "ATTENDEE;CUTYPE=ROOM:mailto:room", r, "@agency.fi\r\n",
          "END:VEVENT\r\n");
    }
    for (int day = 0; day < days; day += 2) {
      const absl::CivilDay d = first + day;
      if (IsoWeekday(d) > 5) continue;
      absl::StrAppend(&ics, "BEGIN:VEVENT\r\nUID:r", r, "-d", day, "\r\n",
                      "DTSTART:", compact(d), "T120000Z\r\n",
                      "DTEND:", compact(d), "T130000Z\r\n", "LOCATION:room", r,
                      "@agency.fi\r\nEND:VEVENT\r\n");
    }
    absl::StrAppend(&ics, "END:VCALENDAR\r\n");
    v1::ImportBookingsRequest request;
    request.set_source(absl::StrCat("room", r, "@agency.fi"));
    request.set_ics(std::move(ics));
    const auto t0 = Clock::now();
    auto response = ImportBookings(s, snapshot, nullptr, request, now_ms);
    import_s += Seconds(Clock::now() - t0);
    Check(response.status(), "room import");
    if (response->problems_size() > 0) {
      std::fprintf(stderr, "room import: line %lld: %s\n",
                   static_cast<long long>(response->problems(0).line()),
                   response->problems(0).message().c_str());
      return 1;
    }
    imported += response->added();
  }
  const int64_t room_bookings = imported;
  std::printf(
      "room bookings: %lld from %d iCalendar exports in %.2f s: %.0f "
      "bookings/s\n",
      static_cast<long long>(room_bookings), rooms, import_s,
      static_cast<double>(room_bookings) / import_s);

  // Desks: 70 % booked each weekday, imported a month at a time.
  std::bernoulli_distribution booked(0.7);
  double desk_s = 0;
  int64_t desk_bookings = 0;
  for (int month_start = 0; month_start < days; month_start += 30) {
    v1::ImportBookingsRequest request;
    request.set_source("desk-system");
    int64_t line = 2;
    for (int day = month_start; day < std::min(days, month_start + 30); ++day) {
      const absl::CivilDay d = first + day;
      if (IsoWeekday(d) > 5) continue;
      const std::string date = FormatDate(d);
      for (int w = 0; w < desks; ++w) {
        if (!booked(random)) continue;
        v1::DeskBookingRow* row = request.add_rows();
        row->set_line(line++);
        row->set_workstation(absl::StrCat("D", w));
        row->set_start(date);
        row->set_end(date);
      }
    }
    request.set_covered_from(FormatInstantMs(LocalToMs(
        absl::CivilSecond(first + month_start), snapshot.sites()[0].zone)));
    request.set_covered_to(FormatInstantMs(
        LocalToMs(absl::CivilSecond(first + std::min(days, month_start + 30)),
                  snapshot.sites()[0].zone)));
    const auto t0 = Clock::now();
    auto response = ImportBookings(s, snapshot, nullptr, request, now_ms);
    desk_s += Seconds(Clock::now() - t0);
    Check(response.status(), "desk import");
    desk_bookings += response->added();
  }
  std::printf("desk bookings: %lld CSV rows in %.2f s: %.0f bookings/s\n",
              static_cast<long long>(desk_bookings), desk_s,
              static_cast<double>(desk_bookings) / desk_s);
  std::printf(
      "all bookings: %lld in %.2f s: %.0f bookings/s\n",
      static_cast<long long>(desk_bookings + room_bookings), desk_s + import_s,
      static_cast<double>(desk_bookings + room_bookings) / (desk_s + import_s));

  // (b) The report over the year.
  auto time_report = [&](const char* name, v1::BookingReportRequest request) {
    std::vector<double> ms;
    v1::BookingReport report;
    for (int run = 0; run < absl::GetFlag(FLAGS_runs); ++run) {
      const auto t0 = Clock::now();
      ReportContext context{s, snapshot, now_ms};
      context.max_window_days = 3 * 366;
      auto built = BuildBookingReport(context, request);
      ms.push_back(Seconds(Clock::now() - t0) * 1000);
      Check(built.status(), name);
      report = *std::move(built);
    }
    std::printf(
        "%s: p50 %.0f ms, p95 %.0f ms, first run %.0f ms (booked desk-days "
        "%lld, no-shows %lld, meetings %lld, ghosts %lld)\n",
        name, Percentile(ms, 50), Percentile(ms, 95), ms.front(),
        static_cast<long long>(report.desks().booked_desk_days()),
        static_cast<long long>(report.desks().no_shows()),
        static_cast<long long>(report.rooms().meetings()),
        static_cast<long long>(report.rooms().ghosts()));
  };
  v1::BookingReportRequest year;
  year.set_from_date(FormatDate(first));
  year.set_to_date(FormatDate(last));
  if (absl::GetFlag(FLAGS_prepare)) {
    // What the server does in the background after an import.
    const auto t0 = Clock::now();
    ReportContext context{s, snapshot, now_ms};
    context.max_window_days = 3 * 366;
    auto dates = PrepareBookingDays(
        context, snapshot.sites()[0].code,
        LocalToMs(absl::CivilSecond(first), snapshot.sites()[0].zone),
        LocalToMs(absl::CivilSecond(last + 1), snapshot.sites()[0].zone));
    Check(dates.status(), "prepare");
    std::printf(
        "site-days prepared after the imports (in the background): %d "
        "dates in %.2f s\n",
        *dates, Seconds(Clock::now() - t0));
  }
  time_report("report over the year, total", year);
  year.set_group_by(v1::BOOKING_GROUPING_WEEKDAY);
  time_report("report over the year, by weekday", year);
  year.set_group_by(v1::BOOKING_GROUPING_HOUR);
  time_report("report over the year, by hour", year);
  year.set_group_by(v1::BOOKING_GROUPING_WEEKDAY);
  v1::BookingReportRequest rooms_only = year;
  rooms_only.set_group_by(v1::BOOKING_GROUPING_NONE);
  rooms_only.mutable_scope()->set_space("S-0");
  time_report("report over the year, one floor", rooms_only);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Run();
}
