#pragma once

// Sequence numbers for LoRaWAN uplinks from their frame counters, so that the
// server's dedup per (sensor, seq) recognises an uplink delivered twice (an
// MQTT redelivery, the agent restarting before its acknowledgement) while a
// device whose counter restarted (a rejoin, an ABP device rebooting) keeps
// getting new numbers.
//
// seq = epoch << 32 | frame counter, where the epoch (from 1) counts the
// device's counter restarts the agent has seen. Readings without a frame
// counter use the outbox's own per-sensor counter, which stays far below
// 2^32, so the two never collide.
//
// A frame counter that does not increase is
//  - the same frame again when it equals the last one and the uplink's time
//    is within kSameFrameWindowMs of the last one's (duplicate);
//  - a restarted counter when the uplink is newer than the last one: the
//    epoch advances;
//  - otherwise an older uplink arriving late (e.g. redelivered after newer
//    ones): it keeps its number in the current epoch and leaves the state
//    alone.

#include <cstdint>

#include "edge/outbox.h"

namespace monipaikka::edge {

inline constexpr int64_t kSameFrameWindowMs = 60 * 1000;

enum class FrameVerdict { kNew, kDuplicate, kLate };

struct FrameSequence {
  FrameVerdict verdict = FrameVerdict::kNew;
  uint64_t seq = 0;
};

// Updates `state` (epoch, last_fcnt, last_fcnt_ts_ms) for an uplink with
// frame counter `fcnt` received at `ts_ms`.
FrameSequence NextFrameSequence(DeviceState* state, uint32_t fcnt,
                                int64_t ts_ms);

}  // namespace monipaikka::edge
