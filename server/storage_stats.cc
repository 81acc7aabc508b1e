#include "server/storage_stats.h"

#include <sys/stat.h>

#include <utility>

#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

// Size of the file at `path`, bytes; 0 when there is none.
double FileBytes(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return 0;
  return static_cast<double>(info.st_size);
}

}  // namespace

StorageStats::StorageStats(Storage* storage, std::string database_path,
                           absl::Duration interval)
    : storage_(storage),
      database_path_(std::move(database_path)),
      interval_(interval) {}

StorageStats::~StorageStats() { Stop(); }

absl::Status StorageStats::Start() {
  ASSIGN_OR_RETURN(session_, storage_->OpenSession());
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void StorageStats::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

std::optional<StoredCounts> StorageStats::Latest() const {
  absl::MutexLock lock(&mu_);
  return latest_;
}

absl::Status StorageStats::Refresh(bool count_rows) {
  absl::MutexLock session_lock(&session_mu_);
  if (session_ == nullptr) {
    ASSIGN_OR_RETURN(session_, storage_->OpenSession());
  }
  ASSIGN_OR_RETURN(StoredCounts counts,
                   session_->Retention().CountStored(count_rows));
  absl::MutexLock lock(&mu_);
  if (!count_rows && latest_.has_value()) counts.rows = latest_->rows;
  latest_ = std::move(counts);
  return absl::OkStatus();
}

void StorageStats::Run() {
  const absl::Duration tick = interval_ / 20;
  int ticks = 0;
  while (true) {
    const bool count_rows = ticks % 20 == 0;
    ++ticks;
    if (absl::Status status = Refresh(count_rows); !status.ok()) {
      Log(LogLevel::kWarning, "storage_stats_failed",
          {{"error", std::string(status.message())}});
    }
    absl::MutexLock lock(&mu_);
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), tick)) return;
  }
}

void StorageStats::AddMetrics(MetricSet* metrics) {
  metrics->AddGauge(
      "monipaikka_database_file_bytes",
      "Size of the database file (--db) on disk.",
      std::function<double()>([this] { return FileBytes(database_path_); }));
  metrics->AddGauge("monipaikka_database_wal_bytes",
                    "Size of the database's write-ahead log (--db plus -wal).",
                    std::function<double()>(
                        [this] { return FileBytes(database_path_ + "-wal"); }));
  metrics->AddGauge(
      "monipaikka_database_free_bytes",
      "Bytes of the database file free for reuse (deleted rows' pages not "
      "yet returned to the file system).",
      std::function<double()>([this] {
        std::optional<StoredCounts> counts = Latest();
        return counts ? static_cast<double>(counts->freelist_count *
                                            counts->page_size)
                      : 0.0;
      }));
  metrics->AddFamily("monipaikka_table_rows", [this] {
    prometheus::MetricFamily family;
    family.name = "monipaikka_table_rows";
    family.help =
        "Rows of each table that grows with time (counted every "
        "few minutes).";
    family.type = prometheus::MetricType::Gauge;
    std::optional<StoredCounts> counts = Latest();
    if (counts.has_value()) {
      for (const auto& [table, rows] : counts->rows) {
        prometheus::ClientMetric metric;
        metric.label.push_back({"table", table});
        metric.gauge.value = static_cast<double>(rows);
        family.metric.push_back(std::move(metric));
      }
    }
    return family;
  });
  metrics->AddGauge("monipaikka_summary_backlog_hours",
                    "UTC hours holding readings the summarizer has not yet "
                    "summarized (reports wait for them).",
                    std::function<double()>([this] {
                      std::optional<StoredCounts> counts = Latest();
                      return counts ? static_cast<double>(counts->dirty_hours)
                                    : 0.0;
                    }));
  metrics->AddGauge(
      "monipaikka_summary_backlog_age_seconds",
      "Age of the oldest hour not yet summarized (from its start); 0 when "
      "every reading is summarized.",
      std::function<double()>([this] {
        std::optional<StoredCounts> counts = Latest();
        if (!counts || !counts->oldest_dirty_hour_ms) return 0.0;
        return absl::ToDoubleSeconds(
            absl::Now() - absl::FromUnixMillis(*counts->oldest_dirty_hour_ms));
      }));
  metrics->AddGauge(
      "monipaikka_raw_readings_oldest_timestamp_seconds",
      "Time of the oldest raw reading stored (Unix seconds); 0 when none.",
      std::function<double()>([this] {
        std::optional<StoredCounts> counts = Latest();
        return counts && counts->oldest_reading_ms
                   ? static_cast<double>(*counts->oldest_reading_ms) / 1000
                   : 0.0;
      }));
}

}  // namespace monipaikka
