#pragma once

// The HTTP side of the server: the Connect protocol over HTTP/1.1 for the
// web dashboard and for programs (curl, scripts), browser sessions, and the
// built web app's files. docs/web-api.md describes it for users.
//
// One API: every Connect call is forwarded, in-process, to the gRPC service
// that defines it, with the caller's token as "authorization: Bearer"
// metadata and a deadline. Tokens, roles, the audit log,
// --max_query_seconds and error codes are therefore exactly gRPC's; only
// the transport differs.
//
// Bounded: header and body size limits, a connection limit (one more is
// answered 503 and closed), a time limit for the TLS handshake and for the
// request's header (slow clients), and for its body, an idle time-out of
// kept-alive connections.
//
// Threads: an Asio io_context run by `threads` threads; each connection on
// its own strand. Forwarded calls complete on gRPC's threads and are posted
// back to their connection's strand. Nothing blocks on a call.
//
// Boost.Beast (Debian's libboost-dev) is the HTTP/1.1 implementation: it
// is maintained with Boost, runs on Asio (as the edge agent does), and
// leaves every limit and time-out to us.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/token_store.h"
#include "server/tls/server_tls_material.h"

namespace grpc {
class Channel;
}

namespace monipaikka::http {

struct HttpGatewayOptions {
  // host:port; port 0 picks a free one (see HttpGateway::port()).
  std::string listen = "127.0.0.1:8080";
  // Whether to serve TLS (with `tls_material`); plaintext otherwise.
  bool tls = false;
  ServerTlsMaterial tls_material;
  // Directory of the built web app (index.html, assets/); answers 404 for
  // files when it does not exist.
  std::string web_root;
  int threads = 2;
  // Connections open at once; one more is answered 503 and closed.
  int max_connections = 512;
  // Largest request header (request line and fields) and body, bytes.
  int max_header_bytes = 16 * 1024;
  int max_body_bytes = 1024 * 1024;
  // TLS handshake and request header must arrive within this once the
  // first byte of a request did (slow clients).
  absl::Duration header_timeout = absl::Seconds(10);
  // The body must arrive within this once the header did.
  absl::Duration body_timeout = absl::Seconds(30);
  // A kept-alive connection without a new request for this long is closed.
  absl::Duration idle_timeout = absl::Seconds(60);
  // An answer (or one message of a stream) must be taken by the client
  // within this, else the connection is closed (a client that stops
  // reading holds no memory or call for longer).
  absl::Duration write_timeout = absl::Seconds(60);
  // Deadline of a forwarded unary call without a Connect-Timeout-Ms header
  // (the server's --max_query_seconds applies as well).
  absl::Duration call_timeout = absl::Seconds(120);
  // A session unused for this long ends.
  absl::Duration session_idle = absl::Minutes(30);
  int max_sessions = 10000;
  // The clock (UTC ms); default absl::Now().
  std::function<int64_t()> now_ms;
};

// Counters of the HTTP side (monotonic), for the metrics.
struct HttpCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> connect_calls{0};
  std::atomic<uint64_t> refused_connections{0};
  std::atomic<uint64_t> bad_requests{0};  // malformed, too large, too slow
  std::atomic<uint64_t> sessions_created{0};
  std::atomic<uint64_t> failed_sign_ins{0};
  std::atomic<uint64_t> csrf_refusals{0};
  std::atomic<uint64_t> write_timeouts{0};
  std::atomic<int64_t> open_connections{0};
};

class HttpGateway {
 public:
  // Listens on `options.listen` and serves. `channel` reaches the gRPC
  // services in-process; `tokens` (not owned, must outlive the gateway)
  // checks the token a person signs in with and whether a session's token
  // is still accepted. UNAVAILABLE when it cannot listen; INVALID_ARGUMENT
  // for TLS material that does not load.
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      HttpGatewayOptions options, std::shared_ptr<grpc::Channel> channel,
      const TokenStore* tokens);
  ~HttpGateway();
  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  // The port actually bound.
  int port() const;
  // New connections are served with `material`; open ones keep theirs.
  absl::Status ReloadTls(const ServerTlsMaterial& material);
  const HttpCounters& counters() const;
  int sessions() const;
  // Closes the listener and every connection (streams end, forwarded calls
  // are cancelled), then stops the threads. Idempotent.
  void Shutdown();

  class Impl;

 private:
  explicit HttpGateway(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace monipaikka::http
