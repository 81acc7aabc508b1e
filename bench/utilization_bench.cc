// Utilization analytics benchmark: loads a synthetic site and a synthetic
// portfolio through the real server (gRPC ingest streams → validation →
// group commit → summarizer), then times the reports a facility manager
// asks for, through gRPC:
//   (a) the site's utilization over the whole window, grouped by floor,
//   (b) the site's weekday × hour heatmap over the window,
//   (c) the portfolio over its window, grouped by organization,
//   (d) a consolidation what-if of three organizations into one site,
//   (e) the floor-closing plan of one 10-floor site over the window,
//   (f) the 4-week forecast of that site from 16 weeks of history.
// It prints the time to load (ingest, then the summaries catching up), the
// p50 and p95 latency of each report, and the database sizes.
//
// Readings: every desk heartbeats every 15 minutes (its own offset) and
// reports each change at once; people come on working days with
// organization- and weekday-dependent probabilities (fewer in July), arrive
// around 8, lunch, step out for meetings, leave around 16. Meeting rooms
// have in/out people counters.
//
// Usage: utilization_bench [--full] [--site_desks=2000 --site_days=60]
//   [--portfolio_desks=5000 --portfolio_days=30] [--runs=20]
//   [--phase=site|portfolio|both] [--dir=/tmp] [--keep] [--db=PATH]
// --db=PATH (with --phase=portfolio) times (c)–(f) on a database written by
// bench/portfolio_fixture instead (the issue's 50,000 desks and 90 days in
// minutes; (d) into and (e), (f) of its fully measured 10-floor site).
// Measured 2026-12-02 on the 2-core shared machine (load 8–12) with --db= a
// 50,000-desk, 90-day portfolio: (c) p50 251–259 ms, (d) 21–28 ms, (e)
// 3.9–4.3 ms, (f) 6.3–6.6 ms (docs/benchmarks.md "Planning").
// --full sets the sizes of the issue: a 2,000-desk site with a year of
// readings and a 50,000-desk portfolio with 90 days (about 80 M and 480 M
// readings: an hour or more on two cores).

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/in_process_server.h"
#include "bench/portfolio/fixture_manifest.h"
#include "common/bearer_token.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/analytics.grpc.pb.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/planning.grpc.pb.h"
#include "server/server.h"

ABSL_FLAG(bool, full, false,
          "the issue's sizes: 2000 desks × 365 days, 50000 desks × 90 days");
ABSL_FLAG(int, site_desks, 2000, "desks of the single site");
ABSL_FLAG(int, site_days, 60, "days of readings of the single site");
ABSL_FLAG(int, portfolio_desks, 5000, "desks of the portfolio");
ABSL_FLAG(int, portfolio_days, 30, "days of readings of the portfolio");
ABSL_FLAG(int, runs, 20, "timed runs of each report");
ABSL_FLAG(std::string, phase, "both", "site, portfolio or both");
ABSL_FLAG(std::string, dir, "/tmp", "where the databases go");
ABSL_FLAG(bool, keep, false,
          "keep the databases, and reuse them when they exist (skips loading)");
ABSL_FLAG(int, streams, 4, "concurrent gateway streams while loading");
ABSL_FLAG(std::string, db, "",
          "portfolio phase: a database written by bench/portfolio_fixture "
          "instead of loading one through ingest (the file is kept)");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int kDesksPerFloor = 200;
constexpr int kDesksPerZone = 50;
constexpr int kDesksPerSite = 2000;
constexpr int kRoomsPerFloor = 2;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Layout {
  std::string name;
  int desks = 0;
  int days = 0;
  int sites = 1;
  int organizations = 3;
  absl::CivilDay first;
  absl::CivilDay last;
};

std::string SiteCode(const Layout& layout, int s) {
  return absl::StrCat(layout.name, "-S", s);
}
std::string OrgCode(int o) { return absl::StrCat("ORG", o); }
// Organization of desk d: blocks of 25 desks, spread so that every site has
// several organizations and every organization several sites.
int OrgOf(const Layout& layout, int d) {
  return (d / 25 * 7 + d / kDesksPerSite) % layout.organizations;
}

v1::Inventory MakeInventory(const Layout& layout, int streams) {
  v1::Inventory inventory;
  for (int o = 0; o < layout.organizations; ++o) {
    auto* org = inventory.add_organizations();
    org->set_code(OrgCode(o));
    org->set_name(absl::StrCat("Agency ", o));
  }
  for (int s = 0; s < layout.sites; ++s) {
    auto* site = inventory.add_sites();
    site->set_code(SiteCode(layout, s));
    site->set_name(absl::StrCat("Office ", s));
    site->set_kind("D");
    site->set_office_area_m2(30000);
    site->set_annual_rent_eur(9'000'000);
  }
  const char* kinds[] = {"multi-space", "unassigned", "assigned", "shared"};
  int rooms = 0;
  for (int d = 0; d < layout.desks; ++d) {
    const int site = d / kDesksPerSite;
    const int floor = (d % kDesksPerSite) / kDesksPerFloor;
    const int zone = (d % kDesksPerFloor) / kDesksPerZone;
    const std::string site_code = SiteCode(layout, site);
    const std::string floor_code = absl::StrCat(site_code, "-F", floor);
    const std::string zone_code = absl::StrCat(floor_code, "-Z", zone);
    if (d % kDesksPerFloor == 0) {
      auto* f = inventory.add_spaces();
      f->set_code(floor_code);
      f->set_site(site_code);
      f->set_level("floor");
      f->set_name(absl::StrCat("Floor ", floor));
      for (int r = 0; r < kRoomsPerFloor; ++r) {
        auto* room = inventory.add_spaces();
        room->set_code(absl::StrCat(floor_code, "-R", r));
        room->set_site(site_code);
        room->set_parent(floor_code);
        room->set_level("room");
        room->set_kind("meeting_room");
        room->set_capacity(8);
        const int room_index = rooms++;
        auto* sensor = inventory.add_sensors();
        sensor->set_external_id(
            absl::StrCat(layout.name, "-ROOM-", room_index));
        sensor->set_kind("people_counter");
        sensor->set_space(room->code());
        sensor->set_gateway(absl::StrCat("gw-", room_index % streams));
      }
    }
    if (d % kDesksPerZone == 0) {
      auto* z = inventory.add_spaces();
      z->set_code(zone_code);
      z->set_site(site_code);
      z->set_parent(floor_code);
      z->set_level("zone");
      z->set_kind("open_workspace");
    }
    auto* ws = inventory.add_workstations();
    ws->set_code(absl::StrCat(layout.name, "-WS-", d));
    ws->set_space(zone_code);
    const char* kind = kinds[(d / 10) % 4];
    ws->set_kind(kind);
    if (std::string(kind) != "shared")
      ws->set_organization(OrgCode(OrgOf(layout, d)));
    auto* sensor = inventory.add_sensors();
    sensor->set_external_id(absl::StrCat(layout.name, "-DESK-", d));
    sensor->set_kind("desk_presence");
    sensor->set_workstation(ws->code());
    sensor->set_gateway(absl::StrCat("gw-", d % streams));
  }
  return inventory;
}

struct Row {
  int64_t ts_ms;
  int32_t sensor;  // desk index, or -1 - room index
  int32_t value;   // presence, or a flow packed entered * 1000 + exited
};

// One desk's readings on one local day, appended to `rows`.
void DeskDay(const Layout& layout, int desk, absl::CivilDay day,
             int64_t day_start_ms, int64_t day_end_ms, uint64_t* seq_unused,
             std::mt19937_64& random, std::vector<Row>& rows) {
  (void)seq_unused;
  // State changes (offset ms since midnight, new state).
  std::vector<std::pair<int64_t, int>> changes;
  const int weekday = IsoWeekday(day);
  const bool working = weekday <= 5 && !IsFinnishPublicHoliday(day);
  if (working) {
    const int org = OrgOf(layout, desk);
    // Organizations favour different days; July is quiet.
    static const double kByWeekday[3][5] = {{0.55, 0.75, 0.70, 0.60, 0.30},
                                            {0.40, 0.60, 0.80, 0.70, 0.35},
                                            {0.65, 0.55, 0.50, 0.65, 0.40}};
    double p = kByWeekday[org % 3][weekday - 1];
    if (day.month() == 7) p *= 0.3;
    if (desk % 9 == 0) p *= 0.2;  // rarely used desks
    std::uniform_real_distribution<double> unit(0, 1);
    if (unit(random) < p) {
      std::normal_distribution<double> arrive(8 * 60, 40);
      std::normal_distribution<double> leave(16 * 60, 50);
      const int64_t a =
          static_cast<int64_t>(std::clamp(arrive(random), 360.0, 660.0));
      const int64_t l = std::max<int64_t>(
          a + 120,
          static_cast<int64_t>(std::clamp(leave(random), 720.0, 1140.0)));
      changes.emplace_back(a * kMinuteMs, 1);
      // Lunch and a meeting or two.
      const int64_t lunch = 660 + static_cast<int64_t>(random() % 60);
      if (lunch > a + 30 && lunch + 40 < l) {
        changes.emplace_back(lunch * kMinuteMs, 0);
        changes.emplace_back(
            (lunch + 30 + static_cast<int64_t>(random() % 15)) * kMinuteMs, 1);
      }
      const int meetings = static_cast<int>(random() % 3);
      for (int m = 0; m < meetings; ++m) {
        const int64_t at =
            a + 20 +
            static_cast<int64_t>(random() % std::max<int64_t>(1, l - a - 80));
        if (std::abs(at - lunch) < 60) continue;
        changes.emplace_back(at * kMinuteMs, 0);
        changes.emplace_back(
            (at + 30 + static_cast<int64_t>(random() % 60)) * kMinuteMs, 1);
      }
      changes.emplace_back(l * kMinuteMs, 0);
      std::sort(changes.begin(), changes.end());
    }
  }
  const int64_t length = day_end_ms - day_start_ms;
  const int64_t offset = (desk % 15) * kMinuteMs + (desk % 997) * 37;
  size_t next = 0;
  int state = 0;
  for (int64_t hb = offset; hb < length; hb += 15 * kMinuteMs) {
    while (next < changes.size() && changes[next].first <= hb) {
      if (changes[next].first < length && changes[next].second != state) {
        state = changes[next].second;
        rows.push_back({day_start_ms + changes[next].first + 500, desk, state});
      }
      ++next;
    }
    rows.push_back({day_start_ms + hb, desk, state});
  }
}

// One meeting room's in/out counter on one day: reports every 15 minutes.
void RoomDay(int room, absl::CivilDay day, int64_t day_start_ms,
             int64_t day_end_ms, std::mt19937_64& random,
             std::vector<Row>& rows) {
  const bool working = IsoWeekday(day) <= 5 && !IsFinnishPublicHoliday(day);
  int inside = 0;
  for (int64_t t = (room % 15) * kMinuteMs; t < day_end_ms - day_start_ms;
       t += 15 * kMinuteMs) {
    int entered = 0;
    int exited = 0;
    const int64_t minute = t / kMinuteMs;
    if (working && minute >= 8 * 60 && minute < 16 * 60) {
      entered = static_cast<int>(random() % 4);
      exited = static_cast<int>(random() % 4);  // drifts, clamped by the server
      inside = std::max(0, inside + entered - exited);
    } else if (inside > 0) {
      exited = inside;
      inside = 0;
    }
    rows.push_back(
        {day_start_ms + t + 250, -1 - room, entered * 1000 + exited});
  }
}

struct StreamStats {
  uint64_t sent = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
};

// Generates and sends the readings of the gateway `g` day by day, with up
// to 8 batches unacknowledged.
StreamStats LoadGateway(const Layout& layout, int g, int streams, int rooms,
                        v1::IngestService::Stub* stub) {
  StreamStats stats;
  grpc::ClientContext context;
  auto stream = stub->StreamReadings(&context);
  const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  std::mt19937_64 random(1000 + g);
  std::vector<uint64_t> seq(layout.desks + rooms, 0);
  size_t in_flight = 0;
  uint64_t batch_id = 0;
  v1::BatchAck ack;
  auto read_ack = [&] {
    if (!stream->Read(&ack)) {
      std::fprintf(stderr, "stream %d ended early\n", g);
      std::exit(1);
    }
    --in_flight;
    stats.accepted += ack.accepted() + ack.duplicates();
    if (ack.rejected_size() > 0 && stats.rejected == 0) {
      std::fprintf(stderr, "rejected: %s\n", ack.rejected(0).message().c_str());
    }
    stats.rejected += ack.rejected_size();
  };
  std::vector<Row> rows;
  for (absl::CivilDay day = layout.first; day <= layout.last; ++day) {
    const int64_t start = LocalToMs(absl::CivilSecond(day), zone);
    const int64_t end = LocalToMs(absl::CivilSecond(day + 1), zone);
    rows.clear();
    for (int d = g; d < layout.desks; d += streams) {
      DeskDay(layout, d, day, start, end, nullptr, random, rows);
    }
    for (int r = g; r < rooms; r += streams)
      RoomDay(r, day, start, end, random, rows);
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.ts_ms < b.ts_ms; });
    for (size_t i = 0; i < rows.size(); i += 1000) {
      v1::ReadingBatch batch;
      batch.set_batch_id(++batch_id);
      batch.set_gateway(absl::StrCat("gw-", g));
      for (size_t j = i; j < std::min(rows.size(), i + 1000); ++j) {
        const Row& row = rows[j];
        v1::Reading* reading = batch.add_readings();
        reading->set_ts_ms(row.ts_ms);
        if (row.sensor >= 0) {
          reading->set_sensor(absl::StrCat(layout.name, "-DESK-", row.sensor));
          reading->set_seq(++seq[row.sensor]);
          reading->set_occupied(row.value != 0);
        } else {
          const int room = -1 - row.sensor;
          reading->set_sensor(absl::StrCat(layout.name, "-ROOM-", room));
          reading->set_seq(++seq[layout.desks + room]);
          reading->mutable_flow()->set_entered(row.value / 1000);
          reading->mutable_flow()->set_exited(row.value % 1000);
        }
      }
      stats.sent += batch.readings_size();
      while (in_flight >= 8) read_ack();
      if (!stream->Write(batch)) {
        std::fprintf(stderr, "stream %d write failed\n", g);
        std::exit(1);
      }
      ++in_flight;
    }
  }
  stream->WritesDone();
  while (in_flight > 0) read_ack();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "stream %d: %s\n", g, status.error_message().c_str());
    std::exit(1);
  }
  return stats;
}

struct Latency {
  double p50_ms = 0;
  double p95_ms = 0;
  double first_ms = 0;
};

template <typename Call>
Latency Time(int runs, Call call) {
  std::vector<double> ms;
  for (int i = 0; i <= runs; ++i) {
    const auto start = Clock::now();
    call();
    ms.push_back(SecondsSince(start) * 1000);
  }
  Latency latency;
  latency.first_ms = ms.front();
  ms.erase(ms.begin());  // the first (cold) run is reported apart
  std::sort(ms.begin(), ms.end());
  latency.p50_ms = ms[(ms.size() - 1) / 2];
  latency.p95_ms = ms[std::max<size_t>(1, (95 * ms.size() + 99) / 100) - 1];
  return latency;
}

double FileMiB(const std::string& path) {
  double size = 0;
  for (const char* suffix : {"", "-wal"}) {
    std::error_code error;
    const auto bytes = std::filesystem::file_size(path + suffix, error);
    if (!error) size += static_cast<double>(bytes);
  }
  return size / 1048576.0;
}

void Check(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
    std::exit(1);
  }
}

struct Loaded {
  std::unique_ptr<Server> server;
  std::shared_ptr<grpc::Channel> channel;
  std::string db;
};

Loaded Load(const Layout& layout) {
  const std::string dir = absl::GetFlag(FLAGS_dir);
  const int streams = std::max(1, absl::GetFlag(FLAGS_streams));
  Loaded loaded;
  loaded.db = absl::StrCat(dir, "/monipaikka-utilization-bench-", layout.name,
                           "-", layout.desks, "x", layout.days, ".db");
  const bool reuse =
      absl::GetFlag(FLAGS_keep) && std::filesystem::exists(loaded.db);
  if (!reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(loaded.db + suffix);
    }
  }
  ServerOptions options;
  options.database = loaded.db;
  options.query_threads = 2;
  // Raw readings of every loaded day are accepted and kept.
  const int keep_days =
      std::max(options.retention.policy.raw_days, layout.days + 2);
  options.retention.policy.raw_days = keep_days;
  options.ingest.limits.retention_ms = int64_t{keep_days} * 24 * 3600 * 1000;
  InProcessServer started = StartInProcessServer(options);
  loaded.server = std::move(started.server);
  loaded.channel = std::move(started.channel);
  const int rooms = (layout.desks / kDesksPerFloor) * kRoomsPerFloor;
  if (reuse) {
    std::printf("%s: reusing %s\n", layout.name.c_str(), loaded.db.c_str());
    loaded.server->occupancy().summarizer().AwaitCurrent(absl::Hours(10));
    return loaded;
  }
  {
    v1::ImportInventoryRequest request;
    *request.mutable_inventory() = MakeInventory(layout, streams);
    grpc::ClientContext context;
    v1::ImportInventoryResponse response;
    Check(v1::InventoryService::NewStub(loaded.channel)
              ->ImportInventory(&context, request, &response),
          "import");
  }
  auto stub = v1::IngestService::NewStub(loaded.channel);
  const auto start = Clock::now();
  std::vector<StreamStats> stats(streams);
  std::vector<std::thread> threads;
  for (int g = 0; g < streams; ++g) {
    threads.emplace_back([&, g] {
      stats[g] = LoadGateway(layout, g, streams, rooms, stub.get());
    });
  }
  for (std::thread& t : threads) t.join();
  const double ingest_s = SecondsSince(start);
  uint64_t sent = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  for (const StreamStats& s : stats) {
    sent += s.sent;
    accepted += s.accepted;
    rejected += s.rejected;
  }
  const auto catch_up = Clock::now();
  if (!loaded.server->occupancy().summarizer().AwaitCurrent(absl::Hours(10))) {
    std::fprintf(stderr, "the summaries did not catch up\n");
    std::exit(1);
  }
  const double summaries_s = SecondsSince(catch_up);
  std::printf(
      "%s: %d desks, %d rooms, %d days (%s .. %s): %llu readings "
      "(%llu stored, %llu rejected)\n"
      "  load: ingest %.1f s (%.0f readings/s), summaries caught up %.1f s "
      "later: %.1f s in all\n",
      layout.name.c_str(), layout.desks, rooms, layout.days,
      FormatDate(layout.first).c_str(), FormatDate(layout.last).c_str(),
      static_cast<unsigned long long>(sent),
      static_cast<unsigned long long>(accepted),
      static_cast<unsigned long long>(rejected), ingest_s, sent / ingest_s,
      summaries_s, ingest_s + summaries_s);
  if (accepted != sent) {
    std::fprintf(stderr, "error: not every reading was stored\n");
    std::exit(1);
  }
  return loaded;
}

void PrintLatency(const char* what, const Latency& latency, double target_ms) {
  std::printf(
      "  %-58s p50 %8.1f ms  p95 %8.1f ms  (first %.1f ms; target p50 < %.0f "
      "ms: %s)\n",
      what, latency.p50_ms, latency.p95_ms, latency.first_ms, target_ms,
      latency.p50_ms < target_ms ? "met" : "NOT met");
}

void SitePhase(int desks, int days, int runs) {
  const absl::CivilDay yesterday =
      absl::ToCivilDay(absl::Now(), *LoadZone("Europe/Helsinki")) - 1;
  Layout layout{"SITE",   desks,
                days,     (desks + kDesksPerSite - 1) / kDesksPerSite,
                3,        yesterday - (days - 1),
                yesterday};
  Loaded loaded = Load(layout);
  auto analytics = v1::AnalyticsService::NewStub(loaded.channel);
  v1::UsageReportRequest request;
  request.mutable_scope()->set_site(SiteCode(layout, 0));
  request.set_from_date(FormatDate(layout.first));
  request.set_to_date(FormatDate(layout.last));
  request.set_group_by(v1::GROUPING_FLOOR);
  v1::UsageReport report;
  const Latency by_floor = Time(runs, [&] {
    grpc::ClientContext context;
    Check(analytics->GetUsageReport(&context, request, &report), "report");
  });
  std::printf(
      "  site report: %d workstations measured, time utilization %.1f %%, "
      "peak P95 %d, %d floors\n",
      report.total().workstations_measured(),
      100 * report.total().time_utilization(),
      report.total().peak_occupancy_p95(), report.groups_size());
  request.set_group_by(v1::GROUPING_WEEKDAY_HOUR);
  const Latency heatmap = Time(runs, [&] {
    grpc::ClientContext context;
    Check(analytics->GetUsageReport(&context, request, &report), "heatmap");
  });
  std::printf("  heatmap: %d cells\n", report.groups_size());
  PrintLatency(absl::StrCat("(a) ", days, "-day site report by floor").c_str(),
               by_floor, 100);
  PrintLatency(
      absl::StrCat("(b) ", days, "-day weekday x hour heatmap").c_str(),
      heatmap, 100);
  loaded.server->Shutdown();
  std::printf("  database: %.1f MiB\n", FileMiB(loaded.db));
  if (!absl::GetFlag(FLAGS_keep)) {
    for (const char* s : {"", "-wal", "-shm"})
      std::filesystem::remove(loaded.db + s);
  }
}

// (e) and (f): the planning reports of the portfolio's first site.
void PlanningReports(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& site, absl::CivilDay first,
                     absl::CivilDay last, int runs) {
  auto planning = v1::PlanningService::NewStub(channel);
  v1::FloorPlanRequest plan_request;
  plan_request.set_site(site);
  plan_request.set_from_date(FormatDate(first));
  plan_request.set_to_date(FormatDate(last));
  v1::FloorPlanReport plan;
  const Latency floor_plan = Time(runs, [&] {
    grpc::ClientContext context;
    Check(planning->GetFloorPlan(&context, plan_request, &plan), "floor plan");
  });
  std::printf("  floor plan: %d floors, %.0f closed m2-days a year\n",
              plan.units_size(), plan.closed_m2_days_per_year());
  v1::ForecastRequest forecast_request;
  forecast_request.set_site(site);
  forecast_request.set_last_date(FormatDate(last));
  v1::ForecastReport forecast;
  const Latency forecasting = Time(runs, [&] {
    grpc::ClientContext context;
    Check(planning->GetForecast(&context, forecast_request, &forecast),
          "forecast");
  });
  std::printf(
      "  forecast: %d history days, peak MAE %.1f (naive %.1f), %d days "
      "ahead\n",
      forecast.history_days(), forecast.peak_accuracy().mae(),
      forecast.peak_accuracy().naive_mae(), forecast.days_size());
  PrintLatency("(e) floor plan of a 10-floor site", floor_plan, 200);
  PrintLatency("(f) 4-week forecast of a site", forecasting, 200);
}

// (c) and (d): the portfolio by organization over [first, last], and the
// consolidation of `organizations` into `candidate_site`.
void PortfolioReports(const std::shared_ptr<grpc::Channel>& channel,
                      const std::vector<std::string>& organizations,
                      const std::string& candidate_site, absl::CivilDay first,
                      absl::CivilDay last, int runs) {
  auto analytics = v1::AnalyticsService::NewStub(channel);
  v1::UsageReportRequest request;
  request.set_from_date(FormatDate(first));
  request.set_to_date(FormatDate(last));
  request.set_group_by(v1::GROUPING_ORGANIZATION);
  v1::UsageReport report;
  const Latency by_org = Time(runs, [&] {
    grpc::ClientContext context;
    Check(analytics->GetUsageReport(&context, request, &report), "portfolio");
  });
  std::printf(
      "  portfolio report: %d workstations measured, %d organizations, "
      "time utilization %.1f %%\n",
      report.total().workstations_measured(), report.groups_size(),
      100 * report.total().time_utilization());
  v1::ConsolidationRequest what_if;
  for (const std::string& o : organizations) what_if.add_organizations(o);
  what_if.set_candidate_site(candidate_site);
  what_if.set_from_date(FormatDate(first));
  what_if.set_to_date(FormatDate(last));
  v1::ConsolidationReport consolidation;
  const Latency consolidate = Time(runs, [&] {
    grpc::ClientContext context;
    Check(analytics->GetConsolidation(&context, what_if, &consolidation),
          "consolidation");
  });
  std::printf(
      "  consolidation: combined peak P95 %d (sum of own P95s %d), "
      "capacity %d, needed %d, fits %s\n",
      consolidation.combined_peak_p95(), consolidation.sum_of_group_p95(),
      consolidation.capacity(), consolidation.needed_workstations(),
      consolidation.fits() ? "yes" : "no");
  PrintLatency(absl::StrCat("(c) ", last - first + 1,
                            "-day portfolio report by organization")
                   .c_str(),
               by_org, 2000);
  PrintLatency("(d) consolidation of three organizations", consolidate, 2000);
}

void PortfolioPhase(int desks, int days, int runs) {
  const absl::CivilDay yesterday =
      absl::ToCivilDay(absl::Now(), *LoadZone("Europe/Helsinki")) - 1;
  Layout layout{"PORTFOLIO", desks,
                days,        (desks + kDesksPerSite - 1) / kDesksPerSite,
                12,          yesterday - (days - 1),
                yesterday};
  Loaded loaded = Load(layout);
  PortfolioReports(loaded.channel, {OrgCode(0), OrgCode(1), OrgCode(2)},
                   SiteCode(layout, 0), layout.first, layout.last, runs);
  PlanningReports(loaded.channel, SiteCode(layout, 0), layout.first,
                  layout.last, runs);
  loaded.server->Shutdown();
  std::printf("  database: %.1f MiB\n", FileMiB(loaded.db));
  if (!absl::GetFlag(FLAGS_keep)) {
    for (const char* s : {"", "-wal", "-shm"})
      std::filesystem::remove(loaded.db + s);
  }
}

// (c)–(f) on a database written by bench/portfolio_fixture: the portfolio
// by organization, the consolidation of three organizations into its fully
// measured 10-floor site, and that site's floor plan and forecast.
void PreparedPortfolioPhase(const std::string& db, int runs) {
  absl::StatusOr<FixtureManifest> manifest = ReadFixtureManifest(db);
  if (!manifest.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(manifest.status().message()).c_str());
    std::exit(1);
  }
  if (manifest->plan_site.empty()) {
    std::fprintf(stderr, "%s has no fully measured 10-floor site\n",
                 db.c_str());
    std::exit(1);
  }
  double open_seconds = 0;
  InProcessServer started = StartOnPreparedDatabase(db, &open_seconds);
  std::printf("PORTFOLIO: %s (%d desks, %d days, %s .. %s) opened in %.1f s\n",
              db.c_str(), manifest->desks, manifest->days,
              manifest->from.c_str(), manifest->to.c_str(), open_seconds);
  const absl::CivilDay first = *ParseDate(manifest->from);
  const absl::CivilDay last = *ParseDate(manifest->to);
  PortfolioReports(started.channel, {"ORG-01", "ORG-02", "ORG-03"},
                   manifest->plan_site, first, last, runs);
  std::printf("  planning reports of %s:\n", manifest->plan_site.c_str());
  PlanningReports(started.channel, manifest->plan_site, first, last, runs);
  started.server->Shutdown();
  std::printf("  database: %.1f MiB\n", FileMiB(db));
}

int Main() {
  int site_desks = absl::GetFlag(FLAGS_site_desks);
  int site_days = absl::GetFlag(FLAGS_site_days);
  int portfolio_desks = absl::GetFlag(FLAGS_portfolio_desks);
  int portfolio_days = absl::GetFlag(FLAGS_portfolio_days);
  if (absl::GetFlag(FLAGS_full)) {
    site_desks = 2000;
    site_days = 365;
    portfolio_desks = 50000;
    portfolio_days = 90;
  }
  const int runs = std::max(2, absl::GetFlag(FLAGS_runs));
  const std::string phase = absl::GetFlag(FLAGS_phase);
  if (phase == "site" || phase == "both")
    SitePhase(site_desks, site_days, runs);
  if ((phase == "portfolio" || phase == "both") &&
      !absl::GetFlag(FLAGS_db).empty()) {
    PreparedPortfolioPhase(absl::GetFlag(FLAGS_db), runs);
  } else if (phase == "portfolio" || phase == "both") {
    PortfolioPhase(portfolio_desks, portfolio_days, runs);
  }
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
