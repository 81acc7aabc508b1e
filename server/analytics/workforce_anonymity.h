#pragma once

// Anonymity of HR figures (DESIGN.md, "Anonymity"): a figure computed over
// fewer than k employees is withheld, and so is any figure from which a
// withheld one could be worked out by subtraction.
//
// The figures of a report form cells linked by additive relations
// (total = Σ parts): a state total is the sum of its organizations, an
// organization's the sum of its units, a group is split into those who meet
// the office-day recommendation and those who do not, and so on. Some cells
// are never shown but can be derived from shown ones (the employees of a
// unit NOT at home = total − at home): they take part as unpublished cells,
// so that a small complement is protected like a small count.
//
// Pure functions, no I/O. Deterministic: the same table always gives the
// same pattern, so separate requests for parts of one table cannot be
// combined to undo it.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace monipaikka {

// The lowest anonymity threshold the server accepts.
inline constexpr int kMinAnonymityK = 3;
inline constexpr int kDefaultAnonymityK = 5;

struct DisclosureCell {
  // Employees (or days, see AdditiveRelation::persons) the cell counts.
  int64_t value = 0;
  // Whether the cell is shown (or otherwise known, like the 100 % that
  // shares add up to). Unpublished cells are complements nobody is shown
  // but that one relation could give away; each may be in one relation only.
  bool published = true;
  // Primary sensitivity: the figure concerns fewer than k employees
  // (see IsSmallGroup).
  bool sensitive = false;
};

struct AdditiveRelation {
  size_t total = 0;
  std::vector<size_t> parts;
  // The values count persons: then the withheld parts of a relation whose
  // total is shown must add up to 0 or at least k, since their sum is
  // itself a group that subtraction reveals.
  bool persons = true;
};

// Whether a count of `count` employees out of a group of `population` is
// sensitive: the group is smaller than k, or the count is 1 … k−1. A count
// of 0 names nobody and is not sensitive in a group of at least k.
inline bool IsSmallGroup(int64_t count, int64_t population, int k) {
  return population < k || (count > 0 && count < k);
}

// Which cells to withhold (true) so that no withheld cell and no sensitive
// unpublished cell can be worked out through any one relation: a relation
// never has exactly one unknown cell that must stay unknown, and the unknown
// parts of person counts under a known total sum to 0 or at least k. Secondary suppression takes the smallest
// non-zero shown part first (ties: the lowest index), then a zero part, and
// the total only when no part is left. Indexes in `relations` must be
// valid cell indexes.
std::vector<bool> WithholdCells(const std::vector<DisclosureCell>& cells,
                                const std::vector<AdditiveRelation>& relations,
                                int k);

}  // namespace monipaikka
