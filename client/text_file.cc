#include "client/text_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"

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

bool IsUtf8(std::string_view text) {
  return google::protobuf::internal::IsStructurallyValidUTF8(text.data(),
                                                             text.size());
}

absl::Status OpenTextFile(const std::string& path, std::ifstream* file) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is a directory, not a file"));
  }
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
  std::string text = content.str();
  // The length of the longest UTF-8 prefix: all of it, or up to a bad byte.
  const size_t valid = static_cast<size_t>(
      google::protobuf::internal::UTF8SpnStructurallyValid(text));
  if (valid != text.size()) {
    const int64_t line =
        1 + std::count(text.begin(), text.begin() + valid, '\n');
    return absl::InvalidArgumentError(
        absl::StrCat(path, ":", line, ": ", kNotUtf8));
  }
  return text;
}

}  // namespace monipaikka::client
