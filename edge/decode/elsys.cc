#include "edge/decode/elsys.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka::edge {
namespace {

// Size of the value after each type byte; 0 for types this decoder does not
// know. 0x3E (settings) is handled apart.
int ValueSize(uint8_t type) {
  switch (type) {
    case 0x02:
    case 0x05:
    case 0x0D:
    case 0x0F:
    case 0x11:
    case 0x12:
    case 0x1A:
      return 1;
    case 0x01:
    case 0x04:
    case 0x06:
    case 0x07:
    case 0x08:
    case 0x0A:
    case 0x0C:
    case 0x0E:
    case 0x15:
    case 0x16:
    case 0x18:
    case 0x19:
    case 0x1C:
      return 2;
    case 0x03:
      return 3;
    case 0x0B:
    case 0x10:
    case 0x14:
    case 0x17:
    case 0x1B:
    case 0x3D:
      return 4;
    case 0x09:
      return 6;
    case 0x13:
      return 65;
    default:
      return 0;
  }
}

}  // namespace

absl::StatusOr<DecodedPayload> DecodeElsys(absl::Span<const uint8_t> frame) {
  DecodedPayload out;
  if (frame.empty()) {
    return absl::DataLossError("elsys: empty frame");
  }
  size_t i = 0;
  while (i < frame.size()) {
    const uint8_t type = frame[i];
    size_t size = 0;
    if (type == 0x3E) {
      if (i + 1 >= frame.size()) {
        return absl::DataLossError(absl::StrCat(
            "elsys: settings record at byte ", i, " has no length byte"));
      }
      size = 1 + static_cast<size_t>(frame[i + 1]);
    } else {
      size = static_cast<size_t>(ValueSize(type));
      if (size == 0) {
        return absl::UnimplementedError(absl::StrFormat(
            "elsys: unknown record type 0x%02x at byte %d", type, i));
      }
    }
    if (i + 1 + size > frame.size()) {
      return absl::DataLossError(absl::StrFormat(
          "elsys: record type 0x%02x at byte %d needs %d bytes, %d left", type,
          i, size, frame.size() - i - 1));
    }
    const uint8_t* v = frame.data() + i + 1;
    switch (type) {
      case 0x05:
        out.motion_count = v[0];
        break;
      case 0x07:
        out.battery_mv = (v[0] << 8) | v[1];
        break;
      case 0x11:
        if (v[0] > 2) {
          return absl::OutOfRangeError(
              absl::StrCat("elsys: occupancy ", v[0], " is not 0, 1 or 2"));
        }
        out.occupied = v[0] == 2;
        break;
      default:
        break;  // measured, not used by Monipaikka
    }
    i += 1 + size;
  }
  return out;
}

}  // namespace monipaikka::edge
