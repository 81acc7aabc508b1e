#include "server/storage/sqlite_sensor_health.h"

#include "common/status_macros.h"

namespace monipaikka {
namespace {

// Columns: sensor_id, last_seen_ms, battery_mv, battery_percent,
// battery_ts_ms, rssi_dbm, snr_db, signal_ts_ms, from `first`.
SensorHealthRecord RecordFromRow(const Statement& row, int first) {
  SensorHealthRecord record;
  record.sensor_id = row.ColumnInt64(first);
  if (row.ColumnIsNull(first + 1)) return record;  // LEFT JOIN: never heard
  record.last_seen_ms = row.ColumnInt64(first + 1);
  if (!row.ColumnIsNull(first + 2)) {
    record.battery_mv = static_cast<int32_t>(row.ColumnInt64(first + 2));
  }
  if (!row.ColumnIsNull(first + 3)) {
    record.battery_percent = static_cast<int32_t>(row.ColumnInt64(first + 3));
  }
  record.battery_ts_ms = row.ColumnInt64(first + 4);
  if (!row.ColumnIsNull(first + 5)) {
    record.rssi_dbm = static_cast<int32_t>(row.ColumnInt64(first + 5));
  }
  if (!row.ColumnIsNull(first + 6)) record.snr_db = row.ColumnDouble(first + 6);
  record.signal_ts_ms = row.ColumnInt64(first + 7);
  return record;
}

}  // namespace

absl::Status SqliteSensorHealth::UpsertSensorHealth(
    std::span<const SensorHealthRecord> records) {
  if (records.empty()) return absl::OkStatus();
  static constexpr char kSql[] =
      "INSERT INTO sensor_health(sensor_id, last_seen_ms, battery_mv, "
      "battery_percent, battery_ts_ms, rssi_dbm, snr_db, signal_ts_ms) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(sensor_id) DO UPDATE SET "
      "last_seen_ms = excluded.last_seen_ms, "
      "battery_mv = excluded.battery_mv, "
      "battery_percent = excluded.battery_percent, "
      "battery_ts_ms = excluded.battery_ts_ms, "
      "rssi_dbm = excluded.rssi_dbm, snr_db = excluded.snr_db, "
      "signal_ts_ms = excluded.signal_ts_ms";
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  for (const SensorHealthRecord& r : records) {
    stmt->BindInt64(1, r.sensor_id);
    stmt->BindInt64(2, r.last_seen_ms);
    if (r.battery_mv)
      stmt->BindInt64(3, *r.battery_mv);
    else
      stmt->BindNull(3);
    if (r.battery_percent) {
      stmt->BindInt64(4, *r.battery_percent);
    } else {
      stmt->BindNull(4);
    }
    stmt->BindInt64(5, r.battery_ts_ms);
    if (r.rssi_dbm)
      stmt->BindInt64(6, *r.rssi_dbm);
    else
      stmt->BindNull(6);
    if (r.snr_db)
      stmt->BindDouble(7, *r.snr_db);
    else
      stmt->BindNull(7);
    stmt->BindInt64(8, r.signal_ts_ms);
    RETURN_IF_ERROR(stmt->Run());
  }
  return transaction.Commit();
}

absl::Status SqliteSensorHealth::ScanSensorHealth(
    absl::FunctionRef<void(const SensorHealthRecord&)> visit) {
  static constexpr char kSql[] =
      "SELECT sensor_id, last_seen_ms, battery_mv, battery_percent, "
      "battery_ts_ms, rssi_dbm, snr_db, signal_ts_ms FROM sensor_health";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  RETURN_IF_ERROR(stmt->ForEachRow([&] { visit(RecordFromRow(*stmt, 0)); }));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<SensorHealthRow>>
SqliteSensorHealth::ListSensorHealth(absl::string_view site,
                                     absl::string_view gateway,
                                     absl::string_view today) {
  // A sensor's site is that of its workstation's space or of its space.
  static constexpr char kSql[] =
      "SELECT s.external_id, s.kind, st.code, s.gateway, s.id, "
      "h.last_seen_ms, h.battery_mv, h.battery_percent, h.battery_ts_ms, "
      "h.rssi_dbm, h.snr_db, h.signal_ts_ms "
      "FROM sensors s "
      "LEFT JOIN workstations w ON w.id = s.workstation_id "
      "LEFT JOIN spaces sp ON sp.id = COALESCE(s.space_id, w.space_id) "
      "LEFT JOIN sites st ON st.id = sp.site_id "
      "LEFT JOIN sensor_health h ON h.sensor_id = s.id "
      "WHERE (?1 = '' OR st.code = ?1) AND (?2 = '' OR s.gateway = ?2) "
      "AND (s.removed = '' OR s.removed > ?3) "
      "ORDER BY s.external_id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, site);
  stmt->BindText(2, gateway);
  stmt->BindText(3, today);
  std::vector<SensorHealthRow> rows;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    SensorHealthRow row;
    row.external_id = stmt->ColumnText(0);
    row.kind = stmt->ColumnText(1);
    row.site = stmt->ColumnIsNull(2) ? "" : stmt->ColumnText(2);
    row.gateway = stmt->ColumnText(3);
    row.health = RecordFromRow(*stmt, 4);
    rows.push_back(std::move(row));
  }));
  return rows;
}

}  // namespace monipaikka
