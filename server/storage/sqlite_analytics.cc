#include "server/storage/sqlite_analytics.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/vocabulary.h"
#include "server/storage/sqlite_bookings.h"
#include "server/storage/storage.h"
#include "server/storage/stored_vocabulary.h"

namespace monipaikka {

constexpr int64_t kHourMs = 3600 * 1000;

absl::Status MarkDirtyHours(Database* db, std::span<const int64_t> hours) {
  static constexpr char kSql[] =
      "INSERT INTO summary_dirty_hours(hour, generation) VALUES(?, 1) "
      "ON CONFLICT(hour) DO UPDATE SET generation = generation + 1";
  std::vector<int64_t> distinct(hours.begin(), hours.end());
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  ASSIGN_OR_RETURN(Statement * stmt, db->Cached(kSql));
  for (int64_t hour : distinct) {
    stmt->BindInt64(1, hour);
    RETURN_IF_ERROR(stmt->Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<InventoryRows> SqliteAnalytics::LoadInventoryRows() {
  InventoryRows rows;
  StoredVocabulary vocabulary;
  {
    static constexpr char kSql[] =
        "SELECT id, code, name FROM organizations ORDER BY id";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    RETURN_IF_ERROR(stmt->ForEachRow([&] {
      rows.organizations.push_back(
          {stmt->ColumnInt64(0), stmt->ColumnText(1), stmt->ColumnText(2)});
    }));
  }
  {
    static constexpr char kSql[] =
        "SELECT id, code, name, kind, timezone, office_area_m2, "
        "annual_rent_eur, core_weekdays, core_start, core_end FROM sites "
        "ORDER BY id";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    RETURN_IF_ERROR(stmt->ForEachRow([&] {
      InventorySiteRow& site = rows.sites.emplace_back();
      site.id = stmt->ColumnInt64(0);
      site.code = stmt->ColumnText(1);
      site.name = stmt->ColumnText(2);
      site.kind = stmt->ColumnText(3);
      site.timezone = stmt->ColumnText(4);
      site.office_area_m2 = stmt->ColumnDouble(5);
      site.annual_rent_eur = stmt->ColumnDouble(6);
      site.core_weekdays = stmt->ColumnText(7);
      site.core_start = stmt->ColumnText(8);
      site.core_end = stmt->ColumnText(9);
    }));
  }
  {
    static constexpr char kSql[] =
        "SELECT id, site_id, COALESCE(parent_id, 0), code, level, kind, name, "
        "area_m2, capacity, email FROM spaces ORDER BY id";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    RETURN_IF_ERROR(stmt->ForEachRow([&] {
      InventorySpaceRow& space = rows.spaces.emplace_back();
      space.id = stmt->ColumnInt64(0);
      space.site_id = stmt->ColumnInt64(1);
      space.parent_id = stmt->ColumnInt64(2);
      space.code = stmt->ColumnText(3);
      space.level = vocabulary.Value(RequireSpaceLevel(stmt->ColumnText(4)),
                                     "spaces.level", space.id);
      space.kind = stmt->ColumnText(5);
      space.name = stmt->ColumnText(6);
      space.area_m2 = stmt->ColumnDouble(7);
      space.capacity = static_cast<int32_t>(stmt->ColumnInt64(8));
      space.email = stmt->ColumnText(9);
    }));
  }
  {
    static constexpr char kSql[] =
        "SELECT id, space_id, COALESCE(organization_id, 0), code, kind, "
        "status FROM workstations ORDER BY id";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    RETURN_IF_ERROR(stmt->ForEachRow([&] {
      InventoryWorkstationRow& ws = rows.workstations.emplace_back();
      ws.id = stmt->ColumnInt64(0);
      ws.space_id = stmt->ColumnInt64(1);
      ws.organization_id = stmt->ColumnInt64(2);
      ws.code = stmt->ColumnText(3);
      ws.kind = vocabulary.Value(RequireWorkstationKind(stmt->ColumnText(4)),
                                 "workstations.kind", ws.id);
      ws.status =
          vocabulary.Value(RequireWorkstationStatus(stmt->ColumnText(5)),
                           "workstations.status", ws.id);
    }));
  }
  {
    static constexpr char kSql[] =
        "SELECT id, external_id, kind, gateway, COALESCE(workstation_id, 0), "
        "COALESCE(space_id, 0), installed, removed FROM sensors ORDER BY id";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    RETURN_IF_ERROR(stmt->ForEachRow([&] {
      InventorySensorRow& sensor = rows.sensors.emplace_back();
      sensor.id = stmt->ColumnInt64(0);
      sensor.external_id = stmt->ColumnText(1);
      sensor.kind = vocabulary.Value(RequireSensorKind(stmt->ColumnText(2)),
                                     "sensors.kind", sensor.id);
      sensor.gateway = stmt->ColumnText(3);
      sensor.workstation_id = stmt->ColumnInt64(4);
      sensor.space_id = stmt->ColumnInt64(5);
      sensor.installed = stmt->ColumnText(6);
      sensor.removed = stmt->ColumnText(7);
    }));
  }
  RETURN_IF_ERROR(vocabulary.status());
  return rows;
}

absl::Status SqliteAnalytics::ScanAllReadings(
    int64_t from_ms, int64_t to_ms,
    absl::FunctionRef<void(const StoredReading&)> visit) {
  static constexpr char kSql[] =
      "SELECT ts_ms, sensor_id, seq, value FROM readings "
      "WHERE ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, sensor_id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, from_ms);
  stmt->BindInt64(2, to_ms);
  StoredReading reading;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    reading.ts_ms = stmt->ColumnInt64(0);
    reading.sensor_id = stmt->ColumnInt64(1);
    reading.seq = static_cast<uint64_t>(stmt->ColumnInt64(2));
    reading.value = stmt->ColumnInt64(3);
    visit(reading);
  }));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<int64_t>> SqliteAnalytics::FirstReadingTime(
    int64_t from_ms, int64_t to_ms) {
  static constexpr char kSql[] =
      "SELECT ts_ms FROM readings WHERE ts_ms >= ? AND ts_ms < ? "
      "ORDER BY ts_ms LIMIT 1";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, from_ms);
  stmt->BindInt64(2, to_ms);
  std::optional<int64_t> first;
  RETURN_IF_ERROR(stmt->ForEachRow([&] { first = stmt->ColumnInt64(0); }));
  return first;
}

absl::StatusOr<std::vector<DirtyHour>> SqliteAnalytics::ListDirtyHours() {
  static constexpr char kSql[] =
      "SELECT hour, generation FROM summary_dirty_hours ORDER BY hour";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<DirtyHour> hours;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    hours.push_back({stmt->ColumnInt64(0), stmt->ColumnInt64(1)});
  }));
  return hours;
}

absl::StatusOr<int32_t> SqliteAnalytics::CountDirtyHours(int64_t from_ms,
                                                         int64_t to_ms) {
  static constexpr char kSql[] =
      "SELECT COUNT(*) FROM summary_dirty_hours WHERE hour >= ? AND hour < ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  // An hour overlaps [from, to) when it starts before `to` and ends after
  // `from`.
  stmt->BindInt64(1, from_ms >= 0 ? from_ms / kHourMs : 0);
  stmt->BindInt64(2, (to_ms + kHourMs - 1) / kHourMs);
  ASSIGN_OR_RETURN(std::optional<int64_t> count,
                   stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
  return static_cast<int32_t>(count.value_or(0));
}

absl::Status SqliteAnalytics::ClearDirtyHours(
    std::span<const DirtyHour> hours) {
  static constexpr char kSql[] =
      "DELETE FROM summary_dirty_hours WHERE hour = ? AND generation = ?";
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  for (const DirtyHour& hour : hours) {
    stmt->BindInt64(1, hour.hour);
    stmt->BindInt64(2, hour.generation);
    RETURN_IF_ERROR(stmt->Run());
  }
  return transaction.Commit();
}

absl::Status SqliteAnalytics::MarkEveryReadingHourDirty() {
  // The readings' key starts with ts_ms: one seek per hour that has
  // readings finds the next such hour, so the write lock is held for about
  // a millisecond per thousand hours, not for a scan of every reading.
  static constexpr char kNextSql[] =
      "SELECT ts_ms FROM readings WHERE ts_ms >= ? ORDER BY ts_ms LIMIT 1";
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * next, db_->Cached(kNextSql));
  std::vector<int64_t> hours;
  int64_t from_ms = std::numeric_limits<int64_t>::min();
  while (true) {
    next->BindInt64(1, from_ms);
    std::optional<int64_t> found;
    RETURN_IF_ERROR(next->ForEachRow([&] { found = next->ColumnInt64(0); }));
    if (!found.has_value()) break;
    // The hour as every writer counts it (ts_ms / 3600000, truncated),
    // and the first instant after it.
    const int64_t hour = *found / kHourMs;
    hours.push_back(hour);
    if (hour >= std::numeric_limits<int64_t>::max() / kHourMs - 1) break;
    from_ms = hour >= 0 ? (hour + 1) * kHourMs : hour * kHourMs + 1;
  }
  RETURN_IF_ERROR(MarkDirtyHours(db_, hours));
  return transaction.Commit();
}

absl::Status SqliteAnalytics::ScanSensorDays(
    int32_t first_date, int32_t last_date, int64_t min_sensor,
    int64_t max_sensor,
    absl::FunctionRef<void(int32_t, int64_t, absl::string_view)> visit) {
  // One key range per date: (date, min_sensor) … (date, max_sensor).
  static constexpr char kSql[] =
      "SELECT sensor_id, states FROM sensor_days "
      "WHERE date = ? AND sensor_id >= ? AND sensor_id <= ? ORDER BY sensor_id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  for (int32_t date = first_date; date <= last_date; ++date) {
    stmt->BindInt64(1, date);
    stmt->BindInt64(2, min_sensor);
    stmt->BindInt64(3, max_sensor);
    RETURN_IF_ERROR(stmt->ForEachRow(
        [&] { visit(date, stmt->ColumnInt64(0), stmt->ColumnBlob(1)); }));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int32_t>> SqliteAnalytics::ListSensorDayDates() {
  static constexpr char kSql[] =
      "SELECT DISTINCT date FROM sensor_days ORDER BY date";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<int32_t> dates;
  RETURN_IF_ERROR(stmt->ForEachRow(
      [&] { dates.push_back(static_cast<int32_t>(stmt->ColumnInt64(0))); }));
  return dates;
}

absl::StatusOr<std::vector<std::pair<int64_t, std::string>>>
SqliteAnalytics::ListNodes() {
  static constexpr char kSql[] =
      "SELECT id, key FROM summary_nodes ORDER BY id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<std::pair<int64_t, std::string>> nodes;
  RETURN_IF_ERROR(stmt->ForEachRow(
      [&] { nodes.emplace_back(stmt->ColumnInt64(0), stmt->ColumnText(1)); }));
  return nodes;
}

absl::StatusOr<int64_t> SqliteAnalytics::AddNode(absl::string_view key) {
  static constexpr char kInsert[] =
      "INSERT INTO summary_nodes(key) VALUES(?) ON CONFLICT(key) DO NOTHING";
  static constexpr char kSelect[] =
      "SELECT id FROM summary_nodes WHERE key = ?";
  ASSIGN_OR_RETURN(Statement * insert, db_->Cached(kInsert));
  insert->BindText(1, key);
  RETURN_IF_ERROR(insert->Run());
  ASSIGN_OR_RETURN(Statement * select, db_->Cached(kSelect));
  select->BindText(1, key);
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   select->OneRow([&] { return select->ColumnInt64(0); }));
  if (!id) return absl::InternalError(absl::StrCat("node ", key, " vanished"));
  return *id;
}

absl::Status SqliteAnalytics::ScanNodeDays(
    int64_t node_id, int32_t first_date, int32_t last_date,
    absl::FunctionRef<void(int32_t, absl::string_view)> visit) {
  static constexpr char kSql[] =
      "SELECT date, figures FROM node_days WHERE node_id = ? AND date >= ? "
      "AND date <= ? ORDER BY date";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, node_id);
  stmt->BindInt64(2, first_date);
  stmt->BindInt64(3, last_date);
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    visit(static_cast<int32_t>(stmt->ColumnInt64(0)), stmt->ColumnBlob(1));
  }));
  return absl::OkStatus();
}

absl::Status SqliteAnalytics::WriteSummaries(const SummaryWrite& write) {
  static constexpr char kSensorDay[] =
      "INSERT INTO sensor_days(date, sensor_id, states) VALUES(?, ?, ?) "
      "ON CONFLICT(date, sensor_id) DO UPDATE SET states = excluded.states";
  static constexpr char kDeleteSensorDay[] =
      "DELETE FROM sensor_days WHERE date = ? AND sensor_id = ?";
  static constexpr char kNodeDay[] =
      "INSERT INTO node_days(node_id, date, figures) VALUES(?, ?, ?) "
      "ON CONFLICT(node_id, date) DO UPDATE SET figures = excluded.figures";
  static constexpr char kLastReading[] =
      "INSERT INTO sensor_last_readings(sensor_id, ts_ms, value) "
      "VALUES(?, ?, ?) ON CONFLICT(sensor_id) DO UPDATE SET "
      "ts_ms = excluded.ts_ms, value = excluded.value "
      "WHERE excluded.ts_ms > ts_ms";
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * sensor_day, db_->Cached(kSensorDay));
  for (const SensorDayRow& row : write.sensor_days) {
    sensor_day->BindInt64(1, row.date);
    sensor_day->BindInt64(2, row.sensor_id);
    sensor_day->BindBlob(3, row.states);
    RETURN_IF_ERROR(sensor_day->Run());
  }
  ASSIGN_OR_RETURN(Statement * deleted, db_->Cached(kDeleteSensorDay));
  for (const auto& [date, sensor_id] : write.deleted_sensor_days) {
    deleted->BindInt64(1, date);
    deleted->BindInt64(2, sensor_id);
    RETURN_IF_ERROR(deleted->Run());
  }
  // The booking figures of these dates are out of date.
  std::set<int32_t> dates;
  for (const SensorDayRow& row : write.sensor_days) dates.insert(row.date);
  for (const auto& [date, sensor_id] : write.deleted_sensor_days) {
    dates.insert(date);
  }
  const std::vector<int32_t> changed(dates.begin(), dates.end());
  RETURN_IF_ERROR(RaiseBookingDayGenerations(db_, changed));
  ASSIGN_OR_RETURN(Statement * node_day, db_->Cached(kNodeDay));
  for (const NodeDayRow& row : write.node_days) {
    node_day->BindInt64(1, row.node_id);
    node_day->BindInt64(2, row.date);
    node_day->BindBlob(3, row.figures);
    RETURN_IF_ERROR(node_day->Run());
  }
  ASSIGN_OR_RETURN(Statement * last, db_->Cached(kLastReading));
  for (const LastReading& reading : write.last_readings) {
    last->BindInt64(1, reading.sensor_id);
    last->BindInt64(2, reading.ts_ms);
    last->BindInt64(3, reading.value);
    RETURN_IF_ERROR(last->Run());
  }
  return transaction.Commit();
}

absl::Status SqliteAnalytics::DeleteSummaries(bool sensor_days_too) {
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(
      db_->Execute("DELETE FROM node_days; DELETE FROM summary_nodes;"));
  if (sensor_days_too) {
    RETURN_IF_ERROR(RaiseBookingDayGenerationsOfSensorDays(
        db_, std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max()));
    RETURN_IF_ERROR(db_->Execute("DELETE FROM sensor_days"));
  }
  return transaction.Commit();
}

absl::Status SqliteAnalytics::DeleteSensorDaysFrom(int32_t first_date) {
  static constexpr char kSql[] = "DELETE FROM sensor_days WHERE date >= ?";
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  RETURN_IF_ERROR(RaiseBookingDayGenerationsOfSensorDays(
      db_, first_date, std::numeric_limits<int32_t>::max()));
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, first_date);
  RETURN_IF_ERROR(stmt->Run());
  return transaction.Commit();
}

absl::StatusOr<std::string> SqliteAnalytics::GetSummaryMeta(
    absl::string_view key) {
  static constexpr char kSql[] = "SELECT value FROM summary_meta WHERE key = ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, key);
  ASSIGN_OR_RETURN(std::optional<std::string> value,
                   stmt->OneRow([&] { return stmt->ColumnText(0); }));
  return value.value_or(std::string());
}

absl::Status SqliteAnalytics::SetSummaryMeta(absl::string_view key,
                                             absl::string_view value) {
  static constexpr char kSql[] =
      "INSERT INTO summary_meta(key, value) VALUES(?, ?) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, key);
  stmt->BindText(2, value);
  return stmt->Run();
}

absl::Status SqliteAnalytics::ScanLastReadings(
    absl::FunctionRef<void(const LastReading&)> visit) {
  static constexpr char kSql[] =
      "SELECT sensor_id, ts_ms, value FROM sensor_last_readings";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    visit({stmt->ColumnInt64(0), stmt->ColumnInt64(1), stmt->ColumnInt64(2)});
  }));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<TargetRow>> SqliteAnalytics::ListTargets() {
  static constexpr char kSql[] =
      "SELECT id, scope, scope_code, metric, value, valid_from, valid_to, note "
      "FROM targets ORDER BY scope, scope_code, metric, valid_from, id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<TargetRow> targets;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    TargetRow& target = targets.emplace_back();
    target.id = stmt->ColumnInt64(0);
    target.scope = stmt->ColumnText(1);
    target.scope_code = stmt->ColumnText(2);
    target.metric = stmt->ColumnText(3);
    target.value = stmt->ColumnDouble(4);
    target.valid_from = stmt->ColumnText(5);
    target.valid_to = stmt->ColumnText(6);
    target.note = stmt->ColumnText(7);
  }));
  return targets;
}

absl::StatusOr<int64_t> SqliteAnalytics::PutTarget(const TargetRow& target) {
  if (target.id == 0) {
    static constexpr char kSql[] =
        "INSERT INTO targets(scope, scope_code, metric, value, valid_from, "
        "valid_to, note) VALUES(?, ?, ?, ?, ?, ?, ?)";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    stmt->BindText(1, target.scope);
    stmt->BindText(2, target.scope_code);
    stmt->BindText(3, target.metric);
    stmt->BindDouble(4, target.value);
    stmt->BindText(5, target.valid_from);
    stmt->BindText(6, target.valid_to);
    stmt->BindText(7, target.note);
    RETURN_IF_ERROR(stmt->Run());
    return db_->LastInsertRowId();
  }
  static constexpr char kSql[] =
      "UPDATE targets SET scope = ?, scope_code = ?, metric = ?, value = ?, "
      "valid_from = ?, valid_to = ?, note = ? WHERE id = ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, target.scope);
  stmt->BindText(2, target.scope_code);
  stmt->BindText(3, target.metric);
  stmt->BindDouble(4, target.value);
  stmt->BindText(5, target.valid_from);
  stmt->BindText(6, target.valid_to);
  stmt->BindText(7, target.note);
  stmt->BindInt64(8, target.id);
  RETURN_IF_ERROR(stmt->Run());
  if (db_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("id: no target ", target.id));
  }
  return target.id;
}

absl::Status SqliteAnalytics::DeleteTarget(int64_t id) {
  static constexpr char kSql[] = "DELETE FROM targets WHERE id = ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, id);
  RETURN_IF_ERROR(stmt->Run());
  if (db_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("id: no target ", id));
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
