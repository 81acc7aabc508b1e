#pragma once

// Online copies of an SQLite database (the server's, while it serves).
//
// The copy is made with SQLite's backup API inside one read transaction of
// its own connection: in WAL mode the writers of other connections and
// processes go on committing meanwhile, the copy is the database as of that
// transaction's start (consistent: every commit wholly in or wholly out),
// and steps never restart because of those commits. The copy is checked
// with PRAGMA integrity_check before it gets its final name, so a file of
// that name is a sound database.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace monipaikka {

struct DatabaseBackupOptions {
  // Pages copied per sqlite3_backup_step call (>= 1).
  int pages_per_step = 1024;
  // Called after each step with the pages copied so far and the total.
  std::function<void(int64_t copied, int64_t total)> on_progress;
};

struct DatabaseBackupReport {
  // Pages and bytes of the copy.
  int64_t pages = 0;
  int64_t bytes = 0;
  // sqlite3_backup_step calls made.
  int64_t steps = 0;
  // PRAGMA user_version of the copy (the schema version).
  int schema_version = 0;
};

// Copies the database at `source` (which must exist; it is only read) to a
// new file `destination` with mode 0600, verified with PRAGMA
// integrity_check. The copy is written to `destination` + ".partial" first
// (a leftover of an interrupted run is replaced), synced, checked, and then
// linked to `destination`, never replacing a file there. Errors:
// ALREADY_EXISTS when `destination` exists; NOT_FOUND when `source` does
// not; DATA_LOSS naming integrity_check's first findings when the copy is
// not sound (nothing is left behind then); others naming the file and
// SQLite's or the system's message.
absl::StatusOr<DatabaseBackupReport> BackupDatabase(
    const std::string& source, const std::string& destination,
    const DatabaseBackupOptions& options = {});

// PRAGMA integrity_check's findings for the database at `path`, opened
// read-only: {"ok"} for a sound database.
absl::StatusOr<std::vector<std::string>> IntegrityCheckFindings(
    const std::string& path);

}  // namespace monipaikka
