#include "edge/decode/codec.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "edge/decode/elsys.h"
#include "edge/decode/milesight.h"

namespace monipaikka::edge {

absl::StatusOr<Codec> ParseCodec(absl::string_view name) {
  if (name == "auto") return Codec::kAuto;
  if (name == "elsys") return Codec::kElsys;
  if (name == "milesight_vs133" || name == "milesight_vs135") {
    return Codec::kMilesightVs133;
  }
  if (name == "milesight_vs121") return Codec::kMilesightVs121;
  if (name == "milesight_ws202") return Codec::kMilesightWs202;
  if (name == "milesight_vs340") return Codec::kMilesightVs340;
  return absl::InvalidArgumentError(absl::StrCat(
      "\"", name,
      "\" is not a codec (auto, elsys, milesight_vs133, milesight_vs135, "
      "milesight_vs121, milesight_ws202, milesight_vs340)"));
}

absl::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kAuto:
      return "auto";
    case Codec::kElsys:
      return "elsys";
    case Codec::kMilesightVs133:
      return "milesight_vs133";
    case Codec::kMilesightVs121:
      return "milesight_vs121";
    case Codec::kMilesightWs202:
      return "milesight_ws202";
    case Codec::kMilesightVs340:
      return "milesight_vs340";
  }
  return "auto";
}

absl::StatusOr<DecodedPayload> DecodeFrame(Codec codec,
                                           absl::Span<const uint8_t> frame) {
  switch (codec) {
    case Codec::kElsys:
      return DecodeElsys(frame);
    case Codec::kMilesightVs133:
      return DecodeMilesight(MilesightModel::kVs133, frame);
    case Codec::kMilesightVs121:
      return DecodeMilesight(MilesightModel::kVs121, frame);
    case Codec::kMilesightWs202:
      return DecodeMilesight(MilesightModel::kWs202, frame);
    case Codec::kMilesightVs340:
      return DecodeMilesight(MilesightModel::kVs340, frame);
    case Codec::kAuto:
      break;
  }
  return absl::InvalidArgumentError("no codec chosen for a raw frame");
}

std::optional<Codec> CodecForDeviceRepository(absl::string_view brand_id,
                                              absl::string_view model_id) {
  const std::string brand = absl::AsciiStrToLower(brand_id);
  const std::string model = absl::AsciiStrToLower(model_id);
  if (brand == "elsys") return Codec::kElsys;
  if (brand == "milesight-iot" || brand == "milesight") {
    if (absl::StartsWith(model, "vs133") || absl::StartsWith(model, "vs135")) {
      return Codec::kMilesightVs133;
    }
    if (absl::StartsWith(model, "vs121")) return Codec::kMilesightVs121;
    if (absl::StartsWith(model, "ws202")) return Codec::kMilesightWs202;
    if (absl::StartsWith(model, "vs340") || absl::StartsWith(model, "vs341")) {
      return Codec::kMilesightVs340;
    }
  }
  return std::nullopt;
}

}  // namespace monipaikka::edge
