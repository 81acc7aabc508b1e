#pragma once

// The line protocol inputs (decode/line_protocol.h) for simple devices and
// bridges: a UDP socket (each datagram one or more lines; no replies) and a
// TCP listener (a stream of lines per connection). On TCP every line gets a
// reply once what was read is committed to the outbox: "ok" or
// "error <message naming the field>", one per line in order, so a bridge
// knows what is safely queued. Blank and comment lines are answered "ok".
//
// Listen addresses are "host:port" (port 0: any free port, see the
// accessors). The protocol has no authentication, so only loopback
// addresses are bound unless LineListenerOptions::allow_non_loopback says
// the network in between is trusted. A TCP connection on which no byte was
// read or written for LineListenerOptions::idle_timeout is closed, so that
// idle peers cannot hold the kMaxConnections places.
//
// Threading: the io_context's thread.

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "edge/input_pipeline.h"

namespace monipaikka::edge {

struct LineListenerOptions {
  // Bind addresses other than loopback too.
  bool allow_non_loopback = false;
  // A TCP connection without a byte read or written for this long is closed
  // (logged: event=line_connection_idle).
  std::chrono::milliseconds idle_timeout{60 * 1000};
};

class LineListener {
 public:
  // `pipeline` must outlive the listener; `on_fatal` gets an outbox failure.
  LineListener(asio::io_context& io, InputPipeline* pipeline,
               std::function<void(absl::Status)> on_fatal,
               LineListenerOptions options = {});
  ~LineListener();
  LineListener(const LineListener&) = delete;
  LineListener& operator=(const LineListener&) = delete;

  // Binds the given listeners (either may be empty). INVALID_ARGUMENT names
  // the address when it cannot be parsed, or is not loopback without
  // allow_non_loopback; UNAVAILABLE when it cannot be bound.
  absl::Status Start(const std::string& udp_listen,
                     const std::string& tcp_listen);
  void Stop();

  int udp_port() const { return udp_port_; }
  int tcp_port() const { return tcp_port_; }

  // Most open TCP connections; more are closed at once.
  static constexpr int kMaxConnections = 64;

 private:
  class Connection;
  friend class Connection;

  void ReceiveDatagram();
  void Accept();
  // Commits; false (and stopping) on failure.
  bool Commit();

  asio::io_context& io_;
  InputPipeline* const pipeline_;
  std::function<void(absl::Status)> on_fatal_;
  const LineListenerOptions options_;
  asio::ip::udp::socket udp_;
  asio::ip::tcp::acceptor acceptor_;
  asio::ip::udp::endpoint sender_;
  std::string datagram_;
  std::set<std::shared_ptr<Connection>> connections_;
  int udp_port_ = 0;
  int tcp_port_ = 0;
  bool stopped_ = false;
};

}  // namespace monipaikka::edge
