#include "common/sqlite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/optional.h"
#include "common/sqlite_status.h"
#include "common/status_macros.h"

namespace monipaikka {

namespace {

constexpr char kSqliteCodePayload[] = "monipaikka/sqlite-result-code";

// The status code callers act on for an SQLite result code: a full disk or
// I/O error is exhausted resources, a busy or locked database is worth
// retrying, anything else is internal.
absl::Status StatusForCode(int code, absl::string_view message) {
  int primary = code & 0xff;
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR) {
    absl::Status status = absl::ResourceExhaustedError(message);
    status.SetPayload(kSqliteCodePayload, absl::Cord(absl::StrCat(code)));
    return status;
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return absl::UnavailableError(message);
  }
  if (primary == SQLITE_INTERRUPT) {
    return absl::DeadlineExceededError(message);
  }
  return absl::InternalError(message);
}

}  // namespace

bool IsStorageFull(const absl::Status& status) {
  absl::optional<absl::Cord> code = status.GetPayload(kSqliteCodePayload);
  int value = 0;
  return code.has_value() && absl::SimpleAtoi(std::string(*code), &value) &&
         (value & 0xff) == SQLITE_FULL;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::CheckBind(int code, int index) {
  if (code == SQLITE_OK || !bind_error_.ok()) return;
  bind_error_ = db_->Error(code, absl::StrCat("binding parameter ", index,
                                              " of ", sqlite3_sql(stmt_)));
}

void Statement::BindInt64(int index, int64_t value) {
  CheckBind(sqlite3_bind_int64(stmt_, index, value), index);
}
void Statement::BindDouble(int index, double value) {
  CheckBind(sqlite3_bind_double(stmt_, index, value), index);
}
void Statement::BindText(int index, absl::string_view value) {
  CheckBind(sqlite3_bind_text(stmt_, index, value.data(),
                              static_cast<int>(value.size()), SQLITE_TRANSIENT),
            index);
}
void Statement::BindNull(int index) {
  CheckBind(sqlite3_bind_null(stmt_, index), index);
}
void Statement::BindTextOrNull(int index, absl::string_view value) {
  if (value.empty()) {
    BindNull(index);
  } else {
    BindText(index, value);
  }
}

void Statement::BindBlob(int index, absl::string_view bytes) {
  // A zero-length blob would bind as NULL with a null pointer.
  static const char kEmpty = 0;
  CheckBind(
      sqlite3_bind_blob(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(),
                        static_cast<int>(bytes.size()), SQLITE_TRANSIENT),
      index);
}

absl::StatusOr<bool> Statement::Step() {
  if (!bind_error_.ok()) {
    // Running with a binding missing would read or write the wrong rows.
    absl::Status status = bind_error_;
    Reset();
    return status;
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  absl::Status status = db_->Error(rc, sqlite3_sql(stmt_));
  sqlite3_reset(stmt_);
  return status;
}

absl::Status Statement::ForEachRow(absl::FunctionRef<void()> visit) {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    visit();
  }
  Reset();
  return absl::OkStatus();
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  Reset();
  return absl::OkStatus();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = absl::OkStatus();
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}
int64_t Statement::ColumnInt64(int index) const {
  return sqlite3_column_int64(stmt_, index);
}
double Statement::ColumnDouble(int index) const {
  return sqlite3_column_double(stmt_, index);
}
std::string Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_, index);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, index));
}

absl::string_view Statement::ColumnBlob(int index) const {
  const void* bytes = sqlite3_column_blob(stmt_, index);
  if (bytes == nullptr) return absl::string_view();
  return absl::string_view(
      static_cast<const char*>(bytes),
      static_cast<size_t>(sqlite3_column_bytes(stmt_, index)));
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const DatabaseOptions& options) {
  if (!options.read_only && !path.empty() && path != ":memory:") {
    // SQLite would create the file 0644 (less the umask); the databases hold
    // token hashes, the audit log and pseudonymous HR records.
    const int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd >= 0) ::close(fd);
    // On failure sqlite3_open_v2 below reports why, naming the file.
  }
  sqlite3* raw = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY
                                : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return absl::UnavailableError(
        absl::StrCat("cannot open database ", path, ": ", message));
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_busy_timeout(raw, 10000);
  if (!options.read_only) {
    if (absl::Status s = db->Execute("PRAGMA journal_mode=WAL"); !s.ok()) {
      return s;
    }
  }
  std::string pragmas = absl::StrCat(
      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-",
      options.cache_kib, "; PRAGMA synchronous=",
      options.synchronous == SqliteSynchronous::kFull ? "FULL" : "NORMAL", ";");
  if (absl::Status s = db->Execute(pragmas); !s.ok()) return s;
  return db;
}

absl::StatusOr<SqliteSynchronous> ParseSqliteSynchronous(
    absl::string_view text) {
  if (text == "full") return SqliteSynchronous::kFull;
  if (text == "normal") return SqliteSynchronous::kNormal;
  return absl::InvalidArgumentError(absl::StrCat(
      "--sqlite_synchronous: \"", text,
      "\" is neither \"full\" (survives power loss) nor \"normal\" "
      "(survives process crashes only)"));
}

absl::string_view SqliteSynchronousName(SqliteSynchronous synchronous) {
  return synchronous == SqliteSynchronous::kFull ? "full" : "normal";
}

absl::StatusOr<int> Database::SynchronousPragma() {
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> pragma,
                   Prepare("PRAGMA synchronous"));
  ASSIGN_OR_RETURN(std::optional<int64_t> level,
                   pragma->OneRow([&] { return pragma->ColumnInt64(0); }));
  if (!level) return absl::InternalError("PRAGMA synchronous returned no row");
  return static_cast<int>(*level);
}

Database::~Database() {
  cache_.clear();
  sqlite3_close(db_);
}

void Database::SetDeadline(absl::Time deadline) {
  deadline_ = deadline;
  deadline_exceeded_ = false;
  for (auto& [sql, statement] : cache_) statement->ResetStepCount();
  if (deadline == absl::InfiniteFuture()) {
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  } else {
    sqlite3_progress_handler(db_, kDeadlineCheckSteps, &Database::PastDeadline,
                             this);
  }
}

void Statement::ResetStepCount() {
  sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_VM_STEP, /*resetFlg=*/1);
}

int Database::PastDeadline(void* database) {
  Database* self = static_cast<Database*>(database);
  if (absl::Now() < self->deadline_) return 0;
  self->deadline_exceeded_ = true;
  return 1;
}

absl::Status Database::Execute(absl::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string error = absl::StrCat(
        "sqlite error ", rc, " (", sqlite3_errstr(rc), ") in ", path_, ": ",
        message ? message : "", " [", sql.substr(0, 120), "]");
    sqlite3_free(message);
    return StatusForCode(rc, error);
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement*> Database::Cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  absl::StatusOr<std::unique_ptr<Statement>> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Statement* result = stmt->get();
  cache_.emplace(sql, std::move(stmt).value());
  return result;
}

absl::StatusOr<std::unique_ptr<Statement>> Database::Prepare(
    absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return Error(rc, sql);
  if (stmt == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no SQL statement to prepare in ", path_, ": [",
                     sql.substr(0, 120), "]"));
  }
  // SQLite silently ignores whatever follows the first statement; a second
  // statement there would never run. Only whitespace, ';' and comments may.
  absl::string_view rest = sql.substr(static_cast<size_t>(tail - sql.data()));
  sqlite3_stmt* next = nullptr;
  rc = sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()),
                          &next, nullptr);
  sqlite3_finalize(next);
  if (rc != SQLITE_OK || next != nullptr) {
    sqlite3_finalize(stmt);
    return absl::InvalidArgumentError(
        absl::StrCat("more than one SQL statement to prepare in ", path_, ": [",
                     sql.substr(0, 120), "]; use Execute() for scripts"));
  }
  return std::make_unique<Statement>(this, stmt);
}

int64_t Database::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::Changes() const { return sqlite3_changes(db_); }

absl::Status Database::Error(int code, absl::string_view context) const {
  std::string message = absl::StrCat(
      "sqlite error ", code, " (", sqlite3_errstr(code), ") in ", path_, ": ",
      sqlite3_errmsg(db_), " [", context.substr(0, 120), "]");
  return StatusForCode(code, message);
}

Transaction::~Transaction() {
  if (open_) db_->Execute("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Begin() {
  absl::Status status = db_->Execute("BEGIN IMMEDIATE");
  open_ = status.ok();
  return status;
}

absl::Status Transaction::Commit() {
  absl::Status status = db_->Execute("COMMIT");
  if (status.ok()) open_ = false;
  return status;
}

}  // namespace monipaikka
