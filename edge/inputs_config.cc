#include "edge/inputs_config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "edge/decode/json_fields.h"

namespace monipaikka::edge {
namespace {

absl::Status OnlyKeys(const Json& object, absl::string_view path,
                      std::initializer_list<const char*> keys) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path.empty() ? "inputs" : path, ": is not an object"));
  }
  const std::set<std::string> allowed(keys.begin(), keys.end());
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!allowed.count(it.key())) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, path.empty() ? "" : ".", it.key(), ": unknown key"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(what, ": cannot read \"", path, "\""));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<bool> BoolField(const Json& object, const char* key,
                               absl::string_view path, bool fallback) {
  const Json* value = Member(object, key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, key, ": is not true or false"));
  }
  return value->get<bool>();
}

absl::StatusOr<MqttOptions> ParseMqtt(const Json& mqtt,
                                      absl::string_view gateway) {
  RETURN_IF_ERROR(OnlyKeys(
      mqtt, "mqtt",
      {"host", "port", "client_id", "username", "password", "password_file",
       "tls", "keepalive_s", "clean_session", "subscriptions"}));
  MqttOptions options;
  ASSIGN_OR_RETURN(std::optional<std::string> host,
                   StringField(mqtt, "host", "mqtt."));
  if (host) options.host = *host;
  ASSIGN_OR_RETURN(std::optional<int64_t> port,
                   IntField(mqtt, "port", "mqtt."));
  if (port) options.port = static_cast<int>(*port);
  if (port && (*port < 1 || *port > 65535)) {
    return absl::InvalidArgumentError(
        absl::StrCat("mqtt.port: ", *port, " is not a port"));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> client_id,
                   StringField(mqtt, "client_id", "mqtt."));
  options.client_id =
      client_id ? *client_id : absl::StrCat("monipaikka-edge-", gateway);
  ASSIGN_OR_RETURN(std::optional<std::string> username,
                   StringField(mqtt, "username", "mqtt."));
  options.username = username.value_or("");
  ASSIGN_OR_RETURN(std::optional<std::string> password,
                   StringField(mqtt, "password", "mqtt."));
  ASSIGN_OR_RETURN(std::optional<std::string> password_file,
                   StringField(mqtt, "password_file", "mqtt."));
  if (password && password_file) {
    return absl::InvalidArgumentError(
        "mqtt.password_file: give either password or password_file");
  }
  if (password_file) {
    ASSIGN_OR_RETURN(std::string secret,
                     ReadFile(*password_file, "mqtt.password_file"));
    options.password = std::string(absl::StripTrailingAsciiWhitespace(secret));
  } else {
    options.password = password.value_or("");
  }
  if (const Json* tls = Member(mqtt, "tls")) {
    RETURN_IF_ERROR(OnlyKeys(*tls, "mqtt.tls",
                             {"ca_file", "cert_file", "key_file", "insecure"}));
    ASSIGN_OR_RETURN(std::optional<std::string> ca,
                     StringField(*tls, "ca_file", "mqtt.tls."));
    ASSIGN_OR_RETURN(std::optional<std::string> cert,
                     StringField(*tls, "cert_file", "mqtt.tls."));
    ASSIGN_OR_RETURN(std::optional<std::string> key,
                     StringField(*tls, "key_file", "mqtt.tls."));
    options.tls_ca_file = ca.value_or("");
    options.tls_cert_file = cert.value_or("");
    options.tls_key_file = key.value_or("");
    ASSIGN_OR_RETURN(options.tls_insecure,
                     BoolField(*tls, "insecure", "mqtt.tls.", false));
    if (options.tls_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "mqtt.tls.ca_file: is required to use TLS");
    }
    if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
      return absl::InvalidArgumentError(
          "mqtt.tls.key_file: cert_file and key_file go together");
    }
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> keepalive,
                   IntField(mqtt, "keepalive_s", "mqtt."));
  if (keepalive) options.keepalive_s = static_cast<int>(*keepalive);
  if (options.keepalive_s < 5 || options.keepalive_s > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mqtt.keepalive_s: ", options.keepalive_s, " is not within 5..65535"));
  }
  ASSIGN_OR_RETURN(options.clean_session,
                   BoolField(mqtt, "clean_session", "mqtt.", false));
  const Json* subscriptions = Member(mqtt, "subscriptions");
  if (subscriptions == nullptr || !subscriptions->is_array() ||
      subscriptions->empty()) {
    return absl::InvalidArgumentError(
        "mqtt.subscriptions: a non-empty list is required");
  }
  for (size_t i = 0; i < subscriptions->size(); ++i) {
    const Json& entry = (*subscriptions)[i];
    const std::string path = absl::StrCat("mqtt.subscriptions[", i, "]");
    RETURN_IF_ERROR(OnlyKeys(entry, path, {"topic", "format", "qos", "codec"}));
    const std::string prefix = path + ".";
    MqttSubscription subscription;
    ASSIGN_OR_RETURN(std::optional<std::string> topic,
                     StringField(entry, "topic", prefix));
    if (!topic || topic->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "topic: is required"));
    }
    subscription.topic = *topic;
    ASSIGN_OR_RETURN(std::optional<std::string> format,
                     StringField(entry, "format", prefix));
    if (!format) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "format: is required"));
    }
    absl::StatusOr<MessageFormat> parsed_format = ParseMessageFormat(*format);
    if (!parsed_format.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "format: ", parsed_format.status().message()));
    }
    subscription.format = *parsed_format;
    ASSIGN_OR_RETURN(std::optional<int64_t> qos,
                     IntField(entry, "qos", prefix));
    subscription.qos = static_cast<int>(qos.value_or(1));
    if (subscription.qos < 0 || subscription.qos > 2) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "qos: ", *qos, " is not 0, 1 or 2"));
    }
    ASSIGN_OR_RETURN(std::optional<std::string> codec,
                     StringField(entry, "codec", prefix));
    if (codec) {
      absl::StatusOr<Codec> parsed_codec = ParseCodec(*codec);
      if (!parsed_codec.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(prefix, "codec: ", parsed_codec.status().message()));
      }
      subscription.codec = *parsed_codec;
    }
    options.subscriptions.push_back(std::move(subscription));
  }
  return options;
}

}  // namespace

absl::StatusOr<InputsConfig> ParseInputsConfig(absl::string_view text,
                                               absl::string_view gateway) {
  absl::StatusOr<Json> document = ParseJson(text);
  if (!document.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("inputs: ", document.status().message()));
  }
  RETURN_IF_ERROR(OnlyKeys(*document, "", {"mqtt", "line", "devices"}));
  InputsConfig config;
  if (const Json* mqtt = Member(*document, "mqtt")) {
    ASSIGN_OR_RETURN(config.mqtt, ParseMqtt(*mqtt, gateway));
  }
  if (const Json* line = Member(*document, "line")) {
    RETURN_IF_ERROR(OnlyKeys(*line, "line", {"udp", "tcp"}));
    ASSIGN_OR_RETURN(std::optional<std::string> udp,
                     StringField(*line, "udp", "line."));
    ASSIGN_OR_RETURN(std::optional<std::string> tcp,
                     StringField(*line, "tcp", "line."));
    config.udp_listen = udp.value_or("");
    config.tcp_listen = tcp.value_or("");
  }
  if (const Json* devices = Member(*document, "devices")) {
    if (!devices->is_object()) {
      return absl::InvalidArgumentError("devices: is not an object");
    }
    for (auto it = devices->begin(); it != devices->end(); ++it) {
      const std::string path = absl::StrCat("devices.", it.key());
      RETURN_IF_ERROR(OnlyKeys(it.value(), path, {"codec"}));
      ASSIGN_OR_RETURN(std::optional<std::string> codec,
                       StringField(it.value(), "codec", path + "."));
      if (!codec) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ".codec: is required"));
      }
      absl::StatusOr<Codec> parsed = ParseCodec(*codec);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ".codec: ", parsed.status().message()));
      }
      config.device_codecs[it.key()] = *parsed;
    }
  }
  if (!config.mqtt && config.udp_listen.empty() && config.tcp_listen.empty()) {
    return absl::InvalidArgumentError(
        "inputs: configure at least one of mqtt, line.udp, line.tcp");
  }
  return config;
}

absl::StatusOr<InputsConfig> LoadInputsConfig(const std::string& path,
                                              absl::string_view gateway) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path, "--inputs"));
  absl::StatusOr<InputsConfig> config = ParseInputsConfig(text, gateway);
  if (!config.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--inputs ", path, ": ", config.status().message()));
  }
  return config;
}

}  // namespace monipaikka::edge
