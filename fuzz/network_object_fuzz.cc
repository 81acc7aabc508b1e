// libFuzzer target: network servers' decoded objects (JSON).
#include <cstddef>
#include <cstdint>

#include "edge/decode/network_object.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<monipaikka::edge::Json> json = monipaikka::edge::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size));
  if (json.ok()) (void)monipaikka::edge::FromNetworkObject(*json);
  return 0;
}
