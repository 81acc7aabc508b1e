#pragma once

#include "absl/status/status.h"
#include "common/sqlite.h"

namespace monipaikka {

// Brings the database to the newest schema version by applying the numbered
// migrations it has not seen yet (tracked in PRAGMA user_version), each in
// its own transaction. Refuses a database newer than this build.
absl::Status MigrateSchema(Database* db);

// The schema version this build writes.
int LatestSchemaVersion();

}  // namespace monipaikka
