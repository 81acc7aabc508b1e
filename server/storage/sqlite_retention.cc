#include "server/storage/sqlite_retention.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/storage/sqlite_bookings.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

// A primary key of two integers.
using Key = std::pair<int64_t, int64_t>;

// Raises the stored horizon to `horizon_ms` (never lowers it), inside the
// caller's transaction.
absl::Status RaiseHorizon(Database* db, int64_t horizon_ms) {
  static constexpr char kSql[] =
      "INSERT INTO summary_meta(key, value) VALUES(?1, ?2) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
      "WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)";
  ASSIGN_OR_RETURN(Statement * stmt, db->Cached(kSql));
  stmt->BindText(1, kRawHorizonMeta);
  stmt->BindText(2, absl::StrCat(horizon_ms));
  return stmt->Run();
}

// While it lives, the connection works as retention needs (see
// retention_storage.h), and restores its settings after:
// - no wait for locks (busy timeout 0): a statement that finds the write
//   lock taken fails at once with UNAVAILABLE;
// - no checkpoint in its commits (wal_autocheckpoint 0): copying the log
//   into the database and syncing it can take longer than the chunk, and
//   the next commit of readings does it anyway;
// - commits skip the sync of the write-ahead log (PRAGMA
//   synchronous=NORMAL), which is most of a small transaction's time: a
//   deletion lost in a power loss is done again by the next round, and the
//   next commit of readings (synchronous=FULL) syncs the log with the
//   deletion in it.
class RetentionTurn {
 public:
  explicit RetentionTurn(Database* db) : db_(db) {
    busy_timeout_ms_ = Swap("busy_timeout", 0);
    autocheckpoint_pages_ = Swap("wal_autocheckpoint", 0);
    synchronous_ = Swap("synchronous", 1);
  }
  ~RetentionTurn() {
    // Only outside a transaction: the caller's transaction has ended.
    Restore("synchronous", synchronous_);
    Restore("wal_autocheckpoint", autocheckpoint_pages_);
    Restore("busy_timeout", busy_timeout_ms_);
  }
  RetentionTurn(const RetentionTurn&) = delete;
  RetentionTurn& operator=(const RetentionTurn&) = delete;

 private:
  // Sets the integer PRAGMA `name` to `value` when it is higher, and
  // returns the value to restore (-1: nothing changed).
  int64_t Swap(const char* name, int64_t value) {
    absl::StatusOr<std::unique_ptr<Statement>> read =
        db_->Prepare(absl::StrCat("PRAGMA ", name));
    if (!read.ok()) return -1;
    Statement& stmt = **read;
    absl::StatusOr<std::optional<int64_t>> current =
        stmt.OneRow([&] { return stmt.ColumnInt64(0); });
    if (!current.ok() || !current->has_value() || **current <= value) {
      return -1;
    }
    if (!db_->Execute(absl::StrCat("PRAGMA ", name, "=", value)).ok()) {
      return -1;
    }
    return **current;
  }
  void Restore(const char* name, int64_t value) {
    if (value < 0) return;
    db_->Execute(absl::StrCat("PRAGMA ", name, "=", value)).IgnoreError();
  }

  Database* const db_;
  int64_t busy_timeout_ms_ = -1;
  int64_t autocheckpoint_pages_ = -1;
  int64_t synchronous_ = -1;
};

// In a RetentionTurn, UNAVAILABLE means a lock was taken (SQLITE_BUSY or
// SQLITE_LOCKED, at once instead of after a wait): the transaction rolled
// back and nothing was done.
template <typename T>
absl::StatusOr<T> BusyIsNoError(absl::StatusOr<T> result) {
  if (result.status().code() == absl::StatusCode::kUnavailable) {
    T busy;
    busy.busy = true;
    return busy;
  }
  return result;
}

}  // namespace

absl::StatusOr<int64_t> SqliteRetention::PragmaInt(const char* sql) {
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(sql));
  ASSIGN_OR_RETURN(std::optional<int64_t> value,
                   stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
  if (!value) return absl::InternalError(absl::StrCat(sql, ": no row"));
  return *value;
}

absl::StatusOr<std::optional<int64_t>> SqliteRetention::OldestUnsummarizedMs() {
  static constexpr char kSql[] = "SELECT MIN(hour) FROM summary_dirty_hours";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::optional<int64_t> oldest;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    if (!stmt->ColumnIsNull(0)) oldest = stmt->ColumnInt64(0) * kHourMs;
  }));
  return oldest;
}

absl::StatusOr<RetentionChunk> SqliteRetention::DeleteReadingsBefore(
    int64_t before_ms, int max_rows) {
  RetentionTurn turn(db_);
  return BusyIsNoError(DeleteReadingsInTurn(before_ms, max_rows));
}

absl::StatusOr<RetentionChunk> SqliteRetention::DeleteReadingsInTurn(
    int64_t before_ms, int max_rows) {
  // The key of the chunk's last row: the chunk is one range of the primary
  // key, deleted with one seek.
  static constexpr char kLastOfChunk[] =
      "SELECT ts_ms, sensor_id FROM readings WHERE ts_ms < ? "
      "ORDER BY ts_ms, sensor_id LIMIT 1 OFFSET ?";
  static constexpr char kDeleteThrough[] =
      "DELETE FROM readings WHERE (ts_ms, sensor_id) <= (?, ?)";
  static constexpr char kDeleteBefore[] =
      "DELETE FROM readings WHERE ts_ms < ?";
  max_rows = std::max(1, max_rows);
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * last, db_->Cached(kLastOfChunk));
  last->BindInt64(1, before_ms);
  last->BindInt64(2, max_rows - 1);
  ASSIGN_OR_RETURN(std::optional<Key> key, last->OneRow([&] {
    return std::make_pair(last->ColumnInt64(0), last->ColumnInt64(1));
  }));
  RetentionChunk chunk;
  int64_t horizon_ms = before_ms;
  if (key.has_value()) {
    ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kDeleteThrough));
    remove->BindInt64(1, key->first);
    remove->BindInt64(2, key->second);
    RETURN_IF_ERROR(remove->Run());
    chunk.more = true;
    // Readings of that millisecond may be left; all before it are gone.
    horizon_ms = key->first + 1;
  } else {
    ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kDeleteBefore));
    remove->BindInt64(1, before_ms);
    RETURN_IF_ERROR(remove->Run());
  }
  chunk.deleted = db_->Changes();
  if (chunk.deleted > 0) RETURN_IF_ERROR(RaiseHorizon(db_, horizon_ms));
  RETURN_IF_ERROR(transaction.Commit());
  return chunk;
}

absl::StatusOr<int64_t> SqliteRetention::RawReadingsHorizonMs() {
  static constexpr char kSql[] = "SELECT value FROM summary_meta WHERE key = ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, kRawHorizonMeta);
  ASSIGN_OR_RETURN(std::optional<std::string> value,
                   stmt->OneRow([&] { return stmt->ColumnText(0); }));
  int64_t horizon_ms = 0;
  if (value.has_value() && !absl::SimpleAtoi(*value, &horizon_ms)) {
    return absl::DataLossError(absl::StrCat("summary_meta ", kRawHorizonMeta,
                                            ": \"", *value,
                                            "\" is not an integer"));
  }
  return horizon_ms;
}

absl::StatusOr<RetentionChunk> SqliteRetention::DeleteSummariesBefore(
    int32_t before_date, int max_rows, int64_t* node_cursor) {
  RetentionTurn turn(db_);
  // The cursor moves only with a committed chunk.
  int64_t cursor = *node_cursor;
  absl::StatusOr<RetentionChunk> chunk =
      BusyIsNoError(DeleteSummariesInTurn(before_date, max_rows, &cursor));
  if (chunk.ok() && !chunk->busy) *node_cursor = cursor;
  return chunk;
}

absl::StatusOr<RetentionChunk> SqliteRetention::DeleteSummariesInTurn(
    int32_t before_date, int max_rows, int64_t* node_cursor) {
  static constexpr char kLastSensorDay[] =
      "SELECT date, sensor_id FROM sensor_days WHERE date < ? "
      "ORDER BY date, sensor_id LIMIT 1 OFFSET ?";
  static constexpr char kDeleteSensorDaysThrough[] =
      "DELETE FROM sensor_days WHERE (date, sensor_id) <= (?, ?)";
  static constexpr char kDeleteSensorDaysBefore[] =
      "DELETE FROM sensor_days WHERE date < ?";
  static constexpr char kNextNodes[] =
      "SELECT id FROM summary_nodes WHERE id > ? ORDER BY id LIMIT ?";
  static constexpr char kLastNodeDay[] =
      "SELECT date FROM node_days WHERE node_id = ? AND date < ? "
      "ORDER BY date LIMIT 1 OFFSET ?";
  static constexpr char kDeleteNodeDaysThrough[] =
      "DELETE FROM node_days WHERE node_id = ? AND date <= ?";
  static constexpr char kDeleteNodeDaysBefore[] =
      "DELETE FROM node_days WHERE node_id = ? AND date < ?";
  // Nodes looked at per chunk: each is one seek, even with nothing to
  // delete.
  constexpr int kNodesPerChunk = 256;
  max_rows = std::max(1, max_rows);
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  RetentionChunk chunk;
  int64_t budget = max_rows;

  ASSIGN_OR_RETURN(Statement * last, db_->Cached(kLastSensorDay));
  last->BindInt64(1, before_date);
  last->BindInt64(2, budget - 1);
  ASSIGN_OR_RETURN(std::optional<Key> key, last->OneRow([&] {
    return std::make_pair(last->ColumnInt64(0), last->ColumnInt64(1));
  }));
  if (key.has_value()) {
    RETURN_IF_ERROR(RaiseBookingDayGenerationsOfSensorDays(
        db_, std::numeric_limits<int32_t>::min(),
        static_cast<int32_t>(key->first)));
    ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kDeleteSensorDaysThrough));
    remove->BindInt64(1, key->first);
    remove->BindInt64(2, key->second);
    RETURN_IF_ERROR(remove->Run());
    chunk.deleted = db_->Changes();
    chunk.more = true;
    RETURN_IF_ERROR(transaction.Commit());
    return chunk;
  }
  RETURN_IF_ERROR(RaiseBookingDayGenerationsOfSensorDays(
      db_, std::numeric_limits<int32_t>::min(), before_date - 1));
  ASSIGN_OR_RETURN(Statement * remove_days,
                   db_->Cached(kDeleteSensorDaysBefore));
  remove_days->BindInt64(1, before_date);
  RETURN_IF_ERROR(remove_days->Run());
  chunk.deleted = db_->Changes();
  // The booking figures of those dates are out of date now; no report
  // reads them again.
  static constexpr char kDeleteBookingDaysBefore[] =
      "DELETE FROM booking_days WHERE date < ?";
  ASSIGN_OR_RETURN(Statement * remove_booking_days,
                   db_->Cached(kDeleteBookingDaysBefore));
  remove_booking_days->BindInt64(1, before_date);
  RETURN_IF_ERROR(remove_booking_days->Run());
  budget -= chunk.deleted;

  ASSIGN_OR_RETURN(Statement * nodes_stmt, db_->Cached(kNextNodes));
  nodes_stmt->BindInt64(1, *node_cursor);
  nodes_stmt->BindInt64(2, kNodesPerChunk);
  std::vector<int64_t> nodes;
  RETURN_IF_ERROR(nodes_stmt->ForEachRow(
      [&] { nodes.push_back(nodes_stmt->ColumnInt64(0)); }));
  bool budget_spent = false;
  for (int64_t node : nodes) {
    if (budget <= 0) {
      budget_spent = true;
      break;
    }
    ASSIGN_OR_RETURN(Statement * last_day, db_->Cached(kLastNodeDay));
    last_day->BindInt64(1, node);
    last_day->BindInt64(2, before_date);
    last_day->BindInt64(3, budget - 1);
    ASSIGN_OR_RETURN(std::optional<int64_t> through, last_day->OneRow([&] {
      return last_day->ColumnInt64(0);
    }));
    if (through.has_value()) {
      // More of this node's days than the budget: the next chunk goes on
      // with this node.
      ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kDeleteNodeDaysThrough));
      remove->BindInt64(1, node);
      remove->BindInt64(2, *through);
      RETURN_IF_ERROR(remove->Run());
      chunk.deleted += db_->Changes();
      budget_spent = true;
      break;
    }
    ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kDeleteNodeDaysBefore));
    remove->BindInt64(1, node);
    remove->BindInt64(2, before_date);
    RETURN_IF_ERROR(remove->Run());
    chunk.deleted += db_->Changes();
    budget -= db_->Changes();
    *node_cursor = node;
  }
  RETURN_IF_ERROR(transaction.Commit());
  chunk.more = budget_spent || static_cast<int>(nodes.size()) == kNodesPerChunk;
  if (!chunk.more) *node_cursor = 0;
  return chunk;
}

absl::StatusOr<int> SqliteRetention::AutoVacuumMode() {
  ASSIGN_OR_RETURN(int64_t mode, PragmaInt("PRAGMA auto_vacuum"));
  return static_cast<int>(mode);
}

absl::StatusOr<VacuumStep> SqliteRetention::IncrementalVacuum(int pages) {
  ASSIGN_OR_RETURN(int mode, AutoVacuumMode());
  if (mode != 2 || pages <= 0) {
    VacuumStep step;
    ASSIGN_OR_RETURN(step.free_pages, PragmaInt("PRAGMA freelist_count"));
    return step;
  }
  RetentionTurn turn(db_);
  return BusyIsNoError(IncrementalVacuumInTurn(pages));
}

absl::StatusOr<VacuumStep> SqliteRetention::IncrementalVacuumInTurn(int pages) {
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(
      db_->Execute(absl::StrCat("PRAGMA incremental_vacuum(", pages, ")")));
  VacuumStep step;
  ASSIGN_OR_RETURN(step.free_pages, PragmaInt("PRAGMA freelist_count"));
  RETURN_IF_ERROR(transaction.Commit());
  return step;
}

absl::StatusOr<StoredCounts> SqliteRetention::CountStored(bool count_rows) {
  // The tables that grow with time (the inventory and the tokens do not).
  static constexpr const char* kTables[][2] = {
      {"readings", "SELECT COUNT(*) FROM readings"},
      {"sensor_days", "SELECT COUNT(*) FROM sensor_days"},
      {"node_days", "SELECT COUNT(*) FROM node_days"},
      {"summary_dirty_hours", "SELECT COUNT(*) FROM summary_dirty_hours"},
      {"sensor_health", "SELECT COUNT(*) FROM sensor_health"},
      {"audit_events", "SELECT COUNT(*) FROM audit_events"},
      {"employees", "SELECT COUNT(*) FROM employees"},
      {"work_days", "SELECT COUNT(*) FROM work_days"},
      {"work_months", "SELECT COUNT(*) FROM work_months"},
  };
  StoredCounts counts;
  for (const auto& [table, sql] : kTables) {
    if (!count_rows) break;
    ASSIGN_OR_RETURN(int64_t rows, PragmaInt(sql));
    counts.rows.emplace_back(table, rows);
  }
  static constexpr char kDirtyHours[] =
      "SELECT COUNT(*) FROM summary_dirty_hours";
  ASSIGN_OR_RETURN(counts.dirty_hours, PragmaInt(kDirtyHours));
  ASSIGN_OR_RETURN(counts.oldest_dirty_hour_ms, OldestUnsummarizedMs());
  static constexpr char kOldest[] = "SELECT MIN(ts_ms) FROM readings";
  ASSIGN_OR_RETURN(Statement * oldest, db_->Cached(kOldest));
  RETURN_IF_ERROR(oldest->ForEachRow([&] {
    if (!oldest->ColumnIsNull(0)) {
      counts.oldest_reading_ms = oldest->ColumnInt64(0);
    }
  }));
  ASSIGN_OR_RETURN(counts.page_count, PragmaInt("PRAGMA page_count"));
  ASSIGN_OR_RETURN(counts.freelist_count, PragmaInt("PRAGMA freelist_count"));
  ASSIGN_OR_RETURN(counts.page_size, PragmaInt("PRAGMA page_size"));
  return counts;
}

}  // namespace monipaikka
