#include "edge/agent.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/listen_address.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "edge/server_channel.h"

namespace monipaikka::edge {
namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
constexpr int kMaxBatchSize = 10000;  // the server's limit per ReadingBatch

// "UNKNOWN_SENSOR:3,TOO_OLD:1", or "none".
std::string FormatReasons(const std::map<std::string, int64_t>& reasons) {
  if (reasons.empty()) return "none";
  return absl::StrJoin(reasons, ",", [](std::string* out, const auto& entry) {
    absl::StrAppend(out, absl::StripPrefix(entry.first, "REJECT_REASON_"), ":",
                    entry.second);
  });
}

// A desk's bound days from the inventory's "YYYY-MM-DD" strings; a malformed
// date is logged and treated as absent.
std::optional<absl::CivilDay> BoundDay(const ServedSensor& sensor,
                                       absl::string_view field,
                                       const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) {
    Log(LogLevel::kWarning, "sensor_date_invalid",
        {{"sensor", sensor.external_id},
         {"field", field},
         {"value", text},
         {"error", day.status().message()}});
    return std::nullopt;
  }
  return *day;
}

}  // namespace

absl::Status ValidateAgentOptions(const AgentOptions& options) {
  if (options.gateway.empty()) {
    return absl::InvalidArgumentError("--gateway is required");
  }
  if (options.server.empty()) {
    return absl::InvalidArgumentError("--server: must be host:port");
  }
  if (options.outbox_path.empty()) {
    return absl::InvalidArgumentError("--outbox: must name a file");
  }
  if (options.backfill_from.has_value() != options.backfill_to.has_value()) {
    return absl::InvalidArgumentError(
        "--backfill_from and --backfill_to must be given together");
  }
  if (options.backfill_from && *options.backfill_from > *options.backfill_to) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--backfill_from: ", FormatDate(*options.backfill_from),
        " is after --backfill_to ", FormatDate(*options.backfill_to)));
  }
  if (options.batch_size < 1 || options.batch_size > kMaxBatchSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("--batch_size: ", options.batch_size, " is not within 1..",
                     kMaxBatchSize));
  }
  if (options.max_in_flight < 1 || options.max_in_flight > 1000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_in_flight: ", options.max_in_flight, " is not within 1..1000"));
  }
  if (options.keep_acked.count() < 0 || options.keep_acked.count() > 24 * 366) {
    return absl::InvalidArgumentError(
        absl::StrCat("--keep_acked_hours: ", options.keep_acked.count(),
                     " is not within 0..", 24 * 366));
  }
  if (options.outbox_max_bytes < 0) {
    return absl::InvalidArgumentError("--outbox_max_mb: must not be negative");
  }
  if (options.input_limits.max_payload_bytes < kMinMqttPayloadLimit ||
      options.input_limits.max_payload_bytes > kMaxMqttPayloadLimit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--mqtt_max_payload_bytes: ", options.input_limits.max_payload_bytes,
        " is not within ", kMinMqttPayloadLimit, "..", kMaxMqttPayloadLimit));
  }
  if (options.input_limits.max_json_depth < 2 ||
      options.input_limits.max_json_depth > kMaxJsonDepthLimit) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--mqtt_max_json_depth: ", options.input_limits.max_json_depth,
        " is not within 2..", kMaxJsonDepthLimit));
  }
  if (options.status_interval.count() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--status_interval_s: ", options.status_interval.count(),
                     " is negative"));
  }
  if (options.exit_when_drained && options.inputs) {
    return absl::InvalidArgumentError(
        "--exit_when_drained: cannot be combined with --inputs, which "
        "never finish");
  }
  if (options.inventory_refresh.count() <= 0) {
    return absl::InvalidArgumentError("inventory_refresh must be positive");
  }
  if (options.exit_when_drained && options.simulate) {
    return absl::InvalidArgumentError(
        "--exit_when_drained: cannot be combined with --simulate, which "
        "never finishes");
  }
  if (options.inputs && !options.line_allow_non_loopback) {
    // The line protocol has no authentication: off loopback only by choice.
    auto check = [](absl::string_view key,
                    const std::string& listen) -> absl::Status {
      if (listen.empty() || IsLoopbackListenAddress(listen)) {
        return absl::OkStatus();
      }
      return absl::InvalidArgumentError(
          absl::StrCat("--line_allow_non_loopback: not given, and the inputs' ",
                       key, " is \"", listen,
                       "\", not a loopback address (the line protocol has no "
                       "authentication)"));
    };
    RETURN_IF_ERROR(check("line.udp", options.inputs->udp_listen));
    RETURN_IF_ERROR(check("line.tcp", options.inputs->tcp_listen));
  }
  if (options.line_idle_timeout.count() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--line_idle_timeout_s: must be positive, not ",
                     options.line_idle_timeout.count() / 1000.0));
  }
  if (options.live_interval.count() <= 0 ||
      options.inventory_timeout.count() <= 0 ||
      options.ack_timeout.count() <= 0 ||
      options.max_live_catch_up.count() < 0) {
    return absl::InvalidArgumentError(
        "live_interval, inventory_timeout and ack_timeout must be positive");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Agent>> Agent::Create(AgentOptions options) {
  RETURN_IF_ERROR(ValidateAgentOptions(options));
  const std::string lock_path = options.outbox_path + ".lock";
  const int lock_fd =
      ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", lock_path, ": ", std::strerror(errno)));
  }
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(lock_fd);
    if (error == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("outbox ", options.outbox_path,
                       " is in use by another monipaikka-edge"));
    }
    return absl::UnavailableError(
        absl::StrCat("cannot lock ", lock_path, ": ", std::strerror(error)));
  }
  absl::StatusOr<std::unique_ptr<Outbox>> outbox =
      Outbox::Open(options.outbox_path, options.outbox_synchronous);
  if (outbox.ok()) {
    (*outbox)->set_max_bytes(options.outbox_max_bytes);
    (*outbox)->set_keep_acked_ms(
        std::chrono::duration_cast<std::chrono::milliseconds>(
            options.keep_acked)
            .count());
  }
  absl::Status bound =
      outbox.ok() ? (*outbox)->BindGateway(options.gateway) : outbox.status();
  if (!bound.ok()) {
    ::close(lock_fd);
    return bound;
  }
  std::unique_ptr<Agent> agent(
      new Agent(std::move(options), lock_fd, *std::move(outbox)));
  if (agent->pipeline_ != nullptr) RETURN_IF_ERROR(agent->pipeline_->Init());
  return agent;
}

Agent::Agent(AgentOptions options, int outbox_lock_fd,
             std::unique_ptr<Outbox> outbox)
    : options_(std::move(options)),
      outbox_lock_fd_(outbox_lock_fd),
      outbox_(std::move(outbox)),
      channel_(CreateServerChannel(options_.server, options_.backoff,
                                   options_.security, options_.token)),
      signals_(io_),
      status_timer_(io_),
      metrics_timer_(io_),
      heartbeat_timer_(io_),
      live_timer_(io_),
      inventory_retry_timer_(io_),
      inventory_backoff_(options_.backoff, options_.jitter_seed),
      inventory_refresh_timer_(io_) {
  UplinkOptions uplink;
  uplink.gateway = options_.gateway;
  uplink.max_batch_size = options_.batch_size;
  uplink.max_in_flight = options_.max_in_flight;
  uplink.backoff = options_.backoff;
  uplink.ack_timeout = options_.ack_timeout;
  uplink.jitter_seed = options_.jitter_seed;
  uplink.now_ms = [this] { return NowMs(); };
  uplink_ = std::make_unique<Uplink>(io_, channel_, outbox_.get(), uplink);
  uplink_->set_on_ack([this] { CheckDrained(); });
  uplink_->set_on_error(
      [this](absl::Status status) { BeginStop(std::move(status)); });
  production_pending_ = options_.backfill_from.has_value() ||
                        options_.simulate || options_.inputs.has_value();
  if (options_.inputs) {
    pipeline_ = std::make_unique<InputPipeline>(
        outbox_.get(), options_.inputs->device_codecs,
        [this] { return NowMs(); }, options_.input_limits);
    pipeline_->set_on_committed([this] { uplink_->OutboxGrew(); });
  }
}

Agent::~Agent() {
  if (fetch_ != nullptr) {
    fetch_->Cancel();
    fetch_->AwaitIdle();
  }
  lines_.reset();
  mqtt_.reset();
  pipeline_.reset();
  // Before io_: it waits for gRPC to finish with its stream.
  uplink_.reset();
  outbox_.reset();
  ::close(outbox_lock_fd_);  // releases the lock
}

int64_t Agent::NowMs() const {
  return options_.now_ms ? options_.now_ms() : absl::ToUnixMillis(absl::Now());
}

absl::Status Agent::Run() {
  if (ran_) return absl::FailedPreconditionError("Agent::Run called twice");
  ran_ = true;
  started_ = std::chrono::steady_clock::now();
  try {
    work_.emplace(io_.get_executor());
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const std::error_code& error, int signal) {
        if (error) return;
        Log(LogLevel::kInfo, "signal_received", {{"signal", signal}});
        BeginStop(absl::OkStatus());
      });
    }
    asio::post(io_, [this] { Start(); });
    io_.run();
  } catch (const std::exception& e) {
    final_status_ =
        absl::InternalError(absl::StrCat("edge event loop: ", e.what()));
    Log(LogLevel::kError, "event_loop_failed", {{"error", e.what()}});
  }
  LogCounters("summary");
  return final_status_;
}

void Agent::Stop() {
  asio::post(io_, [this] { BeginStop(absl::OkStatus()); });
}

AgentCounters Agent::counters() const {
  AgentCounters counters;
  counters.produced = produced_;
  counters.dropped_outbox_full = dropped_outbox_full_;
  counters.uplink = uplink_->counters();
  if (pipeline_ != nullptr) counters.inputs = pipeline_->counters();
  if (mqtt_ != nullptr) counters.mqtt = mqtt_->counters();
  return counters;
}

void Agent::Start() {
  if (stopping_) return;  // Stop() came first
  absl::StatusOr<int64_t> queued = outbox_->Count();
  // What an acknowledgement to the inputs promises, as the outbox's
  // connection reports it.
  absl::StatusOr<int> synchronous = outbox_->SynchronousPragma();
  Log(LogLevel::kInfo, "agent_start",
      {{"gateway", options_.gateway},
       {"server", options_.server},
       {"outbox", outbox_->path()},
       {"sqlite_synchronous", !synchronous.ok()   ? std::string("unknown")
                              : *synchronous == 2 ? std::string("full")
                              : *synchronous == 1 ? std::string("normal")
                                                  : absl::StrCat(*synchronous)},
       {"queued", queued.ok() ? *queued : -1},
       {"backfill_from", options_.backfill_from
                             ? FormatDate(*options_.backfill_from)
                             : std::string("none")},
       {"backfill_to", options_.backfill_to ? FormatDate(*options_.backfill_to)
                                            : std::string("none")},
       {"simulate", options_.simulate},
       {"exit_when_drained", options_.exit_when_drained}});
  uplink_->Start();
  ScheduleStatus();
  ScheduleMetrics();
  ScheduleHeartbeat();
  FetchInventory();
  CheckDrained();
}

void Agent::FetchInventory() {
  if (stopping_) return;
  fetch_ = InventoryFetch::Start(
      io_, channel_, options_.gateway, options_.inventory_timeout,
      [this](absl::StatusOr<std::vector<ServedSensor>> result) {
        OnInventory(std::move(result));
      });
}

void Agent::OnInventory(absl::StatusOr<std::vector<ServedSensor>> result) {
  if (stopping_) return;
  if (result.ok()) {
    if (absl::Status saved = outbox_->SaveServedSensors(*result); !saved.ok()) {
      Log(LogLevel::kWarning, "sensor_cache_write_failed",
          {{"error", saved.ToString()}});
    }
    Log(LogLevel::kInfo, "inventory_loaded",
        {{"source", "server"}, {"sensors", result->size()}});
    if (!producing_started_) {
      BeginProducing(*result);
      StartInputs(*result);
    } else if (pipeline_ != nullptr) {
      pipeline_->SetServedSensors(*result);
    }
    ScheduleInventoryRefresh();
    return;
  }
  Log(LogLevel::kWarning, "inventory_unavailable",
      {{"error", result.status().ToString()}});
  if (producing_started_) {
    ScheduleInventoryRefresh();
    return;
  }
  absl::StatusOr<std::vector<ServedSensor>> cached =
      outbox_->LoadServedSensors();
  if (!cached.ok()) {
    BeginStop(cached.status());
    return;
  }
  if (!cached->empty()) {
    Log(LogLevel::kInfo, "inventory_loaded",
        {{"source", "cache"}, {"sensors", cached->size()}});
    BeginProducing(*cached);
    StartInputs(*cached);
    ScheduleInventoryRefresh();
    return;
  }
  if (!production_pending_) return;  // nothing needs the list yet
  const std::chrono::milliseconds delay = inventory_backoff_.NextDelay();
  Log(LogLevel::kWarning, "inventory_retry",
      {{"reason", "no cached sensor list"},
       {"retry_in_ms", static_cast<int64_t>(delay.count())}});
  inventory_retry_timer_.expires_after(delay);
  inventory_retry_timer_.async_wait([this](const std::error_code& error) {
    if (!error) FetchInventory();
  });
}

void Agent::StartInputs(const std::vector<ServedSensor>& sensors) {
  if (pipeline_ == nullptr || stopping_) return;
  pipeline_->SetServedSensors(sensors);
  const InputsConfig& inputs = *options_.inputs;
  if (inputs.mqtt) {
    MqttOptions mqtt = *inputs.mqtt;
    mqtt.jitter_seed = options_.jitter_seed;
    absl::StatusOr<std::unique_ptr<MqttClient>> client = MqttClient::Create(
        io_, std::move(mqtt),
        [this](const MqttSubscription& subscription, absl::string_view topic,
               absl::string_view payload) {
          pipeline_->HandleMqttMessage(subscription.format, subscription.codec,
                                       topic, payload);
        },
        [this] { return pipeline_->Commit(); });
    if (!client.ok()) {
      BeginStop(client.status());
      return;
    }
    mqtt_ = *std::move(client);
    mqtt_->set_on_fatal(
        [this](absl::Status status) { BeginStop(std::move(status)); });
    mqtt_->Start();
  }
  if (!inputs.udp_listen.empty() || !inputs.tcp_listen.empty()) {
    LineListenerOptions line_options;
    line_options.allow_non_loopback = options_.line_allow_non_loopback;
    line_options.idle_timeout = options_.line_idle_timeout;
    lines_ = std::make_unique<LineListener>(
        io_, pipeline_.get(),
        [this](absl::Status status) { BeginStop(std::move(status)); },
        line_options);
    if (absl::Status started =
            lines_->Start(inputs.udp_listen, inputs.tcp_listen);
        !started.ok()) {
      BeginStop(started);
      return;
    }
  }
  Log(LogLevel::kInfo, "inputs_started",
      {{"mqtt", inputs.mqtt.has_value()},
       {"udp",
        inputs.udp_listen.empty() ? std::string("none") : inputs.udp_listen},
       {"tcp",
        inputs.tcp_listen.empty() ? std::string("none") : inputs.tcp_listen},
       {"served_sensors", pipeline_->served_sensors()}});
}

void Agent::ScheduleInventoryRefresh() {
  if (stopping_ || pipeline_ == nullptr) return;
  inventory_refresh_timer_.expires_after(options_.inventory_refresh);
  inventory_refresh_timer_.async_wait([this](const std::error_code& error) {
    if (!error) FetchInventory();
  });
}

void Agent::BeginProducing(const std::vector<ServedSensor>& sensors) {
  producing_started_ = true;
  std::vector<SimulatedDesk> desks;
  std::map<std::string, int> without_input;  // by kind
  for (const ServedSensor& sensor : sensors) {
    if (ParseSensorKind(sensor.kind) != SensorKind::kDeskPresence) {
      ++without_input[sensor.kind];
      continue;
    }
    absl::StatusOr<absl::TimeZone> zone = LoadZone(sensor.timezone);
    if (!zone.ok()) {
      Log(LogLevel::kWarning, "sensor_skipped",
          {{"sensor", sensor.external_id},
           {"timezone", sensor.timezone},
           {"error", zone.status().message()}});
      continue;
    }
    desk_zones_.push_back(*zone);
    SimulatedDesk desk;
    desk.sensor = sensor.external_id;
    desk.timezone = sensor.timezone;
    desk.installed = BoundDay(sensor, "installed", sensor.installed);
    desk.removed = BoundDay(sensor, "removed", sensor.removed);
    desks.push_back(std::move(desk));
  }
  for (const auto& [kind, count] : without_input) {
    Log(LogLevel::kInfo, "sensors_without_input",
        {{"kind", kind}, {"sensors", count}});
  }
  const size_t desk_count = desks.size();
  absl::StatusOr<Simulator> simulator =
      Simulator::Create(std::move(desks), options_.seed);
  if (!simulator.ok()) {
    BeginStop(simulator.status());
    return;
  }
  simulator_.emplace(std::move(*simulator));
  Log(LogLevel::kInfo, "simulator_ready",
      {{"desks", desk_count}, {"seed", options_.seed}});
  if (options_.backfill_from) {
    StartBackfill();
  } else if (options_.simulate) {
    StartLive();
  }
}

void Agent::StartBackfill() {
  // The earliest local midnight of the first day and the latest of the day
  // after the last one, over the desks' time zones.
  int64_t from_ms = std::numeric_limits<int64_t>::max();
  int64_t to_ms = std::numeric_limits<int64_t>::min();
  for (const absl::TimeZone& zone : desk_zones_) {
    from_ms = std::min(
        from_ms, LocalToMs(absl::CivilSecond(*options_.backfill_from), zone));
    to_ms = std::max(
        to_ms, LocalToMs(absl::CivilSecond(*options_.backfill_to + 1), zone));
  }
  if (desk_zones_.empty()) {
    Log(LogLevel::kWarning, "backfill_skipped",
        {{"reason", "the gateway serves no desk presence sensor"}});
    FinishBackfill();
    return;
  }
  const int64_t now = NowMs();
  if (to_ms > now) {
    Log(LogLevel::kInfo, "backfill_clamped",
        {{"reason", "future readings are not produced"},
         {"until", FormatInstantMs(std::max(from_ms, now))}});
    to_ms = now;
  }
  backfill_next_ms_ = from_ms;
  backfill_end_ms_ = std::max(from_ms, to_ms);
  backfill_started_ = std::chrono::steady_clock::now();
  Log(LogLevel::kInfo, "backfill_start",
      {{"from", FormatInstantMs(backfill_next_ms_)},
       {"to", FormatInstantMs(backfill_end_ms_)}});
  asio::post(io_, [this] { BackfillStep(); });
}

void Agent::BackfillStep() {
  if (stopping_) return;
  if (backfill_next_ms_ >= backfill_end_ms_) {
    FinishBackfill();
    return;
  }
  // A day at a time: bounded memory, and the loop stays responsive to acks
  // and signals between chunks.
  const int64_t chunk_end =
      std::min(backfill_next_ms_ + kDayMs, backfill_end_ms_);
  const std::vector<Reading> readings =
      simulator_->ReadingsBetween(backfill_next_ms_, chunk_end);
  if (!AppendReadings(readings, chunk_end)) return;
  backfill_readings_ += static_cast<int64_t>(readings.size());
  backfill_next_ms_ = chunk_end;
  asio::post(io_, [this] { BackfillStep(); });
}

void Agent::FinishBackfill() {
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - backfill_started_);
  if (!desk_zones_.empty()) {
    Log(LogLevel::kInfo, "backfill_done",
        {{"readings", backfill_readings_},
         {"elapsed_ms", static_cast<int64_t>(elapsed.count())}});
  }
  if (options_.simulate) {
    StartLive();
  } else {
    production_pending_ = false;
    CheckDrained();
  }
}

void Agent::StartLive() {
  const int64_t now = NowMs();
  live_cursor_ms_ = now;
  absl::StatusOr<std::optional<int64_t>> produced =
      outbox_->ProducedThroughMs();
  if (!produced.ok()) {
    BeginStop(produced.status());
    return;
  }
  if (produced->has_value() && **produced <= now &&
      now - **produced <= options_.max_live_catch_up.count()) {
    live_cursor_ms_ = **produced;  // continue without a gap
  }
  Log(LogLevel::kInfo, "live_start",
      {{"from", FormatInstantMs(live_cursor_ms_)},
       {"catch_up_ms", now - live_cursor_ms_},
       {"interval_ms", static_cast<int64_t>(options_.live_interval.count())}});
  // Record where live production starts, so that a restart resumes here.
  if (!AppendReadings({}, live_cursor_ms_)) return;
  LiveTick();
}

void Agent::LiveTick() {
  if (stopping_) return;
  const int64_t now = NowMs();
  if (now > live_cursor_ms_) {
    const std::vector<Reading> readings =
        simulator_->ReadingsBetween(live_cursor_ms_, now);
    if (!AppendReadings(readings, now)) return;
    live_cursor_ms_ = now;
  }
  live_timer_.expires_after(options_.live_interval);
  live_timer_.async_wait([this](const std::error_code& error) {
    if (!error) LiveTick();
  });
}

bool Agent::AppendReadings(const std::vector<Reading>& readings,
                           int64_t produced_through_ms) {
  absl::Status appended = outbox_->Append(readings, produced_through_ms);
  if (absl::IsResourceExhausted(appended)) {
    dropped_outbox_full_ += static_cast<int64_t>(readings.size());
    if (!outbox_full_) {
      outbox_full_ = true;
      Log(LogLevel::kWarning, "outbox_full",
          {{"error", appended.message()},
           {"dropped_total", dropped_outbox_full_}});
    }
    // The window is over: a restart does not produce it again.
    appended = outbox_->Append({}, produced_through_ms);
    if (appended.ok()) return true;
  } else if (appended.ok() && outbox_full_ && !readings.empty()) {
    outbox_full_ = false;
    Log(LogLevel::kInfo, "outbox_space_again",
        {{"dropped_total", dropped_outbox_full_}});
  }
  if (!appended.ok()) {
    Log(LogLevel::kError, "outbox_write_failed",
        {{"outbox", outbox_->path()}, {"error", appended.ToString()}});
    BeginStop(std::move(appended));
    return false;
  }
  produced_ += static_cast<int64_t>(readings.size());
  if (!readings.empty()) uplink_->OutboxGrew();
  return true;
}

void Agent::CheckDrained() {
  if (!options_.exit_when_drained || stopping_ || production_pending_) return;
  if (uplink_->in_flight() > 0) return;
  absl::StatusOr<bool> empty = outbox_->IsEmpty();
  if (!empty.ok()) {
    BeginStop(empty.status());
    return;
  }
  if (*empty) {
    Log(LogLevel::kInfo, "drained", {{"gateway", options_.gateway}});
    BeginStop(absl::OkStatus());
  }
}

void Agent::ScheduleStatus() {
  if (options_.status_interval.count() == 0 || stopping_) return;
  status_timer_.expires_after(options_.status_interval);
  status_timer_.async_wait([this](const std::error_code& error) {
    if (error) return;
    LogCounters("status");
    ScheduleStatus();
  });
}

void Agent::ScheduleMetrics() {
  if (options_.metrics == nullptr) return;
  PublishMetrics();
  if (stopping_) return;
  metrics_timer_.expires_after(options_.metrics_interval);
  metrics_timer_.async_wait([this](const std::error_code& error) {
    if (error) return;
    ScheduleMetrics();
  });
}

void Agent::ScheduleHeartbeat() {
  if (!options_.on_heartbeat || stopping_) return;
  options_.on_heartbeat();
  heartbeat_timer_.expires_after(options_.heartbeat_interval);
  heartbeat_timer_.async_wait([this](const std::error_code& error) {
    if (error) return;
    ScheduleHeartbeat();
  });
}

void Agent::PublishMetrics() {
  if (options_.metrics == nullptr) return;
  const AgentCounters counters = this->counters();
  AgentMetricsSnapshot snapshot;
  snapshot.simulated = counters.produced;
  snapshot.uplink = counters.uplink;
  snapshot.inputs = counters.inputs;
  snapshot.mqtt = counters.mqtt;
  snapshot.outbox_rows = outbox_->queued_rows();
  snapshot.outbox_bytes = outbox_->DiskBytes();
  if (absl::StatusOr<std::optional<int64_t>> oldest =
          outbox_->OldestQueuedTsMs();
      oldest.ok() && oldest->has_value()) {
    snapshot.outbox_oldest_age_s =
        std::max(0.0, static_cast<double>(NowMs() - **oldest) / 1000);
  }
  snapshot.dropped_outbox_full = counters.dropped_outbox_full;
  options_.metrics->Publish(std::move(snapshot));
}

void Agent::LogCounters(absl::string_view event) {
  const UplinkCounters& up = uplink_->counters();
  absl::StatusOr<int64_t> queued = outbox_->Count();
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - started_);
  Log(LogLevel::kInfo, event,
      {{"gateway", options_.gateway},
       {"produced", produced_},
       {"dropped_outbox_full", dropped_outbox_full_},
       {"sent", up.readings_sent},
       {"batches_sent", up.batches_sent},
       {"acked_batches", up.batches_acked},
       {"accepted", up.accepted},
       {"duplicates", up.duplicates},
       {"rejected", up.rejected},
       {"rejected_by_reason", FormatReasons(up.rejected_by_reason)},
       {"reconnects", up.reconnects},
       {"resent_after_server_loss", up.resent_rows},
       {"kept_acked_dropped_for_space", outbox_->acked_rows_dropped()},
       {"health_accepted", up.health_accepted},
       {"health_rejected", up.health_rejected},
       {"in_flight", uplink_->in_flight()},
       {"queued", queued.ok() ? *queued : -1},
       {"uptime_s", static_cast<int64_t>(uptime.count())}});
  if (pipeline_ != nullptr) {
    const InputCounters& in = pipeline_->counters();
    const MqttCounters mqtt =
        mqtt_ != nullptr ? mqtt_->counters() : MqttCounters{};
    Log(LogLevel::kInfo, absl::StrCat(event, "_inputs"),
        {{"gateway", options_.gateway},
         {"messages", in.messages},
         {"uplinks", in.uplinks},
         {"readings", in.readings},
         {"health_only", in.health_only},
         {"duplicate_frames", in.duplicate_frames},
         {"late_frames", in.late_frames},
         {"ignored", in.ignored},
         {"unknown_devices", in.unknown_devices},
         {"unknown_device_uplinks", in.unknown_device_uplinks},
         {"problems", FormatReasons(in.problems)},
         {"problem_lines_suppressed", in.problem_lines_suppressed},
         {"commits", in.commits},
         {"dropped_outbox_full", in.dropped_outbox_full},
         {"mqtt_connected", mqtt_ != nullptr && mqtt_->connected()},
         {"mqtt_connects", mqtt.connects},
         {"mqtt_connection_losses", mqtt.connection_losses}});
  }
}

void Agent::BeginStop(absl::Status status) {
  if (stopping_) return;
  stopping_ = true;
  final_status_ = std::move(status);
  Log(final_status_.ok() ? LogLevel::kInfo : LogLevel::kError, "agent_stopping",
      {{"status", final_status_.ToString()}});
  status_timer_.cancel();
  metrics_timer_.cancel();
  heartbeat_timer_.cancel();
  PublishMetrics();
  live_timer_.cancel();
  inventory_retry_timer_.cancel();
  inventory_refresh_timer_.cancel();
  if (mqtt_ != nullptr) mqtt_->Stop();
  if (lines_ != nullptr) lines_->Stop();
  std::error_code ignored;
  signals_.cancel(ignored);
  if (fetch_ != nullptr) fetch_->Cancel();
  uplink_->Shutdown([this] { work_.reset(); });
}

}  // namespace monipaikka::edge
