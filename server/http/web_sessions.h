#pragma once

// Browser sessions of the web dashboard: a person signs in once with an API
// token and gets a random session id (the cookie) and a CSRF token; later
// requests present the cookie instead of the token.
//
// Only the SHA-256 of a session id is kept, so a memory dump or a log line
// never yields a usable cookie. The session holds the token itself (in
// memory only) because each call is forwarded to the gRPC services with it,
// so that a session has exactly its token's rights.
//
// A session ends when it is idle for longer than `idle` (each use restarts
// the clock), at logout, or when its token stops being accepted (revoked or
// expired: EndToken). At most `max_sessions` exist; creating one more first
// drops expired ones, then the least recently used.
//
// Thread safety: every method may be called from any thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace monipaikka::http {

// What a session stands for: the token it was opened with.
struct SessionToken {
  // The API token (secret); forwarded as "authorization: Bearer".
  std::string secret;
  int64_t token_id = 0;
  std::string token_name;
  std::string role;
  // The gateway of a device token; empty otherwise.
  std::string gateway;
  // The sites of a display token; empty otherwise.
  std::vector<std::string> sites;
};

struct Session {
  SessionToken token;
  std::string csrf_token;
  int64_t created_ms = 0;
  int64_t last_used_ms = 0;
};

struct NewSession {
  // The cookie value: 43 characters of base64url (256 random bits).
  std::string id;
  // Must accompany every state-changing request of the session
  // (X-CSRF-Token): 43 characters of base64url.
  std::string csrf_token;
};

class WebSessions {
 public:
  // `now_ms`: the clock (UTC ms). `random_bytes(n)` returns n random bytes
  // (a CSPRNG; tests inject a fixed sequence).
  WebSessions(absl::Duration idle, int max_sessions,
              std::function<int64_t()> now_ms,
              std::function<std::string(int)> random_bytes);
  WebSessions(const WebSessions&) = delete;
  WebSessions& operator=(const WebSessions&) = delete;

  NewSession Create(SessionToken token) ABSL_LOCKS_EXCLUDED(mu_);

  // The session of cookie value `id`, its idle clock restarted; nullopt
  // when there is none or it was idle too long (then it is dropped).
  std::optional<Session> Use(absl::string_view id) ABSL_LOCKS_EXCLUDED(mu_);

  // Ends the session of cookie value `id`; whether there was one.
  bool End(absl::string_view id) ABSL_LOCKS_EXCLUDED(mu_);

  // Ends every session of token `token_id`; how many there were.
  int EndToken(int64_t token_id) ABSL_LOCKS_EXCLUDED(mu_);

  int size() const ABSL_LOCKS_EXCLUDED(mu_);
  absl::Duration idle() const { return idle_; }

 private:
  bool ExpiredLocked(const Session& session, int64_t now_ms) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const absl::Duration idle_;
  const int max_sessions_;
  const std::function<int64_t()> now_ms_;
  const std::function<std::string(int)> random_bytes_;
  mutable absl::Mutex mu_;
  // By SHA-256 of the session id (raw bytes).
  absl::flat_hash_map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
};

// n bytes from OpenSSL's CSPRNG (RAND_bytes); aborts if it fails.
std::string SecureRandomBytes(int n);

// Unpadded base64url of `bytes`.
std::string Base64Url(absl::string_view bytes);

// Whether `a` and `b` are equal, in time that depends on their length only.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace monipaikka::http
