#include "client/text_file.h"

#include <cerrno>
#include <cstring>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace monipaikka::client {
namespace {

absl::Status OpenError(const std::string& path, int error) {
  const std::string message =
      absl::StrCat("cannot open ", path, ": ", std::strerror(error));
  switch (error) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
      return absl::PermissionDeniedError(message);
    default:
      return absl::FailedPreconditionError(message);
  }
}

}  // namespace

absl::Status OpenTextFile(const std::string& path, std::ifstream* file) {
  errno = 0;
  file->open(path, std::ios::in | std::ios::binary);
  if (!file->is_open()) return OpenError(path, errno == 0 ? EIO : errno);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream file;
  if (absl::Status status = OpenTextFile(path, &file); !status.ok()) {
    return status;
  }
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) {
    return absl::DataLossError(
        absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
  }
  return content.str();
}

}  // namespace monipaikka::client
