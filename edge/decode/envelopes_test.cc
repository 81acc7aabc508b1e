#include "edge/decode/envelopes.h"

#include "absl/strings/escaping.h"
#include "common/time_format.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

int64_t Ms(const char* text) { return *ParseInstantMs(text); }

// ChirpStack v4 integration.UplinkEvent as its MQTT integration publishes it
// (protobuf JSON mapping), shaped after ChirpStack's documentation example.
constexpr char kChirpStackV4Up[] = R"({
  "deduplicationId": "3ac7e3c4-4401-4b8d-9386-a5c902f9202d",
  "time": "2022-07-18T09:34:15.775023242+00:00",
  "deviceInfo": {
    "tenantId": "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
    "tenantName": "ChirpStack",
    "applicationId": "17c82e96-be03-4f38-aef3-f83d48582d97",
    "applicationName": "Test application",
    "deviceProfileId": "14855bf7-d10d-4aee-b618-ebfcb64dc7ad",
    "deviceProfileName": "ERS Desk",
    "deviceName": "Test device",
    "devEui": "a81758fffe0312ab",
    "tags": {}
  },
  "devAddr": "00189440",
  "dr": 1,
  "fPort": 5,
  "data": "AQDiAikEACcRAgcOEA==",
  "rxInfo": [
    {"gatewayId": "0016c001f153a14c", "uplinkId": 4217106255, "rssi": -36,
     "snr": 10.5, "context": "E3OWOQ=="},
    {"gatewayId": "0016c001f153a14d", "uplinkId": 1, "rssi": -90, "snr": -3}
  ],
  "txInfo": {"frequency": 868100000,
             "modulation": {"lora": {"bandwidth": 125000,
                                     "spreadingFactor": 7,
                                     "codeRate": "CR_4_5"}}},
  "fCnt": 10,
  "confirmed": true
})";

TEST(ChirpStackV4Test, UplinkEvent) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV4,
      "application/17c82e96/device/a81758fffe0312ab/event/up", kChirpStackV4Up);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const UplinkEvent& e = parsed->events[0];
  EXPECT_EQ(e.device, "a81758fffe0312ab");
  EXPECT_EQ(e.f_cnt, 10u);
  EXPECT_EQ(e.f_port, 5);
  EXPECT_EQ(e.ts_ms, Ms("2022-07-18T09:34:15.775Z"));
  ASSERT_TRUE(e.frame.has_value());
  EXPECT_EQ(absl::BytesToHexString(*e.frame), "0100e20229040027110207" "0e10");
  EXPECT_FALSE(e.object.has_value());
  EXPECT_EQ(e.rssi_dbm, -36);
  EXPECT_EQ(e.snr_db, 10.5);
}

// fCnt 0 and fPort 0 are omitted by the protobuf JSON mapping; no time and
// an upper-case devEui in the topic only.
TEST(ChirpStackV4Test, OmittedZeroFieldsAndObject) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV4,
      "application/1/device/A81758FFFE0312AB/event/up",
      R"({"deviceInfo": {}, "object": {"occupancy": 2},
          "rxInfo": [{"gwTime": "2026-03-23T07:15:00Z"}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const UplinkEvent& e = parsed->events.at(0);
  EXPECT_EQ(e.device, "a81758fffe0312ab");
  EXPECT_EQ(e.f_cnt, 0u);
  EXPECT_EQ(e.f_port, 0);
  EXPECT_FALSE(e.frame.has_value());
  ASSERT_TRUE(e.object.has_value());
  EXPECT_EQ((*e.object)["occupancy"], 2);
  EXPECT_EQ(e.ts_ms, Ms("2026-03-23T07:15:00Z"));
  EXPECT_EQ(e.rssi_dbm, 0);
}

TEST(ChirpStackV4Test, StatusEventCarriesBattery) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV4,
      "application/1/device/a81758fffe0312ab/event/status",
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"},
          "time": "2026-03-23T07:15:00Z", "margin": 7, "batteryLevel": 85.5})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  ASSERT_TRUE(parsed->events[0].decoded.has_value());
  EXPECT_EQ(parsed->events[0].decoded->battery_percent, 86);
}

TEST(ChirpStackV4Test, OtherEventsAreIgnoredAndBadInputNamed) {
  absl::StatusOr<ParsedMessage> join = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/x/event/join", "{}");
  ASSERT_TRUE(join.ok());
  EXPECT_EQ(join->ignored, 1);
  EXPECT_TRUE(join->events.empty());

  absl::StatusOr<ParsedMessage> bad = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up", "{nope");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<ParsedMessage> count = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up",
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "fCnt": "ten"})");
  EXPECT_EQ(count.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(count.status().message().find("fCnt"), absl::string_view::npos);

  absl::StatusOr<ParsedMessage> data = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up",
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "data": "!!"})");
  EXPECT_EQ(data.status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<ParsedMessage> eui = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up",
      R"({"deviceInfo": {"devEui": "xyz"}})");
  EXPECT_EQ(eui.status().code(), absl::StatusCode::kInvalidArgument);
}

// ChirpStack Application Server v3, `json` marshaler: devEUI in base64 and
// the decoded object as a JSON string (shaped after the v3 documentation).
constexpr char kChirpStackV3Json[] = R"({
  "applicationID": "123",
  "applicationName": "desks",
  "deviceName": "desk-17",
  "devEUI": "qBdY//4DEqs=",
  "rxInfo": [{"gatewayID": "AwMDAwMDAwM=", "time": "2026-03-23T07:14:59.900Z",
              "rssi": -48, "loRaSNR": 9, "channel": 5, "rfChain": 0,
              "context": "9u/uvA==", "uplinkID": "jhMh8Gq6RAOChSKbi83RHQ=="}],
  "txInfo": {"frequency": 868100000, "modulation": "LORA"},
  "adr": true, "dr": 5, "fCnt": 123, "fPort": 5,
  "data": "EQI=",
  "objectJSON": "{\"occupancy\":2,\"vdd\":3600}",
  "tags": {},
  "confirmedUplink": false,
  "devAddr": "AFE5Qg==",
  "publishedAt": "2026-03-23T07:15:00.010Z"
})";

TEST(ChirpStackV3Test, JsonMarshaler) {
  absl::StatusOr<ParsedMessage> parsed =
      ParseMessage(MessageFormat::kChirpStackV3Json,
                   "application/123/device/a81758fffe0312ab/event/up",
                   kChirpStackV3Json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const UplinkEvent& e = parsed->events.at(0);
  EXPECT_EQ(e.device, "a81758fffe0312ab");
  EXPECT_EQ(e.f_cnt, 123u);
  EXPECT_EQ(e.ts_ms, Ms("2026-03-23T07:15:00.010Z"));
  ASSERT_TRUE(e.object.has_value());
  EXPECT_EQ((*e.object)["vdd"], 3600);
  EXPECT_EQ(e.frame, std::string("\x11\x02", 2));
  EXPECT_EQ(e.rssi_dbm, -48);
  EXPECT_EQ(e.snr_db, 9);
}

TEST(ChirpStackV3Test, JsonMarshalerRejectsHexDevEui) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV3Json, "application/1/device/x/event/up",
      R"({"devEUI": "a81758fffe0312ab"})");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
}

// The legacy `json_v3` marshaler: devEUI in hex, object as JSON, time only
// in rxInfo.
TEST(ChirpStackV3Test, JsonV3Marshaler) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV3JsonV3,
      "application/123/device/24e124128c012345/rx",
      R"({"applicationID": "123", "applicationName": "counters",
          "deviceName": "door", "devEUI": "24e124128c012345",
          "rxInfo": [{"gatewayID": "0303030303030303", "name": "roof",
                      "time": "2026-03-23T07:15:00Z", "rssi": -57,
                      "loRaSNR": 10}],
          "txInfo": {"frequency": 868100000, "dr": 5},
          "adr": false, "fCnt": 10, "fPort": 85,
          "data": "BcwFAAcA",
          "object": {"line_1_period_in": 5, "line_1_period_out": 7}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const UplinkEvent& e = parsed->events.at(0);
  EXPECT_EQ(e.device, "24e124128c012345");
  EXPECT_EQ(e.f_cnt, 10u);
  EXPECT_EQ(e.f_port, 85);
  EXPECT_EQ(e.ts_ms, Ms("2026-03-23T07:15:00Z"));
  EXPECT_EQ((*e.object)["line_1_period_in"], 5);
  EXPECT_EQ(e.rssi_dbm, -57);
}

// The Things Stack v3 uplink message, shaped after its MQTT documentation.
constexpr char kTtsUplink[] = R"({
  "end_device_ids": {
    "device_id": "vs340-desk-4",
    "application_ids": {"application_id": "valtion-virastotalo"},
    "dev_eui": "24E124538B223344",
    "join_eui": "24E124C0002A0001",
    "dev_addr": "260BD1A2"
  },
  "correlation_ids": ["as:up:01G..."],
  "received_at": "2026-03-23T07:15:00.300Z",
  "uplink_message": {
    "session_key_id": "AYF2...",
    "f_port": 85,
    "f_cnt": 4242,
    "frm_payload": "AXVkAwAB",
    "rx_metadata": [{"gateway_ids": {"gateway_id": "pasila-2"},
                     "time": "2026-03-23T07:15:00.100Z", "rssi": -101,
                     "channel_rssi": -101, "snr": -2.25}],
    "settings": {"data_rate": {"lora": {"bandwidth": 125000,
                                        "spreading_factor": 9}}},
    "received_at": "2026-03-23T07:15:00.250Z",
    "version_ids": {"brand_id": "milesight-iot", "model_id": "vs340",
                    "hardware_version": "1.0", "firmware_version": "1.0",
                    "band_id": "EU_863_870"}
  }
})";

TEST(TtsV3Test, UplinkMessage) {
  absl::StatusOr<ParsedMessage> parsed =
      ParseMessage(MessageFormat::kTtsV3,
                   "v3/valtion-virastotalo@ttn/devices/vs340-desk-4/up",
                   kTtsUplink);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const UplinkEvent& e = parsed->events.at(0);
  EXPECT_EQ(e.device, "24e124538b223344");
  EXPECT_EQ(e.f_cnt, 4242u);
  EXPECT_EQ(e.f_port, 85);
  EXPECT_EQ(e.ts_ms, Ms("2026-03-23T07:15:00.250Z"));
  EXPECT_EQ(absl::BytesToHexString(*e.frame), "017564030001");
  EXPECT_EQ(e.rssi_dbm, -101);
  EXPECT_EQ(e.snr_db, -2.25);
  EXPECT_EQ(e.brand_id, "milesight-iot");
  EXPECT_EQ(e.model_id, "vs340");
}

TEST(TtsV3Test, MissingPartsAndOtherTopics) {
  EXPECT_EQ(ParseMessage(MessageFormat::kTtsV3, "v3/a/devices/b/up",
                         R"({"end_device_ids": {"dev_eui": "24E124538B223344"}})")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ParseMessage(MessageFormat::kTtsV3, "v3/a/devices/b/up",
                         R"({"uplink_message": {}})")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<ParsedMessage> join =
      ParseMessage(MessageFormat::kTtsV3, "v3/a/devices/b/join", "{}");
  ASSERT_TRUE(join.ok());
  EXPECT_EQ(join->ignored, 1);
}

// Haltian Thingsee PRESENCE: the examples of the Thingsee PRESENCE uplink
// message reference (occupancy state 2100, movement count 13100).
TEST(HaltianTest, PresenceMessages) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kHaltian, "cloudext/json/pr/fi/prfi00ffeed/TSPR04/2100",
      R"({"tsmId": 2100, "tsmEv": 7, "tsmTs": 1755064700,
          "tsmTuid": "TSPR04TSC20205001", "tsmGw": "TSGW06EWK31903495",
          "state": 1})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const UplinkEvent& e = parsed->events[0];
  EXPECT_EQ(e.device, "TSPR04TSC20205001");
  EXPECT_EQ(e.ts_ms, int64_t{1755064700} * 1000);
  EXPECT_FALSE(e.f_cnt.has_value());
  EXPECT_EQ(e.decoded->occupied, true);

  absl::StatusOr<ParsedMessage> array = ParseMessage(
      MessageFormat::kHaltian, "haltian",
      R"([{"tsmId": 13100, "tsmEv": 10, "tsmTs": 1755064655,
           "tsmTuid": "TSPR04TSC20205001", "tsmGw": "TSGW06EWK31903495",
           "moveCount": 7},
          {"tsmId": 2100, "tsmEv": 10, "tsmTs": 1755064800,
           "tsmTuid": "TSPR04TSC20205002"},
          {"tsmId": 1110, "tsmEv": 10, "tsmTs": 1755064800,
           "tsmTuid": "TSPR04TSC20205002", "batl": 90},
          {"tsmId": 2100, "tsmTs": 1755064800, "tsmTuid": "X", "state": 5}])");
  ASSERT_TRUE(array.ok()) << array.status();
  ASSERT_EQ(array->events.size(), 2u);
  EXPECT_EQ(array->events[0].decoded->motion_count, 7);
  // state omitted: 0, vacant.
  EXPECT_EQ(array->events[1].decoded->occupied, false);
  EXPECT_EQ(array->ignored, 1);
  ASSERT_EQ(array->problems.size(), 1u);
  EXPECT_EQ(array->problems[0].code(), absl::StatusCode::kOutOfRange);
}

TEST(HaltianTest, MissingDeviceIsNamed) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kHaltian, "t", R"({"tsmId": 2100, "state": 1})");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(parsed.status().message().find("tsmTuid"), absl::string_view::npos);
}

TEST(FormatTest, Names) {
  for (const char* name : {"chirpstack_v4", "chirpstack_v3_json",
                           "chirpstack_v3_json_v3", "tts_v3", "haltian"}) {
    absl::StatusOr<MessageFormat> format = ParseMessageFormat(name);
    ASSERT_TRUE(format.ok());
    EXPECT_EQ(MessageFormatName(*format), name);
  }
  EXPECT_FALSE(ParseMessageFormat("ttn_v2").ok());
}

}  // namespace
}  // namespace monipaikka::edge
