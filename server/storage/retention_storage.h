#pragma once

// What data retention and the storage metrics need of storage: deleting old
// raw readings and summaries in bounded chunks, returning free pages to the
// file system, and counting what is stored.
//
// Each Delete* call is one short transaction of at most `max_rows` rows, so
// that the connection holds the database's write lock for a few
// milliseconds only (the server runs them on the ingest writer's connection
// between commits, see server/retention/retention.h). So that the ingest
// writer never waits on retention's behalf, the Delete* and
// IncrementalVacuum calls never wait either:
// - for the write lock: when another connection (the summarizer) holds it,
//   they do nothing and return at once with `busy` set;
// - for a checkpoint: their commits leave the write-ahead log as it is
//   (the next commit of readings checkpoints it as usual);
// - for the disk: their commits do not sync the log (a deletion lost in a
//   power loss is done again by the next round).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace monipaikka {

// One chunk deleted: how many rows, and whether rows older than the bound
// are left (another chunk is due).
struct RetentionChunk {
  int64_t deleted = 0;
  bool more = false;
  // Another connection held the write lock: nothing was done; try again
  // shortly.
  bool busy = false;
};

// One incremental vacuum step: the pages still free afterwards, or `busy`
// as in RetentionChunk (then free_pages is not known: 0).
struct VacuumStep {
  int64_t free_pages = 0;
  bool busy = false;
};

// What the storage holds, for the metrics.
struct StoredCounts {
  // Rows per table, by table name (empty unless counted).
  std::vector<std::pair<std::string, int64_t>> rows;
  // UTC hours holding readings not yet summarized, and the start of the
  // oldest (UTC ms; nullopt when none).
  int64_t dirty_hours = 0;
  std::optional<int64_t> oldest_dirty_hour_ms;
  // The oldest raw reading (UTC ms; nullopt when none).
  std::optional<int64_t> oldest_reading_ms;
  // Pages of the database file, and those free for reuse.
  int64_t page_count = 0;
  int64_t freelist_count = 0;
  int64_t page_size = 0;
};

class RetentionStorage {
 public:
  virtual ~RetentionStorage() = default;

  // The start (UTC ms) of the oldest hour whose readings are not yet
  // summarized; nullopt when every reading is.
  virtual absl::StatusOr<std::optional<int64_t>> OldestUnsummarizedMs() = 0;

  // Deletes, in one transaction, the oldest raw readings with ts_ms <
  // `before_ms`, at most `max_rows` of them, and records the raw readings'
  // horizon (RawReadingsHorizonMs) in the same transaction.
  virtual absl::StatusOr<RetentionChunk> DeleteReadingsBefore(int64_t before_ms,
                                                              int max_rows) = 0;

  // The instant (UTC ms) before which raw readings may have been deleted:
  // readings from it on are all stored; 0 when none were ever deleted.
  virtual absl::StatusOr<int64_t> RawReadingsHorizonMs() = 0;

  // Deletes, in one transaction, at most `max_rows` sensor days and node
  // days with date < `before_date` (days since 1970-01-01, site-local):
  // the sensor days first, then the node days node by node from the node
  // after `*node_cursor` on (a summary node id; start at 0), which it
  // advances. `more` is false once no such day is left.
  virtual absl::StatusOr<RetentionChunk> DeleteSummariesBefore(
      int32_t before_date, int max_rows, int64_t* node_cursor) = 0;

  // PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental.
  virtual absl::StatusOr<int> AutoVacuumMode() = 0;
  // Returns at most `pages` free pages to the file system (PRAGMA
  // incremental_vacuum) in one transaction, when the database's auto_vacuum
  // is incremental; reports the pages still free afterwards.
  virtual absl::StatusOr<VacuumStep> IncrementalVacuum(int pages) = 0;

  // The summarizer's backlog, the oldest reading and the pages of the file
  // (cheap); with `count_rows`, also the rows of the tables that grow with
  // time (a full count: seconds for a database of gigabytes; run on a
  // session of its own, not often).
  virtual absl::StatusOr<StoredCounts> CountStored(bool count_rows) = 0;
};

}  // namespace monipaikka
