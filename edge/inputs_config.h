#pragma once

// The edge agent's sensor inputs, from a JSON file (--inputs=FILE; example
// in deploy/config/edge-inputs.example.json, described in docs/edge-inputs.md):
//
// {
//   "mqtt": {
//     "host": "127.0.0.1", "port": 1883,
//     "client_id": "monipaikka-edge-gw-pasila-2",  // default: from --gateway
//     "username": "edge",
//     "password_file": "/etc/monipaikka/mqtt-password",  // or "password"
//     "tls": {"ca_file": "/etc/ssl/broker-ca.pem",
//             "cert_file": "", "key_file": "", "insecure": false},
//     "keepalive_s": 30,
//     "clean_session": false,
//     "subscriptions": [
//       {"topic": "application/+/device/+/event/+",
//        "format": "chirpstack_v4", "qos": 1, "codec": "auto"}
//     ]
//   },
//   "line": {"udp": "127.0.0.1:7701", "tcp": "127.0.0.1:7702"},
//   "devices": {"a81758fffe0312ab": {"codec": "elsys"}}
// }
//
// Every section is optional; at least one input must be configured. Unknown
// keys are errors (a misspelt key would otherwise be silently ignored).
// Errors name the key path, e.g. "mqtt.subscriptions[1].format: ...".

#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "edge/decode/codec.h"
#include "edge/mqtt_client.h"

namespace monipaikka::edge {

struct InputsConfig {
  std::optional<MqttOptions> mqtt;
  // "host:port" to listen on for the line protocol; empty for none.
  std::string udp_listen;
  std::string tcp_listen;
  // Device id → codec of its raw frames.
  std::map<std::string, Codec> device_codecs;
};

// `gateway` gives the default MQTT client id, "monipaikka-edge-<gateway>".
absl::StatusOr<InputsConfig> ParseInputsConfig(absl::string_view text,
                                               absl::string_view gateway);
absl::StatusOr<InputsConfig> LoadInputsConfig(const std::string& path,
                                              absl::string_view gateway);

}  // namespace monipaikka::edge
