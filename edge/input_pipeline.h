#pragma once

// Turns what the sensor inputs receive (MQTT messages from network servers,
// lines from simple devices and bridges) into readings for the gateway's
// known sensors, and queues them in the outbox.
//
// For each message: parse the envelope (decode/envelopes.h), find the device
// among the sensors the gateway serves, decode its payload (the format's own
// decoding, a configured codec on the raw frame, the network server's
// decoded object, or a codec chosen by The Things Stack device repository
// ids), give it a sequence number (sequence_numbers.h), and make a reading
// according to the sensor's kind:
//   desk_presence, room_presence  occupied; else count > 0; else PIR
//                                 detections > 0
//   area_count                    count
//   people_counter                in/out crossings since the previous
//                                 reading (period counts as they are, running
//                                 totals as differences of consecutive
//                                 totals; a total that went down means the
//                                 device reset it and counts from 0); else
//                                 count
// Battery and signal go along as health; an uplink with health but nothing
// about occupancy becomes a health-only row, so "last seen" stays true.
//
// Nothing here throws away a good reading because of a bad neighbour: each
// problem (malformed JSON, a missing field, an unknown payload, a truncated
// frame, an out-of-range value, an unknown device, no codec, a duplicate
// frame, a payload over the size limit, JSON nested too deep) is counted by
// reason and logged with the topic and an identification (the sensor, else
// the device named by the topic, else the topic or line source), and the
// rest of the message is used. A message that cannot be used at all is
// still consumed: the MQTT input acknowledges it with its burst, so the
// broker never redelivers it and the messages behind it go on.
//
// Untrusted size. A payload longer than InputLimits::max_payload_bytes is
// rejected (too_large) before it is parsed; JSON nested deeper than
// InputLimits::max_json_depth is rejected (too_deep) by a SAX pass before
// any DOM is built (decode/json_fields.h).
//
// Problem logging is rate limited per (reason, identification): the first
// occurrence is logged at once, further ones at most once a minute, each
// line saying how many were not logged since the previous one
// ("suppressed"); all lines together at most kProblemLogBurst at once and
// kProblemLogPerSecond on average, so one noisy source neither floods the
// log nor hides the others.
//
// Durability: Handle*() only queue in memory; Commit() appends everything
// queued to the outbox in one transaction together with the device state
// (frame counters, last totals). Inputs acknowledge to their senders only
// after Commit() succeeded (see mqtt_client.h, line_listener.h).
//
// Thread safety: belongs to the agent's io_context thread.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/vocabulary.h"
#include "edge/decode/codec.h"
#include "edge/decode/envelopes.h"
#include "edge/outbox.h"
#include "edge/reading.h"
#include "edge/served_sensor.h"

namespace monipaikka::edge {

// Problem logging (see above): one line per (reason, identification) per
// interval; the bucket of all lines.
inline constexpr int64_t kProblemLogIntervalMs = 60 * 1000;
inline constexpr double kProblemLogBurst = 100;
inline constexpr double kProblemLogPerSecond = 10;

// Limits on what one MQTT message may cost (flags --mqtt_max_payload_bytes
// and --mqtt_max_json_depth; the agent accepts a payload limit within
// kMinMqttPayloadLimit..kMaxMqttPayloadLimit and a depth within
// 2..kMaxJsonDepthLimit).
inline constexpr size_t kMinMqttPayloadLimit = 1024;
inline constexpr size_t kMaxMqttPayloadLimit = size_t{256} << 20;
struct InputLimits {
  size_t max_payload_bytes = 64 * 1024;
  int max_json_depth = kDefaultMaxJsonDepth;
};

struct InputCounters {
  // MQTT messages and protocol lines received.
  int64_t messages = 0;
  // Device uplinks found in them (a Haltian message may hold several).
  int64_t uplinks = 0;
  // Rows queued: with an occupancy state, and with health only.
  int64_t readings = 0;
  int64_t health_only = 0;
  // Uplinks dropped as the same frame again, and older frames arriving late
  // (forwarded; the server keeps what is new).
  int64_t duplicate_frames = 0;
  int64_t late_frames = 0;
  // Messages with nothing for Monipaikka (join events, other Thingsee
  // messages, device-information frames).
  int64_t ignored = 0;
  // Uplinks of devices the gateway does not serve, and how many devices
  // (each logged once; counted up to 100,000 distinct devices).
  int64_t unknown_device_uplinks = 0;
  int64_t unknown_devices = 0;
  // Problems by reason: malformed, missing_field, truncated_frame,
  // unknown_payload, out_of_range, no_codec, wrong_kind, too_large,
  // too_deep.
  std::map<std::string, int64_t> problems;
  // Problem log lines written, and problems not logged by the rate limit.
  int64_t problem_lines = 0;
  int64_t problem_lines_suppressed = 0;
  // Commits to the outbox.
  int64_t commits = 0;
  // Rows (readings and health-only) dropped because the outbox was full,
  // and lines refused for it.
  int64_t dropped_outbox_full = 0;
};

class InputPipeline {
 public:
  // `outbox` must outlive the pipeline. `device_codecs` maps a device id
  // (DevEUI in any case, or another external id) to the codec of its raw
  // frames, overriding the subscription's. `now_ms` is the clock (UTC ms).
  InputPipeline(Outbox* outbox, std::map<std::string, Codec> device_codecs,
                std::function<int64_t()> now_ms, InputLimits limits = {});

  // Loads the device state (frame counters, totals) from the outbox.
  absl::Status Init();

  // The sensors the gateway serves; uplinks of others are not forwarded.
  void SetServedSensors(const std::vector<ServedSensor>& sensors);
  size_t served_sensors() const { return sensors_.size(); }

  // One MQTT message received on a subscription with `format` and default
  // `codec`.
  void HandleMqttMessage(MessageFormat format, Codec codec,
                         absl::string_view topic, absl::string_view payload);
  // One line of the line protocol (decode/line_protocol.h) from `source`
  // (e.g. "udp:127.0.0.1:5000"). OK when queued or blank; otherwise the
  // problem (also counted and logged), for a reply to the sender; while the
  // outbox is full that is RESOURCE_EXHAUSTED "outbox full: …".
  absl::Status HandleLine(absl::string_view line, absl::string_view source);

  // Appends what is queued to the outbox in one transaction. When the
  // outbox is full (its disk budget used up) the queued rows are dropped and
  // counted, the device state is still written, and the result is OK: the
  // inputs acknowledge and move on rather than stall their senders. On any
  // other failure nothing was written; the queue is kept and the caller must
  // not acknowledge (the agent stops).
  absl::Status Commit();
  size_t pending() const { return pending_.size(); }

  // Called after each Commit() that wrote rows.
  void set_on_committed(std::function<void()> on_committed) {
    on_committed_ = std::move(on_committed);
  }

  const InputCounters& counters() const { return counters_; }

 private:
  struct Sensor {
    std::string external_id;
    // Parsed once from the served text; std::nullopt when the server serves
    // a kind this agent does not know (a newer server): no decoded payload
    // then gives it a presence, count or flow state.
    std::optional<SensorKind> kind;
    std::string kind_name;  // the served text, for messages
  };

  void HandleEvent(const UplinkEvent& event, Codec codec,
                   absl::string_view topic, int64_t received_ms);
  // The payload of `event` decoded, or a problem.
  absl::StatusOr<DecodedPayload> Decode(const UplinkEvent& event, Codec codec);
  // Counts `status` under its reason and logs it, rate limited per reason
  // and `source` (a sensor or device id; empty: the topic).
  void Problem(absl::string_view reason, const absl::Status& status,
               absl::string_view topic, absl::string_view source);
  // The device state, pending changes included.
  DeviceState& State(const std::string& sensor);

  Outbox* const outbox_;
  const std::function<int64_t()> now_ms_;
  // Keyed by MatchKey() of the id.
  absl::flat_hash_map<std::string, Codec> device_codecs_;
  absl::flat_hash_map<std::string, Sensor> sensors_;
  // Committed state, and the states changed since the last commit.
  absl::flat_hash_map<std::string, DeviceState> states_;
  absl::flat_hash_map<std::string, DeviceState> pending_states_;
  std::vector<Reading> pending_;
  absl::flat_hash_set<std::string> unknown_seen_;
  // Per (reason, source): when a line was last written, and how many
  // problems were not logged since.
  struct ProblemLogState {
    int64_t logged_ms = 0;
    int64_t suppressed = 0;
  };
  absl::flat_hash_map<std::string, ProblemLogState> problem_log_;
  // The token bucket of all problem lines.
  double problem_log_tokens_;
  int64_t problem_log_refilled_ms_ = 0;
  const InputLimits limits_;
  InputCounters counters_;
  // The last commit found the outbox full (logged once per episode).
  bool outbox_full_ = false;
  std::function<void()> on_committed_;
};

// The device a topic names, if any: the segment after "device" (ChirpStack),
// "devices" (The Things Stack) or "measurements/{type}" (Haltian IoT).
absl::string_view DeviceFromTopic(absl::string_view topic);

// The key an id is matched by: a 16-hex-digit id (a DevEUI) in lower case,
// anything else as it is.
std::string MatchKey(absl::string_view id);

}  // namespace monipaikka::edge
