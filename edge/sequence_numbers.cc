#include "edge/sequence_numbers.h"

namespace monipaikka::edge {
namespace {

uint64_t Seq(uint32_t epoch, uint32_t fcnt) {
  return (static_cast<uint64_t>(epoch) << 32) | fcnt;
}

}  // namespace

FrameSequence NextFrameSequence(DeviceState* state, uint32_t fcnt,
                                int64_t ts_ms) {
  FrameSequence result;
  if (state->epoch == 0) {  // the first frame of this device
    state->epoch = 1;
  } else if (fcnt == state->last_fcnt &&
             ts_ms - state->last_fcnt_ts_ms <= kSameFrameWindowMs &&
             state->last_fcnt_ts_ms - ts_ms <= kSameFrameWindowMs) {
    result.verdict = FrameVerdict::kDuplicate;
    result.seq = Seq(state->epoch, fcnt);
    return result;
  } else if (fcnt <= state->last_fcnt) {
    if (ts_ms <= state->last_fcnt_ts_ms) {
      result.verdict = FrameVerdict::kLate;
      result.seq = Seq(state->epoch, fcnt);
      return result;
    }
    ++state->epoch;  // the device's counter restarted
  }
  state->last_fcnt = fcnt;
  state->last_fcnt_ts_ms = ts_ms;
  result.seq = Seq(state->epoch, fcnt);
  return result;
}

}  // namespace monipaikka::edge
