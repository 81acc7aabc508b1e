#include "edge/line_listener.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/listen_address.h"
#include "common/log.h"
#include "edge/decode/line_protocol.h"

namespace monipaikka::edge {
namespace {

constexpr size_t kMaxDatagram = 65536;

absl::StatusOr<std::pair<asio::ip::address, uint16_t>> ParseListen(
    absl::string_view listen, absl::string_view what, bool allow_non_loopback) {
  if (!allow_non_loopback && !IsLoopbackListenAddress(listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": \"", listen,
        "\" is not a loopback address, and the line protocol has no "
        "authentication; allow it explicitly (--line_allow_non_loopback) "
        "only on a trusted network"));
  }
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": \"", listen, "\" is not host:port"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::error_code error;
  asio::ip::address address = asio::ip::make_address(std::string(host), error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": \"", host, "\" is not an IP address (", error.message(), ")"));
  }
  return std::make_pair(address, static_cast<uint16_t>(port));
}

}  // namespace

// One TCP connection: reads, handles complete lines, commits, replies, reads
// again.
class LineListener::Connection
    : public std::enable_shared_from_this<LineListener::Connection> {
 public:
  Connection(LineListener* owner, asio::ip::tcp::socket socket)
      : owner_(owner), socket_(std::move(socket)), idle_timer_(owner->io_) {
    std::error_code error;
    const asio::ip::tcp::endpoint peer = socket_.remote_endpoint(error);
    source_ = error ? "tcp"
                    : absl::StrCat("tcp:", peer.address().to_string(), ":",
                                   peer.port());
  }
  void Read() {
    WatchIdle();
    socket_.async_read_some(
        asio::buffer(chunk_),
        [self = shared_from_this()](const std::error_code& error, size_t n) {
          self->OnRead(error, n);
        });
  }
  void Close() {
    std::error_code ignored;
    idle_timer_.cancel();
    socket_.close(ignored);
  }

 private:
  // (Re)starts the idle clock for the read or write about to start; when
  // it runs out first, the socket is closed, which ends that operation with
  // an error and so the connection.
  void WatchIdle() {
    idle_timer_.expires_after(owner_->options_.idle_timeout);
    idle_timer_.async_wait([self = shared_from_this()](
                               const std::error_code& error) {
      if (error) return;  // cancelled or restarted: there was progress
      if (self->owner_->stopped_) return;
      Log(LogLevel::kInfo, "line_connection_idle",
          {{"source", self->source_},
           {"idle_timeout_s",
            std::chrono::duration<double>(self->owner_->options_.idle_timeout)
                .count()}});
      std::error_code ignored;
      self->socket_.close(ignored);
    });
  }

  void OnRead(const std::error_code& error, size_t n) {
    if (owner_->stopped_) return;
    if (error) {
      Finish();
      return;
    }
    buffer_.append(chunk_.data(), n);
    std::vector<absl::Status> results;
    size_t start = 0;
    while (true) {
      const size_t end = buffer_.find('\n', start);
      if (end == std::string::npos) break;
      results.push_back(owner_->pipeline_->HandleLine(
          absl::string_view(buffer_).substr(start, end - start), source_));
      start = end + 1;
    }
    buffer_.erase(0, start);
    bool too_long = buffer_.size() > kMaxLineBytes;
    if (too_long) {
      results.push_back(absl::InvalidArgumentError(absl::StrCat(
          "line: longer than ", kMaxLineBytes, " bytes; closing")));
    }
    if (!owner_->Commit()) return;
    if (results.empty()) {
      Read();
      return;
    }
    replies_.clear();
    WatchIdle();  // a peer that does not read its replies is idle too
    for (const absl::Status& result : results) {
      absl::StrAppend(
          &replies_,
          result.ok() ? "ok" : absl::StrCat("error ", result.message()), "\n");
    }
    asio::async_write(socket_, asio::buffer(replies_),
                      [self = shared_from_this(), too_long](
                          const std::error_code& error, size_t) {
                        if (error || too_long || self->owner_->stopped_) {
                          self->Finish();
                          return;
                        }
                        self->Read();
                      });
  }
  void Finish() {
    Close();
    owner_->connections_.erase(shared_from_this());
  }

  LineListener* const owner_;
  asio::ip::tcp::socket socket_;
  std::string source_;
  std::array<char, 4096> chunk_;
  std::string buffer_;
  std::string replies_;
  asio::steady_timer idle_timer_;
};

LineListener::LineListener(asio::io_context& io, InputPipeline* pipeline,
                           std::function<void(absl::Status)> on_fatal,
                           LineListenerOptions options)
    : io_(io),
      pipeline_(pipeline),
      on_fatal_(std::move(on_fatal)),
      options_(options),
      udp_(io),
      acceptor_(io) {}

LineListener::~LineListener() { Stop(); }

absl::Status LineListener::Start(const std::string& udp_listen,
                                 const std::string& tcp_listen) {
  std::error_code error;
  if (!udp_listen.empty()) {
    absl::StatusOr<std::pair<asio::ip::address, uint16_t>> address =
        ParseListen(udp_listen, "line.udp", options_.allow_non_loopback);
    if (!address.ok()) return address.status();
    const asio::ip::udp::endpoint endpoint(address->first, address->second);
    udp_.open(endpoint.protocol(), error);
    if (!error) udp_.bind(endpoint, error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "line.udp: cannot bind ", udp_listen, ": ", error.message()));
    }
    udp_port_ = udp_.local_endpoint().port();
    datagram_.resize(kMaxDatagram);
    ReceiveDatagram();
  }
  if (!tcp_listen.empty()) {
    absl::StatusOr<std::pair<asio::ip::address, uint16_t>> address =
        ParseListen(tcp_listen, "line.tcp", options_.allow_non_loopback);
    if (!address.ok()) return address.status();
    const asio::ip::tcp::endpoint endpoint(address->first, address->second);
    acceptor_.open(endpoint.protocol(), error);
    if (!error)
      acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error)
      acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return absl::UnavailableError(absl::StrCat(
          "line.tcp: cannot listen on ", tcp_listen, ": ", error.message()));
    }
    tcp_port_ = acceptor_.local_endpoint().port();
    Accept();
  }
  Log(LogLevel::kInfo, "line_listening",
      {{"udp_port", udp_port_}, {"tcp_port", tcp_port_}});
  return absl::OkStatus();
}

void LineListener::Stop() {
  if (stopped_) return;
  stopped_ = true;
  std::error_code ignored;
  udp_.close(ignored);
  acceptor_.close(ignored);
  for (const std::shared_ptr<Connection>& connection : connections_) {
    connection->Close();
  }
  connections_.clear();
}

bool LineListener::Commit() {
  if (absl::Status committed = pipeline_->Commit(); !committed.ok()) {
    Stop();
    if (on_fatal_) on_fatal_(std::move(committed));
    return false;
  }
  return true;
}

void LineListener::ReceiveDatagram() {
  udp_.async_receive_from(
      asio::buffer(datagram_), sender_,
      [this](const std::error_code& error, size_t n) {
        if (stopped_) return;
        if (!error) {
          const std::string source = absl::StrCat(
              "udp:", sender_.address().to_string(), ":", sender_.port());
          for (absl::string_view line :
               absl::StrSplit(absl::string_view(datagram_.data(), n), '\n')) {
            (void)pipeline_->HandleLine(line, source);  // counted and logged
          }
          if (!Commit()) return;
        }
        ReceiveDatagram();
      });
}

void LineListener::Accept() {
  acceptor_.async_accept([this](const std::error_code& error,
                                asio::ip::tcp::socket socket) {
    if (stopped_) return;
    if (!error) {
      if (static_cast<int>(connections_.size()) >= kMaxConnections) {
        Log(LogLevel::kWarning, "line_connection_refused",
            {{"reason", "too many connections"}, {"limit", kMaxConnections}});
        std::error_code ignored;
        socket.close(ignored);
      } else {
        auto connection = std::make_shared<Connection>(this, std::move(socket));
        connections_.insert(connection);
        connection->Read();
      }
    }
    Accept();
  });
}

}  // namespace monipaikka::edge
