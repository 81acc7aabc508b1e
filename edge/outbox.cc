#include "edge/outbox.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sqlite_migrations.h"
#include "common/status_macros.h"

namespace monipaikka::edge {
namespace {

// Numbered schema migrations; migration i takes PRAGMA user_version from i
// to i + 1. Never edit one that has shipped: append a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1
    R"sql(
    CREATE TABLE outbox (
      -- AUTOINCREMENT: ids are never reused, even after the table was empty,
      -- so an acknowledgement can never remove a newer row.
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sensor TEXT NOT NULL,
      ts_ms INTEGER NOT NULL,    -- UTC milliseconds
      seq INTEGER NOT NULL,      -- per-sensor sequence number
      occupied INTEGER,          -- presence sensors: 0 or 1; else NULL
      count INTEGER              -- counting sensors; else NULL
    );
    -- The last sequence number given to each sensor.
    CREATE TABLE sensor_sequence (
      sensor TEXT PRIMARY KEY,
      last_seq INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- The sensors the gateway serves, as last fetched from the server.
    CREATE TABLE served_sensor (
      external_id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      site TEXT NOT NULL,
      timezone TEXT NOT NULL,
      installed TEXT NOT NULL,
      removed TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE agent_state (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
    )sql",
    // 1 -> 2: real sensor inputs: in/out flows, health-only rows, device
    // health, and per-device frame counter / totals state.
    R"sql(
    ALTER TABLE outbox ADD COLUMN entered INTEGER;   -- flows; else NULL
    ALTER TABLE outbox ADD COLUMN exited INTEGER;
    ALTER TABLE outbox ADD COLUMN health_only INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE outbox ADD COLUMN battery_mv INTEGER;
    ALTER TABLE outbox ADD COLUMN battery_percent INTEGER;
    ALTER TABLE outbox ADD COLUMN rssi_dbm INTEGER;
    ALTER TABLE outbox ADD COLUMN snr_db REAL;
    CREATE TABLE device_state (
      sensor TEXT PRIMARY KEY,
      epoch INTEGER NOT NULL,
      last_fcnt INTEGER NOT NULL,
      last_fcnt_ts_ms INTEGER NOT NULL,
      total_in INTEGER,
      total_out INTEGER
    ) WITHOUT ROWID;
    )sql",
    // 2 -> 3: acknowledged rows are kept a while (acked_ms set), so that
    // they can be sent again to a server restored from a backup.
    R"sql(
    ALTER TABLE outbox ADD COLUMN acked_ms INTEGER;  -- UTC ms; NULL: waiting
    CREATE INDEX outbox_waiting ON outbox(id) WHERE acked_ms IS NULL;
    CREATE INDEX outbox_acked ON outbox(acked_ms) WHERE acked_ms IS NOT NULL;
    )sql",
};

void BindOptional(Statement* statement, int index,
                  const std::optional<int32_t>& value) {
  if (value) {
    statement->BindInt64(index, *value);
  } else {
    statement->BindNull(index);
  }
}

constexpr char kGatewayKey[] = "gateway";
constexpr char kProducedThroughKey[] = "produced_through_ms";

}  // namespace

absl::StatusOr<std::unique_ptr<Outbox>> Outbox::Open(
    const std::string& path, SqliteSynchronous synchronous) {
  DatabaseOptions options;
  options.synchronous = synchronous;
  // A small gateway box: the queue is appended at one end and read and
  // deleted at the other, so a small page cache holds its working set.
  options.cache_kib = 2 * 1024;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
  std::unique_ptr<Outbox> outbox(new Outbox(std::move(db)));
  RETURN_IF_ERROR(outbox->Migrate());
  ASSIGN_OR_RETURN(outbox->queued_rows_, outbox->Count());
  static constexpr char kLastAck[] =
      "SELECT MAX(acked_ms) FROM outbox WHERE acked_ms IS NOT NULL";
  ASSIGN_OR_RETURN(Statement * last_ack, outbox->db_->Cached(kLastAck));
  ASSIGN_OR_RETURN(std::optional<int64_t> last,
                   last_ack->OneRow([&] { return last_ack->ColumnInt64(0); }));
  outbox->last_acked_ms_ = last.value_or(0);
  return outbox;
}

absl::Status Outbox::Migrate() {
  return monipaikka::Migrate(
      db_.get(),
      {.scripts = kMigrations, .database = "outbox", .program = "agent"});
}

absl::Status Outbox::Append(absl::Span<const Reading> readings,
                            std::optional<int64_t> produced_through_ms) {
  return Append(readings, produced_through_ms, {});
}

absl::Status Outbox::Append(
    absl::Span<const Reading> readings,
    std::optional<int64_t> produced_through_ms,
    absl::Span<const std::pair<std::string, DeviceState>> states) {
  for (size_t i = 0; i < readings.size(); ++i) {
    if (readings[i].sensor.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("outbox append: reading ", i, " has no sensor"));
    }
  }
  if (readings.empty() && !produced_through_ms && states.empty()) {
    return absl::OkStatus();
  }
  if (!readings.empty()) RETURN_IF_ERROR(MakeRoom());

  Transaction transaction(db_.get());
  RETURN_IF_ERROR(transaction.Begin());

  static constexpr char kSelectSeq[] =
      "SELECT last_seq FROM sensor_sequence WHERE sensor = ?1";
  static constexpr char kInsert[] =
      "INSERT INTO outbox (sensor, ts_ms, seq, occupied, count, entered, "
      "exited, health_only, battery_mv, battery_percent, rssi_dbm, snr_db) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  static constexpr char kSaveSeq[] =
      "INSERT INTO sensor_sequence (sensor, last_seq) VALUES (?1, ?2) "
      "ON CONFLICT (sensor) DO UPDATE SET last_seq = excluded.last_seq";

  // The counters of the sensors in this call, loaded on first use.
  absl::flat_hash_map<std::string, uint64_t> last_seq;
  ASSIGN_OR_RETURN(Statement * insert, db_->Cached(kInsert));
  for (const Reading& reading : readings) {
    uint64_t seq = 0;
    if (reading.seq) {
      seq = *reading.seq;
    } else {
      auto it = last_seq.find(reading.sensor);
      if (it == last_seq.end()) {
        ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSelectSeq));
        select->BindText(1, reading.sensor);
        ASSIGN_OR_RETURN(std::optional<int64_t> stored, select->OneRow([&] {
          return select->ColumnInt64(0);
        }));
        it = last_seq
                 .emplace(reading.sensor,
                          static_cast<uint64_t>(stored.value_or(0)))
                 .first;
      }
      seq = ++it->second;
    }
    insert->Reset();
    insert->BindText(1, reading.sensor);
    insert->BindInt64(2, reading.ts_ms);
    insert->BindInt64(3, static_cast<int64_t>(seq));
    insert->BindNull(4);
    insert->BindNull(5);
    insert->BindNull(6);
    insert->BindNull(7);
    if (reading.health_only) {
      // no state
    } else if (reading.count) {
      insert->BindInt64(5, *reading.count);
    } else if (reading.flow) {
      insert->BindInt64(6, reading.flow->entered);
      insert->BindInt64(7, reading.flow->exited);
    } else {
      insert->BindInt64(4, reading.occupied ? 1 : 0);
    }
    insert->BindInt64(8, reading.health_only ? 1 : 0);
    BindOptional(insert, 9, reading.health.battery_mv);
    BindOptional(insert, 10, reading.health.battery_percent);
    BindOptional(insert, 11, reading.health.rssi_dbm);
    if (reading.health.snr_db) {
      insert->BindDouble(12, *reading.health.snr_db);
    } else {
      insert->BindNull(12);
    }
    RETURN_IF_ERROR(insert->Run());
  }
  static constexpr char kSaveState[] =
      "INSERT INTO device_state (sensor, epoch, last_fcnt, last_fcnt_ts_ms, "
      "total_in, total_out) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (sensor) DO UPDATE SET epoch = excluded.epoch, "
      "last_fcnt = excluded.last_fcnt, "
      "last_fcnt_ts_ms = excluded.last_fcnt_ts_ms, "
      "total_in = excluded.total_in, total_out = excluded.total_out";
  for (const auto& [sensor, state] : states) {
    ASSIGN_OR_RETURN(Statement * save, db_->Cached(kSaveState));
    save->BindText(1, sensor);
    save->BindInt64(2, state.epoch);
    save->BindInt64(3, state.last_fcnt);
    save->BindInt64(4, state.last_fcnt_ts_ms);
    if (state.total_in)
      save->BindInt64(5, *state.total_in);
    else
      save->BindNull(5);
    if (state.total_out) {
      save->BindInt64(6, *state.total_out);
    } else {
      save->BindNull(6);
    }
    RETURN_IF_ERROR(save->Run());
  }
  for (const auto& [sensor, seq] : last_seq) {
    ASSIGN_OR_RETURN(Statement * save, db_->Cached(kSaveSeq));
    save->BindText(1, sensor);
    save->BindInt64(2, static_cast<int64_t>(seq));
    RETURN_IF_ERROR(save->Run());
  }
  if (produced_through_ms) {
    static constexpr char kAdvance[] =
        "INSERT INTO agent_state (key, value) VALUES (?1, ?2) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
        "WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)";
    ASSIGN_OR_RETURN(Statement * advance, db_->Cached(kAdvance));
    advance->BindText(1, kProducedThroughKey);
    advance->BindText(2, absl::StrCat(*produced_through_ms));
    RETURN_IF_ERROR(advance->Run());
  }
  RETURN_IF_ERROR(transaction.Commit());
  queued_rows_ += static_cast<int64_t>(readings.size());
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Outbox::UsedBytes() {
  int64_t values[3] = {0, 0, 0};
  static constexpr const char* kPragmas[] = {
      "PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA page_size"};
  for (int i = 0; i < 3; ++i) {
    ASSIGN_OR_RETURN(Statement * pragma, db_->Cached(kPragmas[i]));
    ASSIGN_OR_RETURN(std::optional<int64_t> value,
                     pragma->OneRow([&] { return pragma->ColumnInt64(0); }));
    values[i] = value.value_or(0);
  }
  return (values[0] - values[1]) * values[2];
}

absl::Status Outbox::CheckBudget() { return MakeRoom(); }

absl::Status Outbox::BudgetStatus() {
  if (max_bytes_ <= 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(int64_t used, UsedBytes());
  if (used < max_bytes_) return absl::OkStatus();
  constexpr double kMiB = 1024.0 * 1024.0;
  return absl::ResourceExhaustedError(absl::StrFormat(
      "outbox full: %s holds %.1f MiB, the budget (--outbox_max_mb) is "
      "%.1f MiB; new readings are dropped until the server acknowledges "
      "queued ones",
      db_->path(), static_cast<double>(used) / kMiB,
      static_cast<double>(max_bytes_) / kMiB));
}

absl::Status Outbox::MakeRoom() {
  while (true) {
    absl::Status budget = BudgetStatus();
    if (budget.ok() || !absl::IsResourceExhausted(budget)) return budget;
    // The oldest acknowledged rows go first: they were delivered.
    static constexpr char kDropAcked[] =
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox "
        "WHERE acked_ms IS NOT NULL ORDER BY acked_ms LIMIT 1000)";
    ASSIGN_OR_RETURN(Statement * drop, db_->Cached(kDropAcked));
    RETURN_IF_ERROR(drop->Run());
    if (db_->Changes() == 0) return budget;
    acked_rows_dropped_ += db_->Changes();
  }
}

absl::Status Outbox::AcknowledgeThrough(int64_t id, int64_t now_ms) {
  if (keep_acked_ms_ <= 0) return RemoveThrough(id);
  // Each acknowledgement gets its own, increasing stamp (a millisecond later
  // than the previous one at least): RequeueAcknowledgedAfter orders the
  // acknowledgements by it.
  const int64_t stamp = std::max(now_ms, last_acked_ms_ + 1);
  static constexpr char kMark[] =
      "UPDATE outbox SET acked_ms = ?2 WHERE id <= ?1 AND acked_ms IS NULL";
  ASSIGN_OR_RETURN(Statement * mark, db_->Cached(kMark));
  mark->BindInt64(1, id);
  mark->BindInt64(2, stamp);
  RETURN_IF_ERROR(mark->Run());
  if (db_->Changes() > 0) last_acked_ms_ = stamp;
  queued_rows_ = std::max<int64_t>(0, queued_rows_ - db_->Changes());
  static constexpr char kPrune[] =
      "DELETE FROM outbox WHERE acked_ms IS NOT NULL AND acked_ms < ?1";
  ASSIGN_OR_RETURN(Statement * prune, db_->Cached(kPrune));
  prune->BindInt64(1, now_ms - keep_acked_ms_);
  return prune->Run();
}

absl::StatusOr<int64_t> Outbox::RequeueAcknowledgedAfter(int64_t ts_ms) {
  // Lost anything? Only a kept reading (health reports are no readings)
  // newer than the server's newest says so.
  static constexpr char kNewer[] =
      "SELECT 1 FROM outbox WHERE acked_ms IS NOT NULL AND health_only = 0 "
      "AND ts_ms > ?1 LIMIT 1";
  ASSIGN_OR_RETURN(Statement * newer, db_->Cached(kNewer));
  newer->BindInt64(1, ts_ms);
  ASSIGN_OR_RETURN(std::optional<bool> lost,
                   newer->OneRow([] { return true; }));
  if (!lost.has_value()) return 0;
  // The server holds the reading at ts_ms, so everything acknowledged with
  // it or before (committed before it, acknowledgements coming in commit
  // order). Later acknowledgements may be lost, late (older) readings too.
  static constexpr char kHeldAck[] =
      "SELECT MIN(acked_ms) FROM outbox "
      "WHERE acked_ms IS NOT NULL AND ts_ms = ?1";
  ASSIGN_OR_RETURN(Statement * held, db_->Cached(kHeldAck));
  held->BindInt64(1, ts_ms);
  ASSIGN_OR_RETURN(std::optional<std::optional<int64_t>> held_ack,
                   held->OneRow([&]() -> std::optional<int64_t> {
                     if (held->ColumnIsNull(0)) return std::nullopt;
                     return held->ColumnInt64(0);
                   }));
  const int64_t after_ack = held_ack.has_value() && held_ack->has_value()
                                ? **held_ack
                                : std::numeric_limits<int64_t>::max();
  static constexpr char kSql[] =
      "UPDATE outbox SET acked_ms = NULL "
      "WHERE acked_ms IS NOT NULL AND (ts_ms > ?1 OR acked_ms > ?2)";
  ASSIGN_OR_RETURN(Statement * requeue, db_->Cached(kSql));
  requeue->BindInt64(1, ts_ms);
  requeue->BindInt64(2, after_ack);
  RETURN_IF_ERROR(requeue->Run());
  const int64_t changed = db_->Changes();
  queued_rows_ += changed;
  return changed;
}

absl::Status Outbox::RemoveRows(absl::Span<const int64_t> ids) {
  if (ids.empty()) return absl::OkStatus();
  Transaction transaction(db_.get());
  RETURN_IF_ERROR(transaction.Begin());
  static constexpr char kSql[] =
      "DELETE FROM outbox WHERE id = ?1 RETURNING acked_ms IS NULL";
  int64_t waiting = 0;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kSql));
    remove->BindInt64(1, id);
    ASSIGN_OR_RETURN(std::optional<bool> was_waiting, remove->OneRow([&] {
      return remove->ColumnInt64(0) != 0;
    }));
    if (was_waiting.value_or(false)) ++waiting;
  }
  RETURN_IF_ERROR(transaction.Commit());
  queued_rows_ = std::max<int64_t>(0, queued_rows_ - waiting);
  return absl::OkStatus();
}

absl::StatusOr<bool> Outbox::HasAcknowledged() {
  static constexpr char kSql[] =
      "SELECT 1 FROM outbox WHERE acked_ms IS NOT NULL LIMIT 1";
  ASSIGN_OR_RETURN(Statement * any, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<bool> row, any->OneRow([] { return true; }));
  return row.has_value();
}

absl::StatusOr<int64_t> Outbox::CountAcknowledged() {
  static constexpr char kSql[] =
      "SELECT COUNT(*) FROM outbox WHERE acked_ms IS NOT NULL";
  ASSIGN_OR_RETURN(Statement * count, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<int64_t> rows,
                   count->OneRow([&] { return count->ColumnInt64(0); }));
  return rows.value_or(0);
}

absl::StatusOr<std::vector<OutboxRow>> Outbox::Peek(int64_t after_id,
                                                    int max_count) {
  static constexpr char kSql[] =
      "SELECT id, sensor, ts_ms, seq, occupied, count, entered, exited, "
      "health_only, battery_mv, battery_percent, rssi_dbm, snr_db FROM outbox "
      "WHERE acked_ms IS NULL AND id > ?1 ORDER BY id LIMIT ?2";
  ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSql));
  select->BindInt64(1, after_id);
  select->BindInt64(2, max_count);
  std::vector<OutboxRow> rows;
  RETURN_IF_ERROR(select->ForEachRow([&] {
    OutboxRow row;
    row.id = select->ColumnInt64(0);
    row.reading.sensor = select->ColumnText(1);
    row.reading.ts_ms = select->ColumnInt64(2);
    row.seq = static_cast<uint64_t>(select->ColumnInt64(3));
    row.reading.health_only = select->ColumnInt64(8) != 0;
    if (row.reading.health_only) {
      // no state
    } else if (!select->ColumnIsNull(5)) {
      row.reading.count = static_cast<int32_t>(select->ColumnInt64(5));
    } else if (!select->ColumnIsNull(6)) {
      row.reading.flow =
          PeopleFlow{static_cast<uint32_t>(select->ColumnInt64(6)),
                     static_cast<uint32_t>(select->ColumnInt64(7))};
    } else {
      row.reading.occupied = select->ColumnInt64(4) != 0;
    }
    DeviceHealth& health = row.reading.health;
    if (!select->ColumnIsNull(9)) {
      health.battery_mv = static_cast<int32_t>(select->ColumnInt64(9));
    }
    if (!select->ColumnIsNull(10)) {
      health.battery_percent = static_cast<int32_t>(select->ColumnInt64(10));
    }
    if (!select->ColumnIsNull(11)) {
      health.rssi_dbm = static_cast<int32_t>(select->ColumnInt64(11));
    }
    if (!select->ColumnIsNull(12)) health.snr_db = select->ColumnDouble(12);
    rows.push_back(std::move(row));
  }));
  return rows;
}

absl::Status Outbox::RemoveThrough(int64_t id) {
  static constexpr char kSql[] =
      "DELETE FROM outbox WHERE id <= ?1 AND acked_ms IS NULL";
  ASSIGN_OR_RETURN(Statement * remove, db_->Cached(kSql));
  remove->BindInt64(1, id);
  RETURN_IF_ERROR(remove->Run());
  queued_rows_ = std::max<int64_t>(0, queued_rows_ - db_->Changes());
  return absl::OkStatus();
}

int64_t Outbox::DiskBytes() const {
  int64_t bytes = 0;
  for (const std::string& file : {db_->path(), db_->path() + "-wal"}) {
    std::error_code error;
    const uintmax_t size = std::filesystem::file_size(file, error);
    if (!error) bytes += static_cast<int64_t>(size);
  }
  return bytes;
}

absl::StatusOr<int64_t> Outbox::Count() {
  static constexpr char kSql[] =
      "SELECT COUNT(*) FROM outbox WHERE acked_ms IS NULL";
  ASSIGN_OR_RETURN(Statement * count, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<int64_t> rows,
                   count->OneRow([&] { return count->ColumnInt64(0); }));
  return rows.value_or(0);
}

absl::StatusOr<std::optional<int64_t>> Outbox::OldestQueuedTsMs() {
  // Kept acknowledged rows (acked_ms set) are not queued.
  static constexpr char kSql[] =
      "SELECT ts_ms FROM outbox WHERE acked_ms IS NULL ORDER BY id LIMIT 1";
  ASSIGN_OR_RETURN(Statement * first, db_->Cached(kSql));
  return first->OneRow([&] { return first->ColumnInt64(0); });
}

absl::StatusOr<bool> Outbox::IsEmpty() {
  static constexpr char kSql[] =
      "SELECT 1 FROM outbox WHERE acked_ms IS NULL LIMIT 1";
  ASSIGN_OR_RETURN(Statement * any, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<bool> row, any->OneRow([] { return true; }));
  return !row.has_value();
}

absl::StatusOr<uint64_t> Outbox::LastSequence(const std::string& sensor) {
  static constexpr char kSql[] =
      "SELECT last_seq FROM sensor_sequence WHERE sensor = ?1";
  ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSql));
  select->BindText(1, sensor);
  ASSIGN_OR_RETURN(std::optional<int64_t> value,
                   select->OneRow([&] { return select->ColumnInt64(0); }));
  return static_cast<uint64_t>(value.value_or(0));
}

absl::StatusOr<std::optional<std::string>> Outbox::GetState(const char* key) {
  static constexpr char kSql[] = "SELECT value FROM agent_state WHERE key = ?1";
  ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSql));
  select->BindText(1, key);
  return select->OneRow([&] { return select->ColumnText(0); });
}

absl::Status Outbox::SetState(const char* key, const std::string& value) {
  static constexpr char kSql[] =
      "INSERT INTO agent_state (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  ASSIGN_OR_RETURN(Statement * upsert, db_->Cached(kSql));
  upsert->BindText(1, key);
  upsert->BindText(2, value);
  return upsert->Run();
}

absl::Status Outbox::BindGateway(const std::string& gateway) {
  ASSIGN_OR_RETURN(std::optional<std::string> bound, GetState(kGatewayKey));
  if (!bound) return SetState(kGatewayKey, gateway);
  if (*bound != gateway) {
    return absl::FailedPreconditionError(absl::StrCat(
        "outbox ", db_->path(), " belongs to gateway \"", *bound, "\", not \"",
        gateway, "\"; use another --outbox file for this gateway"));
  }
  return absl::OkStatus();
}

absl::Status Outbox::SaveServedSensors(
    const std::vector<ServedSensor>& sensors) {
  Transaction transaction(db_.get());
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(db_->Execute("DELETE FROM served_sensor"));
  static constexpr char kSql[] =
      "INSERT INTO served_sensor "
      "(external_id, kind, site, timezone, installed, removed) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (external_id) DO UPDATE SET kind = excluded.kind, "
      "site = excluded.site, timezone = excluded.timezone, "
      "installed = excluded.installed, removed = excluded.removed";
  for (const ServedSensor& sensor : sensors) {
    ASSIGN_OR_RETURN(Statement * insert, db_->Cached(kSql));
    insert->BindText(1, sensor.external_id);
    insert->BindText(2, sensor.kind);
    insert->BindText(3, sensor.site);
    insert->BindText(4, sensor.timezone);
    insert->BindText(5, sensor.installed);
    insert->BindText(6, sensor.removed);
    RETURN_IF_ERROR(insert->Run());
  }
  return transaction.Commit();
}

absl::StatusOr<std::vector<ServedSensor>> Outbox::LoadServedSensors() {
  static constexpr char kSql[] =
      "SELECT external_id, kind, site, timezone, installed, removed "
      "FROM served_sensor ORDER BY external_id";
  ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSql));
  std::vector<ServedSensor> sensors;
  RETURN_IF_ERROR(select->ForEachRow([&] {
    ServedSensor sensor;
    sensor.external_id = select->ColumnText(0);
    sensor.kind = select->ColumnText(1);
    sensor.site = select->ColumnText(2);
    sensor.timezone = select->ColumnText(3);
    sensor.installed = select->ColumnText(4);
    sensor.removed = select->ColumnText(5);
    sensors.push_back(std::move(sensor));
  }));
  return sensors;
}

absl::StatusOr<std::vector<std::pair<std::string, DeviceState>>>
Outbox::LoadDeviceStates() {
  static constexpr char kSql[] =
      "SELECT sensor, epoch, last_fcnt, last_fcnt_ts_ms, total_in, total_out "
      "FROM device_state";
  ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSql));
  std::vector<std::pair<std::string, DeviceState>> states;
  RETURN_IF_ERROR(select->ForEachRow([&] {
    DeviceState state;
    state.epoch = static_cast<uint32_t>(select->ColumnInt64(1));
    state.last_fcnt = static_cast<uint32_t>(select->ColumnInt64(2));
    state.last_fcnt_ts_ms = select->ColumnInt64(3);
    if (!select->ColumnIsNull(4)) {
      state.total_in = static_cast<uint32_t>(select->ColumnInt64(4));
    }
    if (!select->ColumnIsNull(5)) {
      state.total_out = static_cast<uint32_t>(select->ColumnInt64(5));
    }
    states.emplace_back(select->ColumnText(0), state);
  }));
  return states;
}

absl::StatusOr<std::optional<int64_t>> Outbox::ProducedThroughMs() {
  ASSIGN_OR_RETURN(std::optional<std::string> text,
                   GetState(kProducedThroughKey));
  if (!text) return std::optional<int64_t>();
  int64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value)) {
    return absl::DataLossError(absl::StrCat("outbox ", db_->path(), ": ",
                                            kProducedThroughKey, " \"", *text,
                                            "\" is not a number"));
  }
  return std::optional<int64_t>(value);
}

}  // namespace monipaikka::edge
