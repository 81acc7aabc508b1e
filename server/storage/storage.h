#pragma once

// The storage interface of the server. All SQL lives behind it, so that a
// PostgreSQL backend can implement the same interface for deployments that
// outgrow one machine.
//
// Thread safety: a Storage may be shared between threads; a StorageSession
// belongs to one thread at a time. The server runs one writing session (the
// ingest writer thread) and one reading session per query thread.
//
// Inventory entities travel as the API's protobuf messages: they are plain
// data and already carry every documented field. Readings are plain
// structs.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/sqlite.h"
#include "common/vocabulary.h"
#include "monipaikka/v1/inventory.pb.h"
#include "server/storage/access_storage.h"
#include "server/storage/analytics_storage.h"
#include "server/storage/booking_storage.h"
#include "server/storage/observation_storage.h"
#include "server/storage/retention_storage.h"
#include "server/storage/sensor_health_storage.h"
#include "server/storage/workforce_storage.h"

namespace monipaikka {

// A sensor as the ingest path needs it.
struct SensorBinding {
  int64_t sensor_id = 0;
  std::string external_id;
  SensorKind kind = SensorKind::kDeskPresence;
  std::string gateway;  // the gateway it reports through
};

// A reading as stored. `value` is 0/1 for presence sensors, a count for
// counting sensors. `seq` is 0 when the sender had none.
struct StoredReading {
  int64_t sensor_id = 0;
  int64_t ts_ms = 0;
  uint64_t seq = 0;
  int64_t value = 0;

  friend bool operator==(const StoredReading&, const StoredReading&) = default;
};

// What became of one reading offered to InsertReadings.
enum class InsertOutcome : uint8_t { kInserted, kDuplicate };

class StorageSession {
 public:
  virtual ~StorageSession() = default;

  // ---- Inventory ----
  // Validates and upserts a whole document in one transaction: either all of
  // it is written or nothing. INVALID_ARGUMENT names the entity and field,
  // e.g. "sites[2].kind: \"X\" is not a site kind (A-G)".
  virtual absl::StatusOr<v1::ImportInventoryResponse> ImportInventory(
      const v1::Inventory& inventory) = 0;
  virtual absl::StatusOr<std::vector<v1::Organization>> ListOrganizations() = 0;
  virtual absl::StatusOr<std::vector<v1::Site>> ListSites() = 0;
  // NOT_FOUND when no site has the code.
  virtual absl::StatusOr<v1::Site> GetSite(absl::string_view code) = 0;
  virtual absl::StatusOr<std::vector<v1::Space>> ListSpaces(
      absl::string_view site) = 0;
  // The plan drawing of a floor (empty when it has none). NOT_FOUND for an
  // unknown space.
  virtual absl::StatusOr<v1::GetPlanSvgResponse> GetPlanSvg(
      absl::string_view space) = 0;
  // `space` may be empty (whole site). NOT_FOUND for an unknown site/space.
  virtual absl::StatusOr<std::vector<v1::Workstation>> ListWorkstations(
      absl::string_view site, absl::string_view space) = 0;
  // Either filter may be empty.
  virtual absl::StatusOr<std::vector<v1::Sensor>> ListSensors(
      absl::string_view site, absl::string_view gateway) = 0;
  // Every sensor, for the ingest path's in-memory directory.
  virtual absl::StatusOr<std::vector<SensorBinding>> LoadSensorBindings() = 0;

  // ---- Readings ----
  // Stores the readings in one transaction; a reading whose (sensor_id,
  // ts_ms) is already stored is a duplicate and changes nothing.
  // `outcomes` receives one entry per reading. On error nothing is stored.
  virtual absl::Status InsertReadings(std::span<const StoredReading> readings,
                                      std::vector<InsertOutcome>* outcomes) = 0;
  // Every stored reading with ts_ms >= since_ms, in ts_ms order.
  virtual absl::Status ScanRecentReadings(
      int64_t since_ms,
      absl::FunctionRef<void(const StoredReading&)> visit) = 0;
  virtual absl::StatusOr<int64_t> CountReadings() = 0;
  // Commits a one-row write (the time of the probe, UTC ms): OK when storage
  // takes writes; the storage error (e.g. disk full) otherwise.
  virtual absl::Status ProbeWrite(int64_t now_ms) = 0;
  // PRAGMA synchronous of this session's connection as it reports it
  // (2 FULL, 1 NORMAL; see SqliteStorageOptions::synchronous).
  virtual absl::StatusOr<int> SynchronousPragma() = 0;

  // ---- Workforce (HR) ----
  // The employee registry and work-location days (server/storage/
  // workforce_storage.h), on this session's connection.
  virtual WorkforceStorage& Workforce() = 0;

  // ---- Sensor health ----
  // Last seen, battery and signal per sensor (server/storage/
  // sensor_health_storage.h), on this session's connection.
  virtual SensorHealthStorage& SensorHealth() = 0;

  // ---- Occupancy analytics ----
  // The inventory as the analytics read it, the derived occupancy data and
  // the targets (server/storage/analytics_storage.h), on this session's
  // connection.
  virtual AnalyticsStorage& Analytics() = 0;

  // ---- Observation rounds ----
  // Utilization studies' observations (server/storage/
  // observation_storage.h), on this session's connection.
  virtual ObservationStorage& Observations() = 0;
  // ---- Bookings ----
  // Desk and meeting-room bookings (server/storage/booking_storage.h), on
  // this session's connection.
  virtual BookingStorage& Bookings() = 0;

  // ---- Access control ----
  // API tokens (their hashes) and the audit log (server/storage/
  // access_storage.h), on this session's connection.
  virtual AccessStorage& Access() = 0;

  // ---- Retention ----
  // Deleting old readings and summaries in chunks, free pages, what is
  // stored (server/storage/retention_storage.h), on this session's
  // connection.
  virtual RetentionStorage& Retention() = 0;

  // ---- Query time ----
  // A statement of this session still running at `deadline` is interrupted
  // and fails (DEADLINE_EXCEEDED); absl::InfiniteFuture() lifts it. Clears
  // DeadlineExceeded().
  virtual void SetDeadline(absl::Time deadline) = 0;
  // Whether a statement was interrupted by the deadline since it was set.
  virtual bool DeadlineExceeded() const = 0;
  // The deadline last set (absl::InfiniteFuture() when none): CPU-bound
  // work done for the session's query (e.g. the disclosure audit of an HR
  // report) stops at it too, with DEADLINE_EXCEEDED.
  virtual absl::Time Deadline() const = 0;
};

struct SqliteStorageOptions {
  // Page cache per connection, KiB.
  int cache_kib = 64 * 1024;
  // Durability of every session's commits: FULL (the default) survives
  // power loss and OS crashes, NORMAL process crashes only (common/sqlite.h).
  SqliteSynchronous synchronous = SqliteSynchronous::kFull;
  // Copy the database beside itself before migrating its schema
  // (UpgradeSchema in server/storage/schema.h).
  bool backup_before_migration = true;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Opens (creating and migrating as needed) the SQLite database at `path`.
  // A database it creates has auto_vacuum=INCREMENTAL, so that retention
  // can return the pages of deleted rows to the file system; an existing one
  // keeps its mode (switching needs a VACUUM, see docs/operations.md).
  static absl::StatusOr<std::unique_ptr<Storage>> OpenSqlite(
      const std::string& path, const SqliteStorageOptions& options = {});

  // A new session with its own connection. Thread-compatible: use it from
  // one thread at a time.
  virtual absl::StatusOr<std::unique_ptr<StorageSession>> OpenSession() = 0;
};

}  // namespace monipaikka
