#include "server/storage/sqlite_observations.h"

#include <optional>

#include "common/status_macros.h"

namespace monipaikka {

absl::Status SqliteObservations::UpsertObservations(
    std::span<const StoredObservation> observations,
    std::vector<ObservationWrite>* outcomes) {
  outcomes->clear();
  if (observations.empty()) return absl::OkStatus();
  static constexpr char kFind[] =
      "SELECT state FROM observation_rounds "
      "WHERE workstation_id = ? AND round_ms = ?";
  static constexpr char kUpsert[] =
      "INSERT INTO observation_rounds(workstation_id, round_ms, state) "
      "VALUES(?, ?, ?) "
      "ON CONFLICT(workstation_id, round_ms) DO UPDATE SET "
      "state = excluded.state";
  std::vector<ObservationWrite> written;
  written.reserve(observations.size());
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * find, db_->Cached(kFind));
  ASSIGN_OR_RETURN(Statement * upsert, db_->Cached(kUpsert));
  for (const StoredObservation& o : observations) {
    find->BindInt64(1, o.workstation_id);
    find->BindInt64(2, o.round_ms);
    ASSIGN_OR_RETURN(std::optional<int64_t> state,
                     find->OneRow([&] { return find->ColumnInt64(0); }));
    if (state.has_value() && *state == o.state) {
      written.push_back(ObservationWrite::kUnchanged);
      continue;
    }
    upsert->BindInt64(1, o.workstation_id);
    upsert->BindInt64(2, o.round_ms);
    upsert->BindInt64(3, o.state);
    RETURN_IF_ERROR(upsert->Run());
    written.push_back(state.has_value() ? ObservationWrite::kChanged
                                        : ObservationWrite::kInserted);
  }
  RETURN_IF_ERROR(transaction.Commit());
  *outcomes = std::move(written);
  return absl::OkStatus();
}

absl::Status SqliteObservations::ScanObservations(
    int64_t from_ms, int64_t to_ms,
    absl::FunctionRef<void(const StoredObservation&)> visit) {
  static constexpr char kSql[] =
      "SELECT workstation_id, round_ms, state FROM observation_rounds "
      "WHERE round_ms >= ? AND round_ms < ? "
      "ORDER BY round_ms, workstation_id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, from_ms);
  stmt->BindInt64(2, to_ms);
  return stmt->ForEachRow([&] {
    visit({stmt->ColumnInt64(0), stmt->ColumnInt64(1),
           static_cast<int32_t>(stmt->ColumnInt64(2))});
  });
}

}  // namespace monipaikka
