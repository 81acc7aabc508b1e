#include "common/sqlite_migrations.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace monipaikka {

absl::StatusOr<int> SchemaVersion(Database* db) {
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> query,
                   db->Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(std::optional<int64_t> version,
                   query->OneRow([&] { return query->ColumnInt64(0); }));
  return static_cast<int>(version.value_or(0));
}

absl::Status Migrate(Database* db, const MigrationPlan& plan) {
  const int latest = static_cast<int>(plan.scripts.size());
  ASSIGN_OR_RETURN(const int version, SchemaVersion(db));
  if (version > latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        plan.database, " ", db->path(), " has schema version ", version,
        ", newer than this ", plan.program, "'s ", latest));
  }
  for (int next = version + 1; next <= latest; ++next) {
    Transaction transaction(db);
    RETURN_IF_ERROR(transaction.Begin());
    RETURN_IF_ERROR(db->Execute(plan.scripts[next - 1]));
    RETURN_IF_ERROR(db->Execute(absl::StrCat("PRAGMA user_version = ", next)));
    RETURN_IF_ERROR(transaction.Commit());
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
