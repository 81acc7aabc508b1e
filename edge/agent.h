#pragma once

// The edge agent of one gateway: an asio event loop that produces readings
// (the simulator, for the gateway's desk presence sensors), queues them in
// the durable outbox and streams the outbox to the server.
//
// On start the agent asks the server which sensors the gateway serves and
// caches the answer in the outbox database; when the server cannot answer it
// uses the cached list (and keeps retrying while it has none).
//
// Modes, combinable:
//  - backfill: the readings of a range of local days are written into the
//    outbox a day at a time, as fast as the disk allows, while the uplink
//    drains it; days (or parts of days) in the future are left out;
//  - live simulation: every few seconds the readings since the last tick are
//    appended. Live mode resumes where the previous run's simulation stopped
//    when that was at most `max_live_catch_up` ago, so restarts leave no gap.
// With `exit_when_drained` the agent stops once the backfill is written and
// the server has acknowledged every queued reading.
//
// Logs: one structured line per event on stderr, a periodic status line and a
// summary line at exit. SIGINT and SIGTERM stop the agent cleanly:
// unacknowledged readings stay in the outbox for the next run.

#include <grpcpp/grpcpp.h>

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/channel_security.h"
#include "edge/agent_metrics.h"
#include "edge/backoff.h"
#include "edge/input_pipeline.h"
#include "edge/inputs_config.h"
#include "edge/inventory_fetch.h"
#include "edge/line_listener.h"
#include "edge/mqtt_client.h"
#include "edge/outbox.h"
#include "edge/served_sensor.h"
#include "edge/simulator.h"
#include "edge/uplink.h"

namespace monipaikka::edge {

struct AgentOptions {
  // Server address, "host:port".
  std::string server = "127.0.0.1:7070";
  // TLS (server verification, client certificate for mTLS) or plaintext to
  // loopback; see ResolveChannelSecurity().
  ChannelSecurity security;
  // This gateway's identifier, as in the inventory's Sensor.gateway.
  std::string gateway;
  // API token sent with every call ("authorization: Bearer"): a device
  // token of this gateway (or an admin token). Empty: none.
  std::string token;
  // Path of the outbox database.
  std::string outbox_path = "edge-outbox.db";
  // Disk budget of the outbox's data in bytes; 0 for none. When it is used
  // up new readings are dropped and counted (see outbox.h for why the newest
  // and not the oldest).
  int64_t outbox_max_bytes = int64_t{1024} * 1024 * 1024;
  // How long the outbox keeps rows after the server acknowledged them
  // (within outbox_max_bytes, which drops the oldest of them first), so
  // that a server restored from a backup gets them again; zero: not at all.
  std::chrono::hours keep_acked{72};
  // What an outbox commit survives before the inputs acknowledge what it
  // holds: kFull a power loss too, kNormal a crash of the agent only.
  SqliteSynchronous outbox_synchronous = SqliteSynchronous::kFull;
  // Local days to backfill, both inclusive, reckoned in the time zones of the
  // gateway's sensors. Both set or neither.
  std::optional<absl::CivilDay> backfill_from;
  std::optional<absl::CivilDay> backfill_to;
  // Live simulation.
  bool simulate = false;
  uint64_t seed = 1;
  // Uplink: readings per batch (1 … 10000) and batches in flight (>= 1).
  int batch_size = 1000;
  int max_in_flight = 8;
  // Stop once the backfill is written and the outbox is empty. Not with
  // `simulate`, which never finishes.
  bool exit_when_drained = false;
  // Period of the status log line; zero for none.
  std::chrono::seconds status_interval{60};
  // Real sensor inputs (MQTT, line protocol); none when absent.
  std::optional<InputsConfig> inputs;
  // What one MQTT message may cost (--mqtt_max_payload_bytes,
  // --mqtt_max_json_depth); see input_pipeline.h.
  InputLimits input_limits;
  // The line protocol listeners: whether they may bind an address other
  // than loopback (the protocol has no authentication), and how long a TCP
  // connection may pass without a byte read or written before it is closed.
  bool line_allow_non_loopback = false;
  std::chrono::milliseconds line_idle_timeout{60 * 1000};
  // How often the list of served sensors is fetched again, so that sensors
  // added to the inventory are picked up.
  std::chrono::milliseconds inventory_refresh{10 * 60 * 1000};

  // Tuning, not exposed as flags.
  std::chrono::milliseconds live_interval{5000};
  std::chrono::milliseconds inventory_timeout{5000};
  std::chrono::milliseconds max_live_catch_up{24 * 60 * 60 * 1000};
  std::chrono::milliseconds ack_timeout{60000};
  BackoffPolicy backoff;
  // Seeds the reconnect jitter; 0 for a random seed.
  uint64_t jitter_seed = 0;
  // Stop on SIGINT and SIGTERM.
  bool handle_signals = true;
  // The current time, UTC milliseconds; the system clock when empty.
  std::function<int64_t()> now_ms;
  // Where the agent publishes its counters and outbox depth every
  // `metrics_interval` (and at start and stop); none when null. Not owned;
  // outlives the agent.
  AgentMetrics* metrics = nullptr;
  std::chrono::milliseconds metrics_interval{1000};
  // Called on the event loop when the agent has started (its outbox open,
  // the uplink started) and then every `heartbeat_interval` while the loop
  // runs, so that a watchdog can tell a working loop from a stuck one (the
  // systemd watchdog, see edge/main.cc). None when empty. Must not block.
  std::function<void()> on_heartbeat;
  std::chrono::milliseconds heartbeat_interval{1000};
};

// Checks the options; messages name the command-line flag, e.g.
// "--batch_size: 20000 is not within 1..10000".
absl::Status ValidateAgentOptions(const AgentOptions& options);

struct AgentCounters {
  // Readings appended to the outbox by this run (simulated ones; the inputs
  // count theirs in `inputs`).
  int64_t produced = 0;
  // Simulated readings dropped because the outbox was full.
  int64_t dropped_outbox_full = 0;
  UplinkCounters uplink;
  InputCounters inputs;
  MqttCounters mqtt;
};

class Agent {
 public:
  // Validates the options and opens the outbox, which must not belong to
  // another gateway nor be in use by another agent (FAILED_PRECONDITION).
  // Nothing is sent before Run().
  static absl::StatusOr<std::unique_ptr<Agent>> Create(AgentOptions options);
  ~Agent();

  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Runs the event loop on the calling thread until the agent stops: by a
  // signal, Stop(), or when drained (with exit_when_drained). Returns the
  // error that stopped it, if any (e.g. the outbox became unwritable).
  // Call once.
  absl::Status Run();

  // Thread-safe: asks a running agent to stop.
  void Stop();

  // On the loop's thread, or after Run() returned.
  AgentCounters counters() const;

 private:
  Agent(AgentOptions options, int outbox_lock_fd,
        std::unique_ptr<Outbox> outbox);

  int64_t NowMs() const;
  void Start();
  void FetchInventory();
  void OnInventory(absl::StatusOr<std::vector<ServedSensor>> result);
  void BeginProducing(const std::vector<ServedSensor>& sensors);
  // Starts the configured inputs for `sensors`.
  void StartInputs(const std::vector<ServedSensor>& sensors);
  void ScheduleInventoryRefresh();
  void StartBackfill();
  void BackfillStep();
  void FinishBackfill();
  void StartLive();
  void LiveTick();
  // Appends to the outbox and wakes the uplink; false (and stopping) on a
  // storage failure. When the outbox is full the readings are dropped and
  // counted, and the cursor still advances (true).
  bool AppendReadings(const std::vector<Reading>& readings,
                      int64_t produced_through_ms);
  void CheckDrained();
  void ScheduleStatus();
  void ScheduleMetrics();
  void PublishMetrics();
  void ScheduleHeartbeat();
  void LogCounters(absl::string_view event);
  void BeginStop(absl::Status status);

  const AgentOptions options_;
  // An flock on "<outbox>.lock", held while the agent exists: two agents on
  // one outbox would send the same rows twice.
  const int outbox_lock_fd_;
  // Before the members that post into it: destroyed after them.
  asio::io_context io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      work_;
  std::unique_ptr<Outbox> outbox_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Uplink> uplink_;
  asio::signal_set signals_;
  asio::steady_timer status_timer_;
  asio::steady_timer metrics_timer_;
  asio::steady_timer heartbeat_timer_;
  asio::steady_timer live_timer_;
  asio::steady_timer inventory_retry_timer_;
  Backoff inventory_backoff_;
  std::shared_ptr<InventoryFetch> fetch_;
  asio::steady_timer inventory_refresh_timer_;
  // The real inputs, when configured.
  std::unique_ptr<InputPipeline> pipeline_;
  std::unique_ptr<MqttClient> mqtt_;
  std::unique_ptr<LineListener> lines_;

  // The desks' time zones, for reckoning the backfill's local days.
  std::vector<absl::TimeZone> desk_zones_;
  std::optional<Simulator> simulator_;
  bool producing_started_ = false;
  // Backfill or live production still to come; blocks exit_when_drained.
  bool production_pending_ = false;
  int64_t backfill_next_ms_ = 0;
  int64_t backfill_end_ms_ = 0;
  int64_t backfill_readings_ = 0;
  std::chrono::steady_clock::time_point backfill_started_;
  int64_t live_cursor_ms_ = 0;

  int64_t produced_ = 0;
  int64_t dropped_outbox_full_ = 0;
  // The outbox refused the last append for want of budget.
  bool outbox_full_ = false;
  std::chrono::steady_clock::time_point started_;
  bool ran_ = false;
  bool stopping_ = false;
  absl::Status final_status_;
};

}  // namespace monipaikka::edge
