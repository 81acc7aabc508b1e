// libFuzzer target: Milesight frames; the first byte picks the model.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "edge/decode/milesight.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using monipaikka::edge::MilesightModel;
  constexpr MilesightModel kModels[] = {
      MilesightModel::kVs133, MilesightModel::kVs121, MilesightModel::kWs202,
      MilesightModel::kVs340};
  const MilesightModel model = kModels[data[0] % 4];
  absl::StatusOr<monipaikka::edge::DecodedPayload> decoded =
      monipaikka::edge::DecodeMilesight(
          model, absl::MakeConstSpan(data + 1, size - 1));
  if (decoded.ok() && decoded->count && *decoded->count < 0) std::abort();
  return 0;
}
