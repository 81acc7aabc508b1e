#include "server/backup_command.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/sqlite_backup.h"
#include "common/status_macros.h"

namespace monipaikka {

absl::StatusOr<std::string> RunBackupCommand(const BackupCommand& command) {
  if (command.db.empty()) {
    return absl::InvalidArgumentError(
        "--db: the database to back up is required");
  }
  if (command.to.empty()) {
    return absl::InvalidArgumentError(
        "--to: the backup file to write is required (a new file; an "
        "existing one is never replaced)");
  }
  const absl::Time started = absl::Now();
  ASSIGN_OR_RETURN(DatabaseBackupReport report,
                   BackupDatabase(command.db, command.to));
  const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
  std::string out = absl::StrFormat(
      "backup written: %s\n"
      "  from: %s (schema version %d)\n"
      "  size: %.1f MiB (%d pages) in %.1f s; PRAGMA integrity_check: ok; "
      "mode 0600\n",
      command.to, command.db, report.schema_version,
      static_cast<double>(report.bytes) / (1024.0 * 1024.0), report.pages,
      seconds);
  if (command.pseudonym_key_file.empty()) {
    absl::StrAppend(
        &out,
        "pseudonym key: none given (--pseudonym_key_file). If the server "
        "runs with one, back that file up too, apart from this backup: the "
        "HR data in it is useless without the key.\n");
  } else {
    struct stat info;
    const bool present = ::stat(command.pseudonym_key_file.c_str(), &info) == 0;
    absl::StrAppend(
        &out, "pseudonym key: ", command.pseudonym_key_file,
        present ? "" : " (NOT FOUND on this machine)",
        "\n  the HR data in the backup is useless without this key: keep a "
        "copy of it (mode 0600), stored apart from the backups.\n");
  }
  return out;
}

}  // namespace monipaikka
