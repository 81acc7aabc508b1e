#pragma once

// SQLite implementation of ObservationStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Observations()).

#include "common/sqlite.h"
#include "server/storage/observation_storage.h"

namespace monipaikka {

class SqliteObservations final : public ObservationStorage {
 public:
  // `db` is not owned and must outlive this object.
  explicit SqliteObservations(Database* db) : db_(db) {}

  absl::Status UpsertObservations(
      std::span<const StoredObservation> observations,
      std::vector<ObservationWrite>* outcomes) override;
  absl::Status ScanObservations(
      int64_t from_ms, int64_t to_ms,
      absl::FunctionRef<void(const StoredObservation&)> visit) override;

 private:
  Database* const db_;
};

}  // namespace monipaikka
