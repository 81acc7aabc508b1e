#include "server/analytics/workforce_anonymity.h"

#include <cstdlib>
#include <iostream>

namespace monipaikka {

std::vector<bool> WithholdCells(const std::vector<DisclosureCell>& cells,
                                const std::vector<AdditiveRelation>& relations,
                                int k) {
  std::vector<bool> hidden(cells.size());
  for (size_t i = 0; i < cells.size(); ++i) hidden[i] = cells[i].sensitive;
  for (const AdditiveRelation& relation : relations) {
    bool valid = relation.total < cells.size();
    for (size_t part : relation.parts) valid = valid && part < cells.size();
    if (!valid) {
      std::cerr << "WithholdCells: relation refers to a missing cell\n";
      std::abort();
    }
  }
  bool changed = true;
  while (changed) {
    changed = false;
    for (const AdditiveRelation& relation : relations) {
      size_t hidden_parts = 0;
      int64_t hidden_sum = 0;
      for (size_t part : relation.parts) {
        if (hidden[part]) {
          ++hidden_parts;
          hidden_sum += cells[part].value;
        }
      }
      const bool total_hidden = hidden[relation.total];
      bool exposed;
      if (total_hidden) {
        // Σ shown parts would give the total.
        exposed = hidden_parts == 0;
      } else {
        // total − Σ shown parts gives the withheld part, or the withheld
        // parts together.
        exposed = hidden_parts == 1 ||
                  (relation.persons && hidden_parts >= 2 && hidden_sum > 0 &&
                   hidden_sum < k);
      }
      if (!exposed) continue;
      // Cheapest protection: the smallest non-zero published part.
      size_t best = cells.size();
      for (size_t part : relation.parts) {
        if (hidden[part] || !cells[part].published) continue;
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
      } else if (!total_hidden && cells[relation.total].published) {
        hidden[relation.total] = true;
        changed = true;
      }
    }
  }
  return hidden;
}

}  // namespace monipaikka
