#include "server/http/http_gateway.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "server/http/connect_protocol.h"
#include "server/http/static_files.h"
#include "server/http/web_sessions.h"

namespace monipaikka::http {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Request = bhttp::request<bhttp::string_body>;
using StringResponse = bhttp::response<bhttp::string_body>;

constexpr char kSessionCookie[] = "mp_session";
constexpr char kCsrfHeader[] = "X-CSRF-Token";

std::chrono::steady_clock::duration ToChrono(absl::Duration d) {
  return absl::ToChronoMilliseconds(d);
}

std::string ToString(beast::string_view s) {
  return std::string(s.data(), s.size());
}

absl::string_view ToView(beast::string_view s) {
  return absl::string_view(s.data(), s.size());
}

// The value of cookie `name` in a Cookie header; empty when absent.
std::string CookieValue(absl::string_view header, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (kv.first == name) return std::string(kv.second);
  }
  return "";
}

std::string FlattenByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

absl::StatusOr<std::shared_ptr<ssl::context>> MakeTlsContext(
    const ServerTlsMaterial& material) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code error;
  context->set_options(ssl::context::default_workarounds |
                           ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                           ssl::context::single_dh_use,
                       error);
  if (!error) {
    context->use_certificate_chain(net::buffer(material.cert_pem), error);
  }
  if (!error) {
    context->use_private_key(net::buffer(material.key_pem), ssl::context::pem,
                             error);
  }
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("the HTTP listener cannot use the TLS certificate and "
                     "key: ",
                     error.message()));
  }
  return context;
}

// What a request is authorized with, forwarded to the gRPC call.
struct Credentials {
  // "Bearer <token>", or empty (the gRPC service answers UNAUTHENTICATED).
  std::string authorization;
  // The session the request came with (cookie); 0: none.
  int64_t session_token_id = 0;
};

// Receives the messages and the end of a forwarded server-streaming call.
// Implementations post to their own strand and return at once.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void OnStreamMessage(std::string binary) = 0;
  // No more messages will come (the reader may be released).
  virtual void OnStreamReadEnd() = 0;
  virtual void OnStreamDone(grpc::Status status) = 0;
};

// One forwarded server-streaming call, as a generic bidirectional call (the
// same on the wire). Deletes itself once done. The sink holds it (AddHold)
// from the start until OnStreamReadEnd, and asks for each next message with
// ReadNext() once it has written the one before: a slow browser slows the
// stream, it never queues without bound here.
class StreamForward final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit StreamForward(std::shared_ptr<StreamSink> sink)
      : sink_(std::move(sink)) {}

  grpc::ClientContext& context() { return context_; }

  void Begin(grpc::GenericStub& stub, const std::string& path,
             const std::string& request) {
    request_ = ToByteBuffer(request);
    stub.PrepareBidiStreamingCall(&context_, path, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    AddHold();
    StartCall();
  }
  void ReadNext() { StartRead(&response_); }
  void Release() { RemoveHold(); }
  void Cancel() { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (ok) {
      std::string binary = FlattenByteBuffer(response_);
      response_.Clear();
      sink_->OnStreamMessage(std::move(binary));
    } else {
      sink_->OnStreamReadEnd();
    }
  }
  void OnDone(const grpc::Status& status) override {
    sink_->OnStreamDone(status);
    delete this;
  }

 private:
  std::shared_ptr<StreamSink> sink_;
  grpc::ClientContext context_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

// Reads and drops what a refused client sends until it closes or the
// stream's time-out closes the socket.
void DrainRefused(std::shared_ptr<beast::tcp_stream> stream) {
  auto buffer = std::make_shared<std::array<char, 4096>>();
  stream->async_read_some(
      net::buffer(*buffer),
      [stream, buffer](boost::system::error_code error, size_t) {
        if (error) {
          stream->close();
          return;
        }
        DrainRefused(stream);
      });
}

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  virtual void Start() = 0;
  // Ends the connection (from any thread): cancels a forwarded call, closes
  // the socket.
  virtual void Close() = 0;
};

}  // namespace

class HttpGateway::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(HttpGatewayOptions options, std::shared_ptr<grpc::Channel> channel,
       const TokenStore* tokens)
      : options_(std::move(options)),
        stub_(std::move(channel)),
        tokens_(tokens),
        sessions_(options_.session_idle, options_.max_sessions, options_.now_ms,
                  SecureRandomBytes),
        acceptor_(net::make_strand(ioc_)),
        work_(net::make_work_guard(ioc_)) {}

  absl::Status Listen();
  void Run();
  void Shutdown();
  absl::Status ReloadTls(const ServerTlsMaterial& material);

  const HttpGatewayOptions& options() const { return options_; }
  grpc::GenericStub& stub() { return stub_; }
  const TokenStore& tokens() const { return *tokens_; }
  WebSessions& sessions() { return sessions_; }
  HttpCounters& counters() { return counters_; }
  int port() const { return port_; }
  bool tls() const { return options_.tls; }

  void Forget(uint64_t id) {
    absl::MutexLock lock(&connections_mu_);
    connections_.erase(id);
  }

 private:
  void Accept();
  void OnAccept(boost::system::error_code error, tcp::socket socket);
  std::shared_ptr<ssl::context> CurrentTls() {
    absl::MutexLock lock(&tls_mu_);
    return tls_context_;
  }

  const HttpGatewayOptions options_;
  grpc::GenericStub stub_;
  const TokenStore* const tokens_;
  WebSessions sessions_;
  HttpCounters counters_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  absl::Mutex tls_mu_;
  std::shared_ptr<ssl::context> tls_context_ ABSL_GUARDED_BY(tls_mu_);
  absl::Mutex connections_mu_;
  uint64_t next_connection_id_ ABSL_GUARDED_BY(connections_mu_) = 0;
  absl::flat_hash_map<uint64_t, std::weak_ptr<ConnectionBase>> connections_
      ABSL_GUARDED_BY(connections_mu_);

 public:
  uint64_t Register(std::weak_ptr<ConnectionBase> connection) {
    absl::MutexLock lock(&connections_mu_);
    const uint64_t id = ++next_connection_id_;
    connections_[id] = std::move(connection);
    return id;
  }
};

namespace {

using Impl = HttpGateway::Impl;

// One HTTP/1.1 connection, plain (beast::tcp_stream) or TLS
// (beast::ssl_stream). All its work runs on the stream's strand.
template <class Stream>
class Connection final
    : public ConnectionBase,
      public StreamSink,
      public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  Connection(std::shared_ptr<Impl> gateway, Stream stream,
             std::shared_ptr<ssl::context> tls_context)
      : gateway_(std::move(gateway)),
        stream_(std::move(stream)),
        tls_context_(std::move(tls_context)) {
    gateway_->counters().open_connections.fetch_add(1);
  }
  ~Connection() override {
    gateway_->counters().open_connections.fetch_sub(1);
    gateway_->Forget(id_);
  }

  void set_id(uint64_t id) { id_ = id; }

  void Start() override {
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(
            ToChrono(self->gateway_->options().header_timeout));
        self->stream_.async_handshake(
            ssl::stream_base::server, [self](boost::system::error_code error) {
              if (error) {
                self->gateway_->counters().bad_requests.fetch_add(1);
                self->CloseNow();
                return;
              }
              self->WaitForRequest();
            });
      } else {
        self->WaitForRequest();
      }
    });
  }

  void Close() override {
    net::post(stream_.get_executor(), [self = Self()] { self->CloseNow(); });
  }

  // StreamSink: called on gRPC's threads.
  void OnStreamMessage(std::string binary) override {
    net::post(stream_.get_executor(),
              [self = Self(), binary = std::move(binary)]() mutable {
                self->WriteStreamMessage(std::move(binary));
              });
  }
  void OnStreamReadEnd() override {
    net::post(stream_.get_executor(), [self = Self()] {
      if (self->forward_ != nullptr) {
        StreamForward* forward = self->forward_;
        self->forward_ = nullptr;
        forward->Release();
      }
    });
  }
  void OnStreamDone(grpc::Status status) override {
    net::post(stream_.get_executor(),
              [self = Self(), status = std::move(status)] {
                self->EndStream(status);
              });
  }

 private:
  std::shared_ptr<Connection> Self() { return this->shared_from_this(); }
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // The answer about to be written (or one message of a stream) must be
  // taken by the client within write_timeout. While a stream's read of
  // the peer is pending, only the write timer is set.
  void StartWriteDeadline() {
    Lowest().expires_after(ToChrono(options().write_timeout));
  }

  // Closes after a failed write; a write the client did not take in time
  // is counted.
  void OnWriteFailed(boost::system::error_code error) {
    if (error == beast::error::timeout) {
      gateway_->counters().write_timeouts.fetch_add(1);
    }
    CloseNow();
  }
  const HttpGatewayOptions& options() const { return gateway_->options(); }

  void CloseNow() {
    if (closed_) return;
    closed_ = true;
    if (unary_ != nullptr) unary_->TryCancel();
    if (forward_ != nullptr) forward_->Cancel();
    boost::system::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  // Waits (up to the idle time-out) for the first byte of the next request.
  void WaitForRequest() {
    if (closed_) return;
    if (buffer_.size() > 0) {
      ReadHeader();
      return;
    }
    Lowest().expires_after(ToChrono(options().idle_timeout));
    stream_.async_read_some(
        buffer_.prepare(4096),
        [self = Self()](boost::system::error_code error, size_t n) {
          if (error) {
            self->CloseNow();
            return;
          }
          self->buffer_.commit(n);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options().max_header_bytes));
    parser_->body_limit(static_cast<uint64_t>(options().max_body_bytes));
    Lowest().expires_after(ToChrono(options().header_timeout));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = Self()](boost::system::error_code error, size_t) {
          self->OnHeader(error);
        });
  }

  void OnHeader(boost::system::error_code error) {
    if (error == bhttp::error::header_limit) {
      RefuseRequest(431, absl::ResourceExhaustedError(absl::StrCat(
                             "the request header is over ",
                             options().max_header_bytes, " bytes")));
      return;
    }
    if (error == bhttp::error::body_limit) {
      // The parser checks an announced Content-Length with the header.
      RefuseRequest(413, absl::ResourceExhaustedError(
                             absl::StrCat("the request body is over ",
                                          options().max_body_bytes, " bytes")));
      return;
    }
    if (error == beast::error::timeout) {
      // The stream closed the socket: nothing can be answered.
      gateway_->counters().bad_requests.fetch_add(1);
      CloseNow();
      return;
    }
    if (error) {
      if (error != bhttp::error::end_of_stream &&
          error != net::error::operation_aborted) {
        RefuseRequest(400, absl::InvalidArgumentError(absl::StrCat(
                               "no HTTP/1.1 request: ", error.message())));
      } else {
        CloseNow();
      }
      return;
    }
    const auto& header = parser_->get();
    if (const boost::optional<uint64_t> length = parser_->content_length();
        length.has_value() &&
        *length > static_cast<uint64_t>(options().max_body_bytes)) {
      RefuseRequest(
          413, absl::ResourceExhaustedError(absl::StrCat(
                   "the request body is ", *length,
                   " bytes, over the limit of ", options().max_body_bytes)));
      return;
    }
    if (absl::EqualsIgnoreCase(ToView(header[bhttp::field::expect]),
                               "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(
          stream_, net::buffer(kContinue),
          [self = Self()](boost::system::error_code error, size_t) {
            if (error) {
              self->CloseNow();
              return;
            }
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(ToChrono(options().body_timeout));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = Self()](boost::system::error_code error, size_t) {
                        self->OnBody(error);
                      });
  }

  void OnBody(boost::system::error_code error) {
    if (error == bhttp::error::body_limit) {
      RefuseRequest(413, absl::ResourceExhaustedError(
                             absl::StrCat("the request body is over ",
                                          options().max_body_bytes, " bytes")));
      return;
    }
    if (error == beast::error::timeout) {
      gateway_->counters().bad_requests.fetch_add(1);
      CloseNow();
      return;
    }
    if (error) {
      if (error != net::error::operation_aborted) {
        RefuseRequest(400, absl::InvalidArgumentError(absl::StrCat(
                               "bad request body: ", error.message())));
      } else {
        CloseNow();
      }
      return;
    }
    Lowest().expires_never();
    Request request = parser_->release();
    parser_.reset();
    Handle(std::move(request));
  }

  // Answers a request that could not be read, and closes.
  void RefuseRequest(int status, const absl::Status& why) {
    gateway_->counters().bad_requests.fetch_add(1);
    keep_alive_ = false;
    SendError(status, why);
  }

  // ---- Routing ----------------------------------------------------------

  void Handle(Request request) {
    gateway_->counters().requests.fetch_add(1);
    keep_alive_ = request.keep_alive();
    head_ = request.method() == bhttp::verb::head;
    version_ = request.version();
    const std::string target = ToString(request.target());
    const std::string path = target.substr(0, target.find('?'));
    const bhttp::verb method = request.method();
    if (path == "/session" || path == "/session/logout") {
      HandleSession(request, path);
      return;
    }
    if (method == bhttp::verb::post && absl::StartsWith(path, "/") &&
        absl::StrContains(path.substr(1), '/') &&
        !absl::StartsWith(path, "/assets/")) {
      HandleConnect(request, path);
      return;
    }
    if (method == bhttp::verb::get || method == bhttp::verb::head) {
      HandleStaticFile(
          target, AcceptsGzip(ToView(request[bhttp::field::accept_encoding])));
      return;
    }
    StringResponse response(bhttp::status::method_not_allowed, version_);
    response.set(bhttp::field::allow, "GET, HEAD");
    SendJson(std::move(response),
             ConnectErrorJson(absl::UnimplementedError(
                 absl::StrCat(ToView(bhttp::to_string(method)), " ", path,
                              ": files take GET or HEAD, RPCs POST"))));
  }

  // The session of the request's cookie, if any and still valid (token
  // active); an error when a cookie was sent but its session is over.
  // `*ended` is set when the cookie should be cleared.
  absl::StatusOr<std::optional<Session>> CookieSession(const Request& request,
                                                       std::string* id,
                                                       bool* ended) {
    *ended = false;
    *id = CookieValue(ToView(request[bhttp::field::cookie]), kSessionCookie);
    if (id->empty()) return std::optional<Session>();
    std::optional<Session> session = gateway_->sessions().Use(*id);
    if (!session.has_value()) {
      *ended = true;
      return absl::UnauthenticatedError(absl::StrCat(
          "the session is over (signed out, unused for longer than ",
          absl::FormatDuration(gateway_->sessions().idle()),
          ", or the server restarted); sign in again"));
    }
    TokenRefusal refusal;
    if (absl::Status active = gateway_->tokens().CheckStillActive(
            session->token.token_id, &refusal);
        !active.ok()) {
      gateway_->sessions().EndToken(session->token.token_id);
      *ended = true;
      return absl::UnauthenticatedError(absl::StrCat(
          "the session ended: ", active.message(), "; sign in again"));
    }
    return session;
  }

  // CSRF: every state-changing request of a session carries its token.
  absl::Status CheckCsrf(const Request& request, const Session& session) {
    const absl::string_view presented = ToView(request[kCsrfHeader]);
    if (ConstantTimeEquals(presented, session.csrf_token)) {
      return absl::OkStatus();
    }
    gateway_->counters().csrf_refusals.fetch_add(1);
    return absl::PermissionDeniedError(absl::StrCat(
        presented.empty() ? "missing " : "wrong ", kCsrfHeader,
        " header: a request with the session cookie must carry the "
        "session's CSRF token (from POST /session or GET /session)"));
  }

  absl::StatusOr<Credentials> Authenticate(const Request& request,
                                           bool* clear_cookie) {
    Credentials credentials;
    const absl::string_view authorization =
        ToView(request[bhttp::field::authorization]);
    if (!authorization.empty()) {
      // Programs: the token itself; the gRPC service checks it.
      credentials.authorization = std::string(authorization);
      return credentials;
    }
    std::string id;
    ASSIGN_OR_RETURN(std::optional<Session> session,
                     CookieSession(request, &id, clear_cookie));
    if (!session.has_value()) return credentials;
    if (request.method() != bhttp::verb::get &&
        request.method() != bhttp::verb::head) {
      if (absl::Status csrf = CheckCsrf(request, *session); !csrf.ok()) {
        return csrf;
      }
    }
    credentials.authorization = absl::StrCat("Bearer ", session->token.secret);
    credentials.session_token_id = session->token.token_id;
    return credentials;
  }

  // ---- Sessions ---------------------------------------------------------

  std::string SessionCookie(absl::string_view id) const {
    return absl::StrCat(kSessionCookie, "=", id,
                        "; Path=/; HttpOnly; SameSite=Strict",
                        kTls ? "; Secure" : "");
  }
  std::string ClearedCookie() const {
    return absl::StrCat(kSessionCookie,
                        "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
                        kTls ? "; Secure" : "");
  }

  std::string SessionJson(const SessionToken& token,
                          absl::string_view csrf_token) const {
    nlohmann::json json;
    json["role"] = token.role;
    json["tokenId"] = absl::StrCat(token.token_id);
    json["tokenName"] = token.token_name;
    json["gateway"] = token.gateway;
    json["sites"] = token.sites;
    json["csrfToken"] = std::string(csrf_token);
    json["idleTimeoutSeconds"] =
        absl::ToInt64Seconds(gateway_->sessions().idle());
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  void HandleSession(const Request& request, const std::string& path) {
    const bhttp::verb method = request.method();
    if (path == "/session" && method == bhttp::verb::post) {
      SignIn(request);
      return;
    }
    std::string id;
    bool ended = false;
    absl::StatusOr<std::optional<Session>> session =
        CookieSession(request, &id, &ended);
    const bool logout =
        (path == "/session" && method == bhttp::verb::delete_) ||
        (path == "/session/logout" && method == bhttp::verb::post);
    if (logout) {
      if (session.ok() && session->has_value()) {
        if (absl::Status csrf = CheckCsrf(request, **session); !csrf.ok()) {
          SendStatus(csrf);
          return;
        }
        gateway_->sessions().End(id);
        Log(LogLevel::kInfo, "web_session_ended",
            {{"token_id", (*session)->token.token_id}, {"why", "logout"}});
      }
      StringResponse response(bhttp::status::ok, version_);
      response.set(bhttp::field::set_cookie, ClearedCookie());
      SendJson(std::move(response), "{}");
      return;
    }
    if (path == "/session" && method == bhttp::verb::get) {
      if (!session.ok() || !session->has_value()) {
        SendStatus(session.ok() ? absl::UnauthenticatedError("not signed in")
                                : session.status(),
                   ended);
        return;
      }
      StringResponse response(bhttp::status::ok, version_);
      SendJson(std::move(response),
               SessionJson((*session)->token, (*session)->csrf_token));
      return;
    }
    StringResponse response(bhttp::status::method_not_allowed, version_);
    response.set(bhttp::field::allow,
                 path == "/session" ? "GET, POST, DELETE" : "POST");
    SendJson(std::move(response),
             ConnectErrorJson(absl::UnimplementedError(
                 absl::StrCat(ToView(bhttp::to_string(method)), " ", path,
                              " is no session operation"))));
  }

  void SignIn(const Request& request) {
    if (!IsJson(request)) {
      SendStatus(absl::InvalidArgumentError(
          "POST /session takes Content-Type: application/json with "
          "{\"token\": \"...\"}"));
      return;
    }
    const nlohmann::json body =
        nlohmann::json::parse(request.body(), nullptr, /*allow_exceptions=*/
                              false);
    if (body.is_discarded() || !body.is_object() || !body.contains("token") ||
        !body["token"].is_string()) {
      SendStatus(absl::InvalidArgumentError(
          "POST /session: the body must be a JSON object with a string "
          "field \"token\""));
      return;
    }
    const std::string secret = body["token"].get<std::string>();
    TokenRefusal refusal;
    absl::StatusOr<TokenRecord> record =
        gateway_->tokens().Authenticate(secret, &refusal);
    if (!record.ok()) {
      gateway_->counters().failed_sign_ins.fetch_add(1);
      Log(LogLevel::kWarning, "web_sign_in_refused",
          {{"error", std::string(record.status().message())}});
      SendStatus(record.status());
      return;
    }
    // A previous session of this browser ends.
    const std::string previous =
        CookieValue(ToView(request[bhttp::field::cookie]), kSessionCookie);
    if (!previous.empty()) gateway_->sessions().End(previous);
    SessionToken token;
    token.secret = secret;
    token.token_id = record->id;
    token.token_name = record->name;
    token.role = record->role;
    token.gateway = record->gateway;
    token.sites = record->sites;
    NewSession created = gateway_->sessions().Create(token);
    gateway_->counters().sessions_created.fetch_add(1);
    Log(LogLevel::kInfo, "web_session_created",
        {{"token_id", record->id}, {"role", record->role}});
    StringResponse response(bhttp::status::ok, version_);
    response.set(bhttp::field::set_cookie, SessionCookie(created.id));
    SendJson(std::move(response), SessionJson(token, created.csrf_token));
  }

  static bool IsJson(const Request& request) {
    const absl::string_view type = ToView(request[bhttp::field::content_type]);
    const absl::string_view media = type.substr(0, type.find(';'));
    return absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(media),
                                  "application/json");
  }

  // ---- Connect calls ----------------------------------------------------

  void HandleConnect(const Request& request, const std::string& path) {
    gateway_->counters().connect_calls.fetch_add(1);
    absl::StatusOr<ConnectCall> call =
        ResolveConnectCall(path, ToView(request[bhttp::field::content_type]));
    if (!call.ok()) {
      if (absl::IsNotFound(call.status())) {
        SendError(404, absl::UnimplementedError(call.status().message()));
      } else if (absl::IsInvalidArgument(call.status())) {
        SendError(415, call.status());
      } else {
        SendStatus(call.status());
      }
      return;
    }
    const absl::string_view version =
        ToView(request["Connect-Protocol-Version"]);
    if (!version.empty() && version != "1") {
      SendStatus(absl::InvalidArgumentError(
          absl::StrCat("Connect-Protocol-Version ", version,
                       ": the server speaks version 1")));
      return;
    }
    bool clear_cookie = false;
    absl::StatusOr<Credentials> credentials =
        Authenticate(request, &clear_cookie);
    if (!credentials.ok()) {
      SendStatus(credentials.status(), clear_cookie);
      return;
    }
    std::optional<absl::Duration> timeout;
    if (const absl::string_view header = ToView(request["Connect-Timeout-Ms"]);
        !header.empty()) {
      std::optional<int64_t> ms = ParseTimeoutMs(header);
      if (!ms.has_value()) {
        SendStatus(absl::InvalidArgumentError(
            absl::StrCat("Connect-Timeout-Ms \"", header,
                         "\": must be 1 to 10 digits (milliseconds)")));
        return;
      }
      timeout = absl::Milliseconds(*ms);
    }
    absl::StatusOr<std::string> binary;
    if (call->streaming) {
      absl::StatusOr<std::string> payload =
          SingleEnvelopePayload(request.body());
      binary =
          payload.ok() ? RequestToBinary(*call, *payload) : payload.status();
    } else {
      binary = RequestToBinary(*call, request.body());
    }
    if (!binary.ok()) {
      SendStatus(binary.status());
      return;
    }
    if (call->streaming) {
      StartStream(*std::move(call), *std::move(credentials), *std::move(binary),
                  timeout);
    } else {
      ForwardUnary(*std::move(call), *std::move(credentials),
                   *std::move(binary),
                   timeout.value_or(options().call_timeout));
    }
  }

  void ForwardUnary(ConnectCall call, Credentials credentials,
                    std::string binary, absl::Duration timeout) {
    struct UnaryState {
      grpc::ClientContext context;
      grpc::ByteBuffer request;
      grpc::ByteBuffer response;
    };
    auto state = std::make_shared<UnaryState>();
    if (!credentials.authorization.empty()) {
      state->context.AddMetadata("authorization", credentials.authorization);
    }
    state->context.set_deadline(std::chrono::system_clock::now() +
                                absl::ToChronoMilliseconds(timeout));
    state->request = ToByteBuffer(binary);
    unary_ = &state->context;
    // Copied first: the callback below takes `call` over.
    const std::string path = call.grpc_path;
    gateway_->stub().UnaryCall(
        &state->context, path, grpc::StubOptions(), &state->request,
        &state->response,
        [self = Self(), state, call = std::move(call),
         session = credentials.session_token_id](grpc::Status status) mutable {
          net::post(self->stream_.get_executor(),
                    [self, state, call = std::move(call), session,
                     status = std::move(status)] {
                      self->unary_ = nullptr;
                      self->OnUnaryDone(call, session, status, state->response);
                    });
        });
  }

  void OnUnaryDone(const ConnectCall& call, int64_t session_token_id,
                   const grpc::Status& status,
                   const grpc::ByteBuffer& response_buffer) {
    if (closed_) return;
    if (!status.ok()) {
      const bool ended = EndSessionIfUnauthenticated(status, session_token_id);
      SendStatus(FromGrpcStatus(status), ended);
      return;
    }
    absl::StatusOr<std::string> body =
        ResponseFromBinary(call, FlattenByteBuffer(response_buffer));
    if (!body.ok()) {
      SendStatus(body.status());
      return;
    }
    StringResponse response(bhttp::status::ok, version_);
    response.set(bhttp::field::content_type, call.codec == Codec::kJson
                                                 ? "application/json"
                                                 : "application/proto");
    response.set(bhttp::field::cache_control, "no-store");
    response.body() = *std::move(body);
    Send(std::move(response));
  }

  // A revoked or expired token ends every session opened with it.
  bool EndSessionIfUnauthenticated(const grpc::Status& status,
                                   int64_t session_token_id) {
    if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED ||
        session_token_id == 0) {
      return false;
    }
    const int ended = gateway_->sessions().EndToken(session_token_id);
    if (ended > 0) {
      Log(LogLevel::kInfo, "web_session_ended",
          {{"token_id", session_token_id},
           {"sessions", ended},
           {"why", status.error_message()}});
    }
    return true;
  }

  // ---- Server streaming -------------------------------------------------

  void StartStream(ConnectCall call, Credentials credentials,
                   std::string binary, std::optional<absl::Duration> timeout) {
    stream_call_ = std::move(call);
    stream_session_ = credentials.session_token_id;
    keep_alive_ = false;
    auto header = std::make_shared<bhttp::response<bhttp::empty_body>>(
        bhttp::status::ok, version_);
    header->set(bhttp::field::content_type, stream_call_.codec == Codec::kJson
                                                ? "application/connect+json"
                                                : "application/connect+proto");
    header->set(bhttp::field::cache_control, "no-store");
    AddSecurityHeaders(*header);
    header->chunked(true);
    header->keep_alive(false);
    auto serializer =
        std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(
            *header);
    StartWriteDeadline();
    bhttp::async_write_header(
        stream_, *serializer,
        [self = Self(), header, serializer,
         credentials = std::move(credentials), binary = std::move(binary),
         timeout](boost::system::error_code error, size_t) {
          if (error) {
            self->OnWriteFailed(error);
            return;
          }
          // Nothing pending: both timers back to never, so the read of
          // the peer that follows has no deadline.
          self->Lowest().expires_never();
          self->WatchPeer();
          auto* forward = new StreamForward(self);
          if (!credentials.authorization.empty()) {
            forward->context().AddMetadata("authorization",
                                           credentials.authorization);
          }
          if (timeout.has_value()) {
            forward->context().set_deadline(
                std::chrono::system_clock::now() +
                absl::ToChronoMilliseconds(*timeout));
          }
          self->forward_ = forward;
          forward->Begin(self->gateway_->stub(), self->stream_call_.grpc_path,
                         binary);
          if (self->closed_) forward->Cancel();
        });
  }

  // While a stream runs nothing is read from the browser: a read that
  // completes means it closed the connection (or broke the protocol), and
  // the forwarded call is cancelled.
  void WatchPeer() {
    watching_peer_ = true;
    stream_.async_read_some(
        net::buffer(peer_bytes_),
        [self = Self()](boost::system::error_code error, size_t) {
          if (error) {
            self->watching_peer_ = false;
            self->peer_gone_ = true;
            if (self->forward_ != nullptr) self->forward_->Cancel();
            if (self->finishing_) self->CloseNow();
            return;
          }
          self->WatchPeer();
        });
  }

  void WriteStreamMessage(std::string binary) {
    if (closed_ || peer_gone_ || forward_ == nullptr) {
      if (forward_ != nullptr) {
        forward_->Cancel();
        forward_->ReadNext();
      }
      return;
    }
    absl::StatusOr<std::string> message =
        ResponseFromBinary(stream_call_, binary);
    if (!message.ok()) {
      stream_error_ = message.status();
      forward_->Cancel();
      forward_->ReadNext();
      return;
    }
    auto chunk = std::make_shared<std::string>(Envelope(0, *message));
    StartWriteDeadline();
    net::async_write(
        stream_, bhttp::make_chunk(net::buffer(*chunk)),
        [self = Self(), chunk](boost::system::error_code error, size_t) {
          if (error == beast::error::timeout) {
            self->gateway_->counters().write_timeouts.fetch_add(1);
          } else if (!error) {
            self->Lowest().expires_never();
          }
          if (self->forward_ == nullptr) return;
          if (error) {
            self->peer_gone_ = true;
            self->forward_->Cancel();
          }
          self->forward_->ReadNext();
        });
  }

  void EndStream(const grpc::Status& status) {
    EndSessionIfUnauthenticated(status, stream_session_);
    if (closed_ || peer_gone_) {
      CloseNow();
      return;
    }
    const absl::Status end =
        stream_error_.ok() ? FromGrpcStatus(status) : stream_error_;
    auto tail = std::make_shared<std::string>(
        Envelope(kEnvelopeEndStream, EndStreamJson(end)));
    StartWriteDeadline();
    net::async_write(
        stream_, bhttp::make_chunk(net::buffer(*tail)),
        [self = Self(), tail](boost::system::error_code error, size_t) {
          if (error) {
            self->OnWriteFailed(error);
            return;
          }
          net::async_write(self->stream_, bhttp::make_chunk_last(),
                           [self](boost::system::error_code, size_t) {
                             self->FinishConnection();
                           });
        });
  }

  // ---- Static files -----------------------------------------------------

  void HandleStaticFile(const std::string& target, bool accepts_gzip) {
    if (options().web_root.empty()) {
      SendError(404, absl::NotFoundError(
                         "this server serves no web app (--web_root is "
                         "empty)"));
      return;
    }
    absl::StatusOr<StaticFile> file =
        ResolveStaticFile(options().web_root, target, accepts_gzip);
    if (!file.ok()) {
      SendError(absl::IsInvalidArgument(file.status()) ? 400 : 404,
                file.status());
      return;
    }
    beast::error_code error;
    bhttp::file_body::value_type body;
    body.open(file->path.c_str(), beast::file_mode::scan, error);
    if (error) {
      SendError(404, absl::NotFoundError(absl::StrCat("cannot open ", target,
                                                      ": ", error.message())));
      return;
    }
    const uint64_t size = body.size();
    // The answer's header: the same for HEAD and GET.
    auto describe = [&](auto& response) {
      response.set(bhttp::field::content_type, file->content_type);
      response.set(bhttp::field::cache_control, file->cache_control);
      if (!file->content_encoding.empty()) {
        response.set(bhttp::field::content_encoding, file->content_encoding);
      }
      // Caches keep the gzip and plain answers apart.
      response.set(bhttp::field::vary, "Accept-Encoding");
      response.content_length(size);
    };
    if (head_) {
      bhttp::response<bhttp::empty_body> response(bhttp::status::ok, version_);
      describe(response);
      Send(std::move(response), /*prepare=*/false);
      return;
    }
    bhttp::response<bhttp::file_body> response(
        std::piecewise_construct, std::make_tuple(std::move(body)),
        std::make_tuple(bhttp::status::ok, version_));
    describe(response);
    Send(std::move(response), /*prepare=*/false);
  }

  // ---- Writing answers --------------------------------------------------

  template <class Message>
  void AddSecurityHeaders(Message& message) const {
    message.set(bhttp::field::server, "monipaikka");
    message.set("X-Content-Type-Options", "nosniff");
    message.set("Content-Security-Policy", kContentSecurityPolicy);
    message.set("Referrer-Policy", "no-referrer");
    message.set("X-Frame-Options", "DENY");
    message.set("Cross-Origin-Opener-Policy", "same-origin");
    if (kTls) {
      message.set("Strict-Transport-Security", "max-age=31536000");
    }
  }

  // An error as Connect answers it: the HTTP status of its code and the
  // JSON error object. `clear_cookie`: the session is over.
  void SendStatus(const absl::Status& status, bool clear_cookie = false) {
    SendError(ConnectHttpStatus(status.code()), status, clear_cookie);
  }

  void SendError(int http_status, const absl::Status& status,
                 bool clear_cookie = false) {
    StringResponse response(static_cast<bhttp::status>(http_status), version_);
    if (clear_cookie) response.set(bhttp::field::set_cookie, ClearedCookie());
    SendJson(std::move(response), ConnectErrorJson(status));
  }

  void SendJson(StringResponse response, std::string body) {
    response.set(bhttp::field::content_type, "application/json");
    response.set(bhttp::field::cache_control, "no-store");
    response.body() = std::move(body);
    Send(std::move(response));
  }

  template <class Body>
  void Send(bhttp::response<Body> response, bool prepare = true) {
    if (closed_) return;
    AddSecurityHeaders(response);
    response.keep_alive(keep_alive_);
    if (prepare) response.prepare_payload();
    if (head_ && prepare) {
      // HEAD of an error: the header alone.
      bhttp::response<bhttp::empty_body> header(response.result(),
                                                response.version());
      header.base() = response.base();
      auto message = std::make_shared<bhttp::response<bhttp::empty_body>>(
          std::move(header));
      StartWriteDeadline();
      bhttp::async_write(
          stream_, *message,
          [self = Self(), message](boost::system::error_code error, size_t) {
            self->OnWritten(error);
          });
      return;
    }
    auto message = std::make_shared<bhttp::response<Body>>(std::move(response));
    StartWriteDeadline();
    bhttp::async_write(
        stream_, *message,
        [self = Self(), message](boost::system::error_code error, size_t) {
          self->OnWritten(error);
        });
  }

  void OnWritten(boost::system::error_code error) {
    if (error) {
      OnWriteFailed(error);
      return;
    }
    Lowest().expires_never();
    if (!keep_alive_) {
      FinishConnection();
      return;
    }
    WaitForRequest();
  }

  // Ends the connection after the last answer. Plain: no more sending,
  // then what the client still sends (e.g. the rest of a refused body) is
  // read and dropped for up to 2 s before the socket closes, so that the
  // close does not reset the connection before the client read the
  // answer. TLS: close_notify (unless a stream's read is pending).
  void FinishConnection() {
    if (closed_ || finishing_) return;
    finishing_ = true;
    Lowest().expires_after(std::chrono::seconds(2));
    if constexpr (kTls) {
      if (watching_peer_) {
        CloseNow();
        return;
      }
      stream_.async_shutdown(
          [self = Self()](boost::system::error_code) { self->CloseNow(); });
    } else {
      boost::system::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      // A stream's read of the peer is pending: it drains and closes.
      if (!watching_peer_) Drain();
    }
  }

  void Drain() {
    stream_.async_read_some(
        net::buffer(peer_bytes_),
        [self = Self()](boost::system::error_code error, size_t) {
          if (error) {
            self->CloseNow();
            return;
          }
          self->Drain();
        });
  }

  std::shared_ptr<Impl> gateway_;
  Stream stream_;
  // Keeps the TLS context this connection started with (a reload replaces
  // the gateway's).
  std::shared_ptr<ssl::context> tls_context_;
  uint64_t id_ = 0;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  bool closed_ = false;
  // The unary call in flight (its context lives in the call's state).
  grpc::ClientContext* unary_ = nullptr;
  // The server-streaming call: held until its last read.
  StreamForward* forward_ = nullptr;
  ConnectCall stream_call_;
  int64_t stream_session_ = 0;
  absl::Status stream_error_;
  bool peer_gone_ = false;
  bool watching_peer_ = false;
  bool finishing_ = false;
  char peer_bytes_[4096];
};

}  // namespace

absl::Status HttpGateway::Impl::Listen() {
  if (options_.tls) {
    ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> context,
                     MakeTlsContext(options_.tls_material));
    absl::MutexLock lock(&tls_mu_);
    tls_context_ = std::move(context);
  }
  const size_t colon = options_.listen.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen \"", options_.listen, "\": expected HOST:PORT"));
  }
  std::string host = options_.listen.substr(0, colon);
  const std::string port = options_.listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code error;
  tcp::resolver resolver(ioc_);
  const tcp::resolver::results_type endpoints =
      resolver.resolve(host, port, tcp::resolver::passive, error);
  if (error || endpoints.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options_.listen, ": ", error.message()));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), error);
  if (!error)
    acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options_.listen, ": ", error.message()));
  }
  port_ = acceptor_.local_endpoint().port();
  return absl::OkStatus();
}

void HttpGateway::Impl::Run() {
  Accept();
  const int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { ioc_.run(); });
  }
}

void HttpGateway::Impl::Accept() {
  acceptor_.async_accept(
      net::make_strand(ioc_),
      [self = shared_from_this()](boost::system::error_code error,
                                  tcp::socket socket) {
        self->OnAccept(error, std::move(socket));
      });
}

void HttpGateway::Impl::OnAccept(boost::system::error_code error,
                                 tcp::socket socket) {
  if (stopping_.load() || !acceptor_.is_open()) return;
  if (error) {
    // E.g. out of file descriptors: try again a little later.
    Log(LogLevel::kWarning, "http_accept_failed", {{"error", error.message()}});
    auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor());
    timer->expires_after(std::chrono::milliseconds(100));
    timer->async_wait([self = shared_from_this(),
                       timer](boost::system::error_code) { self->Accept(); });
    return;
  }
  if (counters_.open_connections.load() >= options_.max_connections) {
    counters_.refused_connections.fetch_add(1);
    if (!options_.tls) {
      static const std::string kRefusal = [] {
        const std::string body = ConnectErrorJson(
            absl::UnavailableError("too many connections; try again later"));
        return absl::StrCat(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
            "application/json\r\nRetry-After: 1\r\nConnection: "
            "close\r\nContent-Length: ",
            body.size(), "\r\n\r\n", body);
      }();
      // Answered, then what the client sends is dropped for up to a second
      // before the close (a close with unread data would reset the
      // connection before the client read the answer).
      auto refused = std::make_shared<beast::tcp_stream>(std::move(socket));
      refused->expires_after(std::chrono::seconds(1));
      net::async_write(*refused, net::buffer(kRefusal),
                       [refused](boost::system::error_code error, size_t) {
                         if (error) return;
                         boost::system::error_code ignored;
                         refused->socket().shutdown(tcp::socket::shutdown_send,
                                                    ignored);
                         DrainRefused(refused);
                       });
    }
    Accept();
    return;
  }
  std::shared_ptr<ConnectionBase> connection;
  if (options_.tls) {
    std::shared_ptr<ssl::context> context = CurrentTls();
    auto tls_connection =
        std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(
            shared_from_this(),
            beast::ssl_stream<beast::tcp_stream>(
                beast::tcp_stream(std::move(socket)), *context),
            context);
    tls_connection->set_id(Register(tls_connection));
    connection = tls_connection;
  } else {
    auto plain_connection = std::make_shared<Connection<beast::tcp_stream>>(
        shared_from_this(), beast::tcp_stream(std::move(socket)), nullptr);
    plain_connection->set_id(Register(plain_connection));
    connection = plain_connection;
  }
  connection->Start();
  Accept();
}

absl::Status HttpGateway::Impl::ReloadTls(const ServerTlsMaterial& material) {
  if (!options_.tls) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::shared_ptr<ssl::context> context,
                   MakeTlsContext(material));
  absl::MutexLock lock(&tls_mu_);
  tls_context_ = std::move(context);
  return absl::OkStatus();
}

void HttpGateway::Impl::Shutdown() {
  if (stopping_.exchange(true)) return;
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
  std::vector<std::shared_ptr<ConnectionBase>> open;
  {
    absl::MutexLock lock(&connections_mu_);
    for (auto& [id, weak] : connections_) {
      if (std::shared_ptr<ConnectionBase> connection = weak.lock()) {
        open.push_back(std::move(connection));
      }
    }
  }
  for (const auto& connection : open) connection->Close();
  open.clear();
  // Cancelled calls complete on gRPC's threads and post back here: give
  // them a moment before the threads stop.
  const absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (counters_.open_connections.load() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  work_.reset();
  ioc_.stop();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

HttpGateway::HttpGateway(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpGateway::~HttpGateway() { Shutdown(); }

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(
    HttpGatewayOptions options, std::shared_ptr<grpc::Channel> channel,
    const TokenStore* tokens) {
  if (!options.now_ms) {
    options.now_ms = [] { return absl::ToUnixMillis(absl::Now()); };
  }
  auto impl =
      std::make_shared<Impl>(std::move(options), std::move(channel), tokens);
  if (absl::Status listening = impl->Listen(); !listening.ok()) {
    return listening;
  }
  impl->Run();
  return std::unique_ptr<HttpGateway>(new HttpGateway(std::move(impl)));
}

int HttpGateway::port() const { return impl_->port(); }

absl::Status HttpGateway::ReloadTls(const ServerTlsMaterial& material) {
  return impl_->ReloadTls(material);
}

const HttpCounters& HttpGateway::counters() const { return impl_->counters(); }

int HttpGateway::sessions() const { return impl_->sessions().size(); }

void HttpGateway::Shutdown() {
  if (impl_) impl_->Shutdown();
}

}  // namespace monipaikka::http
