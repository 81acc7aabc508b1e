#pragma once

// SQLite implementation of AccessStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Access()).

#include "common/sqlite.h"
#include "server/storage/access_storage.h"

namespace monipaikka {

class SqliteAccess final : public AccessStorage {
 public:
  // `db` is not owned and must outlive this object.
  explicit SqliteAccess(Database* db) : db_(db) {}

  absl::StatusOr<int64_t> InsertToken(const TokenRecord& token) override;
  absl::StatusOr<std::vector<TokenRecord>> ListTokens() override;
  absl::StatusOr<TokenRecord> RevokeToken(int64_t id,
                                          int64_t revoked_ms) override;
  absl::StatusOr<int64_t> AppendAudit(const AuditRecord& record) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAudit(int64_t from_ms,
                                                     int64_t to_ms,
                                                     int limit) override;

 private:
  absl::StatusOr<std::optional<TokenRecord>> FindToken(int64_t id);

  Database* const db_;
};

}  // namespace monipaikka
