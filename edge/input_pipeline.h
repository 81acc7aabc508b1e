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
// frame) is counted by reason and logged once per reason and device with the
// topic, and the rest of the message is used.
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
#include "edge/decode/codec.h"
#include "edge/decode/envelopes.h"
#include "edge/outbox.h"
#include "edge/reading.h"
#include "edge/served_sensor.h"

namespace monipaikka::edge {

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
  // unknown_payload, out_of_range, no_codec, wrong_kind.
  std::map<std::string, int64_t> problems;
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
                std::function<int64_t()> now_ms);

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
    std::string kind;
  };

  void HandleEvent(const UplinkEvent& event, Codec codec,
                   absl::string_view topic, int64_t received_ms);
  // The payload of `event` decoded, or a problem.
  absl::StatusOr<DecodedPayload> Decode(const UplinkEvent& event, Codec codec);
  // Counts `status` under its reason and logs it once per reason and device.
  void Problem(absl::string_view reason, const absl::Status& status,
               absl::string_view topic, absl::string_view device);
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
  absl::flat_hash_set<std::string> problems_logged_;
  InputCounters counters_;
  // The last commit found the outbox full (logged once per episode).
  bool outbox_full_ = false;
  std::function<void()> on_committed_;
};

// The key an id is matched by: a 16-hex-digit id (a DevEUI) in lower case,
// anything else as it is.
std::string MatchKey(absl::string_view id);

}  // namespace monipaikka::edge
