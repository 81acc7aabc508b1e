#include "edge/decode/envelopes.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
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
  EXPECT_EQ(absl::BytesToHexString(*e.frame),
            "0100e20229040027110207"
            "0e10");
  EXPECT_FALSE(e.object.has_value());
  EXPECT_EQ(e.rssi_dbm, -36);
  EXPECT_EQ(e.snr_db, 10.5);
}

// fCnt 0 and fPort 0 are omitted by the protobuf JSON mapping; no time and
// an upper-case devEui in the topic only.
TEST(ChirpStackV4Test, OmittedZeroFieldsAndObject) {
  absl::StatusOr<ParsedMessage> parsed =
      ParseMessage(MessageFormat::kChirpStackV4,
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
  absl::StatusOr<ParsedMessage> parsed =
      ParseMessage(MessageFormat::kChirpStackV4,
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
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV3Json,
      "application/123/device/a81758fffe0312ab/event/up", kChirpStackV3Json);
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
  absl::StatusOr<ParsedMessage> parsed =
      ParseMessage(MessageFormat::kChirpStackV3JsonV3,
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
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kTtsV3,
      "v3/valtion-virastotalo@ttn/devices/vs340-desk-4/up", kTtsUplink);
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
  EXPECT_EQ(
      ParseMessage(MessageFormat::kTtsV3, "v3/a/devices/b/up",
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

  absl::StatusOr<ParsedMessage> array =
      ParseMessage(MessageFormat::kHaltian, "haltian",
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

// docs/edge-inputs.md: the rest of the message is used: a raw frame that
// is not base64 costs the frame, not the frame counter, time and signal.
TEST(ChirpStackV4Test, InvalidBase64DataKeepsTheRestOfTheUplink) {
  absl::StatusOr<ParsedMessage> parsed = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up",
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "fCnt": 7,
          "time": "2026-03-23T07:00:00Z", "data": "!!\u00ff",
          "object": {"occupancy": 2},
          "rxInfo": [{"rssi": -80, "snr": 4.5}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->events.size(), 1u);
  const UplinkEvent& e = parsed->events[0];
  EXPECT_EQ(e.device, "a81758fffe0312ab");
  EXPECT_EQ(e.f_cnt, 7u);
  EXPECT_EQ(e.ts_ms, Ms("2026-03-23T07:00:00Z"));
  EXPECT_EQ(e.rssi_dbm, -80);
  EXPECT_FALSE(e.frame.has_value());
  EXPECT_TRUE(e.object.has_value());
  ASSERT_EQ(e.problems.size(), 1u);
  EXPECT_EQ(e.problems[0].code(), absl::StatusCode::kInvalidArgument);
  // Named, quoted and escaped.
  EXPECT_EQ(e.problems[0].message(),
            "data: \"!!\\xc3\\xbf\" is not base64; the rest of the uplink is "
            "used");

  // The same for The Things Stack's frm_payload of the wrong type.
  absl::StatusOr<ParsedMessage> tts =
      ParseMessage(MessageFormat::kTtsV3, "v3/a/devices/b/up",
                   R"({"end_device_ids": {"dev_eui": "24E124538B223344"},
          "uplink_message": {"f_cnt": 3, "frm_payload": 12,
                             "rx_metadata": [{"rssi": -90}]}})");
  ASSERT_TRUE(tts.ok()) << tts.status();
  ASSERT_EQ(tts->events.size(), 1u);
  EXPECT_EQ(tts->events[0].rssi_dbm, -90);
  ASSERT_EQ(tts->events[0].problems.size(), 1u);
  EXPECT_NE(tts->events[0].problems[0].message().find(
                "uplink_message.frm_payload: 12 is not a string"),
            absl::string_view::npos);
}

std::string Nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// About 200 kB of nested arrays where a value is expected used to take the
// agent down (nlohmann's dump() recursing once per level in the error
// message); deep documents are now refused by the SAX pass, before any DOM.
TEST(UntrustedJsonTest, DeepNestingIsRefusedBeforeAnyDocumentIsBuilt) {
  const std::string deep = Nested(100000);
  const std::vector<std::pair<MessageFormat, std::string>> messages = {
      {MessageFormat::kChirpStackV4,
       R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "object": )" + deep +
           "}"},
      {MessageFormat::kChirpStackV4,
       R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "fCnt": )" + deep +
           "}"},
      {MessageFormat::kHaltian, R"({"tsmId": )" + deep + "}"},
      {MessageFormat::kHaltian, deep},
      {MessageFormat::kTtsV3, deep},
      {MessageFormat::kChirpStackV3Json,
       R"({"devEUI": "qBdY//4DEqs=", "objectJSON": ")" + Nested(40) + R"("})"},
  };
  for (const auto& [format, payload] : messages) {
    const std::string topic = format == MessageFormat::kTtsV3
                                  ? "v3/a/devices/b/up"
                                  : "application/1/device/a/event/up";
    absl::StatusOr<ParsedMessage> parsed = ParseMessage(format, topic, payload);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kResourceExhausted)
        << parsed.status();
    EXPECT_NE(parsed.status().message().find("nested deeper than 32 levels"),
              absl::string_view::npos)
        << parsed.status();
    EXPECT_LT(parsed.status().message().size(), 300u);
    EXPECT_EQ(ProblemReason(parsed.status()), "too_deep");
  }
  // The limit is the caller's: 32 levels pass by default, 33 do not.
  const std::string at_limit =
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "object": )" +
      Nested(31) + "}";
  EXPECT_TRUE(ParseMessage(MessageFormat::kChirpStackV4,
                           "application/1/device/a/event/up", at_limit)
                  .ok());
  EXPECT_EQ(ParseMessage(MessageFormat::kChirpStackV4,
                         "application/1/device/a/event/up", at_limit, 8)
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
  const std::string over = R"({"object": )" + Nested(32) + "}";
  EXPECT_EQ(ParseJson(over).status().code(),
            absl::StatusCode::kResourceExhausted);
}

// Error messages quote a bounded, escaped excerpt of an untrusted value,
// never the value serialized.
TEST(UntrustedJsonTest, ErrorsQuoteABoundedEscapedExcerpt) {
  const std::string big(60000, 'x');
  absl::StatusOr<ParsedMessage> count = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up",
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "fCnt": [")" + big +
          R"("]})");
  EXPECT_EQ(count.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(count.status().message(),
            absl::StrCat("fCnt: [\"", std::string(63, 'x'),
                         "\"... is not an integer"));
  std::string many = "1";
  for (int i = 0; i < 10000; ++i) many += ",1";
  absl::StatusOr<ParsedMessage> wide = ParseMessage(
      MessageFormat::kChirpStackV4, "application/1/device/a/event/up",
      R"({"deviceInfo": {"devEui": "a81758fffe0312ab"}, "fCnt": [)" + many +
          "]}");
  EXPECT_LT(wide.status().message().size(), 200u) << wide.status();
  EXPECT_EQ(JsonExcerpt(Json::parse(R"({"a\u0001\u00e4": [1, true, null]})")),
            R"({"a\x01\xc3\xa4":[1,true,null]})");
  absl::StatusOr<Json> not_json = ParseJson("{\"time\": \x01\xff" + big);
  EXPECT_EQ(not_json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LT(not_json.status().message().size(), 300u);
  EXPECT_NE(not_json.status().message().find(" of 60011, starting "),
            absl::string_view::npos)
      << not_json.status();
  EXPECT_NE(not_json.status().message().find(R"(\x01\xff)"),
            absl::string_view::npos)
      << not_json.status();
  EXPECT_EQ(QuoteText(big),
            absl::StrCat("\"", std::string(64, 'x'), "\"... (60000 bytes)"));
}

// The Haltian IoT Stream API measurements (no tsmId): the Thingsee PRESENCE
// "Operation Guide" examples, on topics of the Stream API topic reference.
TEST(HaltianTest, HaltianIotMeasurements) {
  const std::string base = "haltian-iot/events/int-1/key-1/measurements/";
  const std::string device = "0b3f6a52-7a58-4c2f-9d55-6e8a7c3d2f10";
  absl::StatusOr<ParsedMessage> occupancy = ParseMessage(
      MessageFormat::kHaltian, base + "occupancyStatus/" + device,
      R"({"measured_at": "2026-01-28T08:52:11Z", "isOccupied": true})");
  ASSERT_TRUE(occupancy.ok()) << occupancy.status();
  ASSERT_EQ(occupancy->events.size(), 1u);
  EXPECT_EQ(occupancy->events[0].device, device);
  EXPECT_EQ(occupancy->events[0].ts_ms, Ms("2026-01-28T08:52:11Z"));
  EXPECT_EQ(occupancy->events[0].decoded->occupied, true);

  absl::StatusOr<ParsedMessage> battery = ParseMessage(
      MessageFormat::kHaltian, base + "batteryPercentage/" + device,
      R"({"measured_at": "2026-01-28T08:52:11Z", "batteryPercentage": 85})");
  ASSERT_TRUE(battery.ok()) << battery.status();
  ASSERT_EQ(battery->events.size(), 1u);
  EXPECT_EQ(battery->events[0].decoded->battery_percent, 85);
  EXPECT_FALSE(battery->events[0].decoded->HasState());

  absl::StatusOr<ParsedMessage> moves = ParseMessage(
      MessageFormat::kHaltian, base + "movementDetections/" + device,
      R"({"measured_at": "2026-01-28T08:52:11Z", "movementDetections": 7})");
  ASSERT_TRUE(moves.ok()) << moves.status();
  EXPECT_EQ(moves->events[0].decoded->motion_count, 7);

  // Other measurement types carry nothing for Monipaikka.
  absl::StatusOr<ParsedMessage> co2 =
      ParseMessage(MessageFormat::kHaltian, base + "CO2/" + device,
                   R"({"measured_at": "2026-01-28T08:52:11Z", "CO2": 612})");
  ASSERT_TRUE(co2.ok()) << co2.status();
  EXPECT_TRUE(co2->events.empty());
  EXPECT_EQ(co2->ignored, 1);

  // Counted, never silently dropped: a known type without its value, an
  // object with neither tsmId nor a measurement topic, an array element
  // without tsmId.
  EXPECT_EQ(
      ParseMessage(MessageFormat::kHaltian, base + "occupancyStatus/" + device,
                   R"({"measured_at": "2026-01-28T08:52:11Z"})")
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  absl::StatusOr<ParsedMessage> neither = ParseMessage(
      MessageFormat::kHaltian, "haltian/cloudext", R"({"state": 1})");
  EXPECT_EQ(neither.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(neither.status().message().find("no tsmId"),
            absl::string_view::npos);
  absl::StatusOr<ParsedMessage> array =
      ParseMessage(MessageFormat::kHaltian, "haltian/cloudext",
                   R"([{"tsmTuid": "TSPR04TSC20205001", "state": 1}])");
  ASSERT_TRUE(array.ok()) << array.status();
  ASSERT_EQ(array->problems.size(), 1u);
  EXPECT_EQ(array->problems[0].code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(array->problems[0].message(), "message[0].tsmId: is missing");
  EXPECT_EQ(
      ParseMessage(MessageFormat::kHaltian, base + "occupancyStatus/" + device,
                   R"({"isOccupied": "yes"})")
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
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
