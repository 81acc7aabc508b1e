#pragma once

// Numbered schema migrations of an SQLite database, tracked in PRAGMA
// user_version (as Chromium's sql::MetaTable tracks its version): version N
// means migrations 1 … N have been applied. The server's database
// (server/storage/schema.cc) and the edge agent's outbox (edge/outbox.cc)
// both migrate through here.

#include <span>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/sqlite.h"

namespace monipaikka {

struct MigrationPlan {
  // Migration N (1-based) is scripts[N - 1]: SQL run by Database::Execute.
  // Never edit a released one; append a new one.
  std::span<const char* const> scripts;
  // Names the database and the program in the refusal of a newer database,
  // e.g. "outbox" and "agent": "outbox <path> has schema version 9, newer
  // than this agent's 2".
  absl::string_view database = "database";
  absl::string_view program = "program";
};

// The schema version of `db` (PRAGMA user_version; 0 for a new database).
absl::StatusOr<int> SchemaVersion(Database* db);

// Brings `db` to version plan.scripts.size() by applying, in order, each
// migration it has not seen yet, each in its own transaction together with
// the new user_version: a failed migration leaves the database at the
// version before it. FAILED_PRECONDITION, changing nothing, when the
// database is newer than the plan (written by a later release).
absl::Status Migrate(Database* db, const MigrationPlan& plan);

}  // namespace monipaikka
