// Portfolio fixture: writes a database of a generated portfolio for the
// benchmarks that need the size (50,000 desks, 90 days), which
// loading raw readings through ingest cannot reach in reasonable time on a
// small machine.
//
// What it writes is what the server would hold after ingesting and
// summarizing the readings, without the raw readings themselves:
//   - the inventory (bench/portfolio/portfolio_layout.h), through the
//     storage layer's inventory import (as InventoryService.ImportInventory);
//   - each desk sensor's states of each local day, as the summarizer keeps
//     them (server/summary/codec: a sensor that heartbeats every 15 minutes
//     is known all day; occupied in generated office days with weekday,
//     site and season effects, nobody on weekends and Finnish public
//     holidays; bench/portfolio/office_presence.h), and each sensor's last
//     reading;
//   - the daily figures of the lattice (sites, floors, zones,
//     organizations, …), computed from those sensor days by the summarizer
//     itself (SummarizePending), as after an inventory import.
// Then `monipaikka-server --db=OUT` (or a benchmark's --db flag) serves it.
// Raw readings are absent, so the figures cannot be recomputed with another
// --desk_stale_after_min: start the server with the default.
//
// Beside OUT it writes OUT.inventory.json (the imported inventory, proto
// field names) and OUT.json (the window and the sites the benchmarks use).
//
// Usage: portfolio_fixture --out=PATH [--desks=50000] [--days=90]
//   [--last=YYYY-MM-DD (default yesterday in Helsinki)] [--measured_pct=25]
//
// Measured 2026-12-02 on the 2-core shared machine (load 7–9), nice -n 10,
// 50,000 desks and 90 days: 48,520 sensors, 4.37 M sensor days, 239,040
// node days in 323 s of wall time (28 s of CPU); database 232 MiB.

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bench/portfolio/office_presence.h"
#include "bench/portfolio/portfolio_layout.h"
#include "common/time_format.h"
#include "server/storage/storage.h"
#include "server/summary/codec.h"
#include "server/summary/occupancy_inventory.h"
#include "server/summary/summarizer.h"

ABSL_FLAG(std::string, out, "", "the database to write (replaced)");
ABSL_FLAG(int, desks, 50000, "desks of the portfolio");
ABSL_FLAG(int, days, 90, "days of sensor data, ending on --last");
ABSL_FLAG(std::string, last, "",
          "last day (YYYY-MM-DD); default yesterday in Europe/Helsinki");
ABSL_FLAG(int, measured_pct, 25,
          "% of the desks of the partly measured 2,000-desk site with sensors");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "portfolio_fixture: %s: %s\n", what,
                 std::string(status.message()).c_str());
    std::exit(1);
  }
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out)
    Check(absl::InternalError(absl::StrCat("cannot write ", path)), "write");
}

double FileMiB(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<double>(size) / (1024.0 * 1024.0);
}

int Run() {
  const std::string out = absl::GetFlag(FLAGS_out);
  const int desks = absl::GetFlag(FLAGS_desks);
  const int days = absl::GetFlag(FLAGS_days);
  if (out.empty() || desks < 1 || days < 1) {
    std::fprintf(stderr,
                 "usage: portfolio_fixture --out=PATH [--desks=N] [--days=N] "
                 "[--last=YYYY-MM-DD] [--measured_pct=N]\n");
    return 2;
  }
  absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Helsinki");
  Check(zone.status(), "time zone");
  absl::CivilDay last = absl::ToCivilDay(absl::Now(), *zone) - 1;
  if (!absl::GetFlag(FLAGS_last).empty()) {
    absl::StatusOr<absl::CivilDay> parsed =
        ParseDate(absl::GetFlag(FLAGS_last));
    Check(parsed.status(), "--last");
    last = *parsed;
  }
  const absl::CivilDay first = last - (days - 1);
  const auto started = Clock::now();

  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(out + suffix);
  }
  SqliteStorageOptions storage_options;
  // A generated file: a crash means generating it again.
  storage_options.synchronous = SqliteSynchronous::kNormal;
  auto storage = Storage::OpenSqlite(out, storage_options);
  Check(storage.status(), "open");
  auto session = (*storage)->OpenSession();
  Check(session.status(), "session");
  StorageSession& s = **session;

  const Portfolio portfolio =
      MakePortfolio(desks, absl::GetFlag(FLAGS_measured_pct));
  Check(s.ImportInventory(portfolio.inventory).status(), "inventory import");
  auto rows = s.Analytics().LoadInventoryRows();
  Check(rows.status(), "inventory rows");
  auto built = OccupancyInventory::Build(*rows, SummarySettings{});
  Check(built.status(), "inventory snapshot");
  const OccupancyInventory& inventory = **built;
  // A first pass over the empty database records the settings the sensor
  // days are computed with, as the server's summarizer does on its first
  // start.
  Check(SummarizePending(s, inventory), "first summary pass");
  const double inventory_s = SecondsSince(started);

  // Sensor days, date by date (one transaction each).
  std::vector<int32_t> desk_of_sensor(inventory.sensors().size(), -1);
  std::vector<const PortfolioSite*> site_of_sensor(inventory.sensors().size());
  {
    absl::flat_hash_map<std::string, int32_t> desk_by_id;
    absl::flat_hash_map<std::string, const PortfolioSite*> site_by_code;
    for (const PortfolioSite& site : portfolio.sites) {
      site_by_code[site.code] = &site;
    }
    for (size_t i = 0; i < inventory.sensors().size(); ++i) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[i];
      // External ids are B + the portfolio's desk index.
      desk_of_sensor[i] = std::stoi(sensor.external_id.substr(1));
      site_of_sensor[i] = site_by_code.at(inventory.sites()[sensor.site].code);
    }
  }
  const auto days_started = Clock::now();
  std::mt19937_64 random(2026);
  int64_t sensor_days = 0;
  int64_t bytes = 0;
  for (absl::CivilDay day = first; day <= last; ++day) {
    SummaryWrite write;
    write.sensor_days.reserve(inventory.sensors().size());
    const double season = SeasonalAttendance(day);
    for (size_t i = 0; i < inventory.sensors().size(); ++i) {
      const PortfolioSite& site = *site_of_sensor[i];
      const int local = desk_of_sensor[i] - site.first_desk;
      const auto periods =
          OfficePresence(local, day, site.attendance * season, random);
      std::string states = EncodeDaySpans(DeskDayStates(periods, day, *zone));
      bytes += static_cast<int64_t>(states.size());
      write.sensor_days.push_back(
          {DateIndex(day), inventory.sensors()[i].id, std::move(states)});
    }
    if (day == last) {
      // The last heartbeat of each sensor, in the day's last 15 minutes.
      const int64_t end = LocalToMs(absl::CivilSecond(day + 1), *zone);
      for (size_t i = 0; i < inventory.sensors().size(); ++i) {
        write.last_readings.push_back(
            {inventory.sensors()[i].id,
             end - 60 * 1000 * (1 + static_cast<int64_t>(i % 15)), 0});
      }
    }
    sensor_days += static_cast<int64_t>(write.sensor_days.size());
    Check(s.Analytics().WriteSummaries(write), "sensor days");
  }
  const double days_s = SecondsSince(days_started);

  // The lattice's daily figures, by the summarizer from the sensor days:
  // its mark of current node days (summary_meta "lattice") is cleared, as
  // an inventory change does, so that the pass rebuilds every date.
  const auto nodes_started = Clock::now();
  Check(s.Analytics().SetSummaryMeta("lattice", ""), "lattice mark");
  SummaryPassStats stats;
  Check(SummarizePending(s, inventory, &stats), "node days");
  const double nodes_s = SecondsSince(nodes_started);
  session->reset();
  storage->reset();

  std::string json;
  google::protobuf::util::JsonPrintOptions json_options;
  json_options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(portfolio.inventory, &json,
                                                   json_options)
           .ok()) {
    Check(absl::InternalError("cannot write the inventory as JSON"), "JSON");
  }
  WriteFile(out + ".inventory.json", json);
  std::vector<std::string> sites;
  for (const PortfolioSite& site : portfolio.sites) {
    sites.push_back(absl::StrCat("\"", site.code, "\""));
  }
  WriteFile(out + ".json",
            absl::StrCat(
                "{\"desks\": ", desks, ", \"days\": ", days, ", \"from\": \"",
                FormatDate(first), "\", \"to\": \"", FormatDate(last),
                "\", \"sensors\": ", inventory.sensors().size(),
                ", \"estimate_site\": \"", portfolio.estimate_site,
                "\", \"plan_site\": \"", portfolio.plan_site,
                "\", \"sites\": [", absl::StrJoin(sites, ", "), "]}\n"));

  std::printf(
      "portfolio: %d desks, %zu sensors, %zu sites, %d days (%s .. %s)\n"
      "  inventory %.1f s; sensor days %lld (%.1f MiB encoded) %.1f s; node "
      "days %lld over %d dates %.1f s; total %.1f s\n"
      "  database %s: %.1f MiB\n",
      desks, inventory.sensors().size(), portfolio.sites.size(), days,
      FormatDate(first).c_str(), FormatDate(last).c_str(), inventory_s,
      static_cast<long long>(sensor_days),
      static_cast<double>(bytes) / (1024.0 * 1024.0), days_s,
      static_cast<long long>(stats.node_days_written), stats.dates, nodes_s,
      SecondsSince(started), out.c_str(), FileMiB(out) + FileMiB(out + "-wal"));
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Run();
}
