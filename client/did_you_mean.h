#pragma once

// "Did you mean …?" for mistyped command and flag names.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace monipaikka::client {

// The Levenshtein distance: the fewest one-character insertions, deletions
// and substitutions that turn `a` into `b`.
int EditDistance(absl::string_view a, absl::string_view b);

// The candidate nearest to `given` when it is near enough to be a typo of
// it: at most 2 edits, and fewer edits than half the length of `given` (so
// that "ab" does not suggest "xy"). Ties go to the earlier candidate.
std::optional<std::string> NearestName(
    absl::string_view given, const std::vector<std::string>& candidates);

}  // namespace monipaikka::client
