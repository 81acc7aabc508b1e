// libFuzzer target: the plain line protocol.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "edge/decode/line_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<std::optional<monipaikka::edge::LineReading>> line =
      monipaikka::edge::ParseLine(
          absl::string_view(reinterpret_cast<const char*>(data), size));
  if (line.ok() && line->has_value()) {
    const monipaikka::edge::LineReading& r = **line;
    if (r.sensor.empty() || r.occupied.has_value() == r.count.has_value()) {
      std::abort();
    }
    if (r.count && (*r.count < 0 || *r.count > 100000)) std::abort();
  }
  return 0;
}
