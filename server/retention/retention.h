#pragma once

// Keeps the database bounded: raw readings are deleted once older than
// --raw_retention_days, day summaries (sensor days, node days) once older
// than --summary_retention_days, and the pages they held are returned to the
// file system (incremental vacuum) or left for reuse.
//
// How it stays safe:
// - Raw readings go only once summarized: never from the oldest hour still
//   marked for the summarizer on.
// - They are kept a lookback (the longest stale_after, a day by default)
//   longer than the ingest window, so that a summary pass for the oldest
//   reading ingest still accepts finds the readings before it.
// - Every deletion is a chunk in its own short transaction. The server runs
//   Step() on the ingest writer's thread and connection, between group
//   commits (IngestWriterOptions::background): one writer, and ingest waits
//   for one chunk at most.
// - A chunk is sized to take about `step_budget` (ChunkSize: from the time
//   the previous chunks took, at most `chunk_rows` rows or `vacuum_pages`
//   pages), so that it holds the writer a few milliseconds whatever the
//   disk, the database's size and the load.
// - A step never waits on the writer's thread: when the summarizer holds
//   the write lock the step does nothing and is tried again after `pause`;
//   its commits neither checkpoint nor sync the write-ahead log (see
//   RetentionStorage).
//
// Thread safety: thread-compatible; Step() runs on one thread (the ingest
// writer's). The counters may be read from any thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "absl/time/time.h"
#include "server/retention/chunk_size.h"
#include "server/storage/storage.h"

namespace monipaikka {

// How long data is kept.
struct RetentionPolicy {
  // Raw readings, days; also the ingest window (older readings are
  // refused).
  int raw_days = 90;
  // Sensor days and node days, days (ten years by default).
  int summary_days = 3650;
  // Raw readings are kept this much longer than raw_days; at least the
  // longest stale_after.
  absl::Duration lookback = absl::Hours(24);
};

// The instant (UTC ms) before which raw readings may be deleted at
// `now_ms`: now − raw_days − lookback, down to a whole UTC hour, and never
// past `oldest_unsummarized_ms` (the start of the oldest hour not yet
// summarized; nullopt when none).
int64_t RawDeleteBeforeMs(const RetentionPolicy& policy, int64_t now_ms,
                          std::optional<int64_t> oldest_unsummarized_ms);

// The date (days since 1970-01-01) before which summaries may be deleted
// at `now_ms`: the UTC date of now − summary_days, less one day (site-local
// dates run up to 14 hours either side of UTC).
int32_t SummaryDeleteBeforeDate(const RetentionPolicy& policy, int64_t now_ms);

struct RetentionOptions {
  RetentionPolicy policy;
  // About how long one step (one chunk, one transaction) may hold the
  // ingest writer; the chunks are sized to it.
  absl::Duration step_budget = absl::Milliseconds(2);
  // Most rows one chunk deletes, and the first chunk's size.
  int chunk_rows = 2000;
  int first_chunk_rows = 256;
  // Most free pages one incremental vacuum step returns (4 KiB each), and
  // the first step's.
  int vacuum_pages = 512;
  int first_vacuum_pages = 32;
  // How often a round starts (the first at once).
  absl::Duration interval = absl::Hours(1);
  // Rest after each chunk, so that the summarizer's writes get the lock.
  absl::Duration pause = absl::Milliseconds(5);
  // Wait after a failed step.
  absl::Duration retry = absl::Minutes(1);
};

// Totals since start, for operators.
struct RetentionCounters {
  std::atomic<uint64_t> rounds{0};
  std::atomic<uint64_t> chunks{0};
  std::atomic<uint64_t> readings_deleted{0};
  std::atomic<uint64_t> summary_days_deleted{0};
  std::atomic<uint64_t> failures{0};
  // Steps that found the write lock held by another connection (the
  // summarizer) and left their chunk for the next step.
  std::atomic<uint64_t> busy{0};
  // Pages free in the database file after the last vacuum step.
  std::atomic<int64_t> free_pages{0};
  // The raw readings' horizon (UTC ms, 0: nothing deleted yet) and the end
  // of the last complete round (Unix seconds, 0: none yet).
  std::atomic<int64_t> raw_horizon_ms{0};
  std::atomic<int64_t> last_round_end_s{0};
};

class Retention {
 public:
  // `now_ms` is the clock (UTC ms); `counters` must outlive this.
  Retention(RetentionOptions options, std::function<int64_t()> now_ms,
            RetentionCounters* counters);
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // Does one bounded piece of work on `session` (a chunk of deletions, or
  // one vacuum step) and returns how long until the next is due.
  // `options.step_budget` bounds the chunks, not the call: a chunk may take
  // a few times the budget before the next one is resized.
  absl::Duration Step(StorageSession& session);

 private:
  enum class Phase { kIdle, kRaw, kSummaries, kVacuum };
  absl::Status StepPhase(StorageSession& session, absl::Duration* next);

  const RetentionOptions options_;
  const std::function<int64_t()> now_ms_;
  RetentionCounters* const counters_;
  // The next chunk's size, for each kind of chunk.
  ChunkSize raw_rows_;
  ChunkSize summary_rows_;
  ChunkSize vacuum_pages_;
  Phase phase_ = Phase::kIdle;
  // The round's bounds, and what it deleted so far.
  int64_t raw_before_ms_ = 0;
  int32_t summary_before_date_ = 0;
  int64_t node_cursor_ = 0;
  int64_t round_readings_ = 0;
  int64_t round_summary_days_ = 0;
};

}  // namespace monipaikka
