#include "edge/decode/milesight.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka::edge {
namespace {

uint32_t U16(const uint8_t* v) { return v[0] | (v[1] << 8); }
int32_t I16(const uint8_t* v) {
  return static_cast<int16_t>(static_cast<uint16_t>(v[0] | (v[1] << 8)));
}
uint32_t U32(const uint8_t* v) {
  return static_cast<uint32_t>(v[0]) | (static_cast<uint32_t>(v[1]) << 8) |
         (static_cast<uint32_t>(v[2]) << 16) |
         (static_cast<uint32_t>(v[3]) << 24);
}

const char* ModelName(MilesightModel model) {
  switch (model) {
    case MilesightModel::kVs133:
      return "vs133";
    case MilesightModel::kVs121:
      return "vs121";
    case MilesightModel::kWs202:
      return "ws202";
    case MilesightModel::kVs340:
      return "vs340";
  }
  return "milesight";
}

// Size of a 0xFF device-information channel, 0 if unknown.
size_t DeviceInfoSize(uint8_t type) {
  switch (type) {
    case 0x01:
    case 0x0B:
    case 0x0F:
    case 0xFE:
      return 1;
    case 0x09:
    case 0x0A:
    case 0xFF:
      return 2;
    case 0x1F:
      return 4;
    case 0x08:
      return 6;
    case 0x16:
      return 8;
    default:
      return 0;
  }
}

// The value size of (id, type) for `model`, 0 if the model has no such
// channel.
size_t ChannelSize(MilesightModel model, uint8_t id, uint8_t type) {
  if (id == 0xFF) return DeviceInfoSize(type);
  if (id == 0x01 && type == 0x75) return 1;
  switch (model) {
    case MilesightModel::kVs133:
      if (type == 0xD2 && id >= 0x03 && id <= 0x0D && (id % 3 != 2)) return 4;
      if (type == 0xCC &&
          (id == 0x05 || id == 0x08 || id == 0x0B || id == 0x0E)) {
        return 4;
      }
      if (id == 0x0F && type == 0xE3) return 4;
      if (id == 0x10 && type == 0xE4) return 5;
      return 0;
    case MilesightModel::kVs121:
      if (id == 0x04 && type == 0xC9) return 4;
      if (id == 0x05 && type == 0xCC) return 4;
      if (id == 0x06 && type == 0xCD) return 1;
      if ((id == 0x07 || id == 0x08) && type == 0xD5) return 8;
      if (id >= 0x09 && id <= 0x0C && type == 0xDA) return 8;
      if (id == 0x0D && type == 0xCC) return 4;
      if (id == 0x0E && type == 0xE4) return 5;
      if (id == 0x0F && type == 0x85) return 4;
      if (id == 0x10 && type == 0xF7) return 4;
      return 0;
    case MilesightModel::kWs202:
      if ((id == 0x03 || id == 0x04) && type == 0x00) return 1;
      return 0;
    case MilesightModel::kVs340:
      if (id == 0x03 && type == 0x00) return 1;
      return 0;
  }
  return 0;
}

void Add(std::optional<uint32_t>& sum, uint32_t value) {
  sum = sum.value_or(0) + value;
}

}  // namespace

absl::StatusOr<DecodedPayload> DecodeMilesight(
    MilesightModel model, absl::Span<const uint8_t> frame) {
  const char* name = ModelName(model);
  if (frame.empty()) {
    return absl::DataLossError(absl::StrCat(name, ": empty frame"));
  }
  DecodedPayload out;
  std::optional<int32_t> region_sum;
  size_t i = 0;
  while (i < frame.size()) {
    if (i + 2 > frame.size()) {
      return absl::DataLossError(
          absl::StrFormat("%s: channel at byte %d has no type byte", name, i));
    }
    const uint8_t id = frame[i];
    const uint8_t type = frame[i + 1];
    const size_t size = ChannelSize(model, id, type);
    if (size == 0) {
      return absl::UnimplementedError(
          absl::StrFormat("%s: unknown channel 0x%02x type 0x%02x at byte %d",
                          name, id, type, i));
    }
    if (i + 2 + size > frame.size()) {
      return absl::DataLossError(absl::StrFormat(
          "%s: channel 0x%02x type 0x%02x at byte %d needs %d bytes, %d left",
          name, id, type, i, size, frame.size() - i - 2));
    }
    const uint8_t* v = frame.data() + i + 2;
    if (id == 0x01 && type == 0x75) {
      out.battery_percent = v[0];
    } else if (id != 0xFF) {
      switch (model) {
        case MilesightModel::kVs133:
          if (type == 0xD2 && (id % 3) == 0) {
            Add(out.total_in, U32(v));
          } else if (type == 0xD2) {
            Add(out.total_out, U32(v));
          } else if (type == 0xCC) {
            Add(out.period_in, U16(v));
            Add(out.period_out, U16(v + 2));
          } else if (type == 0xE3) {
            region_sum = v[0] + v[1] + v[2] + v[3];
          }
          break;
        case MilesightModel::kVs121:
          if (id == 0x04) {
            out.count = v[0];
          } else if (id == 0x05 || id == 0x10) {
            const int32_t in =
                id == 0x05 ? I16(v) : static_cast<int32_t>(U16(v));
            const int32_t gone =
                id == 0x05 ? I16(v + 2) : static_cast<int32_t>(U16(v + 2));
            if (in < 0 || gone < 0) {
              return absl::OutOfRangeError(absl::StrCat(
                  name, ": people in/out ", in, "/", gone, " is negative"));
            }
            if (!out.period_in) {  // 0x05 and 0x10 report the same crossings
              out.period_in = static_cast<uint32_t>(in);
              out.period_out = static_cast<uint32_t>(gone);
            }
          } else if (id == 0x0D) {
            out.total_in = U16(v);
            out.total_out = U16(v + 2);
          } else if (type == 0xD5) {  // regions 1…8 (0x07), 9…16 (0x08)
            int32_t sum = 0;
            for (int r = 0; r < 8; ++r) sum += v[r];
            region_sum = region_sum.value_or(0) + sum;
          }
          break;
        case MilesightModel::kWs202:
          if (id == 0x03) {
            if (v[0] > 1) {
              return absl::OutOfRangeError(
                  absl::StrCat(name, ": pir ", v[0], " is not 0 or 1"));
            }
            out.occupied = v[0] == 1;
          } else if (v[0] > 1) {
            return absl::OutOfRangeError(
                absl::StrCat(name, ": daylight ", v[0], " is not 0 or 1"));
          }
          break;
        case MilesightModel::kVs340:
          if (v[0] > 1) {
            return absl::OutOfRangeError(
                absl::StrCat(name, ": occupancy ", v[0], " is not 0 or 1"));
          }
          out.occupied = v[0] == 1;
          break;
      }
    }
    i += 2 + size;
  }
  if (region_sum && !out.count) out.count = region_sum;
  return out;
}

}  // namespace monipaikka::edge
