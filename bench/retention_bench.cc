// Retention benchmark, two figures:
//
// 1. Bytes per desk-year kept long-term: a fleet's readings of some weeks
//    are stored and summarized, then every raw reading is deleted (as
//    retention does once they are older than --raw_retention_days) and the
//    free pages returned; what is left per desk and day, times 365, is what
//    a desk costs a year once only the summaries are kept. The raw readings'
//    cost is printed beside it.
// 2. The writer's longest pause while retention runs under full ingest
//    load: the real server (in this process) starts on a database holding
//    old readings due for deletion, while gateway streams send readings as
//    fast as the server acknowledges them. Printed: the writer's pauses for
//    retention (each retention step runs on the ingest writer's thread
//    between group commits, and batches wait for it: the step's time as the
//    writer measures it), their longest and 99th percentile; the readings
//    deleted per second while retention ran; the batches' acknowledgement
//    latency and the ingest commits' time, against a run with nothing to
//    delete (so that a wait moved from retention to ingest would show).
//
// Usage: retention_bench [--desks=1000] [--days=28] [--old_desks=2000]
//                        [--old_days=10] [--load_days=2] [--streams=4]
//                        [--chunk_rows=2000] [--step_budget_ms=2]
//                        [--dir=/tmp]
// --desks=0 leaves out the first figure.

#include <grpcpp/grpcpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
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
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "server/server.h"
#include "server/storage/storage.h"
#include "server/summary/occupancy_inventory.h"
#include "server/summary/summarizer.h"

ABSL_FLAG(int, desks, 1000, "desks of the long-term size figure");
ABSL_FLAG(int, days, 28, "days of readings of the long-term size figure");
ABSL_FLAG(int, old_desks, 2000, "desks of the pause figure");
ABSL_FLAG(int, old_days, 10,
          "days of old readings retention deletes in the pause figure");
ABSL_FLAG(int, load_days, 2, "days of current readings sent as the load");
ABSL_FLAG(int, streams, 4, "concurrent gateway streams of the load");
ABSL_FLAG(int, chunk_rows, 2000, "most rows per retention chunk");
ABSL_FLAG(double, step_budget_ms, 2,
          "about how long a retention step may hold the writer, ms");
ABSL_FLAG(std::string, dir, "/tmp", "where the benchmark databases go");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

[[noreturn]] void Fail(absl::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(),
               status.ToString().c_str());
  std::exit(1);
}

void Check(absl::string_view what, const absl::Status& status) {
  if (!status.ok()) Fail(what, status);
}

std::string SensorName(int s) { return absl::StrCat("BENCH-", s); }

// One site (Europe/Helsinki), floors of 100 desks, one presence sensor a
// desk, gateways gw-0 … gw-(gateways-1).
v1::Inventory FleetInventory(int desks, int gateways) {
  v1::Inventory inventory;
  auto* org = inventory.add_organizations();
  org->set_code("ORG");
  org->set_name("Organization");
  auto* site = inventory.add_sites();
  site->set_code("BENCH");
  site->set_name("Benchmark site");
  site->set_kind("B");
  site->set_timezone("Europe/Helsinki");
  for (int s = 0; s < desks; ++s) {
    const std::string floor = absl::StrCat("BENCH-", s / 100);
    if (s % 100 == 0) {
      auto* space = inventory.add_spaces();
      space->set_code(floor);
      space->set_site("BENCH");
      space->set_level("floor");
    }
    auto* ws = inventory.add_workstations();
    ws->set_code(absl::StrCat("BENCH-WS-", s));
    ws->set_space(floor);
    ws->set_kind(s % 3 == 0 ? "assigned" : "unassigned");
    ws->set_organization("ORG");
    auto* sensor = inventory.add_sensors();
    sensor->set_external_id(SensorName(s));
    sensor->set_kind("desk_presence");
    sensor->set_workstation(ws->code());
    sensor->set_gateway(absl::StrCat("gw-", s % gateways));
  }
  return inventory;
}

struct Row {
  int sensor;
  int64_t ts_ms;
  uint64_t seq;
  bool occupied;
};

// Readings in time order from `start_ms` for `days` days: every desk
// heartbeats every 15 minutes; during office hours desks change state
// about ten times a day (as ingest_bench).
std::vector<Row> MakeReadings(int desks, int days, int64_t start_ms,
                              uint32_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(desks) * days * 110);
  std::vector<uint64_t> seq(desks, 0);
  std::vector<bool> state(desks, false);
  for (int64_t minute = 0; minute < int64_t{days} * 24 * 60; ++minute) {
    const int64_t ts = start_ms + minute * kMinuteMs;
    const int minute_of_day = static_cast<int>(minute % (24 * 60));
    const bool office_hours =
        minute_of_day >= 5 * 60 && minute_of_day < 15 * 60;  // UTC
    for (int s = 0; s < desks; ++s) {
      const bool change = office_hours && random() % 60 == 0;
      const bool heartbeat = (minute + s) % 15 == 0;
      if (!change && !heartbeat) continue;
      if (change) state[s] = !state[s];
      if (!office_hours) state[s] = false;
      rows.push_back(Row{s, ts + s % 1000, ++seq[s], state[s]});
    }
  }
  return rows;
}

// Stores `rows` straight through storage (the ingest writer's call), in
// transactions of 50 000.
void Store(StorageSession& session, const std::vector<Row>& rows,
           const std::vector<int64_t>& sensor_ids) {
  std::vector<StoredReading> chunk;
  std::vector<InsertOutcome> outcomes;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    chunk.push_back(
        {sensor_ids[row.sensor], row.ts_ms, row.seq, row.occupied ? 1 : 0});
    if (chunk.size() == 50000 || i + 1 == rows.size()) {
      outcomes.clear();
      Check("insert", session.InsertReadings(chunk, &outcomes));
      chunk.clear();
    }
  }
}

// Sensor ids by bench index.
std::vector<int64_t> SensorIds(StorageSession& session, int desks) {
  absl::StatusOr<std::vector<SensorBinding>> bindings =
      session.LoadSensorBindings();
  if (!bindings.ok()) Fail("sensors", bindings.status());
  std::vector<int64_t> ids(desks, 0);
  for (const SensorBinding& b : *bindings) {
    ids[std::stoi(b.external_id.substr(6))] = b.sensor_id;
  }
  return ids;
}

int64_t FileBytes(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 ? info.st_size : 0;
}

// Deletes every raw reading before `before_ms` in chunks, then returns the
// free pages to the file system.
void DeleteAndVacuum(StorageSession& session, int64_t before_ms,
                     int chunk_rows) {
  while (true) {
    absl::StatusOr<RetentionChunk> chunk =
        session.Retention().DeleteReadingsBefore(before_ms, chunk_rows);
    if (!chunk.ok()) Fail("delete", chunk.status());
    if (!chunk->busy && !chunk->more) break;
  }
  while (true) {
    absl::StatusOr<VacuumStep> vacuum =
        session.Retention().IncrementalVacuum(4096);
    if (!vacuum.ok()) Fail("vacuum", vacuum.status());
    if (!vacuum->busy && vacuum->free_pages == 0) break;
  }
}

void LongTermSize(const std::string& dir, int desks, int days, int chunk_rows) {
  const std::string path = dir + "/size.db";
  auto storage = Storage::OpenSqlite(path);
  if (!storage.ok()) Fail("open", storage.status());
  auto session = (*storage)->OpenSession();
  if (!session.ok()) Fail("session", session.status());
  StorageSession& s = **session;
  if (auto imported = s.ImportInventory(FleetInventory(desks, 8));
      !imported.ok()) {
    Fail("inventory", imported.status());
  }
  const int64_t empty_bytes = FileBytes(path);
  const std::vector<int64_t> ids = SensorIds(s, desks);
  // Whole UTC days ending at the start of today.
  const int64_t today_ms = absl::ToUnixMillis(absl::Now()) / kDayMs * kDayMs;
  const int64_t start_ms = today_ms - int64_t{days} * kDayMs;
  const std::vector<Row> rows = MakeReadings(desks, days, start_ms, 7);
  auto started = Clock::now();
  Store(s, rows, ids);
  const double store_s = Seconds(started);
  auto rows_data = s.Analytics().LoadInventoryRows();
  if (!rows_data.ok()) Fail("inventory rows", rows_data.status());
  auto inventory = OccupancyInventory::Build(*rows_data, SummarySettings());
  if (!inventory.ok()) Fail("inventory build", inventory.status());
  started = Clock::now();
  Check("summarize", SummarizePending(s, **inventory));
  const double summarize_s = Seconds(started);
  // The database as it is with raw readings and summaries (WAL folded in).
  Check("checkpoint", s.ProbeWrite(0));
  auto db = Database::Open(path);
  if (!db.ok()) Fail("open", db.status());
  Check("checkpoint", (*db)->Execute("PRAGMA wal_checkpoint(TRUNCATE)"));
  const int64_t full_bytes = FileBytes(path);

  started = Clock::now();
  DeleteAndVacuum(s, today_ms, chunk_rows);
  const double delete_s = Seconds(started);
  Check("checkpoint", (*db)->Execute("PRAGMA wal_checkpoint(TRUNCATE)"));
  const int64_t summaries_bytes = FileBytes(path);

  const double desk_days = static_cast<double>(desks) * days;
  const double raw_per_desk_year =
      static_cast<double>(full_bytes - summaries_bytes) / desk_days * 365;
  const double kept_per_desk_year =
      static_cast<double>(summaries_bytes - empty_bytes) / desk_days * 365;
  std::printf(
      "long-term size: %d desks x %d days, %zu readings (stored in %.1f s, "
      "summarized in %.1f s, deleted and vacuumed in %.1f s)\n",
      desks, days, rows.size(), store_s, summarize_s, delete_s);
  std::printf(
      "  database with raw readings: %.1f MiB; after deleting them: %.1f MiB "
      "(inventory alone %.1f MiB)\n",
      full_bytes / 1048576.0, summaries_bytes / 1048576.0,
      empty_bytes / 1048576.0);
  std::printf(
      "  raw readings:      %8.0f bytes per desk-year (%.2f GiB per "
      "1000 desks a year)\n",
      raw_per_desk_year, raw_per_desk_year * 1000 / 1073741824.0);
  std::printf(
      "  summaries (kept):  %8.0f bytes per desk-year (%.1f MiB per "
      "1000 desks a year)\n",
      kept_per_desk_year, kept_per_desk_year * 1000 / 1048576.0);
}

// Batches of `rows` per gateway stream.
std::vector<std::vector<v1::ReadingBatch>> Batches(const std::vector<Row>& rows,
                                                   int streams,
                                                   int batch_size) {
  std::vector<std::vector<v1::ReadingBatch>> per_stream(streams);
  std::vector<v1::ReadingBatch> open(streams);
  uint64_t batch_id = 0;
  auto flush = [&](int g) {
    if (open[g].readings_size() == 0) return;
    open[g].set_batch_id(++batch_id);
    open[g].set_gateway(absl::StrCat("gw-", g));
    per_stream[g].push_back(std::move(open[g]));
    open[g] = v1::ReadingBatch();
  };
  for (const Row& row : rows) {
    const int g = row.sensor % streams;
    v1::Reading* reading = open[g].add_readings();
    reading->set_sensor(SensorName(row.sensor));
    reading->set_ts_ms(row.ts_ms);
    reading->set_seq(row.seq);
    reading->set_occupied(row.occupied);
    if (open[g].readings_size() == batch_size) flush(g);
  }
  for (int g = 0; g < streams; ++g) flush(g);
  return per_stream;
}

struct LoadResult {
  double seconds = 0;
  size_t readings = 0;
  // Acknowledgement latencies of the batches, seconds (a window of 8
  // batches in flight per stream, as the edge agent).
  std::vector<double> latencies;
};

LoadResult SendLoad(const std::shared_ptr<grpc::Channel>& channel,
                    const std::vector<std::vector<v1::ReadingBatch>>& batches) {
  LoadResult result;
  absl::Mutex mu;
  auto started = Clock::now();
  std::vector<std::thread> threads;
  for (const auto& stream_batches : batches) {
    threads.emplace_back([&, list = &stream_batches] {
      auto stub = v1::IngestService::NewStub(channel);
      grpc::ClientContext context;
      auto stream = stub->StreamReadings(&context);
      std::vector<Clock::time_point> sent_at(list->size());
      std::vector<double> latencies;
      size_t sent = 0;
      size_t acked = 0;
      size_t readings = 0;
      v1::BatchAck ack;
      while (acked < list->size()) {
        while (sent < list->size() && sent - acked < 8) {
          sent_at[sent] = Clock::now();
          if (!stream->Write((*list)[sent])) break;
          ++sent;
        }
        if (!stream->Read(&ack)) break;
        latencies.push_back(
            std::chrono::duration<double>(Clock::now() - sent_at[acked])
                .count());
        readings += ack.accepted() + ack.duplicates();
        ++acked;
      }
      stream->WritesDone();
      grpc::Status status = stream->Finish();
      if (!status.ok()) {
        std::fprintf(stderr, "stream: %s\n", status.error_message().c_str());
        std::exit(1);
      }
      absl::MutexLock lock(&mu);
      result.readings += readings;
      result.latencies.insert(result.latencies.end(), latencies.begin(),
                              latencies.end());
    });
  }
  for (auto& t : threads) t.join();
  result.seconds = Seconds(started);
  std::sort(result.latencies.begin(), result.latencies.end());
  return result;
}

// The upper bound of the histogram bucket holding quantile `q` (seconds).
double BucketQuantile(const HistogramSnapshot& h, double q) {
  const uint64_t total = h.cumulative_counts.back();
  if (total == 0) return 0;
  for (size_t i = 0; i < h.upper_bounds.size(); ++i) {
    if (h.cumulative_counts[i] >= q * total) return h.upper_bounds[i];
  }
  return h.upper_bounds.back();
}

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(q * (sorted.size() - 1) + 0.5))];
}

// Watches how many readings retention deleted, every 5 ms, to tell when it
// stopped deleting (its round's deletions done).
class DeletionWatch {
 public:
  explicit DeletionWatch(const RetentionCounters* counters)
      : counters_(counters),
        started_(Clock::now()),
        thread_([this] { Run(); }) {}
  ~DeletionWatch() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // Seconds from the start to the last deletion seen.
  double DeletingSeconds() const { return last_change_s_; }

 private:
  void Run() {
    uint64_t seen = counters_->readings_deleted.load();
    while (!stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      const uint64_t now = counters_->readings_deleted.load();
      if (now != seen) {
        seen = now;
        last_change_s_ = Seconds(started_);
      }
    }
  }

  const RetentionCounters* const counters_;
  const Clock::time_point started_;
  std::atomic<bool> stop_{false};
  std::atomic<double> last_change_s_{0};
  std::thread thread_;
};

// Prepares a database of `desks` with `old_days` of readings that
// retention (90 days) deletes, marked summarized, and runs the load
// against the server started on it. `old_days` 0: nothing to delete.
void PauseUnderLoad(const std::string& dir, int desks, int old_days,
                    int load_days, int streams, int chunk_rows,
                    absl::Duration step_budget) {
  const std::string path = dir + (old_days > 0 ? "/pause.db" : "/baseline.db");
  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  size_t old_readings = 0;
  {
    auto storage = Storage::OpenSqlite(path);
    if (!storage.ok()) Fail("open", storage.status());
    auto session = (*storage)->OpenSession();
    if (!session.ok()) Fail("session", session.status());
    if (auto imported =
            (*session)->ImportInventory(FleetInventory(desks, streams));
        !imported.ok()) {
      Fail("inventory", imported.status());
    }
    if (old_days > 0) {
      const std::vector<int64_t> ids = SensorIds(**session, desks);
      const std::vector<Row> old = MakeReadings(
          desks, old_days, now_ms - int64_t{100 + old_days} * kDayMs, 3);
      old_readings = old.size();
      Store(**session, old, ids);
      // As if summarized long ago (the summary pass is not what is
      // measured here).
      auto hours = (*session)->Analytics().ListDirtyHours();
      if (!hours.ok()) Fail("dirty hours", hours.status());
      Check("clear", (*session)->Analytics().ClearDirtyHours(*hours));
    }
  }
  const std::vector<Row> load = MakeReadings(
      desks, load_days, now_ms - int64_t{load_days} * kDayMs - kMinuteMs, 11);
  const auto batches = Batches(load, streams, 1000);

  ServerOptions options;
  options.database = path;
  options.retention.chunk_rows = chunk_rows;
  options.retention.step_budget = step_budget;
  options.metrics_listen.clear();
  InProcessServer bench = StartInProcessServer(options);
  const RetentionCounters& retention = bench.server->retention_counters();
  DeletionWatch watch(&retention);
  const LoadResult result = SendLoad(bench.channel, batches);
  watch.Stop();
  const IngestCounters& ingest = bench.server->counters();
  const uint64_t deleted = retention.readings_deleted.load();
  const HistogramSnapshot steps = ingest.background_seconds.Read();
  const uint64_t step_count = steps.cumulative_counts.back();
  const HistogramSnapshot commits = ingest.commit_seconds.Read();
  const uint64_t commit_count = commits.cumulative_counts.back();
  std::printf("%s: %zu readings sent in %.1f s (%.0f readings/s, %d streams)\n",
              old_days > 0 ? "ingest while retention runs"
                           : "ingest, nothing to delete",
              result.readings, result.seconds, result.readings / result.seconds,
              streams);
  if (old_days > 0) {
    const double deleting_s = std::max(watch.DeletingSeconds(), 1e-3);
    std::printf(
        "  deleted %llu of %zu old readings, %s: %.0f readings/s beside "
        "ingest\n",
        static_cast<unsigned long long>(deleted), old_readings,
        deleted == old_readings
            ? absl::StrCat("all in the first ", absl::SixDigits(deleting_s),
                           " s")
                  .c_str()
            : "while the load ran",
        static_cast<double>(deleted) /
            (deleted == old_readings ? deleting_s : result.seconds));
  }
  std::printf("  batch ack latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              Quantile(result.latencies, 0.5) * 1000,
              Quantile(result.latencies, 0.99) * 1000,
              result.latencies.empty() ? 0 : result.latencies.back() * 1000);
  std::printf(
      "  ingest commits: %llu, mean %.1f ms, p99 <= %.0f ms (bucket bound)\n",
      static_cast<unsigned long long>(commit_count),
      commit_count > 0 ? commits.sum / commit_count * 1000 : 0.0,
      BucketQuantile(commits, 0.99) * 1000);
  std::printf(
      "  the writer's pauses for retention: %llu steps (%llu found the write "
      "lock taken and yielded), mean %.2f ms, p50 <= %.2f ms, p99 <= %.2f ms "
      "(bucket bounds), longest %.2f ms\n",
      static_cast<unsigned long long>(step_count),
      static_cast<unsigned long long>(retention.busy.load()),
      step_count > 0 ? steps.sum / step_count * 1000 : 0.0,
      BucketQuantile(steps, 0.5) * 1000, BucketQuantile(steps, 0.99) * 1000,
      static_cast<double>(ingest.background_max_micros.load()) / 1000);
  bench.server->Shutdown();
}

int Main() {
  const std::string dir =
      absl::GetFlag(FLAGS_dir) + "/monipaikka-retention-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const int chunk_rows = absl::GetFlag(FLAGS_chunk_rows);
  const absl::Duration step_budget =
      absl::Microseconds(absl::GetFlag(FLAGS_step_budget_ms) * 1000);
  if (absl::GetFlag(FLAGS_desks) > 0) {
    LongTermSize(dir, absl::GetFlag(FLAGS_desks), absl::GetFlag(FLAGS_days),
                 chunk_rows);
  }
  const int desks = absl::GetFlag(FLAGS_old_desks);
  const int streams = std::max(1, absl::GetFlag(FLAGS_streams));
  PauseUnderLoad(dir, desks, 0, absl::GetFlag(FLAGS_load_days), streams,
                 chunk_rows, step_budget);
  PauseUnderLoad(dir, desks, absl::GetFlag(FLAGS_old_days),
                 absl::GetFlag(FLAGS_load_days), streams, chunk_rows,
                 step_budget);
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
