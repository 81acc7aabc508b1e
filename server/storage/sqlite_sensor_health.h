#pragma once

// SQLite implementation of SensorHealthStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::SensorHealth()).

#include "common/sqlite.h"
#include "server/storage/sensor_health_storage.h"

namespace monipaikka {

class SqliteSensorHealth final : public SensorHealthStorage {
 public:
  // `db` is not owned and must outlive this object.
  explicit SqliteSensorHealth(Database* db) : db_(db) {}

  absl::Status UpsertSensorHealth(
      std::span<const SensorHealthRecord> records) override;
  absl::Status ScanSensorHealth(
      absl::FunctionRef<void(const SensorHealthRecord&)> visit) override;
  absl::StatusOr<std::vector<SensorHealthRow>> ListSensorHealth(
      absl::string_view site, absl::string_view gateway,
      absl::string_view today) override;

 private:
  Database* const db_;
};

}  // namespace monipaikka
