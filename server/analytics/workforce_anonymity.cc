#include "server/analytics/workforce_anonymity.h"

#include <cstdlib>
#include <iostream>

namespace monipaikka {

std::vector<bool> WithholdCells(const std::vector<DisclosureCell>& cells,
                                const std::vector<AdditiveRelation>& relations,
                                int k) {
  std::vector<bool> hidden(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) hidden[i] = cells[i].sensitive;
  std::vector<int> uses(cells.size());
  for (const AdditiveRelation& relation : relations) {
    bool valid = relation.total < cells.size();
    for (size_t part : relation.parts) valid = valid && part < cells.size();
    if (!valid) {
      std::cerr << "WithholdCells: relation refers to a missing cell\n";
      std::abort();
    }
    ++uses[relation.total];
    for (size_t part : relation.parts) ++uses[part];
  }
  for (size_t c = 0; c < cells.size(); ++c) {
    if (!cells[c].published && uses[c] > 1) {
      // It could become known through one relation and used in another.
      std::cerr << "WithholdCells: unpublished cell " << c
                << " is in more than one relation\n";
      std::abort();
    }
  }
  // Unknown to a reader: withheld published cells and every unpublished
  // one. Must stay underivable: withheld published cells and sensitive
  // unpublished ones.
  auto unknown = [&](size_t c) { return !cells[c].published || hidden[c]; };
  auto guarded = [&](size_t c) {
    return cells[c].published ? static_cast<bool>(hidden[c]) : cells[c].sensitive;
  };
  bool changed = true;
  while (changed) {
    changed = false;
    for (const AdditiveRelation& relation : relations) {
      size_t unknown_parts = 0;
      int64_t unknown_sum = 0;
      bool any_guarded = false;
      size_t last_unknown = 0;
      for (size_t part : relation.parts) {
        if (!unknown(part)) continue;
        ++unknown_parts;
        unknown_sum += cells[part].value;
        any_guarded = any_guarded || guarded(part);
        last_unknown = part;
      }
      bool exposed;
      if (unknown(relation.total)) {
        // Σ known parts would give the total.
        exposed = unknown_parts == 0 && guarded(relation.total);
      } else {
        // total − Σ known parts gives the one unknown part, or the unknown
        // parts together.
        exposed = (unknown_parts == 1 && guarded(last_unknown)) ||
                  (relation.persons && unknown_parts >= 2 && any_guarded &&
                   unknown_sum > 0 && unknown_sum < k);
      }
      if (!exposed) continue;
      // Cheapest protection: the smallest non-zero published part.
      size_t best = cells.size();
      for (size_t part : relation.parts) {
        if (unknown(part)) continue;
        if (best == cells.size()) {
          best = part;
          continue;
        }
        const int64_t v = cells[part].value;
        const int64_t b = cells[best].value;
        const bool better = (v > 0 && (b == 0 || v < b)) ||
                            (v > 0 && v == b && part < best) ||
                            (v == 0 && b == 0 && part < best);
        if (better) best = part;
      }
      if (best != cells.size()) {
        hidden[best] = true;
        changed = true;
      } else if (!unknown(relation.total)) {
        hidden[relation.total] = true;
        changed = true;
      }
    }
  }
  return hidden;
}

}  // namespace monipaikka
