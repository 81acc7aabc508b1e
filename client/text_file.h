#pragma once

// Opening and reading the files named on the command line, with errors that
// name the file and the system's reason.

#include <fstream>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace monipaikka::client {

// The whole content of `path`. NOT_FOUND when it does not exist,
// INVALID_ARGUMENT for a directory or a text that is not UTF-8 ("PATH:LINE:
// not UTF-8 …", the line of the first bad byte), other codes for other
// failures; the message names the file.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// False when `text` holds a byte sequence that is not UTF-8 (what protobuf
// refuses in a string field).
bool IsUtf8(std::string_view text);

// How to fix a file that is not UTF-8, for messages.
inline constexpr char kNotUtf8[] =
    "not UTF-8: save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)";

// Opens `path` for streaming reads into `*file`. Errors as ReadTextFile.
absl::Status OpenTextFile(const std::string& path, std::ifstream* file);

}  // namespace monipaikka::client
