#include "server/http/web_sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "common/check.h"

namespace monipaikka::http {
namespace {

constexpr int kSecretBytes = 32;

std::string Sha256(absl::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

}  // namespace

std::string SecureRandomBytes(int n) {
  std::string bytes(static_cast<size_t>(n), '\0');
  MONIPAIKKA_CHECK(
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), n) == 1,
      "RAND_bytes failed: no randomness for session ids");
  return bytes;
}

std::string Base64Url(absl::string_view bytes) {
  return absl::WebSafeBase64Escape(bytes);
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

WebSessions::WebSessions(absl::Duration idle, int max_sessions,
                         std::function<int64_t()> now_ms,
                         std::function<std::string(int)> random_bytes)
    : idle_(idle),
      max_sessions_(max_sessions < 1 ? 1 : max_sessions),
      now_ms_(std::move(now_ms)),
      random_bytes_(std::move(random_bytes)) {}

bool WebSessions::ExpiredLocked(const Session& session, int64_t now_ms) const {
  return now_ms - session.last_used_ms >= absl::ToInt64Milliseconds(idle_);
}

NewSession WebSessions::Create(SessionToken token) {
  NewSession created;
  created.id = Base64Url(random_bytes_(kSecretBytes));
  created.csrf_token = Base64Url(random_bytes_(kSecretBytes));
  const int64_t now_ms = now_ms_();
  Session session;
  session.token = std::move(token);
  session.csrf_token = created.csrf_token;
  session.created_ms = now_ms;
  session.last_used_ms = now_ms;
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(sessions_.size()) >= max_sessions_) {
    absl::erase_if(sessions_, [&](const auto& entry) {
      return ExpiredLocked(entry.second, now_ms);
    });
  }
  while (static_cast<int>(sessions_.size()) >= max_sessions_) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.last_used_ms < oldest->second.last_used_ms) oldest = it;
    }
    sessions_.erase(oldest);
  }
  sessions_[Sha256(created.id)] = std::move(session);
  return created;
}

std::optional<Session> WebSessions::Use(absl::string_view id) {
  const std::string key = Sha256(id);
  const int64_t now_ms = now_ms_();
  absl::MutexLock lock(&mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  if (ExpiredLocked(it->second, now_ms)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_used_ms = now_ms;
  return it->second;
}

bool WebSessions::End(absl::string_view id) {
  const std::string key = Sha256(id);
  absl::MutexLock lock(&mu_);
  return sessions_.erase(key) > 0;
}

int WebSessions::EndToken(int64_t token_id) {
  absl::MutexLock lock(&mu_);
  const size_t before = sessions_.size();
  absl::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.token.token_id == token_id;
  });
  return static_cast<int>(before - sessions_.size());
}

int WebSessions::size() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(sessions_.size());
}

}  // namespace monipaikka::http
