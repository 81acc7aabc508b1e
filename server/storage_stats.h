#pragma once

// What the database holds, for the metrics: rows per table, the
// summarizer's backlog, the oldest raw reading and the file's free pages,
// counted on a thread of its own (a full count of the readings takes
// seconds on a large database, too long for a scrape), and the sizes of the
// database file and its write-ahead log, read at each scrape.
//
// Thread safety: every method may be called from any thread; the metrics
// read a snapshot.

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metric_set.h"
#include "server/storage/storage.h"

namespace monipaikka {

class StorageStats {
 public:
  // `storage` must outlive this. Rows are counted every `interval`, the
  // backlog and pages every interval / 20.
  StorageStats(Storage* storage, std::string database_path,
               absl::Duration interval);
  ~StorageStats();
  StorageStats(const StorageStats&) = delete;
  StorageStats& operator=(const StorageStats&) = delete;

  // Opens a session and starts the thread (the first count follows at once).
  absl::Status Start();
  // Stops the thread. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);
  // The latest counts (nullopt before the first).
  std::optional<StoredCounts> Latest() const ABSL_LOCKS_EXCLUDED(mu_);
  // Counts now, on the calling thread (tests, and the first count).
  absl::Status Refresh(bool count_rows) ABSL_LOCKS_EXCLUDED(mu_);

  // Registers monipaikka_database_*_bytes, monipaikka_table_rows,
  // monipaikka_summary_backlog_*, monipaikka_raw_readings_oldest_*. The
  // families read this object, which must outlive every scrape.
  void AddMetrics(MetricSet* metrics);

 private:
  void Run();

  Storage* const storage_;
  const std::string database_path_;
  const absl::Duration interval_;
  std::unique_ptr<StorageSession> session_;  // the thread's (or Refresh's)
  std::thread thread_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<StoredCounts> latest_ ABSL_GUARDED_BY(mu_);
  // Serializes Refresh() calls on session_.
  absl::Mutex session_mu_;
};

}  // namespace monipaikka
