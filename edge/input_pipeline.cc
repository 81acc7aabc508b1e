#include "edge/input_pipeline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/log.h"
#include "edge/decode/line_protocol.h"
#include "edge/decode/network_object.h"
#include "edge/sequence_numbers.h"

namespace monipaikka::edge {
namespace {

// Distinct (reason, source) pairs remembered for rate limiting, and unknown
// devices remembered for logging once; bounded memory whatever arrives.
constexpr size_t kMaxProblemSources = 10000;
constexpr size_t kMaxUnknownDevices = 100000;

absl::Span<const uint8_t> Bytes(const std::string& frame) {
  return absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(frame.data()),
                             frame.size());
}

}  // namespace

absl::string_view DeviceFromTopic(absl::string_view topic) {
  std::vector<absl::string_view> parts = absl::StrSplit(topic, '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "device" || parts[i] == "devices") return parts[i + 1];
    if (parts[i] == "measurements" && i + 2 < parts.size()) {
      return parts[i + 2];
    }
  }
  return {};
}

std::string MatchKey(absl::string_view id) {
  if (id.size() == 16) {
    bool hex = true;
    for (char c : id)
      hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
    if (hex) return absl::AsciiStrToLower(id);
  }
  return std::string(id);
}

InputPipeline::InputPipeline(Outbox* outbox,
                             std::map<std::string, Codec> device_codecs,
                             std::function<int64_t()> now_ms,
                             InputLimits limits)
    : outbox_(outbox),
      now_ms_(std::move(now_ms)),
      problem_log_tokens_(kProblemLogBurst),
      limits_(limits) {
  for (const auto& [id, codec] : device_codecs) {
    device_codecs_[MatchKey(id)] = codec;
  }
}

absl::Status InputPipeline::Init() {
  absl::StatusOr<std::vector<std::pair<std::string, DeviceState>>> states =
      outbox_->LoadDeviceStates();
  if (!states.ok()) return states.status();
  for (auto& [sensor, state] : *states) states_[sensor] = state;
  return absl::OkStatus();
}

void InputPipeline::SetServedSensors(const std::vector<ServedSensor>& sensors) {
  sensors_.clear();
  for (const ServedSensor& sensor : sensors) {
    sensors_[MatchKey(sensor.external_id)] =
        Sensor{sensor.external_id, ParseSensorKind(sensor.kind), sensor.kind};
  }
}

DeviceState& InputPipeline::State(const std::string& sensor) {
  auto pending = pending_states_.find(sensor);
  if (pending != pending_states_.end()) return pending->second;
  auto committed = states_.find(sensor);
  DeviceState& state = pending_states_[sensor];
  if (committed != states_.end()) state = committed->second;
  return state;
}

void InputPipeline::Problem(absl::string_view reason,
                            const absl::Status& status, absl::string_view topic,
                            absl::string_view source) {
  ++counters_.problems[std::string(reason)];
  // Whole-message problems: the device the topic names, else the topic
  // itself (a line protocol source), cut: it comes from outside.
  if (source.empty()) source = DeviceFromTopic(topic);
  if (source.empty()) source = topic;
  source = source.substr(0, 128);
  const int64_t now = now_ms_();
  // Refill the bucket of all lines.
  if (now > problem_log_refilled_ms_) {
    problem_log_tokens_ =
        std::min(kProblemLogBurst,
                 problem_log_tokens_ + (now - problem_log_refilled_ms_) *
                                           kProblemLogPerSecond / 1000.0);
    problem_log_refilled_ms_ = now;
  }
  std::string key = absl::StrCat(reason, "|", source);
  auto it = problem_log_.find(key);
  if (it == problem_log_.end()) {
    if (problem_log_.size() >= kMaxProblemSources) {
      // Forget the sources whose interval is over (they would be logged
      // at once anyway); if none, all new sources share one entry per
      // reason.
      absl::erase_if(problem_log_, [&](const auto& entry) {
        return now - entry.second.logged_ms >= kProblemLogIntervalMs &&
               entry.second.suppressed == 0;
      });
      if (problem_log_.size() >= kMaxProblemSources) {
        key = absl::StrCat(reason, "|*");
      }
    }
    it = problem_log_
             .try_emplace(key, ProblemLogState{now - kProblemLogIntervalMs, 0})
             .first;
  }
  ProblemLogState& state = it->second;
  if (now - state.logged_ms < kProblemLogIntervalMs ||
      problem_log_tokens_ < 1) {
    ++state.suppressed;
    ++counters_.problem_lines_suppressed;
    return;
  }
  problem_log_tokens_ -= 1;
  ++counters_.problem_lines;
  Log(LogLevel::kWarning, "input_problem",
      {{"reason", reason},
       {"topic", topic.substr(0, 256)},
       {"device", source},
       {"error", status.message()},
       {"suppressed", state.suppressed},
       {"note",
        "at most one line a minute per reason and device; suppressed: not "
        "logged since the previous line; see the status line"}});
  state.logged_ms = now;
  state.suppressed = 0;
}

void InputPipeline::HandleMqttMessage(MessageFormat format, Codec codec,
                                      absl::string_view topic,
                                      absl::string_view payload) {
  ++counters_.messages;
  const int64_t received_ms = now_ms_();
  if (payload.size() > limits_.max_payload_bytes) {
    // Not parsed at all; consumed (acknowledged with its burst).
    Problem(
        "too_large",
        absl::ResourceExhaustedError(absl::StrCat(
            "payload: ", payload.size(), " bytes is over the limit of ",
            limits_.max_payload_bytes, " (--mqtt_max_payload_bytes); starting ",
            QuoteText(payload.substr(0, 24)))),
        topic, "");
    return;
  }
  absl::StatusOr<ParsedMessage> parsed =
      ParseMessage(format, topic, payload, limits_.max_json_depth);
  if (!parsed.ok()) {
    Problem(ProblemReason(parsed.status()), parsed.status(), topic, "");
    return;
  }
  counters_.ignored += parsed->ignored;
  for (const absl::Status& problem : parsed->problems) {
    Problem(ProblemReason(problem), problem, topic, "");
  }
  for (const UplinkEvent& event : parsed->events) {
    HandleEvent(event, codec, topic, received_ms);
  }
}

absl::StatusOr<DecodedPayload> InputPipeline::Decode(const UplinkEvent& event,
                                                     Codec codec) {
  if (event.decoded) return *event.decoded;
  auto configured = device_codecs_.find(event.device);
  if (configured != device_codecs_.end()) codec = configured->second;
  if (codec != Codec::kAuto && event.frame) {
    return DecodeFrame(codec, Bytes(*event.frame));
  }
  if (event.object) return FromNetworkObject(*event.object);
  if (event.frame) {
    std::optional<Codec> repository =
        CodecForDeviceRepository(event.brand_id, event.model_id);
    if (repository) return DecodeFrame(*repository, Bytes(*event.frame));
    return absl::FailedPreconditionError(
        absl::StrCat("no codec for the raw frame of device ", event.device,
                     ": set the subscription's or the device's codec"));
  }
  return DecodedPayload{};  // e.g. a MAC-only uplink (fPort 0, no data)
}

void InputPipeline::HandleEvent(const UplinkEvent& event, Codec codec,
                                absl::string_view topic, int64_t received_ms) {
  ++counters_.uplinks;
  auto known = sensors_.find(MatchKey(event.device));
  if (known == sensors_.end()) {
    ++counters_.unknown_device_uplinks;
    if (unknown_seen_.size() < kMaxUnknownDevices &&
        unknown_seen_.insert(event.device).second) {
      ++counters_.unknown_devices;
      Log(LogLevel::kWarning, "unknown_device",
          {{"device", event.device},
           {"topic", topic},
           {"note", "not served by this gateway; logged once per device"}});
    }
    return;
  }
  const Sensor& sensor = known->second;
  for (const absl::Status& problem : event.problems) {
    Problem(ProblemReason(problem), problem, topic, sensor.external_id);
  }
  absl::StatusOr<DecodedPayload> decoded = Decode(event, codec);
  if (!decoded.ok()) {
    const absl::string_view reason =
        decoded.status().code() == absl::StatusCode::kFailedPrecondition
            ? absl::string_view("no_codec")
            : ProblemReason(decoded.status());
    Problem(reason, decoded.status(), topic, sensor.external_id);
    // Still heard from: keep "last seen" and the signal.
    decoded = DecodedPayload{};
  }
  const int64_t ts_ms = event.ts_ms.value_or(received_ms);

  Reading reading;
  reading.sensor = sensor.external_id;
  reading.ts_ms = ts_ms;
  const bool has_totals = decoded->total_in || decoded->total_out;
  DeviceState* state =
      event.f_cnt || has_totals ? &State(sensor.external_id) : nullptr;
  bool late = false;
  if (event.f_cnt) {
    const FrameSequence frame = NextFrameSequence(state, *event.f_cnt, ts_ms);
    if (frame.verdict == FrameVerdict::kDuplicate) {
      ++counters_.duplicate_frames;
      return;
    }
    late = frame.verdict == FrameVerdict::kLate;
    if (late) ++counters_.late_frames;
    reading.seq = frame.seq;
  }

  // Health, each value checked on its own.
  auto check = [&](std::optional<int32_t> value, int32_t lo, int32_t hi,
                   const char* field) -> std::optional<int32_t> {
    if (!value) return std::nullopt;
    if (*value < lo || *value > hi) {
      Problem("out_of_range",
              absl::OutOfRangeError(absl::StrCat(field, ": ", *value,
                                                 " is outside ", lo, "..", hi)),
              topic, sensor.external_id);
      return std::nullopt;
    }
    return value;
  };
  reading.health.battery_mv =
      check(decoded->battery_mv, 1, 10000, "battery_mv");
  reading.health.battery_percent =
      check(decoded->battery_percent, 0, 100, "battery_percent");
  reading.health.rssi_dbm = check(event.rssi_dbm, -200, 50, "rssi_dbm");
  if (event.snr_db) {
    if (std::isfinite(*event.snr_db) && *event.snr_db >= -50 &&
        *event.snr_db <= 50) {
      reading.health.snr_db = *event.snr_db;
    } else {
      Problem("out_of_range",
              absl::OutOfRangeError(absl::StrCat("snr_db: ", *event.snr_db,
                                                 " is outside -50..50")),
              topic, sensor.external_id);
    }
  }

  // The state, by the sensor's kind.
  bool has_state = false;
  const DecodedPayload& d = *decoded;
  if (sensor.kind && ReportsPresence(*sensor.kind)) {
    if (d.occupied) {
      reading.occupied = *d.occupied;
      has_state = true;
    } else if (d.count) {
      reading.occupied = *d.count > 0;
      has_state = true;
    } else if (d.motion_count) {
      reading.occupied = *d.motion_count > 0;
      has_state = true;
    }
  } else if (sensor.kind == SensorKind::kPeopleCounter &&
             (d.period_in || d.period_out || d.total_in || d.total_out)) {
    std::optional<PeopleFlow> flow;
    if (d.period_in || d.period_out) {
      flow = PeopleFlow{d.period_in.value_or(0), d.period_out.value_or(0)};
    }
    if ((d.total_in || d.total_out) && !late) {
      const uint32_t in = d.total_in.value_or(0);
      const uint32_t out = d.total_out.value_or(0);
      if (!flow && state->total_in && state->total_out) {
        // A total that went down was reset by the device: counted from 0.
        flow = PeopleFlow{
            in >= *state->total_in ? in - *state->total_in : in,
            out >= *state->total_out ? out - *state->total_out : out};
      }
      state->total_in = in;
      state->total_out = out;
    }
    if (flow) {
      if (flow->entered > 100000 || flow->exited > 100000) {
        Problem("out_of_range",
                absl::OutOfRangeError(absl::StrCat(
                    "in/out: ", flow->entered, "/", flow->exited,
                    " crossings in one report is outside 0..100000")),
                topic, sensor.external_id);
      } else {
        reading.flow = flow;
        has_state = true;
      }
    }
  } else if (sensor.kind == SensorKind::kPeopleCounter ||
             sensor.kind == SensorKind::kAreaCount) {
    if (d.count) {
      if (*d.count > 100000) {
        Problem("out_of_range",
                absl::OutOfRangeError(
                    absl::StrCat("count: ", *d.count, " is outside 0..100000")),
                topic, sensor.external_id);
      } else {
        reading.count = *d.count;
        has_state = true;
      }
    } else if (d.occupied || d.motion_count) {
      Problem("wrong_kind",
              absl::InvalidArgumentError(absl::StrCat(
                  "a presence payload for a ", sensor.kind_name, " sensor")),
              topic, sensor.external_id);
    }
  }
  if (!has_state) {
    if (reading.health.empty()) {
      ++counters_.ignored;  // e.g. a device-information frame
      return;
    }
    reading.health_only = true;
    ++counters_.health_only;
  } else {
    ++counters_.readings;
  }
  pending_.push_back(std::move(reading));
}

absl::Status InputPipeline::HandleLine(absl::string_view line,
                                       absl::string_view source) {
  absl::StatusOr<std::optional<LineReading>> parsed = ParseLine(line);
  if (!parsed.ok()) {
    ++counters_.messages;
    Problem(ProblemReason(parsed.status()), parsed.status(), source, "");
    return parsed.status();
  }
  if (!parsed->has_value()) return absl::OkStatus();
  ++counters_.messages;
  ++counters_.uplinks;
  const LineReading& line_reading = **parsed;
  auto known = sensors_.find(MatchKey(line_reading.sensor));
  if (known == sensors_.end()) {
    ++counters_.unknown_device_uplinks;
    if (unknown_seen_.size() < kMaxUnknownDevices &&
        unknown_seen_.insert(line_reading.sensor).second) {
      ++counters_.unknown_devices;
      Log(LogLevel::kWarning, "unknown_device",
          {{"device", line_reading.sensor},
           {"topic", source},
           {"note", "not served by this gateway; logged once per device"}});
    }
    return absl::NotFoundError(absl::StrCat(
        "sensor: \"", line_reading.sensor, "\" is not served by this gateway"));
  }
  // Refused up front, so the sender is not told "ok" for a reading the
  // commit would drop.
  if (absl::Status budget = outbox_->CheckBudget(); !budget.ok()) {
    if (absl::IsResourceExhausted(budget)) ++counters_.dropped_outbox_full;
    return budget;
  }
  const Sensor& sensor = known->second;
  Reading reading;
  reading.sensor = sensor.external_id;
  reading.ts_ms = line_reading.ts_ms.value_or(now_ms_());
  const bool presence = sensor.kind && ReportsPresence(*sensor.kind);
  if (presence != line_reading.occupied.has_value()) {
    absl::Status wrong = absl::InvalidArgumentError(absl::StrCat(
        "state: sensor \"", sensor.external_id, "\" is a ", sensor.kind_name,
        presence ? " sensor: send occupied or free"
                 : " sensor: send count=<n>"));
    Problem("wrong_kind", wrong, source, sensor.external_id);
    return wrong;
  }
  if (presence) {
    reading.occupied = *line_reading.occupied;
  } else {
    reading.count = *line_reading.count;
  }
  ++counters_.readings;
  pending_.push_back(std::move(reading));
  return absl::OkStatus();
}

absl::Status InputPipeline::Commit() {
  if (pending_.empty() && pending_states_.empty()) return absl::OkStatus();
  std::vector<std::pair<std::string, DeviceState>> states(
      pending_states_.begin(), pending_states_.end());
  absl::Status appended = outbox_->Append(pending_, std::nullopt, states);
  if (absl::IsResourceExhausted(appended)) {
    counters_.dropped_outbox_full += static_cast<int64_t>(pending_.size());
    if (!outbox_full_) {
      outbox_full_ = true;
      Log(LogLevel::kWarning, "outbox_full",
          {{"error", appended.message()},
           {"dropped_total", counters_.dropped_outbox_full}});
    }
    pending_.clear();
    appended = outbox_->Append({}, std::nullopt, states);
  } else if (appended.ok() && outbox_full_ && !pending_.empty()) {
    outbox_full_ = false;
    Log(LogLevel::kInfo, "outbox_space_again",
        {{"dropped_total", counters_.dropped_outbox_full}});
  }
  if (!appended.ok()) return appended;
  ++counters_.commits;
  for (auto& [sensor, state] : states) states_[sensor] = state;
  pending_states_.clear();
  const bool wrote = !pending_.empty();
  pending_.clear();
  if (wrote && on_committed_) on_committed_();
  return absl::OkStatus();
}

}  // namespace monipaikka::edge
