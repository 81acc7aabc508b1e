#pragma once

// What a status returned by the SQLite layer (common/sqlite.h) says about its
// cause.

#include "absl/status/status.h"

namespace monipaikka {

// Whether `status` came from SQLite running out of disk space (SQLITE_FULL:
// the disk or a quota is full), as opposed to other I/O errors, which also
// map to RESOURCE_EXHAUSTED.
bool IsStorageFull(const absl::Status& status);

}  // namespace monipaikka
