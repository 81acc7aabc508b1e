#pragma once

// The size of retention's next chunk (rows to delete, or pages to vacuum),
// adapted so that one chunk holds the ingest writer for about a time budget
// whatever a row costs on this disk and this database: the time a chunk
// takes grows with its rows, so after each chunk the size is scaled by
// budget / time taken (at most doubled, at least quartered), within
// [min, max].
//
// Pure: the caller measures the time. Thread-compatible.

#include <cstdint>

#include "absl/time/time.h"

namespace monipaikka {

class ChunkSize {
 public:
  // `first` is clamped to [min, max]; min is at least 1 and max at least
  // min.
  ChunkSize(int min, int max, int first, absl::Duration budget);

  // The size of the next chunk.
  int next() const { return next_; }

  // A chunk asked for `asked` and did `done` (fewer when it reached the end
  // of what was due) in `took`. Only a full chunk lets the size grow: a
  // short one says nothing about what a full one would take.
  void Observe(int asked, int64_t done, absl::Duration took);

 private:
  const int min_;
  const int max_;
  const absl::Duration budget_;
  int next_;
};

}  // namespace monipaikka
