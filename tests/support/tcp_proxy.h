#pragma once

// A TCP proxy on 127.0.0.1 for fault tests: it forwards every connection to
// a target port, and the test can reset all connections at once, as a
// network failure would: both sides get an RST (SO_LINGER 0), not an orderly
// close.
//
// Thread safety: the methods may be called from any thread; one thread of
// its own forwards the bytes.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace monipaikka::testing {

class TcpProxy {
 public:
  // Listens on a free port of 127.0.0.1 and forwards to 127.0.0.1:`target`.
  explicit TcpProxy(int target_port);
  // Resets what is open and stops.
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  // Resets every open connection (both sides); returns how many there were.
  int ResetAll();
  // Connections accepted so far.
  int accepted() const { return accepted_.load(); }
  // Bytes forwarded from clients to the target so far.
  int64_t bytes_to_target() const { return bytes_to_target_.load(); }

 private:
  struct Link {
    int client = -1;
    int target = -1;
  };
  void Run();
  void Accept();
  // Moves what `from` has to `to`; false when the link should close.
  bool Forward(int from, int to, bool to_target);
  static void Reset(int fd);
  void Wake();

  int listen_fd_ = -1;
  int port_ = 0;
  const int target_port_;
  int wake_pipe_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::atomic<int64_t> bytes_to_target_{0};
  std::mutex mu_;
  std::vector<Link> links_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace monipaikka::testing
