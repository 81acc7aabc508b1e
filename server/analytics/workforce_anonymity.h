#pragma once

// Anonymity of HR figures (docs/hr-privacy.md): a figure computed over
// fewer than k employees is withheld. Which other figures must be withheld
// with it is decided for a whole period's tables at once by the disclosure
// audit (server/privacy/hr_disclosure.h).

#include <cstdint>

namespace monipaikka {

// The lowest anonymity threshold the server accepts.
inline constexpr int kMinAnonymityK = 3;
inline constexpr int kDefaultAnonymityK = 5;

// Whether a count of `count` employees out of a group of `population` is
// sensitive: the group is smaller than k, or the count is 1 … k−1. A count
// of 0 names nobody and is not sensitive in a group of at least k.
inline bool IsSmallGroup(int64_t count, int64_t population, int k) {
  return population < k || (count > 0 && count < k);
}

}  // namespace monipaikka
