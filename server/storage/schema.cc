#include "server/storage/schema.h"

#include <iterator>
#include <span>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/sqlite_backup.h"
#include "common/sqlite_migrations.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

// Migration N (1-based) is kMigrations[N-1]. Never edit a released one: add
// a new one.
constexpr const char* kMigrations[] = {
    // 1: inventory and raw readings.
    R"sql(
CREATE TABLE organizations (
  id   INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE TABLE sites (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  kind            TEXT NOT NULL,
  address         TEXT NOT NULL DEFAULT '',
  municipality    TEXT NOT NULL DEFAULT '',
  timezone        TEXT NOT NULL,
  office_area_m2  REAL NOT NULL DEFAULT 0,
  annual_rent_eur REAL NOT NULL DEFAULT 0,
  core_weekdays   TEXT NOT NULL,   -- ISO weekdays as digits, e.g. '12345'
  core_start      TEXT NOT NULL,   -- 'HH:MM' local
  core_end        TEXT NOT NULL
);
CREATE TABLE spaces (
  id        INTEGER PRIMARY KEY,
  code      TEXT NOT NULL UNIQUE,
  site_id   INTEGER NOT NULL REFERENCES sites(id),
  parent_id INTEGER REFERENCES spaces(id),
  level     TEXT NOT NULL,
  kind      TEXT NOT NULL DEFAULT '',
  name      TEXT NOT NULL DEFAULT '',
  area_m2   REAL NOT NULL DEFAULT 0,
  capacity  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX spaces_by_site ON spaces(site_id);
CREATE INDEX spaces_by_parent ON spaces(parent_id);
CREATE TABLE workstations (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE,
  space_id        INTEGER NOT NULL REFERENCES spaces(id),
  kind            TEXT NOT NULL,
  organization_id INTEGER REFERENCES organizations(id),
  status          TEXT NOT NULL
);
CREATE INDEX workstations_by_space ON workstations(space_id);
CREATE TABLE sensors (
  id             INTEGER PRIMARY KEY,
  external_id    TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL,
  workstation_id INTEGER REFERENCES workstations(id),
  space_id       INTEGER REFERENCES spaces(id),
  gateway        TEXT NOT NULL,
  installed      TEXT NOT NULL DEFAULT '',  -- 'YYYY-MM-DD' site-local, '' = ever
  removed        TEXT NOT NULL DEFAULT ''   -- 'YYYY-MM-DD' site-local, '' = never
);
CREATE INDEX sensors_by_workstation ON sensors(workstation_id);
CREATE INDEX sensors_by_space ON sensors(space_id);
CREATE INDEX sensors_by_gateway ON sensors(gateway);
-- Raw readings. The key starts with time so that the inserts of live data
-- append to the B-tree instead of scattering across it; it also makes a
-- second reading of one sensor at one instant a duplicate.
CREATE TABLE readings (
  ts_ms     INTEGER NOT NULL,  -- UTC milliseconds since the epoch
  sensor_id INTEGER NOT NULL,
  seq       INTEGER NOT NULL,  -- sender's sequence number, 0 = none
  value     INTEGER NOT NULL,  -- 0/1 presence, or a count
  PRIMARY KEY (ts_ms, sensor_id)
) WITHOUT ROWID;
)sql",
    // 2: workforce (HR): pseudonymous employees, their validity periods,
    // work-location days and the per-employee monthly rollup of those days.
    // Days are civil dates stored as YYYYMMDD integers, months as YYYYMM.
    R"sql(
-- Raw employee ids are never stored: only HMAC-SHA256(server key, raw id)
-- as 64 lowercase hex digits.
CREATE TABLE employees (
  id        INTEGER PRIMARY KEY,
  pseudonym TEXT NOT NULL UNIQUE
);
-- What the registry says about an employee from valid_from to valid_to
-- (inclusive; 99991231 = open). At most one period per employee and day.
CREATE TABLE employee_periods (
  employee_id        INTEGER NOT NULL REFERENCES employees(id),
  valid_from         INTEGER NOT NULL,
  valid_to           INTEGER NOT NULL,
  organization_id    INTEGER NOT NULL REFERENCES organizations(id),
  unit               TEXT NOT NULL,
  fte                REAL NOT NULL,
  home_workstation   INTEGER NOT NULL,  -- 0/1
  office_workstation INTEGER NOT NULL,  -- 0 none, 1 assigned, 2 unassigned
  multi_space        INTEGER NOT NULL,  -- 0/1
  shared_use         INTEGER NOT NULL,  -- 0/1
  site_id            INTEGER REFERENCES sites(id),
  PRIMARY KEY (employee_id, valid_from)
) WITHOUT ROWID;
-- One record per employee and day. Keyed by day first, like readings, so
-- that imports (usually in date order) append to the B-tree. No foreign
-- keys: the writer resolves ids itself, and a per-row check would halve the
-- import rate.
CREATE TABLE work_days (
  day         INTEGER NOT NULL,  -- YYYYMMDD
  employee_id INTEGER NOT NULL,
  kind        INTEGER NOT NULL,  -- 0-6 = location kind A-G
  site_id     INTEGER,
  source      INTEGER NOT NULL,  -- WorkDaySource
  PRIMARY KEY (day, employee_id)
) WITHOUT ROWID;
-- Days per employee and month by kind, kept in step with work_days, so
-- that monthly reports read one row per person instead of every day.
CREATE TABLE work_months (
  month       INTEGER NOT NULL,  -- YYYYMM
  employee_id INTEGER NOT NULL,
  a INTEGER NOT NULL, b INTEGER NOT NULL, c INTEGER NOT NULL,
  d INTEGER NOT NULL, e INTEGER NOT NULL, f INTEGER NOT NULL,
  g INTEGER NOT NULL,
  PRIMARY KEY (month, employee_id)
) WITHOUT ROWID;
)sql",
    // 3: sensor health: per sensor, the latest time it was heard from and its
    // latest battery and signal reports (times UTC ms, 0 = never). One row
    // per sensor, rewritten by the ingest writer about once a second; last
    // seen starts from the readings already stored.
    R"sql(
CREATE TABLE sensor_health (
  sensor_id       INTEGER PRIMARY KEY REFERENCES sensors(id),
  last_seen_ms    INTEGER NOT NULL,
  battery_mv      INTEGER,
  battery_percent INTEGER,
  battery_ts_ms   INTEGER NOT NULL DEFAULT 0,
  rssi_dbm        INTEGER,
  snr_db          REAL,
  signal_ts_ms    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sensor_health(sensor_id, last_seen_ms)
  SELECT sensor_id, MAX(ts_ms) FROM readings GROUP BY sensor_id;
)sql",
    // 4: occupancy summaries (server/summary/) and targets: derived data the
    // server keeps up to date from the readings, so that reports never scan
    // raw readings. Existing readings are marked for summarizing.
    R"sql(
-- UTC hours (ts_ms / 3600000) holding readings not yet summarized. The
-- generation grows with every write that marks the hour, so that a summary
-- pass clears only the marks it has seen.
CREATE TABLE summary_dirty_hours (
  hour       INTEGER PRIMARY KEY,
  generation INTEGER NOT NULL
);
INSERT INTO summary_dirty_hours(hour, generation)
  SELECT DISTINCT ts_ms / 3600000, 1 FROM readings;
-- Known states of one sensor on one local date of its site (days since
-- 1970-01-01), as spans encoded by server/summary/codec.h.
CREATE TABLE sensor_days (
  date      INTEGER NOT NULL,
  sensor_id INTEGER NOT NULL,
  states    BLOB NOT NULL,
  PRIMARY KEY (date, sensor_id)
) WITHOUT ROWID;
-- Sets of workstations and rooms whose daily figures are kept, by key
-- ("all", "site/HKI-VT", "space/HKI-VT-2", "org/DVV", "kind/unassigned",
-- "site-org/HKI-VT/DVV", "site-kind/HKI-VT/unassigned").
CREATE TABLE summary_nodes (
  id  INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE
);
CREATE TABLE node_days (
  node_id INTEGER NOT NULL,
  date    INTEGER NOT NULL,
  figures BLOB NOT NULL,
  PRIMARY KEY (node_id, date)
) WITHOUT ROWID;
-- The summarizer's bookkeeping: which settings and inventory the stored
-- summaries were computed with.
CREATE TABLE summary_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Each sensor's newest reading, for coverage ("silent sensors").
CREATE TABLE sensor_last_readings (
  sensor_id INTEGER PRIMARY KEY,
  ts_ms     INTEGER NOT NULL,
  value     INTEGER NOT NULL
);
-- Targets with validity dates (inclusive; valid_to '' = open).
CREATE TABLE targets (
  id         INTEGER PRIMARY KEY,
  scope      TEXT NOT NULL,
  scope_code TEXT NOT NULL DEFAULT '',
  metric     TEXT NOT NULL,
  value      REAL NOT NULL,
  valid_from TEXT NOT NULL,
  valid_to   TEXT NOT NULL DEFAULT '',
  note       TEXT NOT NULL DEFAULT ''
);
INSERT INTO targets(scope, scope_code, metric, value, valid_from, valid_to, note)
VALUES
  ('portfolio', '', 'm2_per_fte', 18, '2014-01-01', '',
   'Existing offices, htm2/htv (state premises strategy 2014)'),
  ('portfolio', '', 'm2_per_fte_new', 15, '2014-01-01', '2021-12-15',
   'New premises projects, htm2/htv (state premises strategy 2014)'),
  ('portfolio', '', 'm2_per_fte_new', 10, '2021-12-16', '',
   'New premises projects, htm2/htv (Government resolution 16.12.2021, VM/2021/198)'),
  ('portfolio', '', 'shared_premises_share_pct', 25, '2021-12-16', '',
   'Staff working in agencies'' shared-use premises, % (VM/2021/198)');
)sql",
    // 5: API tokens (only their SHA-256) and the audit log.
    R"sql(
-- secret_sha256: SHA-256 of the token, 64 lowercase hex digits; the token
-- itself is never stored. role: device, facility, hr or admin; gateway only
-- for device tokens. Times are UTC ms; expires_ms/revoked_ms NULL = never.
CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  gateway       TEXT NOT NULL DEFAULT '',
  secret_sha256 TEXT NOT NULL UNIQUE,
  created_ms    INTEGER NOT NULL,
  expires_ms    INTEGER,
  revoked_ms    INTEGER
);
-- Who (token id, name and role at the time) did what (RPC and a summary
-- without secrets or personal data) when (UTC ms).
CREATE TABLE audit_events (
  id         INTEGER PRIMARY KEY,
  ts_ms      INTEGER NOT NULL,
  token_id   INTEGER NOT NULL,
  token_name TEXT NOT NULL,
  role       TEXT NOT NULL,
  rpc        TEXT NOT NULL,
  summary    TEXT NOT NULL
);
CREATE INDEX audit_events_by_time ON audit_events(ts_ms);
)sql",
    // 6: one row the ingest writer rewrites now and then, to learn whether
    // storage still takes writes (disk full, I/O errors) while no readings
    // arrive.
    R"sql(
CREATE TABLE storage_probe (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  probed_ms INTEGER NOT NULL  -- UTC milliseconds
);
)sql",
    // 7: observation rounds of utilization studies: what an observer marked
    // at a workstation in a round. The observer is not stored.
    R"sql(
-- round_ms: UTC milliseconds of the round. state: 0 vacant, 1 signs of
-- life, 2 occupied.
CREATE TABLE observation_rounds (
  workstation_id INTEGER NOT NULL REFERENCES workstations(id),
  round_ms       INTEGER NOT NULL,
  state          INTEGER NOT NULL CHECK (state IN (0, 1, 2)),
  PRIMARY KEY (workstation_id, round_ms)
) WITHOUT ROWID;
CREATE INDEX observation_rounds_by_time ON observation_rounds(round_ms);
)sql",
    // 8: bookings of desks and meeting rooms (docs/bookings.md), and the
    // mailbox address by which calendar exports name a room.
    R"sql(
ALTER TABLE spaces ADD COLUMN email TEXT NOT NULL DEFAULT '';
-- One imported export per source name: when (UTC ms) and in which format.
CREATE TABLE booking_sources (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  format      TEXT NOT NULL,      -- 'ics' or 'csv'
  imported_ms INTEGER NOT NULL
);
-- [start_ms, end_ms) UTC ms of a desk (workstation_id) or a room
-- (space_id). attendees NULL: not said. booker: a keyed pseudonym or NULL,
-- never an identity in clear. uid: the iCalendar UID or ''.
CREATE TABLE bookings (
  id             INTEGER PRIMARY KEY,
  source_id      INTEGER NOT NULL REFERENCES booking_sources(id),
  uid            TEXT NOT NULL DEFAULT '',
  workstation_id INTEGER REFERENCES workstations(id),
  space_id       INTEGER REFERENCES spaces(id),
  start_ms       INTEGER NOT NULL,
  end_ms         INTEGER NOT NULL,
  attendees      INTEGER,
  booker         TEXT,
  CHECK ((workstation_id IS NULL) <> (space_id IS NULL)),
  CHECK (end_ms > start_ms)
);
CREATE INDEX bookings_by_start ON bookings(start_ms);
CREATE INDEX bookings_by_source ON bookings(source_id, start_ms);
CREATE INDEX bookings_by_uid ON bookings(source_id, uid);
)sql",
    // 9: the bookings report's figures of each site's local date, kept so
    // that reports over long windows only add them up
    // (server/bookings/booking_days.h).
    R"sql(
-- The generation of each local date (days since 1970-01-01): raised in the
-- same transaction as every change of a booking or a sensor day that can
-- touch the date. No row: generation 0.
CREATE TABLE booking_day_marks (
  date       INTEGER PRIMARY KEY,
  generation INTEGER NOT NULL
);
-- hours: 'core' or 'all'. figures: EncodeSiteBookingDay. Valid while
-- generation is the date's and fingerprint the inventory's.
CREATE TABLE booking_days (
  hours       TEXT NOT NULL,
  date        INTEGER NOT NULL,
  site_id     INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  generation  INTEGER NOT NULL,
  figures     BLOB NOT NULL,
  PRIMARY KEY (hours, date, site_id)
);
)sql",
    // 10: where workstations stand on their floor, and floors' plan drawings
    // (docs/inventory.md).
    R"sql(
-- Metres right of and below the floor's top-left corner; NULL: not placed.
ALTER TABLE workstations ADD COLUMN x_m REAL;
ALTER TABLE workstations ADD COLUMN y_m REAL;
-- A floor's plan drawing: an SVG document of at most 2 MiB (checked on
-- import), apart from the spaces so that listing spaces stays small.
CREATE TABLE floor_plans (
  space_id INTEGER PRIMARY KEY REFERENCES spaces(id),
  svg      TEXT NOT NULL
);
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

absl::Status MigrateSchema(Database* db) {
  return Migrate(
      db,
      {.scripts = kMigrations, .database = "database", .program = "server"});
}

absl::Status MigrateSchemaTo(Database* db, int version) {
  if (version < 0 || version > LatestSchemaVersion()) {
    return absl::InvalidArgumentError(absl::StrCat("schema version ", version,
                                                   " is not within 0..",
                                                   LatestSchemaVersion()));
  }
  return Migrate(db, {.scripts = std::span<const char* const>(kMigrations)
                                     .first(static_cast<size_t>(version)),
                      .database = "database",
                      .program = "server"});
}

std::string MigrationBackupPath(const std::string& db_path, int from, int to,
                                absl::Time now) {
  return absl::StrCat(
      db_path, ".v", from, "-to-v", to, ".",
      absl::FormatTime("%Y%m%dT%H%M%SZ", now, absl::UTCTimeZone()), ".backup");
}

absl::Status UpgradeSchema(Database* db, const SchemaUpgradeOptions& options) {
  ASSIGN_OR_RETURN(const int version, SchemaVersion(db));
  const int latest = LatestSchemaVersion();
  if (version >= 1 && version < latest) {
    if (options.backup_before_migration) {
      const std::string backup =
          MigrationBackupPath(db->path(), version, latest, options.now);
      absl::StatusOr<DatabaseBackupReport> copied =
          BackupDatabase(db->path(), backup);
      if (!copied.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "database ", db->path(), " has schema version ", version,
            " and this server migrates it to ", latest,
            ", but the backup before the migration failed, so nothing was "
            "migrated: ",
            copied.status().message(),
            ". Free space beside the database or make a backup yourself "
            "and start once with --backup_before_migration=false"));
      }
      Log(LogLevel::kInfo, "schema_backup_written",
          {{"db", db->path()},
           {"backup", backup},
           {"from_version", version},
           {"to_version", latest},
           {"bytes", copied->bytes}});
    } else {
      Log(LogLevel::kWarning, "schema_migration_without_backup",
          {{"db", db->path()},
           {"from_version", version},
           {"to_version", latest},
           {"reason", "--backup_before_migration=false"}});
    }
  }
  RETURN_IF_ERROR(MigrateSchema(db));
  if (version >= 1 && version < latest) {
    Log(LogLevel::kInfo, "schema_migrated",
        {{"db", db->path()},
         {"from_version", version},
         {"to_version", latest}});
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
