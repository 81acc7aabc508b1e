#include "server/retention/chunk_size.h"

#include <algorithm>

namespace monipaikka {

ChunkSize::ChunkSize(int min, int max, int first, absl::Duration budget)
    : min_(std::max(1, min)),
      max_(std::max(min_, max)),
      budget_(budget),
      next_(std::clamp(first, min_, max_)) {}

void ChunkSize::Observe(int asked, int64_t done, absl::Duration took) {
  if (asked <= 0) return;
  const int64_t rows = asked;
  int64_t scaled = rows * 2;
  if (took > absl::ZeroDuration()) {
    // What the budget would have held at this chunk's rate.
    scaled = static_cast<int64_t>(static_cast<double>(rows) *
                                  absl::FDivDuration(budget_, took));
  }
  scaled = std::clamp(scaled, rows / 4, rows * 2);
  if (done < rows) scaled = std::min(scaled, rows);
  next_ = static_cast<int>(std::clamp<int64_t>(scaled, min_, max_));
}

}  // namespace monipaikka
