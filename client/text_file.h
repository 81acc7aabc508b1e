#pragma once

// Opening and reading the files named on the command line, with errors that
// name the file and the system's reason.

#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace monipaikka::client {

// The whole content of `path`. NOT_FOUND when it does not exist, other codes
// for other failures; the message names the file.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// Opens `path` for streaming reads into `*file`. Errors as ReadTextFile.
absl::Status OpenTextFile(const std::string& path, std::ifstream* file);

}  // namespace monipaikka::client
