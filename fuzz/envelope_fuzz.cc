// libFuzzer target: one MQTT message format (MONIPAIKKA_FUZZ_FORMAT). The
// input is "topic\npayload"; without a newline, the format's usual uplink
// topic is used. Every parsed uplink names its device; an error message is
// short whatever the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "edge/decode/envelopes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const monipaikka::edge::MessageFormat format =
      *monipaikka::edge::ParseMessageFormat(MONIPAIKKA_FUZZ_FORMAT);
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::string_view topic = "application/1/device/0101010101010101/event/up";
  if (format == monipaikka::edge::MessageFormat::kTtsV3) {
    topic = "v3/app@ttn/devices/dev/up";
  } else if (format == monipaikka::edge::MessageFormat::kChirpStackV3JsonV3) {
    topic = "application/1/device/0101010101010101/rx";
  }
  const size_t newline = input.find('\n');
  if (newline != absl::string_view::npos && newline < 256) {
    topic = input.substr(0, newline);
    input.remove_prefix(newline + 1);
  }
  absl::StatusOr<monipaikka::edge::ParsedMessage> parsed =
      monipaikka::edge::ParseMessage(format, topic, input);
  if (parsed.ok()) {
    for (const monipaikka::edge::UplinkEvent& event : parsed->events) {
      if (event.device.empty()) std::abort();
    }
  } else if (parsed.status().message().size() > 2048) {
    std::abort();  // errors quote bounded excerpts, never whole values
  }
  return 0;
}
