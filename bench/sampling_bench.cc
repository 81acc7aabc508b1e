// Sample estimate benchmark: the p50 time of an estimate with 95 %
// intervals (1000 bootstrap replicates, daily peaks included) for a
// 2,000-desk site of which only some desks are measured.
//
//   (a) compute: the estimator alone (server/sampling) over generated
//       per-desk days of a 2,000-desk site (10 floors × 4 zones × 50
//       desks, 40 strata) and 90 days, measured at 10, 25, 50 and 100 %;
//   (b) server: the whole request through the real server (gRPC →
//       SamplingService → sensor days in SQLite → estimator): a site with
//       --site_desks desks of which --measured_pct % have sensors, plus
//       --other_desks measured desks on other sites (the rest of a
//       portfolio), --days days of readings streamed through ingest; or,
//       with --db, the partly measured 2,000-desk site of a whole portfolio
//       written by bench/portfolio_fixture (e.g. 50,000 desks, 90 days).
//
// People come on working days with desk-, zone- and weekday-dependent
// probabilities, arrive around 8, lunch, leave around 16 (bench/portfolio/
// office_presence.h); desks heartbeat every 15 minutes.
//
// Usage: sampling_bench [--phase=compute|server|both] [--runs=20]
//   [--site_desks=2000] [--measured_pct=25] [--other_desks=0] [--days=90]
//   [--dir=/tmp] [--db=PATH]
//
// Measured 2026-12-02 on the 2-core machine with nothing else running: (a)
// p50 32 / 73 / 147 / 38 ms at 10 / 25 / 50 / 100 % measured; (b) --db= a
// 50,000-desk, 90-day portfolio (bench/portfolio_fixture), 520 of its
// site's 2,000 desks measured: p50 82 ms, p95 87 ms (target p50 < 500 ms).

#include <grpcpp/grpcpp.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/in_process_server.h"
#include "bench/portfolio/fixture_manifest.h"
#include "bench/portfolio/office_presence.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/sampling.grpc.pb.h"
#include "server/sampling/sample_estimate.h"
#include "server/server.h"

ABSL_FLAG(std::string, phase, "both", "compute, server or both");
ABSL_FLAG(int, runs, 20, "timed runs of each estimate");
ABSL_FLAG(int, site_desks, 2000, "server phase: desks of the site");
ABSL_FLAG(int, measured_pct, 25,
          "server phase: % of the site's desks measured");
ABSL_FLAG(int, other_desks, 0,
          "server phase: measured desks on other sites (a portfolio)");
ABSL_FLAG(int, days, 90, "days of data");
ABSL_FLAG(std::string, dir, "/tmp", "server phase: where the database goes");
ABSL_FLAG(std::string, db, "",
          "server phase: a database written by bench/portfolio_fixture; the "
          "estimate is of its partly measured site over its whole window "
          "(nothing is loaded, the file is kept)");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int kDesksPerFloor = 200;
constexpr int kDesksPerZone = 50;
constexpr int kDesksPerSite = 2000;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Latency {
  double p50_ms = 0;
  double p95_ms = 0;
  // CPU time of the whole process per call (p50): what the call costs
  // without other work on the machine.
  double cpu_p50_ms = 0;
};

double ProcessCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return 1000.0 * static_cast<double>(t.tv_sec) + t.tv_nsec / 1e6;
}

template <typename Call>
Latency Time(int runs, Call call) {
  std::vector<double> ms;
  std::vector<double> cpu;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuMs();
    call();
    cpu.push_back(ProcessCpuMs() - cpu_start);
    ms.push_back(1000 * SecondsSince(start));
  }
  std::sort(ms.begin(), ms.end());
  std::sort(cpu.begin(), cpu.end());
  return {ms[(ms.size() - 1) / 2], ms[(95 * ms.size() + 99) / 100 - 1],
          cpu[(cpu.size() - 1) / 2]};
}

// (a) The estimator alone.
void ComputePhase(int days, int runs) {
  const absl::CivilDay first(2026, 1, 5);
  const int32_t core_start = 8 * 60 * kMinuteMs;
  const int32_t core_end = 16 * 60 * kMinuteMs;
  std::vector<SamplingStratum> strata;
  for (int z = 0; z < kDesksPerSite / kDesksPerZone; ++z) {
    strata.push_back({absl::StrCat("Z", z), kDesksPerZone});
  }
  std::mt19937_64 random(7);
  std::vector<SampledDesk> all(kDesksPerSite);
  const auto built = Clock::now();
  for (int d = 0; d < kDesksPerSite; ++d) {
    all[d].stratum = d / kDesksPerZone;
    for (int day = 0; day < days; ++day) {
      const absl::CivilDay date = first + day;
      if (IsoWeekday(date) > 5 || IsFinnishPublicHoliday(date)) continue;
      SampledDeskDay out;
      out.day = day;
      int32_t at = core_start;
      for (const auto& [from, to] : OfficePresence(d, date, 1.0, random)) {
        const int32_t s = std::clamp<int32_t>(from * kMinuteMs, at, core_end);
        const int32_t e = std::clamp<int32_t>(to * kMinuteMs, s, core_end);
        if (s > at) out.spans.push_back({at, s, 0});
        if (e > s) out.spans.push_back({s, e, 1});
        out.occupied_ms += e - s;
        at = e;
      }
      if (at < core_end) out.spans.push_back({at, core_end, 0});
      out.observed_ms = core_end - core_start;
      out.used = out.occupied_ms >= 15 * kMinuteMs;
      all[d].days.push_back(std::move(out));
    }
  }
  std::printf("compute: %d desks, %d days generated in %.1f s\n", kDesksPerSite,
              days, SecondsSince(built));
  for (int pct : {10, 25, 50, 100}) {
    std::vector<SampledDesk> sample;
    for (int z = 0; z < static_cast<int>(strata.size()); ++z) {
      const int take = std::max(1, kDesksPerZone * pct / 100);
      for (int k = 0; k < take; ++k) {
        sample.push_back(all[z * kDesksPerZone + k * kDesksPerZone / take]);
      }
    }
    SampleEstimate estimate;
    const Latency latency = Time(
        runs, [&] { estimate = EstimateFromSample(strata, sample, days, {}); });
    std::printf(
        "  (a) %3d %% measured (%4zu desks): p50 %7.1f ms  p95 %7.1f ms  "
        "(CPU p50 %7.1f ms); "
        "time utilization %.1f %% [%.1f, %.1f], peak P95 %.0f [%.0f, %.0f], "
        "needed %d, %d more sensors for ±5 pp\n",
        pct, sample.size(), latency.p50_ms, latency.p95_ms, latency.cpu_p50_ms,
        100 * estimate.time_utilization.value,
        100 * estimate.time_utilization.lower,
        100 * estimate.time_utilization.upper,
        estimate.peak_occupancy_p95.value, estimate.peak_occupancy_p95.lower,
        estimate.peak_occupancy_p95.upper, estimate.needed_workstations,
        estimate.additional_sensors);
  }
}

void Check(const grpc::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
    std::exit(1);
  }
}

// Times SamplingService.GetSampleEstimate of `site` over [first, last].
void TimeEstimate(const std::shared_ptr<grpc::Channel>& channel,
                  const std::string& site, absl::CivilDay first,
                  absl::CivilDay last, int runs) {
  auto sampling = v1::SamplingService::NewStub(channel);
  v1::SampleEstimateRequest request;
  request.mutable_scope()->set_site(site);
  request.set_from_date(FormatDate(first));
  request.set_to_date(FormatDate(last));
  v1::SampleEstimateReport report;
  const Latency latency = Time(runs, [&] {
    grpc::ClientContext context;
    Check(sampling->GetSampleEstimate(&context, request, &report), "estimate");
  });
  std::printf(
      "  (b) estimate of the site, %d of %d measured, %d strata: p50 %.1f ms  "
      "p95 %.1f ms, process CPU p50 %.1f ms (target p50 < 500 ms: %s); "
      "time utilization %.1f %% "
      "[%.1f, %.1f], peak P95 %.0f [%.0f, %.0f]\n",
      report.workstations_measured(), report.workstations(),
      report.stratum_figures_size(), latency.p50_ms, latency.p95_ms,
      latency.cpu_p50_ms, latency.p50_ms < 500 ? "met" : "NOT met",
      100 * report.time_utilization().value(),
      100 * report.time_utilization().lower(),
      100 * report.time_utilization().upper(),
      report.peak_occupancy_p95().value(), report.peak_occupancy_p95().lower(),
      report.peak_occupancy_p95().upper());
}

// (b) on a database written by bench/portfolio_fixture.
void PreparedServerPhase(const std::string& db, int runs) {
  absl::StatusOr<FixtureManifest> manifest = ReadFixtureManifest(db);
  if (!manifest.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(manifest.status().message()).c_str());
    std::exit(1);
  }
  if (manifest->estimate_site.empty()) {
    std::fprintf(stderr, "%s has no partly measured 2,000-desk site\n",
                 db.c_str());
    std::exit(1);
  }
  double open_seconds = 0;
  InProcessServer started = StartOnPreparedDatabase(db, &open_seconds);
  std::printf(
      "server: %s (%d desks, %d days, %s .. %s) opened in %.1f s; estimate of "
      "%s\n",
      db.c_str(), manifest->desks, manifest->days, manifest->from.c_str(),
      manifest->to.c_str(), open_seconds, manifest->estimate_site.c_str());
  TimeEstimate(started.channel, manifest->estimate_site,
               *ParseDate(manifest->from), *ParseDate(manifest->to), runs);
  started.server->Shutdown();
}

// (b) Through the server.
void ServerPhase(int site_desks, int measured_pct, int other_desks, int days,
                 int runs) {
  const std::string db =
      absl::StrCat(absl::GetFlag(FLAGS_dir), "/monipaikka-sampling-bench.db");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db + suffix);
  }
  ServerOptions options;
  options.database = db;
  options.query_threads = 2;
  InProcessServer started = StartInProcessServer(options);
  const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  const absl::CivilDay last = absl::ToCivilDay(absl::Now(), zone) - 1;
  const absl::CivilDay first = last - (days - 1);

  // The site: floors of 200 desks in zones of 50; every
  // (100 / measured_pct)-th desk of a zone has a sensor. Other sites: all
  // measured.
  v1::Inventory inventory;
  std::vector<std::string> sensors;  // desk sensor ids, by reading source
  const int total = site_desks + other_desks;
  const int step = std::max(1, 100 / std::max(1, measured_pct));
  for (int d = 0; d < total; ++d) {
    const int site = d < site_desks ? 0 : 1 + (d - site_desks) / kDesksPerSite;
    const int local = d < site_desks ? d : (d - site_desks) % kDesksPerSite;
    const std::string site_code = absl::StrCat("S", site);
    const std::string floor_code =
        absl::StrCat(site_code, "-F", local / kDesksPerFloor);
    const std::string zone_code = absl::StrCat(
        floor_code, "-Z", (local % kDesksPerFloor) / kDesksPerZone);
    if (local == 0) {
      auto* s = inventory.add_sites();
      s->set_code(site_code);
      s->set_name(absl::StrCat("Office ", site));
      s->set_kind("D");
    }
    if (local % kDesksPerFloor == 0) {
      auto* f = inventory.add_spaces();
      f->set_code(floor_code);
      f->set_site(site_code);
      f->set_level("floor");
    }
    if (local % kDesksPerZone == 0) {
      auto* z = inventory.add_spaces();
      z->set_code(zone_code);
      z->set_site(site_code);
      z->set_parent(floor_code);
      z->set_level("zone");
      z->set_kind("open_workspace");
    }
    auto* ws = inventory.add_workstations();
    ws->set_code(absl::StrCat("WS-", d));
    ws->set_space(zone_code);
    ws->set_kind("unassigned");
    if (site == 0 && (local % kDesksPerZone) % step != 0) continue;
    auto* sensor = inventory.add_sensors();
    sensor->set_external_id(absl::StrCat("DESK-", d));
    sensor->set_kind("desk_presence");
    sensor->set_workstation(ws->code());
    sensor->set_gateway(absl::StrCat("gw-", sensors.size() % 4));
    sensors.push_back(sensor->external_id());
  }
  {
    v1::ImportInventoryRequest request;
    *request.mutable_inventory() = inventory;
    grpc::ClientContext context;
    v1::ImportInventoryResponse response;
    Check(v1::InventoryService::NewStub(started.channel)
              ->ImportInventory(&context, request, &response),
          "import");
  }
  // Readings: per gateway stream, day by day, heartbeats every 15 minutes
  // and each change.
  auto ingest = v1::IngestService::NewStub(started.channel);
  const auto load = Clock::now();
  std::vector<uint64_t> sent(4, 0);
  std::vector<std::thread> threads;
  for (int g = 0; g < 4; ++g) {
    threads.emplace_back([&, g] {
      grpc::ClientContext context;
      auto stream = ingest->StreamReadings(&context);
      std::mt19937_64 random(100 + g);
      std::vector<uint64_t> seq(sensors.size(), 0);
      int in_flight = 0;
      uint64_t batch_id = 0;
      v1::BatchAck ack;
      struct Row {
        int64_t ts_ms;
        int32_t sensor;
        bool occupied;
      };
      std::vector<Row> rows;
      for (absl::CivilDay day = first; day <= last; ++day) {
        const int64_t start = LocalToMs(absl::CivilSecond(day), zone);
        const int64_t end = LocalToMs(absl::CivilSecond(day + 1), zone);
        rows.clear();
        for (size_t s = g; s < sensors.size(); s += 4) {
          const auto periods =
              OfficePresence(static_cast<int>(s), day, 1.0, random);
          const int64_t offset = (s % 15) * kMinuteMs + (s % 997) * 37;
          for (int64_t hb = offset; hb < end - start; hb += 15 * kMinuteMs) {
            bool busy = false;
            for (const auto& [a, b] : periods) {
              busy |= hb >= a * kMinuteMs && hb < b * kMinuteMs;
            }
            rows.push_back({start + hb, static_cast<int32_t>(s), busy});
          }
          for (const auto& [a, b] : periods) {
            rows.push_back(
                {start + a * kMinuteMs + 500, static_cast<int32_t>(s), true});
            rows.push_back(
                {start + b * kMinuteMs + 500, static_cast<int32_t>(s), false});
          }
        }
        std::sort(rows.begin(), rows.end(),
                  [](const Row& a, const Row& b) { return a.ts_ms < b.ts_ms; });
        for (size_t i = 0; i < rows.size(); i += 1000) {
          v1::ReadingBatch batch;
          batch.set_batch_id(++batch_id);
          batch.set_gateway(absl::StrCat("gw-", g));
          for (size_t j = i; j < std::min(rows.size(), i + 1000); ++j) {
            v1::Reading* reading = batch.add_readings();
            reading->set_ts_ms(rows[j].ts_ms);
            reading->set_sensor(sensors[rows[j].sensor]);
            reading->set_seq(++seq[rows[j].sensor]);
            reading->set_occupied(rows[j].occupied);
          }
          sent[g] += batch.readings_size();
          while (in_flight >= 8) {
            if (!stream->Read(&ack)) std::exit(1);
            --in_flight;
          }
          if (!stream->Write(batch)) std::exit(1);
          ++in_flight;
        }
      }
      stream->WritesDone();
      while (in_flight > 0 && stream->Read(&ack)) --in_flight;
      Check(stream->Finish(), "stream");
    });
  }
  for (std::thread& t : threads) t.join();
  uint64_t readings = 0;
  for (uint64_t s : sent) readings += s;
  const double ingest_s = SecondsSince(load);
  started.server->occupancy().summarizer().AwaitCurrent(absl::Hours(10));
  std::printf(
      "server: site of %d desks (%zu measured), %d other measured desks, %d "
      "days: %llu readings loaded in %.1f s, summaries %.1f s\n",
      site_desks, sensors.size() - static_cast<size_t>(other_desks),
      other_desks, days, static_cast<unsigned long long>(readings), ingest_s,
      SecondsSince(load) - ingest_s);

  TimeEstimate(started.channel, "S0", first, last, runs);
  started.server->Shutdown();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(db + suffix);
  }
}

int Main() {
  const int runs = std::max(2, absl::GetFlag(FLAGS_runs));
  const int days = std::max(1, absl::GetFlag(FLAGS_days));
  const std::string phase = absl::GetFlag(FLAGS_phase);
  if (phase == "compute" || phase == "both") ComputePhase(days, runs);
  if ((phase == "server" || phase == "both") &&
      !absl::GetFlag(FLAGS_db).empty()) {
    PreparedServerPhase(absl::GetFlag(FLAGS_db), runs);
  } else if (phase == "server" || phase == "both") {
    ServerPhase(absl::GetFlag(FLAGS_site_desks),
                absl::GetFlag(FLAGS_measured_pct),
                absl::GetFlag(FLAGS_other_desks), days, runs);
  }
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
