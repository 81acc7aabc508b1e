#pragma once

// The payload codecs the edge agent knows, by name, and decoding a raw
// LoRaWAN frame with one of them.

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "edge/decode/payload.h"

namespace monipaikka::edge {

enum class Codec {
  // Use the object decoded by the network server's codec; without one, the
  // device repository ids (The Things Stack) choose a codec below.
  kAuto,
  kElsys,
  kMilesightVs133,  // also VS135
  kMilesightVs121,
  kMilesightWs202,
  kMilesightVs340,
};

// "auto", "elsys", "milesight_vs133", "milesight_vs135", "milesight_vs121",
// "milesight_ws202", "milesight_vs340"; INVALID_ARGUMENT naming the known
// ones otherwise.
absl::StatusOr<Codec> ParseCodec(absl::string_view name);
absl::string_view CodecName(Codec codec);

// Decodes `frame` with `codec` (not kAuto: INVALID_ARGUMENT).
absl::StatusOr<DecodedPayload> DecodeFrame(Codec codec,
                                           absl::Span<const uint8_t> frame);

// The codec for a device in The Things Stack's device repository
// (version_ids.brand_id / model_id, e.g. "elsys" / "ers-desk",
// "milesight-iot" / "vs133"), if known.
std::optional<Codec> CodecForDeviceRepository(absl::string_view brand_id,
                                              absl::string_view model_id);

}  // namespace monipaikka::edge
