// Data retention with the real server and client on 127.0.0.1: once raw
// readings are older than --raw_retention_days they are deleted, the day
// summaries stay and the reports over those days are unchanged, a late
// reading for such a day is refused naming the setting, and the storage
// metrics (file sizes, rows per table, summarizer backlog, last batch per
// gateway, retention) are served. A database made before incremental
// auto_vacuum keeps its free pages until the documented sqlite3 command
// switches it; then the server returns them to the file system.

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/analytics.pb.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

// `day` or the last working day (no weekend, no Finnish public holiday)
// before it: the reports count working days.
absl::CivilDay WorkingDayOnOrBefore(absl::CivilDay day) {
  while (IsoWeekday(day) > 5 || IsFinnishPublicHoliday(day)) day -= 1;
  return day;
}

std::string Local(absl::CivilDay day, int hour, int minute) {
  static const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  return FormatInstantMs(LocalToMs(
      absl::CivilSecond(day.year(), day.month(), day.day(), hour, minute, 0),
      zone));
}

std::string Scrape(int port) {
  absl::StatusOr<HttpResponse> response = HttpGet(port, "/metrics");
  EXPECT_TRUE(response.ok()) << response.status();
  return response.ok() ? response->body : "";
}

double Sample(const std::string& text, absl::string_view series) {
  std::optional<double> value = SampleValue(text, series);
  EXPECT_TRUE(value.has_value()) << series << " missing in:\n" << text;
  return value.value_or(-1);
}

// Scrapes until `done` holds for the text (up to a minute); the last text.
std::string ScrapeUntil(int port,
                        std::function<bool(const std::string&)> done) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string text;
  while (std::chrono::steady_clock::now() < deadline) {
    text = Scrape(port);
    if (done(text)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return text;
}

// The sqlite3 command-line shell, found on PATH ("" when missing).
std::string Sqlite3Shell() {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir :
       absl::StrSplit(path == nullptr ? "/usr/bin" : path, ':')) {
    const std::string candidate = absl::StrCat(dir, "/sqlite3");
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs the sqlite3 shell on `db` with `sql`; its standard output, trimmed
// (a test failure when it fails).
std::string Sqlite3(const std::string& db, const std::string& sql) {
  std::string out;
  std::string err;
  const int code = RunToCompletion(Sqlite3Shell(), {db, sql}, &out,
                                   std::chrono::seconds(120), &err);
  EXPECT_EQ(code, 0) << sql << ": " << out << err;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

int64_t FileBytes(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? info.st_size : -1;
}

class RetentionIntegrationTest : public ::testing::Test {
 protected:
  // Runs the client against `server`; keeps its exit code and output.
  void Run(const ServerProcess& server, std::vector<std::string> args) {
    args.insert(args.begin(), "--server=" + server.address());
    out_.clear();
    err_.clear();
    exit_code_ = RunToCompletion(ClientBinary(), args, &out_,
                                 std::chrono::seconds(60), &err_);
  }

  void ImportReadings(const ServerProcess& server, const std::string& name,
                      const std::string& csv) {
    const std::string path = dir_.File(name);
    std::ofstream(path) << "sensor,ts,occupied\n" << csv;
    Run(server, {"readings", "import", path});
  }

  v1::UsageReport Usage(const ServerProcess& server, absl::CivilDay from,
                        absl::CivilDay to) {
    Run(server,
        {"--output=json", "report", "usage", "--by=day", "--site=IT-SITE",
         "--from=" + FormatDate(from), "--to=" + FormatDate(to)});
    v1::UsageReport report;
    EXPECT_EQ(exit_code_, 0) << out_ << err_;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(out_, &report).ok())
        << out_;
    return report;
  }

  TempDir dir_;
  int exit_code_ = -1;
  std::string out_;
  std::string err_;
};

TEST_F(RetentionIntegrationTest, OldReadingsGoSummariesStayReportsAgree) {
  const absl::CivilDay today = TodayInHelsinki();
  // A working day 8 to 12 days ago, and one 1 to 3 days ago.
  const absl::CivilDay old_day = WorkingDayOnOrBefore(today - 8);
  const absl::CivilDay recent_day = WorkingDayOnOrBefore(today - 1);
  ASSERT_GE(recent_day, today - 3);
  // The old day: each of 4 desks known 08:00-16:00, desk i occupied for
  // 1 h + i × 30 min; the recent day: one desk occupied 09:00-10:00, known
  // until 11:00 (stale after an hour).
  std::ostringstream old_csv;
  for (int desk = 0; desk < 4; ++desk) {
    for (int slot = 0; slot < 16; ++slot) {
      const int minutes = 8 * 60 + slot * 30;
      old_csv << "IT-DEV-" << desk << ","
              << Local(old_day, minutes / 60, minutes % 60) << ","
              << (minutes < 9 * 60 + desk * 30 ? 1 : 0) << "\n";
    }
  }
  const std::string recent_csv = "IT-DEV-0," + Local(recent_day, 9, 0) +
                                 ",1\nIT-DEV-0," + Local(recent_day, 10, 0) +
                                 ",0\n";

  v1::UsageReport before;
  {
    // Raw readings kept 30 days: everything is stored.
    ServerProcess server(dir_, 0, "server-30d", {"--raw_retention_days=30"});
    ASSERT_GT(server.port(), 0) << server.process().Log();
    ASSERT_TRUE(
        ImportInventory(server, dir_, OneSiteInventoryJson(4, "gw-it")).ok());
    ImportReadings(server, "old.csv", old_csv.str());
    ASSERT_EQ(exit_code_, 0) << out_ << err_;
    ImportReadings(server, "recent.csv", recent_csv);
    ASSERT_EQ(exit_code_, 0) << out_ << err_;
    before = Usage(server, old_day, recent_day);
    EXPECT_EQ(before.total().observed_ms(), 32 * kHourMs + 2 * kHourMs);
    EXPECT_EQ(before.total().days_counted(), 2);
    server.process().Signal(SIGTERM);
    ASSERT_EQ(server.process().Wait(std::chrono::seconds(20)), 0);
  }

  // Restarted keeping raw readings 3 days: those of the old day go.
  ServerProcess server(
      dir_, 0, "server-3d",
      {"--raw_retention_days=3", "--storage_stats_interval_s=1"});
  ASSERT_GT(server.port(), 0) << server.process().Log();
  std::string text = ScrapeUntil(server.metrics_port(), [](const auto& t) {
    return SampleValue(t, "monipaikka_retention_rounds_total").value_or(0) >=
               1 &&
           SampleValue(t, "monipaikka_table_rows{table=\"readings\"}") == 2;
  });
  EXPECT_EQ(Sample(text, "monipaikka_retention_readings_deleted_total"), 64);
  EXPECT_EQ(Sample(text, "monipaikka_table_rows{table=\"readings\"}"), 2);
  EXPECT_GT(Sample(text, "monipaikka_table_rows{table=\"sensor_days\"}"), 0);
  EXPECT_GT(Sample(text, "monipaikka_table_rows{table=\"node_days\"}"), 0);
  EXPECT_EQ(Sample(text, "monipaikka_retention_failures_total"), 0);
  // The old day's readings are before the horizon; the recent day's not.
  const double horizon_s =
      Sample(text, "monipaikka_raw_readings_horizon_timestamp_seconds");
  EXPECT_GT(horizon_s * 1000,
            static_cast<double>(LocalToMs(absl::CivilSecond(old_day + 1),
                                          *LoadZone("Europe/Helsinki"))));
  EXPECT_LT(horizon_s * 1000,
            static_cast<double>(LocalToMs(absl::CivilSecond(recent_day),
                                          *LoadZone("Europe/Helsinki"))));
  EXPECT_GE(Sample(text, "monipaikka_writer_background_seconds_count"), 2);

  // The report over the days is the same, from the summaries.
  v1::UsageReport after = Usage(server, old_day, recent_day);
  EXPECT_EQ(after.total().observed_ms(), before.total().observed_ms());
  EXPECT_EQ(after.total().occupied_ms(), before.total().occupied_ms());
  EXPECT_EQ(after.total().unknown_ms(), before.total().unknown_ms());
  EXPECT_EQ(after.total().days_counted(), before.total().days_counted());
  ASSERT_EQ(after.groups_size(), before.groups_size());
  for (int g = 0; g < after.groups_size(); ++g) {
    EXPECT_EQ(after.groups(g).key(), before.groups(g).key());
    EXPECT_EQ(after.groups(g).figures().occupied_ms(),
              before.groups(g).figures().occupied_ms())
        << after.groups(g).key();
  }

  // A late reading for the old day is refused, naming the setting.
  ImportReadings(server, "late.csv",
                 "IT-DEV-3," + Local(old_day, 17, 0) + ",1\n");
  EXPECT_EQ(exit_code_, 1) << out_ << err_;
  EXPECT_TRUE(absl::StrContains(err_, "--raw_retention_days")) << err_;
  EXPECT_TRUE(absl::StrContains(err_, "late.csv:2")) << err_;
  EXPECT_EQ(Usage(server, old_day, old_day).total().observed_ms(),
            32 * kHourMs);

  // A gateway's batch shows in the metrics with its time.
  auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + server.admin_token());
  auto stream = stub->StreamReadings(&context);
  v1::ReadingBatch batch;
  batch.set_batch_id(1);
  batch.set_gateway("gw-it");
  v1::Reading* reading = batch.add_readings();
  reading->set_sensor("IT-DEV-1");
  reading->set_ts_ms(absl::ToUnixMillis(absl::Now()) - 60 * 1000);
  reading->set_occupied(true);
  const double sent_s = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch());
  ASSERT_TRUE(stream->Write(batch));
  v1::BatchAck ack;
  ASSERT_TRUE(stream->Read(&ack));
  EXPECT_EQ(ack.accepted(), 1u);
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());

  text = Scrape(server.metrics_port());
  EXPECT_NEAR(
      Sample(text,
             "monipaikka_gateway_last_batch_timestamp_seconds{gateway=\"gw-"
             "it\"}"),
      sent_s, 5);
  EXPECT_GT(Sample(text, "monipaikka_database_file_bytes"), 0);
  EXPECT_GE(Sample(text, "monipaikka_database_wal_bytes"), 0);
  EXPECT_GE(Sample(text, "monipaikka_database_free_bytes"), 0);
  EXPECT_GE(Sample(text, "monipaikka_summary_backlog_hours"), 0);
  EXPECT_GE(Sample(text, "monipaikka_summary_backlog_age_seconds"), 0);
  EXPECT_GT(Sample(text, "monipaikka_raw_readings_oldest_timestamp_seconds"),
            horizon_s);
  EXPECT_GT(Sample(text, "monipaikka_retention_last_round_timestamp_seconds"),
            0);
  EXPECT_GE(Sample(text, "monipaikka_writer_background_max_seconds"), 0);

  server.process().Signal(SIGTERM);
  ASSERT_EQ(server.process().Wait(std::chrono::seconds(20)), 0);
  const std::string log = server.process().Log();
  EXPECT_TRUE(absl::StrContains(log, "event=retention_round")) << log;
}

// docs/operations.md, "Disk space: auto_vacuum": a database made before
// incremental auto_vacuum (auto_vacuum=NONE) keeps the pages retention
// frees; the documented command, run while the server is stopped, switches
// it and shrinks the file; the restarted server then returns the pages its
// retention frees to the file system.
TEST_F(RetentionIntegrationTest, TheDocumentedSwitchToIncrementalAutoVacuum) {
  if (Sqlite3Shell().empty()) GTEST_SKIP() << "no sqlite3 shell on PATH";
  const absl::CivilDay today = TodayInHelsinki();
  // 20 desks, a reading a minute 08:00-16:00 on two days: 9 and 5 days ago.
  constexpr int kDesks = 20;
  constexpr int kPerDay = kDesks * 8 * 60;
  auto day_csv = [&](absl::CivilDay day) {
    std::ostringstream csv;
    for (int desk = 0; desk < kDesks; ++desk) {
      for (int minute = 8 * 60; minute < 16 * 60; ++minute) {
        csv << "IT-DEV-" << desk << "," << Local(day, minute / 60, minute % 60)
            << "," << (minute / 7 + desk) % 2 << "\n";
      }
    }
    return csv.str();
  };
  const std::string db = dir_.File("server.db");
  {
    ServerProcess server(
        dir_, 0, "server-made",
        {"--raw_retention_days=30", "--storage_stats_interval_s=1"});
    ASSERT_GT(server.port(), 0) << server.process().Log();
    ASSERT_TRUE(
        ImportInventory(server, dir_, OneSiteInventoryJson(kDesks, "gw-it"))
            .ok());
    ImportReadings(server, "day9.csv", day_csv(today - 9));
    ASSERT_EQ(exit_code_, 0) << out_ << err_;
    ImportReadings(server, "day5.csv", day_csv(today - 5));
    ASSERT_EQ(exit_code_, 0) << out_ << err_;
    // Summarized (retention never deletes what is not).
    const std::string text =
        ScrapeUntil(server.metrics_port(), [](const std::string& t) {
          return SampleValue(t, "monipaikka_table_rows{table=\"readings\"}") ==
                     2 * kPerDay &&
                 SampleValue(t, "monipaikka_summary_backlog_hours") == 0;
        });
    ASSERT_EQ(Sample(text, "monipaikka_summary_backlog_hours"), 0);
    server.process().Signal(SIGTERM);
    ASSERT_EQ(server.process().Wait(std::chrono::seconds(20)), 0);
  }
  EXPECT_EQ(Sqlite3(db, "PRAGMA auto_vacuum;"), "2");
  // As an older release made it.
  Sqlite3(db, "PRAGMA auto_vacuum=NONE; VACUUM;");
  ASSERT_EQ(Sqlite3(db, "PRAGMA auto_vacuum;"), "0");

  // Retention deletes the older day; the freed pages stay in the file.
  {
    ServerProcess server(
        dir_, 0, "server-none",
        {"--raw_retention_days=6", "--storage_stats_interval_s=1"});
    ASSERT_GT(server.port(), 0) << server.process().Log();
    const std::string text =
        ScrapeUntil(server.metrics_port(), [](const std::string& t) {
          return SampleValue(t, "monipaikka_retention_readings_deleted_total")
                         .value_or(0) >= kPerDay &&
                 SampleValue(t, "monipaikka_database_free_bytes").value_or(0) >
                     0;
        });
    EXPECT_EQ(Sample(text, "monipaikka_retention_readings_deleted_total"),
              kPerDay);
    EXPECT_GT(Sample(text, "monipaikka_database_free_bytes"), 0);
    EXPECT_EQ(Sample(text, "monipaikka_retention_failures_total"), 0);
    server.process().Signal(SIGTERM);
    ASSERT_EQ(server.process().Wait(std::chrono::seconds(20)), 0);
  }
  const int64_t free_pages = std::stoll(Sqlite3(db, "PRAGMA freelist_count;"));
  EXPECT_GT(free_pages, 0);
  const int64_t bytes_before = FileBytes(db);

  // The documented command, word for word but for the path.
  Sqlite3(db, "PRAGMA auto_vacuum=INCREMENTAL; VACUUM;");
  EXPECT_EQ(Sqlite3(db, "PRAGMA auto_vacuum;"), "2");
  EXPECT_EQ(Sqlite3(db, "PRAGMA freelist_count;"), "0");
  EXPECT_EQ(Sqlite3(db, "PRAGMA integrity_check;"), "ok");
  const int64_t bytes_switched = FileBytes(db);
  EXPECT_LT(bytes_switched, bytes_before);

  // The restarted server's retention deletes the other day and returns the
  // pages it frees: none stay free, and the file shrinks.
  ServerProcess server(
      dir_, 0, "server-incremental",
      {"--raw_retention_days=3", "--storage_stats_interval_s=1"});
  ASSERT_GT(server.port(), 0) << server.process().Log();
  const std::string text =
      ScrapeUntil(server.metrics_port(), [](const std::string& t) {
        return SampleValue(t, "monipaikka_retention_readings_deleted_total")
                       .value_or(0) >= kPerDay &&
               SampleValue(t, "monipaikka_retention_rounds_total")
                       .value_or(0) >= 1 &&
               SampleValue(t, "monipaikka_table_rows{table=\"readings\"}") ==
                   0 &&
               SampleValue(t, "monipaikka_database_free_bytes") == 0;
      });
  EXPECT_EQ(Sample(text, "monipaikka_retention_readings_deleted_total"),
            kPerDay);
  EXPECT_EQ(Sample(text, "monipaikka_table_rows{table=\"readings\"}"), 0);
  EXPECT_EQ(Sample(text, "monipaikka_database_free_bytes"), 0);
  server.process().Signal(SIGTERM);
  ASSERT_EQ(server.process().Wait(std::chrono::seconds(20)), 0);
  // The write-ahead log checkpointed at the stop: the file is smaller.
  EXPECT_LT(FileBytes(db), bytes_switched);
  EXPECT_EQ(Sqlite3(db, "PRAGMA freelist_count;"), "0");
  EXPECT_EQ(Sqlite3(db, "PRAGMA auto_vacuum;"), "2");
  RecordProperty("free_pages_left_by_auto_vacuum_none", free_pages);
  RecordProperty("bytes_before_switch", bytes_before);
  RecordProperty("bytes_after_switch", bytes_switched);
  RecordProperty("bytes_after_incremental_retention", FileBytes(db));
  EXPECT_EQ(Sqlite3(db, "PRAGMA integrity_check;"), "ok");
}

TEST_F(RetentionIntegrationTest, OldAndNewRetentionFlagsTogetherAreRefused) {
  std::string out;
  std::string err;
  const int exit_code = RunToCompletion(
      ServerBinary(),
      {"--listen=127.0.0.1:0", "--plaintext", "--db=" + dir_.File("x.db"),
       "--metrics_listen=", "--retention_days=30", "--raw_retention_days=60"},
      &out, std::chrono::seconds(20), &err);
  EXPECT_NE(exit_code, 0);
  EXPECT_TRUE(
      absl::StrContains(out + err, "is the old name of --raw_retention_days"))
      << out << err;
}

}  // namespace
}  // namespace monipaikka::testing
