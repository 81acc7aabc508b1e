#pragma once

// The JSON messages network servers and gateways publish over MQTT, parsed
// into UplinkEvents: who sent it, when, its frame counter and signal, and
// either the raw frame or what was already decoded from it. Pure functions,
// no I/O.
//
// Formats (sources: the projects' own documentation of their MQTT
// integrations):
//  - chirpstack_v4: ChirpStack v4 integration events, topic
//    application/{application_id}/device/{dev_eui}/event/{up|status|...},
//    the protobuf JSON mapping of integration.UplinkEvent: deviceInfo.devEui
//    (hex), time (RFC 3339), fCnt, fPort, data (base64), object (decoded by
//    the device profile's codec), rxInfo[].rssi / .snr. `status` events carry
//    batteryLevel (%). Other event types are ignored.
//  - chirpstack_v3_json: ChirpStack Application Server v3 with the `json`
//    marshaler (protobuf JSON): devEUI base64, objectJSON a string holding
//    the decoded object, publishedAt, rxInfo[].rssi / .loRaSNR.
//  - chirpstack_v3_json_v3: the legacy `json_v3` marshaler: devEUI hex,
//    object, rxInfo[].time / .rssi / .loRaSNR.
//  - tts_v3: The Things Stack v3 uplink messages (v3/{app}/devices/{id}/up):
//    end_device_ids.dev_eui, received_at, uplink_message.{f_cnt, f_port,
//    frm_payload (base64), decoded_payload, rx_metadata[].rssi / .snr,
//    version_ids.brand_id / model_id}.
//  - haltian: Haltian Thingsee messages, one object or an array of them, with
//    tsmId, tsmTs (UTC seconds), tsmTuid (device id); tsmId 2100 (occupancy
//    state: state 0 vacant, 1 occupied) and 13100 (movement count:
//    moveCount) are used, other message ids are ignored; an element of an
//    array without tsmId is a problem (missing_field). Source: Haltian's
//    Thingsee message specification and the Thingsee PRESENCE uplink message
//    reference (developer.haltian.io).
//    Also the newer Haltian IoT Stream API measurements, one object without
//    tsmId on the topic
//    haltian-iot/events/{integration}/{api-key}/measurements/{type}/{device}:
//    the device is the topic's last segment, measured_at (RFC 3339) the
//    time, and the types occupancyStatus {"isOccupied": bool},
//    movementDetections {"movementDetections": n} and batteryPercentage
//    {"batteryPercentage": 0..100} are used; other types are ignored. Source:
//    the Thingsee PRESENCE "Operation Guide" and "Data Output" pages and the
//    Stream API topic reference (developer.haltian.io/haltian-iot). An
//    object with neither tsmId nor such a topic is a problem (missing_field).
// Fields that are zero or empty may be absent (the encoders omit them): they
// read as zero or empty.
//
// One bad field costs as little as it can: a raw frame that is not base64
// becomes a problem of its event (UplinkEvent::problems) and the rest of the
// uplink is used; one bad element of a Haltian array is a problem of the
// message. What leaves no device or no usable message is an error status.
// JSON is parsed with a nesting limit (json_fields.h): deeper documents are
// RESOURCE_EXHAUSTED before any DOM is built.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "edge/decode/json_fields.h"
#include "edge/decode/payload.h"

namespace monipaikka::edge {

enum class MessageFormat {
  kChirpStackV4,
  kChirpStackV3Json,
  kChirpStackV3JsonV3,
  kTtsV3,
  kHaltian,
};

// "chirpstack_v4", "chirpstack_v3_json", "chirpstack_v3_json_v3", "tts_v3",
// "haltian".
absl::StatusOr<MessageFormat> ParseMessageFormat(absl::string_view name);
absl::string_view MessageFormatName(MessageFormat format);

// One device's uplink.
struct UplinkEvent {
  // LoRaWAN: the DevEUI in lower-case hex. Haltian: tsmTuid as given.
  std::string device;
  // LoRaWAN frame counter (absent field: 0); none for Haltian.
  std::optional<uint32_t> f_cnt;
  int f_port = 0;
  // When the network server (or gateway) received it, UTC ms.
  std::optional<int64_t> ts_ms;
  // The raw frame, when the message carried one.
  std::optional<std::string> frame;
  // What the network server's codec decoded, if anything.
  std::optional<Json> object;
  // Decoded already by the format itself (Haltian, ChirpStack status).
  std::optional<DecodedPayload> decoded;
  // Strongest gateway reception.
  std::optional<int32_t> rssi_dbm;
  std::optional<double> snr_db;
  // The Things Stack device repository ids, when given.
  std::string brand_id;
  std::string model_id;
  // Problems with parts of this uplink (e.g. a frame that is not base64);
  // what else it carries is in the fields above.
  std::vector<absl::Status> problems;
};

struct ParsedMessage {
  std::vector<UplinkEvent> events;
  // Problems with parts of the message (e.g. one bad element of a Haltian
  // array); the good parts are in `events`.
  std::vector<absl::Status> problems;
  // Messages of a kind that carries nothing for Monipaikka (join events,
  // other Haltian message ids): not an error.
  int ignored = 0;
};

// Parses one MQTT message, its JSON (and a ChirpStack v3 objectJSON) nested
// at most `max_json_depth` levels. An error status means nothing could be
// used (e.g. not JSON, too deep, no device id).
absl::StatusOr<ParsedMessage> ParseMessage(
    MessageFormat format, absl::string_view topic, absl::string_view payload,
    int max_json_depth = kDefaultMaxJsonDepth);

// 16 hex digits in lower case, from hex in any case (INVALID_ARGUMENT
// otherwise).
absl::StatusOr<std::string> NormalizeDevEui(absl::string_view text);

}  // namespace monipaikka::edge
