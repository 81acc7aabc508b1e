#include "edge/inputs_config.h"

#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

TEST(InputsConfigTest, FullExample) {
  absl::StatusOr<InputsConfig> config = ParseInputsConfig(R"({
    "mqtt": {"host": "broker.local", "port": 8883, "username": "edge",
             "password": "secret",
             "tls": {"ca_file": "/etc/ssl/ca.pem"},
             "keepalive_s": 20,
             "subscriptions": [
               {"topic": "application/+/device/+/event/+",
                "format": "chirpstack_v4"},
               {"topic": "v3/+/devices/+/up", "format": "tts_v3", "qos": 0,
                "codec": "milesight_vs133"}]},
    "line": {"udp": "127.0.0.1:7701", "tcp": "127.0.0.1:7702"},
    "devices": {"A81758FFFE0312AB": {"codec": "elsys"}}
  })",
                                                          "gw-1");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_TRUE(config->mqtt.has_value());
  const MqttOptions& mqtt = *config->mqtt;
  EXPECT_EQ(mqtt.host, "broker.local");
  EXPECT_EQ(mqtt.port, 8883);
  EXPECT_EQ(mqtt.client_id, "monipaikka-edge-gw-1");
  EXPECT_EQ(mqtt.password, "secret");
  EXPECT_EQ(mqtt.tls_ca_file, "/etc/ssl/ca.pem");
  EXPECT_FALSE(mqtt.clean_session);
  ASSERT_EQ(mqtt.subscriptions.size(), 2u);
  EXPECT_EQ(mqtt.subscriptions[0].qos, 1);
  EXPECT_EQ(mqtt.subscriptions[0].codec, Codec::kAuto);
  EXPECT_EQ(mqtt.subscriptions[1].format, MessageFormat::kTtsV3);
  EXPECT_EQ(mqtt.subscriptions[1].qos, 0);
  EXPECT_EQ(mqtt.subscriptions[1].codec, Codec::kMilesightVs133);
  EXPECT_EQ(config->udp_listen, "127.0.0.1:7701");
  EXPECT_EQ(config->device_codecs.at("A81758FFFE0312AB"), Codec::kElsys);
}

TEST(InputsConfigTest, ErrorsNameTheKey) {
  auto error = [](const char* json) {
    absl::StatusOr<InputsConfig> config = ParseInputsConfig(json, "gw");
    EXPECT_FALSE(config.ok()) << json;
    return std::string(config.status().message());
  };
  EXPECT_NE(error("{}").find("at least one"), std::string::npos);
  EXPECT_NE(error(R"({"mqtt": {"hots": "x"}})").find("mqtt.hots"),
            std::string::npos);
  EXPECT_NE(error(R"({"mqtt": {"subscriptions": [{"topic": "a/#",
                      "format": "ttn_v2"}]}})")
                .find("mqtt.subscriptions[0].format"),
            std::string::npos);
  EXPECT_NE(error(R"({"mqtt": {"subscriptions": [{"topic": "a/#",
                      "format": "tts_v3", "qos": 3}]}})")
                .find("qos"),
            std::string::npos);
  EXPECT_NE(error(R"({"mqtt": {"subscriptions": []}})").find("subscriptions"),
            std::string::npos);
  EXPECT_NE(error(R"({"line": {"udp": 7}})").find("line.udp"),
            std::string::npos);
  EXPECT_NE(error(R"({"line": {"tcp": "127.0.0.1:1"},
                      "devices": {"x": {"codec": "acme"}}})")
                .find("devices.x.codec"),
            std::string::npos);
  EXPECT_NE(error(R"({"mqtt": {"password_file": "/nonexistent/pw",
                      "subscriptions": [{"topic": "a", "format": "haltian"}]}})")
                .find("password_file"),
            std::string::npos);
}

}  // namespace
}  // namespace monipaikka::edge
