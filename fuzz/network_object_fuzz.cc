// libFuzzer target: network servers' decoded objects (JSON), and the bounded
// excerpts error messages quote from untrusted values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "edge/decode/network_object.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::StatusOr<monipaikka::edge::Json> json = monipaikka::edge::ParseJson(
      absl::string_view(reinterpret_cast<const char*>(data), size));
  if (json.ok()) {
    absl::StatusOr<monipaikka::edge::DecodedPayload> decoded =
        monipaikka::edge::FromNetworkObject(*json);
    // Error messages stay short whatever the input (64 bytes quoted, at most
    // 4 bytes each once escaped, plus the field's name).
    if (!decoded.ok() && decoded.status().message().size() > 1024) {
      std::abort();
    }
    if (monipaikka::edge::JsonExcerpt(*json).size() > 512) std::abort();
  }
  return 0;
}
