#include "server/auth/token_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/auth/token_secret.h"

namespace monipaikka {
namespace {

constexpr size_t kMaxNameLength = 100;

absl::Status CheckNewToken(const NewToken& token, int64_t now_ms) {
  if (token.name.empty() || token.name.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: must be 1 to ", kMaxNameLength, " characters, got ",
                     token.name.size()));
  }
  for (char c : token.name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return absl::InvalidArgumentError(
          "name: must not hold control characters");
    }
  }
  if (token.role == Role::kDevice && token.gateway.empty()) {
    return absl::InvalidArgumentError(
        "gateway: a device token needs the gateway it speaks for");
  }
  if (token.role != Role::kDevice && !token.gateway.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "gateway: only device tokens have a gateway; this one has role ",
        RoleName(token.role)));
  }
  if (token.role == Role::kDisplay && token.sites.empty()) {
    return absl::InvalidArgumentError(
        "sites: a display token needs the sites whose live occupancy it "
        "shows");
  }
  if (token.role != Role::kDisplay && !token.sites.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sites: only display tokens name sites; this one has role ",
        RoleName(token.role)));
  }
  for (const std::string& site : token.sites) {
    if (site.empty() || site.size() > kMaxNameLength ||
        std::any_of(site.begin(), site.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20;
        })) {
      return absl::InvalidArgumentError(absl::StrCat(
          "sites: \"", site,
          "\" is no site code (1 to 100 characters, no control characters)"));
    }
  }
  if (token.expires_ms != 0 && token.expires_ms <= now_ms) {
    return absl::InvalidArgumentError(
        absl::StrCat("expires: ", FormatInstantMs(token.expires_ms),
                     " is not in the future"));
  }
  return absl::OkStatus();
}

}  // namespace

TokenStore::TokenStore(std::function<int64_t()> now_ms)
    : now_ms_(std::move(now_ms)), snapshot_(std::make_shared<Snapshot>()) {}

absl::Status TokenStore::Load(AccessStorage& storage) {
  absl::MutexLock lock(&write_mu_);
  return ReloadLocked(storage);
}

absl::Status TokenStore::ReloadLocked(AccessStorage& storage) {
  ASSIGN_OR_RETURN(std::vector<TokenRecord> tokens, storage.ListTokens());
  auto snapshot = std::make_shared<Snapshot>();
  for (TokenRecord& token : tokens) {
    std::string hash = token.secret_sha256;
    snapshot->by_hash.emplace(std::move(hash), std::move(token));
  }
  // flat_hash_map moves its values on rehash: index it once it is full.
  for (const auto& [hash, token] : snapshot->by_hash) {
    snapshot->by_id.emplace(token.id, &token);
  }
  absl::MutexLock lock(&snapshot_mu_);
  snapshot_ = std::move(snapshot);
  return absl::OkStatus();
}

absl::StatusOr<CreatedToken> TokenStore::Create(AccessStorage& storage,
                                                const NewToken& token) {
  const int64_t now_ms = now_ms_();
  RETURN_IF_ERROR(CheckNewToken(token, now_ms));
  CreatedToken created;
  ASSIGN_OR_RETURN(created.secret, GenerateTokenSecret());
  created.record.name = token.name;
  created.record.role = std::string(RoleName(token.role));
  created.record.gateway = token.gateway;
  created.record.sites = token.sites;
  created.record.secret_sha256 = TokenSecretSha256(created.secret);
  created.record.created_ms = now_ms;
  created.record.expires_ms = token.expires_ms;
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(created.record.id, storage.InsertToken(created.record));
  RETURN_IF_ERROR(ReloadLocked(storage));
  return created;
}

absl::StatusOr<TokenRecord> TokenStore::Revoke(AccessStorage& storage,
                                               int64_t id) {
  absl::MutexLock lock(&write_mu_);
  ASSIGN_OR_RETURN(TokenRecord revoked, storage.RevokeToken(id, now_ms_()));
  RETURN_IF_ERROR(ReloadLocked(storage));
  return revoked;
}

bool TokenStore::IsActive(const TokenRecord& token) const {
  return token.revoked_ms == 0 &&
         (token.expires_ms == 0 || now_ms_() < token.expires_ms);
}

absl::StatusOr<TokenRecord> TokenStore::Authenticate(
    absl::string_view secret, TokenRefusal* refusal) const {
  if (!IsWellFormedTokenSecret(secret)) {
    *refusal = TokenRefusal::kMalformed;
    return absl::UnauthenticatedError(
        "the token is malformed (expected \"mpk_\" and 64 hex digits)");
  }
  std::shared_ptr<const Snapshot> snapshot = CurrentSnapshot();
  // Looked up by hash: timing reveals nothing about stored secrets.
  auto it = snapshot->by_hash.find(TokenSecretSha256(secret));
  if (it == snapshot->by_hash.end()) {
    *refusal = TokenRefusal::kUnknown;
    return absl::UnauthenticatedError("the token is not known to this server");
  }
  RETURN_IF_ERROR(CheckActive(it->second, refusal));
  return it->second;
}

absl::Status TokenStore::CheckStillActive(int64_t id,
                                          TokenRefusal* refusal) const {
  std::shared_ptr<const Snapshot> snapshot = CurrentSnapshot();
  auto it = snapshot->by_id.find(id);
  if (it == snapshot->by_id.end()) {
    *refusal = TokenRefusal::kUnknown;
    return absl::UnauthenticatedError(
        absl::StrCat("token ", id, " is no longer known to this server"));
  }
  return CheckActive(*it->second, refusal);
}

std::shared_ptr<const TokenStore::Snapshot> TokenStore::CurrentSnapshot()
    const {
  absl::MutexLock lock(&snapshot_mu_);
  return snapshot_;
}

absl::Status TokenStore::CheckActive(const TokenRecord& token,
                                     TokenRefusal* refusal) const {
  if (token.revoked_ms != 0) {
    *refusal = TokenRefusal::kRevoked;
    return absl::UnauthenticatedError(
        absl::StrCat("token ", token.id, " (\"", token.name,
                     "\") was revoked at ", FormatInstantMs(token.revoked_ms)));
  }
  if (token.expires_ms != 0 && now_ms_() >= token.expires_ms) {
    *refusal = TokenRefusal::kExpired;
    return absl::UnauthenticatedError(
        absl::StrCat("token ", token.id, " (\"", token.name, "\") expired at ",
                     FormatInstantMs(token.expires_ms)));
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
