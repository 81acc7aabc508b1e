#pragma once

// A thin RAII layer over the SQLite C API.
//
// Thread safety: a Database (and every Statement prepared on it) belongs to
// one thread at a time. Open one connection per thread; WAL mode lets readers
// run beside the single writer.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace monipaikka {

class Database;

// A prepared statement. Bind parameters are 1-based, columns 0-based, as in
// SQLite.
//
// Binding: a Bind* call SQLite refuses (a parameter index out of range, a
// text or blob too big) is remembered, and the next ForEachRow(), OneRow()
// or Run() returns it as an error naming the parameter and the statement,
// without running the statement. Reset() forgets it.
//
// Reading rows: there is one way for each shape of result, and each leaves
// the statement reset (its read transaction ended, ready to bind again):
//   - every row:  RETURN_IF_ERROR(stmt->ForEachRow([&] {
//                   names.push_back(stmt->ColumnText(0));
//                 }));
//   - at most one row (a lookup, a COUNT(*), a PRAGMA):
//                 ASSIGN_OR_RETURN(std::optional<int64_t> id,
//                     stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
//   - no rows (INSERT, UPDATE, DELETE, DDL): RETURN_IF_ERROR(stmt->Run());
// The columns are read from the statement inside the callback only.
class Statement {
 public:
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindInt64(int index, int64_t value);
  void BindDouble(int index, double value);
  // The text is copied by SQLite.
  void BindText(int index, absl::string_view value);
  void BindNull(int index);
  // Binds NULL for an empty string, the text otherwise.
  void BindTextOrNull(int index, absl::string_view value);
  // Binds bytes as a BLOB; they are copied by SQLite.
  void BindBlob(int index, absl::string_view bytes);

  // Steps through every row, calling `visit` at each; stops at the first
  // error. Resets the statement.
  absl::Status ForEachRow(absl::FunctionRef<void()> visit);
  // Runs the statement to its first row: std::nullopt when it returns none,
  // else what `read_row` (called at that row) returns. Any further rows are
  // not read. Resets the statement.
  template <typename ReadRow>
  absl::StatusOr<std::optional<std::invoke_result_t<ReadRow&>>> OneRow(
      ReadRow&& read_row) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    std::optional<std::invoke_result_t<ReadRow&>> value;
    if (*row) value.emplace(read_row());
    Reset();
    return value;
  }
  // Runs a statement whose rows, if any, are not wanted (DML, DDL, a PRAGMA
  // that sets). Resets the statement.
  absl::Status Run();
  // Ready to run again, with no bindings (and no remembered bind error).
  void Reset();
  // Restarts the count of virtual-machine instructions run, which SQLite
  // keeps across runs and by which it paces the progress handler.
  void ResetStepCount();

  bool ColumnIsNull(int index) const;
  int64_t ColumnInt64(int index) const;
  double ColumnDouble(int index) const;
  std::string ColumnText(int index) const;
  // The bytes of a BLOB (or TEXT) column, without a copy: valid until the
  // row callback returns or the next column call on this statement.
  absl::string_view ColumnBlob(int index) const;

 private:
  // Advances to the next row: true at a row, false when done; an error
  // status (the statement reset) on failure or after a refused binding.
  absl::StatusOr<bool> Step();
  // Remembers the first refused binding (`code` not SQLITE_OK).
  void CheckBind(int code, int index);

  Database* db_;
  sqlite3_stmt* stmt_;
  absl::Status bind_error_;  // OK unless a Bind* was refused since Reset()
};

// How a connection's commits reach the disk (PRAGMA synchronous; the
// databases are in WAL mode).
enum class SqliteSynchronous {
  // Every commit syncs the write-ahead log before it returns: a commit that
  // returned survives a process crash, an OS crash and a power loss.
  kFull,
  // The log is synced only at checkpoints: a commit that returned survives a
  // process crash, but an OS crash or power loss may roll back the commits
  // made since the last checkpoint (the database stays consistent).
  kNormal,
};

// "full" or "normal" (the value of --sqlite_synchronous); INVALID_ARGUMENT
// naming the flag otherwise.
absl::StatusOr<SqliteSynchronous> ParseSqliteSynchronous(
    absl::string_view text);
// "full" or "normal".
absl::string_view SqliteSynchronousName(SqliteSynchronous synchronous);

struct DatabaseOptions {
  // Open read-only (a reader connection).
  bool read_only = false;
  // Page cache size in KiB.
  int cache_kib = 64 * 1024;
  // Durability of this connection's commits.
  SqliteSynchronous synchronous = SqliteSynchronous::kFull;
};

class Database {
 public:
  // Opens (creating if needed, unless read-only) the database file at `path`
  // in WAL mode with foreign keys on. A file it creates gets mode 0600 (less
  // the umask); SQLite gives the -wal and -shm files beside it the database
  // file's mode. An existing file keeps its mode.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more SQL statements that return no rows.
  absl::Status Execute(absl::string_view sql);

  // Prepares `sql` once per connection and caches it, keyed by the address
  // of the text: pass a string literal or a `static constexpr char[]`.
  // The returned statement is reset and ready to bind.
  absl::StatusOr<Statement*> Cached(const char* sql);
  // Prepares a statement owned by the caller.
  absl::StatusOr<std::unique_ptr<Statement>> Prepare(absl::string_view sql);

  // PRAGMA synchronous as the connection reports it: 0 OFF, 1 NORMAL,
  // 2 FULL, 3 EXTRA.
  absl::StatusOr<int> SynchronousPragma();

  int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int Changes() const;
  sqlite3* raw() const { return db_; }
  const std::string& path() const { return path_; }

  // A status carrying SQLite's last error message for this connection.
  absl::Status Error(int code, absl::string_view context) const;

  // From now on, a statement of this connection still running at `deadline`
  // is interrupted: its step fails with SQLITE_INTERRUPT (a write in an
  // explicit transaction rolls the transaction back). The clock is read
  // every kDeadlineCheckSteps virtual-machine instructions a statement runs
  // (counted from this call), so statements shorter than that are never
  // interrupted. absl::InfiniteFuture() lifts the deadline. Clears
  // deadline_exceeded().
  void SetDeadline(absl::Time deadline);
  // Whether a statement was interrupted by the deadline since it was set.
  bool deadline_exceeded() const { return deadline_exceeded_; }
  static constexpr int kDeadlineCheckSteps = 1000;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // sqlite3_progress_handler's callback: nonzero interrupts.
  static int PastDeadline(void* database);

  sqlite3* db_;
  std::string path_;
  absl::Time deadline_ = absl::InfiniteFuture();
  bool deadline_exceeded_ = false;
  absl::flat_hash_map<const char*, std::unique_ptr<Statement>> cache_;
};

// Begins a transaction on construction and rolls it back on destruction
// unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database* db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // BEGIN IMMEDIATE: takes the write lock at once.
  absl::Status Begin();
  absl::Status Commit();

 private:
  Database* db_;
  bool open_ = false;
};

}  // namespace monipaikka
