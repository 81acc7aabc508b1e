#pragma once

// Remembers the most recent (seq, ts_ms) pairs of each sensor, to recognise a
// sequence number that comes again with another timestamp (a redelivered
// frame stamped anew). Same-timestamp duplicates are caught by storage's key
// regardless of age; this window covers the last kDepth sequence numbers of
// each sensor (hours of readings at usual reporting rates).
//
// Thread-compatible: owned by the ingest writer thread.

#include <array>
#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"

namespace monipaikka {

class SequenceWindow {
 public:
  static constexpr int kDepth = 8;

  // The timestamp stored with (sensor, seq), if it is in the window.
  // seq 0 ("none") is never found.
  std::optional<int64_t> Find(int64_t sensor_id, uint64_t seq) const;
  void Remember(int64_t sensor_id, uint64_t seq, int64_t ts_ms);
  size_t sensors() const { return by_sensor_.size(); }

 private:
  struct Recent {
    std::array<uint64_t, kDepth> seq{};
    std::array<int64_t, kDepth> ts_ms{};
    uint8_t next = 0;
  };
  absl::flat_hash_map<int64_t, Recent> by_sensor_;
};

}  // namespace monipaikka
