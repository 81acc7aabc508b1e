// libFuzzer target: Elsys ERS frames. Any input must decode or fail with a
// status; a success never carries values outside the format's ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "edge/decode/elsys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<monipaikka::edge::DecodedPayload> decoded =
      monipaikka::edge::DecodeElsys(absl::MakeConstSpan(data, size));
  if (decoded.ok()) {
    if (decoded->battery_mv &&
        (*decoded->battery_mv < 0 || *decoded->battery_mv > 65535)) {
      std::abort();
    }
    if (decoded->motion_count && *decoded->motion_count > 255) std::abort();
  }
  return 0;
}
