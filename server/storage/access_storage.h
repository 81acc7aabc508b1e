#pragma once

// The access-control part of the storage interface: API tokens (by their
// SHA-256 only) and the audit log. Reached through StorageSession::Access().
//
// Thread safety: as StorageSession (one thread at a time).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace monipaikka {

// A stored token. `secret_sha256` is the SHA-256 of the token as 64
// lowercase hex digits; the token itself is never stored. Times are UTC ms;
// 0 means never (no expiry, not revoked).
struct TokenRecord {
  int64_t id = 0;
  std::string name;
  std::string role;     // "device", "facility", "hr" or "admin"
  std::string gateway;  // device tokens only
  // The site codes a display token may read the live occupancy of (display
  // tokens only; at least one).
  std::vector<std::string> sites;
  std::string secret_sha256;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int64_t revoked_ms = 0;

  friend bool operator==(const TokenRecord&, const TokenRecord&) = default;
};

// One audit log entry: who (token id, name, role), what (RPC and a summary
// without secrets or personal data), when (UTC ms).
struct AuditRecord {
  int64_t id = 0;  // assigned on append
  int64_t ts_ms = 0;
  int64_t token_id = 0;
  std::string token_name;
  std::string role;
  std::string rpc;
  std::string summary;

  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

class AccessStorage {
 public:
  virtual ~AccessStorage() = default;

  // Stores `token` (id ignored) and returns its new id. ALREADY_EXISTS when
  // a token with the same hash is stored.
  virtual absl::StatusOr<int64_t> InsertToken(const TokenRecord& token) = 0;
  // Every token, by id.
  virtual absl::StatusOr<std::vector<TokenRecord>> ListTokens() = 0;
  // Sets revoked_ms unless already set; returns the token as stored after.
  // NOT_FOUND for an unknown id.
  virtual absl::StatusOr<TokenRecord> RevokeToken(int64_t id,
                                                  int64_t revoked_ms) = 0;

  // Appends an entry; returns its id.
  virtual absl::StatusOr<int64_t> AppendAudit(const AuditRecord& record) = 0;
  // Entries with from_ms <= ts_ms < to_ms, newest first, at most `limit`.
  virtual absl::StatusOr<std::vector<AuditRecord>> ListAudit(int64_t from_ms,
                                                             int64_t to_ms,
                                                             int limit) = 0;
};

}  // namespace monipaikka
