#include "server/storage/sqlite_access.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

constexpr char kTokenColumns[] =
    "id, name, role, gateway, secret_sha256, created_ms, "
    "IFNULL(expires_ms, 0), IFNULL(revoked_ms, 0)";

// The gateway column holds a token's scope: the gateway of a device token,
// the site codes of a display token (one per line; codes hold no control
// characters), empty for the other roles.
constexpr char kDisplayRole[] = "display";

std::string ScopeColumn(const TokenRecord& token) {
  return token.role == kDisplayRole ? absl::StrJoin(token.sites, "\n")
                                    : token.gateway;
}

TokenRecord TokenFromRow(const Statement& row) {
  TokenRecord token;
  token.id = row.ColumnInt64(0);
  token.name = row.ColumnText(1);
  token.role = row.ColumnText(2);
  if (token.role == kDisplayRole) {
    token.sites = absl::StrSplit(row.ColumnText(3), '\n', absl::SkipEmpty());
  } else {
    token.gateway = row.ColumnText(3);
  }
  token.secret_sha256 = row.ColumnText(4);
  token.created_ms = row.ColumnInt64(5);
  token.expires_ms = row.ColumnInt64(6);
  token.revoked_ms = row.ColumnInt64(7);
  return token;
}

}  // namespace

absl::StatusOr<int64_t> SqliteAccess::InsertToken(const TokenRecord& token) {
  static constexpr char kSql[] =
      "INSERT INTO api_tokens(name, role, gateway, secret_sha256, created_ms, "
      "expires_ms, revoked_ms) VALUES(?, ?, ?, ?, ?, ?, ?)";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, token.name);
  stmt->BindText(2, token.role);
  stmt->BindText(3, ScopeColumn(token));
  stmt->BindText(4, token.secret_sha256);
  stmt->BindInt64(5, token.created_ms);
  if (token.expires_ms != 0)
    stmt->BindInt64(6, token.expires_ms);
  else
    stmt->BindNull(6);
  if (token.revoked_ms != 0)
    stmt->BindInt64(7, token.revoked_ms);
  else
    stmt->BindNull(7);
  absl::Status status = stmt->Run();
  if (!status.ok()) {
    return absl::Status(
        status.code(),
        absl::StrCat("storing token \"", token.name, "\": ", status.message()));
  }
  return db_->LastInsertRowId();
}

absl::StatusOr<std::vector<TokenRecord>> SqliteAccess::ListTokens() {
  static const std::string kSql =
      absl::StrCat("SELECT ", kTokenColumns, " FROM api_tokens ORDER BY id");
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql.c_str()));
  std::vector<TokenRecord> tokens;
  RETURN_IF_ERROR(
      stmt->ForEachRow([&] { tokens.push_back(TokenFromRow(*stmt)); }));
  return tokens;
}

absl::StatusOr<std::optional<TokenRecord>> SqliteAccess::FindToken(int64_t id) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kTokenColumns, " FROM api_tokens WHERE id = ?");
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql.c_str()));
  stmt->BindInt64(1, id);
  return stmt->OneRow([&] { return TokenFromRow(*stmt); });
}

absl::StatusOr<TokenRecord> SqliteAccess::RevokeToken(int64_t id,
                                                      int64_t revoked_ms) {
  static constexpr char kSql[] =
      "UPDATE api_tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS "
      "NULL";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, revoked_ms);
  stmt->BindInt64(2, id);
  RETURN_IF_ERROR(stmt->Run());
  ASSIGN_OR_RETURN(std::optional<TokenRecord> token, FindToken(id));
  if (!token.has_value()) {
    return absl::NotFoundError(absl::StrCat("no token with id ", id));
  }
  return *token;
}

absl::StatusOr<int64_t> SqliteAccess::AppendAudit(const AuditRecord& record) {
  static constexpr char kSql[] =
      "INSERT INTO audit_events(ts_ms, token_id, token_name, role, rpc, "
      "summary) VALUES(?, ?, ?, ?, ?, ?)";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, record.ts_ms);
  stmt->BindInt64(2, record.token_id);
  stmt->BindText(3, record.token_name);
  stmt->BindText(4, record.role);
  stmt->BindText(5, record.rpc);
  stmt->BindText(6, record.summary);
  RETURN_IF_ERROR(stmt->Run());
  return db_->LastInsertRowId();
}

absl::StatusOr<std::vector<AuditRecord>> SqliteAccess::ListAudit(
    int64_t from_ms, int64_t to_ms, int limit) {
  static constexpr char kSql[] =
      "SELECT id, ts_ms, token_id, token_name, role, rpc, summary "
      "FROM audit_events WHERE ts_ms >= ? AND ts_ms < ? "
      "ORDER BY ts_ms DESC, id DESC LIMIT ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, from_ms);
  stmt->BindInt64(2, to_ms);
  stmt->BindInt64(3, limit);
  std::vector<AuditRecord> records;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    AuditRecord record;
    record.id = stmt->ColumnInt64(0);
    record.ts_ms = stmt->ColumnInt64(1);
    record.token_id = stmt->ColumnInt64(2);
    record.token_name = stmt->ColumnText(3);
    record.role = stmt->ColumnText(4);
    record.rpc = stmt->ColumnText(5);
    record.summary = stmt->ColumnText(6);
    records.push_back(std::move(record));
  }));
  return records;
}

}  // namespace monipaikka
