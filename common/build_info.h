#pragma once

// What was built: the product's version (CMake's project version) and the
// git commit of the source tree, both taken when CMake configured the build
// ("unknown" for a tree without git). Shown by --version and exported as the
// metric monipaikka_build_info{version,commit}.

#include <string>

#include "absl/strings/string_view.h"

namespace monipaikka {

// E.g. "0.1.0".
absl::string_view BuildVersion();
// The abbreviated commit hash, e.g. "64226b0a1c2d", or "unknown".
absl::string_view BuildCommit();

// The text --version prints for `program`, one line ending in a newline:
//   monipaikka-server 0.1.0 (commit 64226b0a1c2d)
std::string VersionText(absl::string_view program);

}  // namespace monipaikka
