#pragma once

// SQLite implementation of RetentionStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Retention()).

#include "common/sqlite.h"
#include "server/storage/retention_storage.h"

namespace monipaikka {

class SqliteRetention final : public RetentionStorage {
 public:
  // `db` is not owned and must outlive this object.
  explicit SqliteRetention(Database* db) : db_(db) {}

  absl::StatusOr<std::optional<int64_t>> OldestUnsummarizedMs() override;
  absl::StatusOr<RetentionChunk> DeleteReadingsBefore(int64_t before_ms,
                                                      int max_rows) override;
  absl::StatusOr<int64_t> RawReadingsHorizonMs() override;
  absl::StatusOr<RetentionChunk> DeleteSummariesBefore(
      int32_t before_date, int max_rows, int64_t* node_cursor) override;
  absl::StatusOr<int> AutoVacuumMode() override;
  absl::StatusOr<VacuumStep> IncrementalVacuum(int pages) override;
  absl::StatusOr<StoredCounts> CountStored(bool count_rows) override;

 private:
  // The calls above, in a RetentionTurn (see sqlite_retention.cc).
  absl::StatusOr<RetentionChunk> DeleteReadingsInTurn(int64_t before_ms,
                                                      int max_rows);
  absl::StatusOr<RetentionChunk> DeleteSummariesInTurn(int32_t before_date,
                                                       int max_rows,
                                                       int64_t* node_cursor);
  absl::StatusOr<VacuumStep> IncrementalVacuumInTurn(int pages);
  // An integer PRAGMA's value.
  absl::StatusOr<int64_t> PragmaInt(const char* sql);

  Database* const db_;
};

// The summary_meta key of the raw readings' horizon (UTC ms as text).
inline constexpr char kRawHorizonMeta[] = "raw_horizon_ms";

}  // namespace monipaikka
