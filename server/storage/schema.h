#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/sqlite.h"

namespace monipaikka {

// Brings the database to the newest schema version by applying the numbered
// migrations it has not seen yet (tracked in PRAGMA user_version), each in
// its own transaction. Refuses a database newer than this build.
absl::Status MigrateSchema(Database* db);

// The schema version this build writes.
int LatestSchemaVersion();

// Applies the first `version` migrations only (0 … LatestSchemaVersion()):
// a database as an earlier release left it, for upgrade tests.
absl::Status MigrateSchemaTo(Database* db, int version);

struct SchemaUpgradeOptions {
  // Copy a database with data before migrating it (see UpgradeSchema).
  bool backup_before_migration = true;
  // Stamps the backup's name.
  absl::Time now;
};

// Where UpgradeSchema copies the database at `db_path` before taking it
// from schema version `from` to `to`: beside it, named with both versions
// and the UTC time, e.g. "monipaikka.db.v6-to-v7.20261202T130501Z.backup".
std::string MigrationBackupPath(const std::string& db_path, int from, int to,
                                absl::Time now);

// MigrateSchema for the server's start. When the database already has a
// schema (version >= 1) older than this build's and
// `backup_before_migration` is set, first copies it to MigrationBackupPath
// (common/sqlite_backup.h: checked, mode 0600) and logs where; when that
// copy fails nothing is migrated and FAILED_PRECONDITION says why and names
// --backup_before_migration. Without it, logs a warning that the database
// is migrated without a backup. A database newer than this build is refused
// (FAILED_PRECONDITION) without a copy.
absl::Status UpgradeSchema(Database* db, const SchemaUpgradeOptions& options);

}  // namespace monipaikka
