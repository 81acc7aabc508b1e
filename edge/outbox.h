#pragma once

// The edge agent's durable queue of readings waiting for the server's
// acknowledgement, in a local SQLite file (WAL).
//
// Readings are appended in one transaction each call; every reading without
// a sequence number of its own gets the next value of its sensor's persisted
// sequence counter, so sequence numbers keep increasing across agent
// restarts. A row may carry device health beside (or instead of) an
// occupancy state. Rows get increasing ids (never
// reused, even after the queue was empty), so a batch of rows is identified
// by its last row id, and an acknowledgement of that batch removes every row
// up to it.
//
// The same file caches the sensors the gateway serves, so the agent can start
// while the server is unreachable, and a little agent state (the gateway the
// file belongs to, how far the live simulation has produced).
//
// Acknowledged rows: with a keep time set (set_keep_acked_ms), a row the
// server acknowledged stays, marked acknowledged, for that long after the
// acknowledgement (or until the budget needs its space, oldest first), so
// that a server restored from a backup can get again what it lost
// (RequeueAcknowledgedAfter). Peek, Count, IsEmpty and queued_rows() see
// only the rows waiting for an acknowledgement.
//
// Disk budget: with a budget set (set_max_bytes), Append first drops kept
// acknowledged rows, oldest first, and then refuses readings with
// RESOURCE_EXHAUSTED while the pages holding the outbox's data take the
// budget or more. Rows waiting are never dropped to make room: each
// was acknowledged to its sender (an MQTT broker, a line-protocol client) or
// is part of a contiguous simulated history, and the agent promised to
// deliver it. The newest readings are refused instead, and the callers count
// them. Space frees up as the server acknowledges rows.
//
// Thread safety: an Outbox belongs to one thread (the agent's io_context).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/sqlite.h"
#include "edge/reading.h"
#include "edge/served_sensor.h"

namespace monipaikka::edge {

// Per-device state the agent keeps beside the queue and updates in the same
// transaction as the readings derived from it, so that a crash can neither
// apply a frame twice nor lose one that was queued.
struct DeviceState {
  // LoRaWAN frame counter tracking (sequence_numbers.h): the session epoch
  // (from 1) and the last frame counter and time seen in it.
  uint32_t epoch = 0;
  uint32_t last_fcnt = 0;
  int64_t last_fcnt_ts_ms = 0;
  // In/out counters reporting running totals: the last totals seen.
  std::optional<uint32_t> total_in;
  std::optional<uint32_t> total_out;

  friend bool operator==(const DeviceState&, const DeviceState&) = default;
};

// A queued reading.
struct OutboxRow {
  // Increasing; never reused.
  int64_t id = 0;
  // The sensor's sequence number, from 1.
  uint64_t seq = 0;
  Reading reading;
};

class Outbox {
 public:
  // Opens or creates the outbox at `path` (a new file gets mode 0600) and
  // migrates its schema. `synchronous` says what an append that returned
  // survives (common/sqlite.h): with kFull also a power loss or an OS crash,
  // so the acknowledgements the inputs send after it (MQTT PUBACK, the line
  // protocol's "ok") hold.
  static absl::StatusOr<std::unique_ptr<Outbox>> Open(
      const std::string& path,
      SqliteSynchronous synchronous = SqliteSynchronous::kFull);

  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Most bytes the outbox's data may take before Append refuses readings;
  // 0 (the default) for no budget.
  void set_max_bytes(int64_t max_bytes) { max_bytes_ = max_bytes; }
  int64_t max_bytes() const { return max_bytes_; }
  // Bytes of the pages holding data (the file size less its free pages; the
  // write-ahead log beside it adds up to a few MB until a checkpoint).
  absl::StatusOr<int64_t> UsedBytes();
  // OK while under the budget, after dropping kept acknowledged rows
  // (oldest first) to get there; RESOURCE_EXHAUSTED "outbox full: …" naming
  // the budget when the rows waiting alone reach it.
  absl::Status CheckBudget();

  // Appends `readings` in their order, in one transaction: all or none.
  // Within a sensor, sequence numbers follow the given order. When
  // `produced_through_ms` is set, the simulation cursor (see
  // ProducedThroughMs) is advanced to it in the same transaction, unless it
  // already is later. Errors: a reading without a sensor (naming its index),
  // RESOURCE_EXHAUSTED when `readings` is not empty and the budget is used
  // up (see CheckBudget; nothing is written then), or a storage failure.
  absl::Status Append(absl::Span<const Reading> readings,
                      std::optional<int64_t> produced_through_ms = {});
  // The same, also writing `states` (device external id → state) in the
  // transaction.
  absl::Status Append(
      absl::Span<const Reading> readings,
      std::optional<int64_t> produced_through_ms,
      absl::Span<const std::pair<std::string, DeviceState>> states);

  // Every stored device state, by device external id.
  absl::StatusOr<std::vector<std::pair<std::string, DeviceState>>>
  LoadDeviceStates();

  // Up to `max_count` rows with id > `after_id`, in id order.
  absl::StatusOr<std::vector<OutboxRow>> Peek(int64_t after_id, int max_count);

  // Deletes every waiting row with id <= `id` (the server acknowledged
  // them), whatever the keep time.
  absl::Status RemoveThrough(int64_t id);

  // How long acknowledged rows are kept (ms since their acknowledgement);
  // 0 (the default): not at all.
  void set_keep_acked_ms(int64_t keep_acked_ms) {
    keep_acked_ms_ = keep_acked_ms;
  }
  int64_t keep_acked_ms() const { return keep_acked_ms_; }
  // The server acknowledged every waiting row with id <= `id` at `now_ms`
  // (UTC): they are kept, marked, when a keep time is set, else deleted
  // (RemoveThrough). Each acknowledgement's stamp is later than the
  // previous one's (by a millisecond when the clock says otherwise). Kept
  // rows acknowledged before now_ms − keep time are deleted.
  absl::Status AcknowledgeThrough(int64_t id, int64_t now_ms);
  // The server holds readings through `ts_ms` (its newest of this gateway)
  // and no more. When a kept acknowledged reading is newer, the server lost
  // readings (it was restored from a backup): the rows newer than `ts_ms`
  // wait again, and so do those acknowledged after the kept rows at `ts_ms`
  // (late readings, older but acknowledged later, may be lost too; rows
  // acknowledged with those were stored with them). Without a newer kept
  // row nothing changes. Returns how many rows wait again; they are sent
  // from the first one, in their places.
  absl::StatusOr<int64_t> RequeueAcknowledgedAfter(int64_t ts_ms);
  // Deletes the rows with these ids, waiting or kept (readings the server
  // rejected: sending them again is of no use).
  absl::Status RemoveRows(absl::Span<const int64_t> ids);
  // Whether any acknowledged row is kept (cheap).
  absl::StatusOr<bool> HasAcknowledged();
  // Kept acknowledged rows (scans them).
  absl::StatusOr<int64_t> CountAcknowledged();
  // Kept acknowledged rows Append dropped to stay within the budget, since
  // the outbox was opened.
  int64_t acked_rows_dropped() const { return acked_rows_dropped_; }

  // Number of waiting rows (scans them).
  absl::StatusOr<int64_t> Count();
  // Whether no row is queued (cheap).
  absl::StatusOr<bool> IsEmpty();
  // Number of queued rows, kept up to date by Append and RemoveThrough
  // (cheap; equals Count()).
  int64_t queued_rows() const { return queued_rows_; }
  // Bytes the outbox database and its write-ahead log take on disk.
  int64_t DiskBytes() const;
  // The time (UTC ms) of the reading queued first of those still queued
  // (the lowest id: the one waiting longest); nullopt when none is. Cheap.
  absl::StatusOr<std::optional<int64_t>> OldestQueuedTsMs();

  // The last sequence number given to `sensor`, 0 if none.
  absl::StatusOr<uint64_t> LastSequence(const std::string& sensor);

  // Records that this outbox belongs to `gateway`, or fails with
  // FAILED_PRECONDITION when it already belongs to another gateway (its rows
  // would be rejected by the server as coming from the wrong gateway).
  absl::Status BindGateway(const std::string& gateway);

  // Replaces the cached list of sensors served by the gateway.
  absl::Status SaveServedSensors(const std::vector<ServedSensor>& sensors);
  // The cached list, ordered by external id; empty when never saved.
  absl::StatusOr<std::vector<ServedSensor>> LoadServedSensors();

  // The end (UTC ms, exclusive) of the latest window the simulation has
  // appended, or nullopt before the first one.
  absl::StatusOr<std::optional<int64_t>> ProducedThroughMs();

  const std::string& path() const { return db_->path(); }
  // PRAGMA synchronous of the outbox's connection as it reports it (2 FULL,
  // 1 NORMAL).
  absl::StatusOr<int> SynchronousPragma() { return db_->SynchronousPragma(); }

 private:
  explicit Outbox(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  absl::Status Migrate();
  // Drops kept acknowledged rows, oldest first, until the budget has room;
  // then BudgetStatus's answer.
  absl::Status MakeRoom();
  // OK while under the budget; RESOURCE_EXHAUSTED naming it otherwise.
  absl::Status BudgetStatus();
  absl::StatusOr<std::optional<std::string>> GetState(const char* key);
  absl::Status SetState(const char* key, const std::string& value);

  std::unique_ptr<Database> db_;
  int64_t queued_rows_ = 0;
  int64_t max_bytes_ = 0;
  int64_t keep_acked_ms_ = 0;
  // The stamp of the latest acknowledgement (AcknowledgeThrough).
  int64_t last_acked_ms_ = 0;
  int64_t acked_rows_dropped_ = 0;
};

}  // namespace monipaikka::edge
