#include "common/check.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace monipaikka {
namespace {

// "dir/file.cc" of a source path: enough to find the line in the tree, and
// the same whichever directory the build ran in.
absl::string_view ShortSourcePath(absl::string_view path) {
  const size_t last = path.rfind('/');
  if (last == absl::string_view::npos || last == 0) return path;
  const size_t second = path.rfind('/', last - 1);
  return second == absl::string_view::npos ? path : path.substr(second + 1);
}

}  // namespace

void InvariantBroken(absl::string_view condition, absl::string_view message,
                     const char* file, int line) {
  const std::string source = absl::StrCat(ShortSourcePath(file), ":", line);
  if (condition.empty()) {
    Log(LogLevel::kFatal, "invariant_broken",
        {{"message", message}, {"source", source}});
  } else {
    Log(LogLevel::kFatal, "invariant_broken",
        {{"message", message}, {"condition", condition}, {"source", source}});
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace monipaikka
