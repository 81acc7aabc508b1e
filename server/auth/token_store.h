#pragma once

// The API tokens: creation (the secret is returned once; storage keeps its
// SHA-256), revocation, listing, and the fast check of a presented token
// against an in-memory copy of the token table.
//
// Thread safety: every method may be called from any thread. Authenticate()
// takes a lock only to copy a pointer. Create(), Revoke() and Load() write
// or read through the given storage (the caller's session, used by one
// thread at a time) and replace the in-memory copy after; they run one at a
// time, so a stale copy never replaces a newer one.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/auth/role.h"
#include "server/storage/access_storage.h"

namespace monipaikka {

// Why a presented token was refused.
enum class TokenRefusal : uint8_t { kMalformed, kUnknown, kExpired, kRevoked };

// A token to create. `expires_ms` 0: never.
struct NewToken {
  std::string name;
  Role role = Role::kFacility;
  std::string gateway;  // required for device tokens, refused for others
  // Site codes: required for display tokens, refused for others.
  std::vector<std::string> sites;
  int64_t expires_ms = 0;
};

struct CreatedToken {
  TokenRecord record;
  // The token itself: shown once, never stored.
  std::string secret;
};

class TokenStore {
 public:
  // `now_ms` is the clock (UTC ms) for creation times and expiry.
  explicit TokenStore(std::function<int64_t()> now_ms);
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // Reads every token from `storage` into memory.
  absl::Status Load(AccessStorage& storage) ABSL_LOCKS_EXCLUDED(write_mu_);

  // Checks `token` (INVALID_ARGUMENT naming the field), stores its hash and
  // returns the record with the secret.
  absl::StatusOr<CreatedToken> Create(AccessStorage& storage,
                                      const NewToken& token)
      ABSL_LOCKS_EXCLUDED(write_mu_);
  // Revokes token `id` (NOT_FOUND if there is none); returns it.
  absl::StatusOr<TokenRecord> Revoke(AccessStorage& storage, int64_t id)
      ABSL_LOCKS_EXCLUDED(write_mu_);

  // The token whose secret is `secret`, if it is known, not expired and not
  // revoked; otherwise UNAUTHENTICATED with a message saying why (never
  // quoting the secret), and `*refusal` set.
  absl::StatusOr<TokenRecord> Authenticate(absl::string_view secret,
                                           TokenRefusal* refusal) const
      ABSL_LOCKS_EXCLUDED(snapshot_mu_);

  // OK if token `id`, presented earlier, is still neither revoked nor
  // expired (a long-lived stream checks again with each message);
  // otherwise UNAUTHENTICATED saying why, and `*refusal` set.
  absl::Status CheckStillActive(int64_t id, TokenRefusal* refusal) const
      ABSL_LOCKS_EXCLUDED(snapshot_mu_);

  // Whether `token` is neither revoked nor expired now.
  bool IsActive(const TokenRecord& token) const;
  int64_t NowMs() const { return now_ms_(); }

 private:
  struct Snapshot {
    absl::flat_hash_map<std::string, TokenRecord> by_hash;
    absl::flat_hash_map<int64_t, const TokenRecord*> by_id;  // into by_hash
  };

  std::shared_ptr<const Snapshot> CurrentSnapshot() const
      ABSL_LOCKS_EXCLUDED(snapshot_mu_);
  // OK if `token` is neither revoked nor expired now.
  absl::Status CheckActive(const TokenRecord& token,
                           TokenRefusal* refusal) const;

  absl::Status ReloadLocked(AccessStorage& storage)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const std::function<int64_t()> now_ms_;
  // Serializes writers (Create, Revoke, Load).
  absl::Mutex write_mu_;
  mutable absl::Mutex snapshot_mu_;
  std::shared_ptr<const Snapshot> snapshot_ ABSL_GUARDED_BY(snapshot_mu_);
};

}  // namespace monipaikka
