#pragma once

// `monipaikka-server backup --db=FILE --to=FILE`: an online copy of the
// server's database, made while the server serves (common/sqlite_backup.h:
// one consistent snapshot, checked with PRAGMA integrity_check, mode 0600,
// never replacing a file). docs/operations.md, "Back up and restore".

#include <string>

#include "absl/status/statusor.h"

namespace monipaikka {

struct BackupCommand {
  // The server's database (--db) and the new backup file (--to).
  std::string db;
  std::string to;
  // The server's --pseudonym_key_file, named in the report: the HR
  // pseudonyms in the backup are useless without that key. Empty: none
  // configured.
  std::string pseudonym_key_file;
};

// Makes the backup and returns the report to print on stdout: where it is,
// its size and schema version, that integrity_check passed, and the
// pseudonym key the data needs. INVALID_ARGUMENT naming --db or --to when
// one is empty; otherwise the error of BackupDatabase (the file exists,
// the database is missing, the copy failed its check, I/O), naming files.
absl::StatusOr<std::string> RunBackupCommand(const BackupCommand& command);

}  // namespace monipaikka
