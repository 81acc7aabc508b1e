#include "common/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sqlite.h"
#include "common/sqlite_migrations.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

absl::Status SystemError(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

// fsync of a file or a directory.
absl::Status SyncPath(const std::string& path, bool directory) {
  const int fd = ::open(
      path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return SystemError("cannot open", path);
  const int synced = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (synced != 0) return SystemError("cannot sync", path);
  return absl::OkStatus();
}

std::string DirectoryOf(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// A destination connection, closed on destruction.
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};

// Copies every page of `source` into the empty database file `partial`.
absl::StatusOr<DatabaseBackupReport> CopyPages(
    Database* source, const std::string& partial,
    const DatabaseBackupOptions& options) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(partial.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> destination(raw);
  if (rc != SQLITE_OK) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", partial, ": ",
                     raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  // A new file that is deleted on failure needs no journal; it is synced
  // once at the end.
  sqlite3_exec(raw, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", nullptr,
               nullptr, nullptr);
  sqlite3_backup* backup =
      sqlite3_backup_init(raw, "main", source->raw(), "main");
  if (backup == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot start the backup into ", partial, ": ", sqlite3_errmsg(raw)));
  }
  DatabaseBackupReport report;
  const int pages_per_step = std::max(1, options.pages_per_step);
  while (true) {
    rc = sqlite3_backup_step(backup, pages_per_step);
    ++report.steps;
    if (options.on_progress && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
      const int64_t total = sqlite3_backup_pagecount(backup);
      options.on_progress(total - sqlite3_backup_remaining(backup), total);
    }
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_OK) continue;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  report.pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return absl::UnavailableError(absl::StrCat(
        "backup of ", source->path(), " into ", partial,
        " failed: ", sqlite3_errstr(rc), " (", sqlite3_errmsg(raw), ")"));
  }
  return report;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> IntegrityCheckFindings(
    const std::string& path) {
  DatabaseOptions read_only;
  read_only.read_only = true;
  read_only.cache_kib = 8 * 1024;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(path, read_only));
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> check,
                   db->Prepare("PRAGMA integrity_check"));
  std::vector<std::string> findings;
  RETURN_IF_ERROR(
      check->ForEachRow([&] { findings.push_back(check->ColumnText(0)); }));
  return findings;
}

absl::StatusOr<DatabaseBackupReport> BackupDatabase(
    const std::string& source, const std::string& destination,
    const DatabaseBackupOptions& options) {
  struct stat info;
  if (::lstat(destination.c_str(), &info) == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("backup file ", destination,
                     " exists; a backup never replaces a file: choose a new "
                     "name or remove it"));
  }
  if (::stat(source.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("database ", source, " does not exist"));
    }
    return SystemError("cannot read", source);
  }

  DatabaseOptions read_only;
  read_only.read_only = true;
  read_only.cache_kib = 2 * 1024;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(source, read_only));
  // One read transaction for the whole copy: a consistent snapshot that
  // commits of other connections neither block nor invalidate (WAL).
  RETURN_IF_ERROR(db->Execute("BEGIN"));
  ASSIGN_OR_RETURN(const int schema_version, SchemaVersion(db.get()));

  const std::string partial = destination + ".partial";
  ::unlink(partial.c_str());  // a leftover of an interrupted backup
  const int fd =
      ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
             S_IRUSR | S_IWUSR);
  if (fd < 0) return SystemError("cannot create", partial);
  ::close(fd);
  // The umask may have taken bits away, never added any; make it exact.
  ::chmod(partial.c_str(), S_IRUSR | S_IWUSR);

  absl::StatusOr<DatabaseBackupReport> report =
      CopyPages(db.get(), partial, options);
  db->Execute("COMMIT").IgnoreError();  // ends the read transaction
  db.reset();
  // The partial file and what opening it made (its check opens it, in
  // the source's WAL mode, which leaves a -wal and a -shm).
  auto remove_partial = [&] {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      ::unlink((partial + suffix).c_str());
    }
  };
  auto discard = [&](absl::Status status) {
    remove_partial();
    return status;
  };
  if (!report.ok()) return discard(report.status());
  report->schema_version = schema_version;
  if (absl::Status synced = SyncPath(partial, false); !synced.ok()) {
    return discard(synced);
  }
  absl::StatusOr<std::vector<std::string>> findings =
      IntegrityCheckFindings(partial);
  if (!findings.ok()) return discard(findings.status());
  if (findings->size() != 1 || findings->front() != "ok") {
    findings->resize(std::min<size_t>(findings->size(), 5));
    return discard(absl::DataLossError(absl::StrCat(
        "the copy of ", source, " failed PRAGMA integrity_check: ",
        absl::StrJoin(*findings, "; "), " (no backup was written)")));
  }
  if (::stat(partial.c_str(), &info) == 0) report->bytes = info.st_size;
  // link() never replaces an existing file, unlike rename().
  if (::link(partial.c_str(), destination.c_str()) != 0) {
    if (errno == EEXIST) {
      return discard(absl::AlreadyExistsError(absl::StrCat(
          "backup file ", destination,
          " appeared while the backup ran; the copy was discarded")));
    }
    return discard(SystemError("cannot name the backup", destination));
  }
  remove_partial();
  RETURN_IF_ERROR(SyncPath(DirectoryOf(destination), true));
  return report;
}

}  // namespace monipaikka
