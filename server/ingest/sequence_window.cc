#include "server/ingest/sequence_window.h"

namespace monipaikka {

std::optional<int64_t> SequenceWindow::Find(int64_t sensor_id,
                                            uint64_t seq) const {
  if (seq == 0) return std::nullopt;
  auto it = by_sensor_.find(sensor_id);
  if (it == by_sensor_.end()) return std::nullopt;
  const Recent& recent = it->second;
  for (int i = 0; i < kDepth; ++i) {
    if (recent.seq[i] == seq) return recent.ts_ms[i];
  }
  return std::nullopt;
}

void SequenceWindow::Remember(int64_t sensor_id, uint64_t seq, int64_t ts_ms) {
  if (seq == 0) return;
  Recent& recent = by_sensor_[sensor_id];
  recent.seq[recent.next] = seq;
  recent.ts_ms[recent.next] = ts_ms;
  recent.next = static_cast<uint8_t>((recent.next + 1) % kDepth);
}

}  // namespace monipaikka
