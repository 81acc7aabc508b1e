#include "tests/support/tcp_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace monipaikka::testing {

TcpProxy::TcpProxy(int target_port) : target_port_(target_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address),
             sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("tcp proxy: cannot listen");
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::runtime_error("tcp proxy: pipe");
  }
  thread_ = std::thread([this] { Run(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  Wake();
  thread_.join();
  ResetAll();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
}

void TcpProxy::Wake() {
  const char byte = 1;
  (void)!::write(wake_pipe_[1], &byte, 1);
}

void TcpProxy::Reset(int fd) {
  // Linger 0: close() sends an RST instead of a FIN.
  linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
}

int TcpProxy::ResetAll() {
  std::lock_guard<std::mutex> lock(mu_);
  const int count = static_cast<int>(links_.size());
  for (const Link& link : links_) {
    Reset(link.client);
    Reset(link.target);
  }
  links_.clear();
  Wake();
  return count;
}

void TcpProxy::Accept() {
  const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client < 0) return;
  const int target = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(target_port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(target, reinterpret_cast<sockaddr*>(&address),
                sizeof address) != 0) {
    // The target is down: the client sees a reset, as from a dead peer.
    Reset(client);
    ::close(target);
    return;
  }
  const int one = 1;
  ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(target, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ++accepted_;
  std::lock_guard<std::mutex> lock(mu_);
  links_.push_back(Link{client, target});
}

bool TcpProxy::Forward(int from, int to, bool to_target) {
  char buffer[64 * 1024];
  const ssize_t n = ::read(from, buffer, sizeof buffer);
  if (n <= 0) return false;
  ssize_t written = 0;
  while (written < n) {
    const ssize_t w = ::write(to, buffer + written, n - written);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    written += w;
  }
  if (to_target) bytes_to_target_ += n;
  return true;
}

void TcpProxy::Run() {
  while (!stopping_) {
    std::vector<pollfd> fds;
    std::vector<Link> links;
    {
      std::lock_guard<std::mutex> lock(mu_);
      links = links_;
    }
    fds.push_back({wake_pipe_[0], POLLIN, 0});
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const Link& link : links) {
      fds.push_back({link.client, POLLIN, 0});
      fds.push_back({link.target, POLLIN, 0});
    }
    if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
    if (fds[0].revents != 0) {
      char drain[64];
      while (::read(wake_pipe_[0], drain, sizeof drain) > 0) {
      }
      continue;  // the links may have changed
    }
    if (fds[1].revents & POLLIN) Accept();
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < links.size(); ++i) {
      const Link& link = links[i];
      // ResetAll may have closed it since the poll (and its numbers may
      // belong to another file by now).
      bool current = false;
      for (const Link& open_link : links_) {
        if (open_link.client == link.client &&
            open_link.target == link.target) {
          current = true;
        }
      }
      if (!current) continue;
      bool open = true;
      if (fds[2 + 2 * i].revents != 0) {
        open = Forward(link.client, link.target, true);
      }
      if (open && fds[3 + 2 * i].revents != 0) {
        open = Forward(link.target, link.client, false);
      }
      if (!open) {
        // One side closed or failed: close both, the way a peer would.
        for (auto it = links_.begin(); it != links_.end(); ++it) {
          if (it->client == link.client) {
            ::close(it->client);
            ::close(it->target);
            links_.erase(it);
            break;
          }
        }
      }
    }
  }
}

}  // namespace monipaikka::testing
