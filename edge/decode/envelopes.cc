#include "edge/decode/envelopes.h"

#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka::edge {
namespace {

// The raw frame in `object[key]` (base64) into `event->frame`. A frame that
// is not a base64 string costs only the frame: it becomes a problem of the
// event, and the rest of the uplink (frame counter, signal, a decoded
// object) is used.
void ReadFrame(const Json& object, const char* key, absl::string_view path,
               UplinkEvent* event) {
  absl::StatusOr<std::optional<std::string>> text =
      StringField(object, key, path);
  if (!text.ok()) {
    event->problems.push_back(text.status());
    return;
  }
  if (!*text || (*text)->empty()) return;
  std::string bytes;
  if (!absl::Base64Unescape(**text, &bytes)) {
    event->problems.push_back(absl::InvalidArgumentError(
        absl::StrCat(path, key, ": ", QuoteText(**text),
                     " is not base64; the rest of the uplink is used")));
    return;
  }
  if (!bytes.empty()) event->frame = std::move(bytes);
}

absl::StatusOr<std::optional<int64_t>> TimeField(const Json& object,
                                                 const char* key,
                                                 absl::string_view path) {
  ASSIGN_OR_RETURN(std::optional<std::string> text,
                   StringField(object, key, path));
  if (!text || text->empty()) return std::optional<int64_t>();
  absl::StatusOr<int64_t> ms = ParseInstantMs(*text);
  if (!ms.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, key, ": ", QuoteText(*text),
                     " is not an RFC 3339 instant like 2026-03-23T07:15:00Z"));
  }
  return std::optional<int64_t>(*ms);
}

absl::StatusOr<uint32_t> FrameCounter(const Json& object, const char* key,
                                      absl::string_view path) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value, IntField(object, key, path));
  const int64_t count = value.value_or(0);
  if (count < 0 || count > std::numeric_limits<uint32_t>::max()) {
    return absl::OutOfRangeError(
        absl::StrCat(path, key, ": ", count, " is not a 32-bit frame counter"));
  }
  return static_cast<uint32_t>(count);
}

absl::StatusOr<int> Port(const Json& object, const char* key,
                         absl::string_view path) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value, IntField(object, key, path));
  const int64_t port = value.value_or(0);
  if (port < 0 || port > 255) {
    return absl::OutOfRangeError(
        absl::StrCat(path, key, ": ", port, " is not a port 0..255"));
  }
  return static_cast<int>(port);
}

// The strongest reception in a gateway metadata array (`array_key` in
// `object`), reading `rssi_key` and `snr_key` of each entry.
absl::Status ReadSignal(const Json& object, const char* array_key,
                        const char* rssi_key, const char* snr_key,
                        UplinkEvent* event) {
  const Json* array = Member(object, array_key);
  if (array == nullptr) return absl::OkStatus();
  if (!array->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(array_key, ": is not an array"));
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const Json& entry = (*array)[i];
    const std::string path = absl::StrCat(array_key, "[", i, "].");
    ASSIGN_OR_RETURN(std::optional<double> rssi,
                     NumberField(entry, rssi_key, path));
    ASSIGN_OR_RETURN(std::optional<double> snr,
                     NumberField(entry, snr_key, path));
    const double r = rssi.value_or(0);
    if (!std::isfinite(r) || r < -1000 || r > 1000) {
      return absl::OutOfRangeError(
          absl::StrCat(path, rssi_key, ": ", r, " is not an RSSI in dBm"));
    }
    const int32_t rounded = static_cast<int32_t>(std::lround(r));
    if (!event->rssi_dbm || rounded > *event->rssi_dbm) {
      event->rssi_dbm = rounded;
      event->snr_db = snr.value_or(0);
    }
  }
  return absl::OkStatus();
}

// The {dev_eui} segment of "application/{app}/device/{dev_eui}/event/{type}".
absl::string_view TopicSegmentAfter(absl::string_view topic,
                                    absl::string_view marker) {
  std::vector<absl::string_view> parts = absl::StrSplit(topic, '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == marker) return parts[i + 1];
  }
  return {};
}

absl::StatusOr<Json> ParseObjectJson(absl::string_view payload, int max_depth) {
  absl::StatusOr<Json> document = ParseJson(payload, max_depth);
  if (!document.ok()) return document.status();
  if (!document->is_object()) {
    return absl::InvalidArgumentError("message: is not a JSON object");
  }
  return document;
}

absl::StatusOr<ParsedMessage> ParseChirpStackV4(absl::string_view topic,
                                                absl::string_view payload,
                                                int max_depth) {
  ParsedMessage result;
  const bool status_event = absl::EndsWith(topic, "/event/status");
  if (!absl::EndsWith(topic, "/event/up") && !status_event) {
    result.ignored = 1;  // join, ack, txack, log, location, integration
    return result;
  }
  ASSIGN_OR_RETURN(Json message, ParseObjectJson(payload, max_depth));
  UplinkEvent event;
  std::optional<std::string> dev_eui;
  if (const Json* info = Member(message, "deviceInfo")) {
    ASSIGN_OR_RETURN(dev_eui, StringField(*info, "devEui", "deviceInfo."));
  }
  if (!dev_eui || dev_eui->empty()) {
    absl::string_view from_topic = TopicSegmentAfter(topic, "device");
    if (from_topic.empty()) {
      return absl::NotFoundError("deviceInfo.devEui: is missing");
    }
    dev_eui = std::string(from_topic);
  }
  ASSIGN_OR_RETURN(event.device, NormalizeDevEui(*dev_eui));
  ASSIGN_OR_RETURN(event.ts_ms, TimeField(message, "time", ""));
  if (status_event) {
    ASSIGN_OR_RETURN(std::optional<double> level,
                     NumberField(message, "batteryLevel", ""));
    ASSIGN_OR_RETURN(std::optional<int64_t> margin,
                     IntField(message, "margin", ""));
    (void)margin;
    DecodedPayload decoded;
    // Absent: 0, which ChirpStack also sends when the device does not know.
    const double percent = level.value_or(0);
    if (!std::isfinite(percent) || percent < 0 || percent > 100) {
      return absl::OutOfRangeError(
          absl::StrCat("batteryLevel: ", percent, " is not 0..100 %"));
    }
    if (percent > 0) {
      decoded.battery_percent = static_cast<int32_t>(std::lround(percent));
    }
    event.decoded = decoded;
    result.events.push_back(std::move(event));
    return result;
  }
  ASSIGN_OR_RETURN(event.f_cnt, FrameCounter(message, "fCnt", ""));
  ASSIGN_OR_RETURN(event.f_port, Port(message, "fPort", ""));
  ReadFrame(message, "data", "", &event);
  if (const Json* object = Member(message, "object")) event.object = *object;
  RETURN_IF_ERROR(ReadSignal(message, "rxInfo", "rssi", "snr", &event));
  if (!event.ts_ms) {
    // Not time-synchronised: the first gateway's or the network server's
    // reception time.
    if (const Json* rx = Member(message, "rxInfo");
        rx != nullptr && rx->is_array() && !rx->empty()) {
      ASSIGN_OR_RETURN(event.ts_ms,
                       TimeField((*rx)[0], "gwTime", "rxInfo[0]."));
      if (!event.ts_ms) {
        ASSIGN_OR_RETURN(event.ts_ms,
                         TimeField((*rx)[0], "nsTime", "rxInfo[0]."));
      }
    }
  }
  result.events.push_back(std::move(event));
  return result;
}

absl::StatusOr<ParsedMessage> ParseChirpStackV3(bool json_v3,
                                                absl::string_view topic,
                                                absl::string_view payload,
                                                int max_depth) {
  ParsedMessage result;
  if (!absl::EndsWith(topic, "/event/up") && !absl::EndsWith(topic, "/rx")) {
    result.ignored = 1;
    return result;
  }
  ASSIGN_OR_RETURN(Json message, ParseObjectJson(payload, max_depth));
  UplinkEvent event;
  ASSIGN_OR_RETURN(std::optional<std::string> dev_eui,
                   StringField(message, "devEUI", ""));
  if (!dev_eui || dev_eui->empty()) {
    return absl::NotFoundError("devEUI: is missing");
  }
  if (json_v3) {
    ASSIGN_OR_RETURN(event.device, NormalizeDevEui(*dev_eui));
  } else {
    std::string bytes;
    if (!absl::Base64Unescape(*dev_eui, &bytes) || bytes.size() != 8) {
      return absl::InvalidArgumentError(
          absl::StrCat("devEUI: ", QuoteText(*dev_eui),
                       " is not 8 bytes in base64 (json marshaler)"));
    }
    event.device = absl::BytesToHexString(bytes);
  }
  ASSIGN_OR_RETURN(event.f_cnt, FrameCounter(message, "fCnt", ""));
  ASSIGN_OR_RETURN(event.f_port, Port(message, "fPort", ""));
  ReadFrame(message, "data", "", &event);
  if (json_v3) {
    if (const Json* object = Member(message, "object")) event.object = *object;
  } else {
    ASSIGN_OR_RETURN(std::optional<std::string> object_json,
                     StringField(message, "objectJSON", ""));
    if (object_json && !object_json->empty()) {
      absl::StatusOr<Json> object = ParseJson(*object_json, max_depth);
      if (!object.ok()) {
        return absl::Status(
            object.status().code(),
            absl::StrCat("objectJSON: ", object.status().message()));
      }
      event.object = *std::move(object);
    }
    ASSIGN_OR_RETURN(event.ts_ms, TimeField(message, "publishedAt", ""));
  }
  RETURN_IF_ERROR(ReadSignal(message, "rxInfo", "rssi", "loRaSNR", &event));
  if (!event.ts_ms) {
    if (const Json* rx = Member(message, "rxInfo");
        rx != nullptr && rx->is_array() && !rx->empty()) {
      ASSIGN_OR_RETURN(event.ts_ms, TimeField((*rx)[0], "time", "rxInfo[0]."));
    }
  }
  result.events.push_back(std::move(event));
  return result;
}

absl::StatusOr<ParsedMessage> ParseTtsV3(absl::string_view topic,
                                         absl::string_view payload,
                                         int max_depth) {
  ParsedMessage result;
  if (!absl::EndsWith(topic, "/up")) {
    result.ignored = 1;  // join, down/*, service/data, location/solved
    return result;
  }
  ASSIGN_OR_RETURN(Json message, ParseObjectJson(payload, max_depth));
  UplinkEvent event;
  const Json* ids = Member(message, "end_device_ids");
  std::optional<std::string> dev_eui;
  if (ids != nullptr) {
    ASSIGN_OR_RETURN(dev_eui, StringField(*ids, "dev_eui", "end_device_ids."));
  }
  if (!dev_eui || dev_eui->empty()) {
    return absl::NotFoundError("end_device_ids.dev_eui: is missing");
  }
  ASSIGN_OR_RETURN(event.device, NormalizeDevEui(*dev_eui));
  const Json* uplink = Member(message, "uplink_message");
  if (uplink == nullptr) {
    return absl::NotFoundError("uplink_message: is missing");
  }
  if (!uplink->is_object()) {
    return absl::InvalidArgumentError("uplink_message: is not an object");
  }
  ASSIGN_OR_RETURN(event.f_cnt,
                   FrameCounter(*uplink, "f_cnt", "uplink_message."));
  ASSIGN_OR_RETURN(event.f_port, Port(*uplink, "f_port", "uplink_message."));
  ReadFrame(*uplink, "frm_payload", "uplink_message.", &event);
  if (const Json* object = Member(*uplink, "decoded_payload")) {
    event.object = *object;
  }
  RETURN_IF_ERROR(ReadSignal(*uplink, "rx_metadata", "rssi", "snr", &event));
  ASSIGN_OR_RETURN(event.ts_ms,
                   TimeField(*uplink, "received_at", "uplink_message."));
  if (!event.ts_ms) {
    ASSIGN_OR_RETURN(event.ts_ms, TimeField(message, "received_at", ""));
  }
  if (const Json* version = Member(*uplink, "version_ids")) {
    ASSIGN_OR_RETURN(std::optional<std::string> brand,
                     StringField(*version, "brand_id", "version_ids."));
    ASSIGN_OR_RETURN(std::optional<std::string> model,
                     StringField(*version, "model_id", "version_ids."));
    event.brand_id = brand.value_or("");
    event.model_id = model.value_or("");
  }
  result.events.push_back(std::move(event));
  return result;
}

// One Thingsee message; nullopt for message ids Monipaikka does not use.
absl::StatusOr<std::optional<UplinkEvent>> ParseThingsee(
    const Json& message, absl::string_view path) {
  if (!message.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is not a JSON object"));
  }
  const std::string prefix = absl::StrCat(path, ".");
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   IntField(message, "tsmId", prefix));
  if (!id) {
    return absl::NotFoundError(absl::StrCat(prefix, "tsmId: is missing"));
  }
  if (id != 2100 && id != 13100) return std::optional<UplinkEvent>();
  UplinkEvent event;
  ASSIGN_OR_RETURN(std::optional<std::string> tuid,
                   StringField(message, "tsmTuid", prefix));
  if (!tuid || tuid->empty()) {
    return absl::NotFoundError(absl::StrCat(prefix, "tsmTuid: is missing"));
  }
  event.device = *tuid;
  ASSIGN_OR_RETURN(std::optional<double> ts,
                   NumberField(message, "tsmTs", prefix));
  if (ts) {
    if (!std::isfinite(*ts) || *ts < 0 || *ts > 1e11) {
      return absl::OutOfRangeError(
          absl::StrCat(prefix, "tsmTs: ", *ts, " is not UTC seconds"));
    }
    event.ts_ms = static_cast<int64_t>(std::llround(*ts * 1000));
  }
  DecodedPayload decoded;
  if (id == 2100) {
    ASSIGN_OR_RETURN(std::optional<int64_t> state,
                     IntField(message, "state", prefix));
    const int64_t value = state.value_or(0);
    if (value != 0 && value != 1) {
      return absl::OutOfRangeError(
          absl::StrCat(prefix, "state: ", value, " is not 0 or 1"));
    }
    decoded.occupied = value == 1;
  } else {
    ASSIGN_OR_RETURN(std::optional<int64_t> moves,
                     IntField(message, "moveCount", prefix));
    const int64_t value = moves.value_or(0);
    if (value < 0 || value > std::numeric_limits<int32_t>::max()) {
      return absl::OutOfRangeError(
          absl::StrCat(prefix, "moveCount: ", value, " is out of range"));
    }
    decoded.motion_count = static_cast<int32_t>(value);
  }
  event.decoded = decoded;
  return std::optional<UplinkEvent>(std::move(event));
}

// The Haltian IoT measurement types Monipaikka uses and their value field.
constexpr std::pair<absl::string_view, const char*> kHaltianMeasurements[] = {
    {"occupancyStatus", "isOccupied"},
    {"movementDetections", "movementDetections"},
    {"batteryPercentage", "batteryPercentage"},
};

// One Haltian IoT Stream API measurement (no tsmId): the topic
// ".../measurements/{type}/{device-uuid}" names the type and the device, the
// payload holds measured_at and the value. nullopt for other measurement
// types.
absl::StatusOr<std::optional<UplinkEvent>> ParseHaltianMeasurement(
    const Json& message, absl::string_view topic) {
  std::vector<absl::string_view> parts = absl::StrSplit(topic, '/');
  absl::string_view type;
  absl::string_view device;
  for (size_t i = 0; i + 2 < parts.size(); ++i) {
    if (parts[i] == "measurements") {
      type = parts[i + 1];
      device = parts[i + 2];
      break;
    }
  }
  if (device.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "message: has no tsmId (Thingsee message), and the topic ",
        QuoteText(topic),
        " is not .../measurements/{type}/{device} (Haltian IoT measurement)"));
  }
  UplinkEvent event;
  event.device = std::string(device);
  ASSIGN_OR_RETURN(event.ts_ms, TimeField(message, "measured_at", ""));
  DecodedPayload decoded;
  bool known_type = false;
  for (const auto& [name, field] : kHaltianMeasurements) {
    known_type = known_type || type == name;
  }
  if (const Json* occupied = Member(message, "isOccupied")) {
    if (!occupied->is_boolean()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "isOccupied: ", JsonExcerpt(*occupied), " is not true or false"));
    }
    decoded.occupied = occupied->get<bool>();
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> moves,
                   IntField(message, "movementDetections", ""));
  if (moves) {
    if (*moves < 0 || *moves > std::numeric_limits<int32_t>::max()) {
      return absl::OutOfRangeError(
          absl::StrCat("movementDetections: ", *moves, " is out of range"));
    }
    decoded.motion_count = static_cast<int32_t>(*moves);
  }
  ASSIGN_OR_RETURN(std::optional<double> battery,
                   NumberField(message, "batteryPercentage", ""));
  if (battery) {
    if (!std::isfinite(*battery) || *battery < 0 || *battery > 100) {
      return absl::OutOfRangeError(
          absl::StrCat("batteryPercentage: ", *battery, " is not 0..100 %"));
    }
    decoded.battery_percent = static_cast<int32_t>(std::lround(*battery));
  }
  if (!decoded.HasState() && !decoded.HasHealth()) {
    if (!known_type) return std::optional<UplinkEvent>();  // e.g. CO2
    for (const auto& [name, field] : kHaltianMeasurements) {
      if (type == name) {
        return absl::NotFoundError(absl::StrCat(
            "message: a Haltian IoT ", name, " measurement without ", field));
      }
    }
  }
  event.decoded = decoded;
  return std::optional<UplinkEvent>(std::move(event));
}

absl::StatusOr<ParsedMessage> ParseHaltian(absl::string_view topic,
                                           absl::string_view payload,
                                           int max_depth) {
  ASSIGN_OR_RETURN(Json document, ParseJson(payload, max_depth));
  ParsedMessage result;
  if (document.is_object()) {
    absl::StatusOr<std::optional<UplinkEvent>> event =
        Member(document, "tsmId") != nullptr
            ? ParseThingsee(document, "message")
            : ParseHaltianMeasurement(document, topic);
    if (!event.ok()) return event.status();
    if (*event) {
      result.events.push_back(**std::move(event));
    } else {
      ++result.ignored;
    }
    return result;
  }
  if (!document.is_array()) {
    return absl::InvalidArgumentError(
        "message: is neither a Thingsee message, an array of them, nor a "
        "Haltian IoT measurement");
  }
  for (size_t i = 0; i < document.size(); ++i) {
    absl::StatusOr<std::optional<UplinkEvent>> event =
        ParseThingsee(document[i], absl::StrCat("message[", i, "]"));
    if (!event.ok()) {
      result.problems.push_back(event.status());
    } else if (*event) {
      result.events.push_back(**std::move(event));
    } else {
      ++result.ignored;
    }
  }
  return result;
}

}  // namespace

absl::StatusOr<MessageFormat> ParseMessageFormat(absl::string_view name) {
  if (name == "chirpstack_v4") return MessageFormat::kChirpStackV4;
  if (name == "chirpstack_v3_json") return MessageFormat::kChirpStackV3Json;
  if (name == "chirpstack_v3_json_v3")
    return MessageFormat::kChirpStackV3JsonV3;
  if (name == "tts_v3") return MessageFormat::kTtsV3;
  if (name == "haltian") return MessageFormat::kHaltian;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", name,
                   "\" is not a format (chirpstack_v4, chirpstack_v3_json, "
                   "chirpstack_v3_json_v3, tts_v3, haltian)"));
}

absl::string_view MessageFormatName(MessageFormat format) {
  switch (format) {
    case MessageFormat::kChirpStackV4:
      return "chirpstack_v4";
    case MessageFormat::kChirpStackV3Json:
      return "chirpstack_v3_json";
    case MessageFormat::kChirpStackV3JsonV3:
      return "chirpstack_v3_json_v3";
    case MessageFormat::kTtsV3:
      return "tts_v3";
    case MessageFormat::kHaltian:
      return "haltian";
  }
  return "unknown";
}

absl::StatusOr<std::string> NormalizeDevEui(absl::string_view text) {
  if (text.size() != 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("DevEUI ", QuoteText(text), " is not 16 hex digits"));
  }
  std::string out(text);
  for (char& c : out) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          absl::StrCat("DevEUI ", QuoteText(text), " is not 16 hex digits"));
    }
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

absl::StatusOr<ParsedMessage> ParseMessage(MessageFormat format,
                                           absl::string_view topic,
                                           absl::string_view payload,
                                           int max_json_depth) {
  switch (format) {
    case MessageFormat::kChirpStackV4:
      return ParseChirpStackV4(topic, payload, max_json_depth);
    case MessageFormat::kChirpStackV3Json:
      return ParseChirpStackV3(false, topic, payload, max_json_depth);
    case MessageFormat::kChirpStackV3JsonV3:
      return ParseChirpStackV3(true, topic, payload, max_json_depth);
    case MessageFormat::kTtsV3:
      return ParseTtsV3(topic, payload, max_json_depth);
    case MessageFormat::kHaltian:
      return ParseHaltian(topic, payload, max_json_depth);
  }
  return absl::InvalidArgumentError("unknown message format");
}

}  // namespace monipaikka::edge
