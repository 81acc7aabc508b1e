#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace monipaikka::testing {

std::string HttpAnswer::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

HttpConnection::HttpConnection(int port, int receive_buffer_bytes)
    : port_(port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    status_ = absl::InternalError(std::strerror(errno));
    return;
  }
  if (receive_buffer_bytes > 0 &&
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer_bytes,
                 sizeof receive_buffer_bytes) != 0) {
    status_ = absl::InternalError(std::strerror(errno));
    return;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
      0) {
    status_ = absl::UnavailableError(absl::StrCat("connect to 127.0.0.1:", port,
                                                  ": ", std::strerror(errno)));
  }
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) close(fd_);
}

absl::Status HttpConnection::SendRaw(absl::string_view bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    const ssize_t n =
        send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      return absl::UnavailableError(
          absl::StrCat("send: ", std::strerror(errno)));
    }
    sent += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status HttpConnection::Send(
    absl::string_view method, absl::string_view target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::string_view body) {
  std::string request = absl::StrCat(
      method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1:", port_, "\r\n");
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&request, name, ": ", value, "\r\n");
  }
  if (!body.empty() || method == "POST") {
    absl::StrAppend(&request, "Content-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&request, "\r\n", body);
  return SendRaw(request);
}

absl::Status HttpConnection::Fill(
    size_t n, std::chrono::steady_clock::time_point deadline) {
  char chunk[16384];
  while (buffer_.size() < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return absl::DeadlineExceededError("no answer in time");
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      return absl::InternalError(std::strerror(errno));
    }
    if (ready <= 0) continue;
    const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
    if (got == 0) return absl::UnavailableError("the server closed");
    if (got < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(
          absl::StrCat("recv: ", std::strerror(errno)));
    }
    buffer_.append(chunk, static_cast<size_t>(got));
    received_ += static_cast<size_t>(got);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HttpConnection::ReadLine(
    std::chrono::steady_clock::time_point deadline) {
  while (true) {
    const size_t end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (absl::Status more = Fill(buffer_.size() + 1, deadline); !more.ok()) {
      return more;
    }
  }
}

absl::StatusOr<HttpAnswer> HttpConnection::ReadHead(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  absl::StatusOr<std::string> status_line = ReadLine(deadline);
  if (!status_line.ok()) return status_line.status();
  HttpAnswer answer;
  // "HTTP/1.1 200 OK"
  if (status_line->size() < 12 ||
      !absl::SimpleAtoi(absl::string_view(*status_line).substr(9, 3),
                        &answer.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", *status_line));
  }
  while (true) {
    absl::StatusOr<std::string> line = ReadLine(deadline);
    if (!line.ok()) return line.status();
    if (line->empty()) break;
    const size_t colon = line->find(':');
    if (colon == std::string::npos) continue;
    answer.headers.emplace_back(
        absl::AsciiStrToLower(line->substr(0, colon)),
        std::string(absl::StripAsciiWhitespace(line->substr(colon + 1))));
  }
  return answer;
}

absl::StatusOr<std::string> HttpConnection::ReadChunk(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  absl::StatusOr<std::string> size_line = ReadLine(deadline);
  if (!size_line.ok()) return size_line.status();
  size_t size = 0;
  const std::string hex = size_line->substr(0, size_line->find(';'));
  if (!absl::SimpleHexAtoi(hex, &size)) {
    return absl::DataLossError(absl::StrCat("bad chunk size: ", *size_line));
  }
  if (size == 0) {
    // Trailers (none) and the final empty line.
    while (true) {
      absl::StatusOr<std::string> line = ReadLine(deadline);
      if (!line.ok()) return line.status();
      if (line->empty()) break;
    }
    return std::string();
  }
  if (absl::Status filled = Fill(size + 2, deadline); !filled.ok()) {
    return filled;
  }
  std::string data = buffer_.substr(0, size);
  buffer_.erase(0, size + 2);
  return data;
}

absl::StatusOr<HttpAnswer> HttpConnection::Read(
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  absl::StatusOr<HttpAnswer> answer = ReadHead(timeout);
  if (!answer.ok()) return answer;
  if (absl::AsciiStrToLower(answer->Header("transfer-encoding")) == "chunked") {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      absl::StatusOr<std::string> chunk = ReadChunk(left);
      if (!chunk.ok()) return chunk.status();
      if (chunk->empty()) break;
      answer->body += *chunk;
    }
    return answer;
  }
  size_t length = 0;
  if (!answer->Header("content-length").empty() &&
      absl::SimpleAtoi(answer->Header("content-length"), &length)) {
    if (absl::Status filled = Fill(length, deadline); !filled.ok()) {
      return filled;
    }
    answer->body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  }
  return answer;
}

bool HttpConnection::ClosedByPeer(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    absl::Status more = Fill(buffer_.size() + 1, deadline);
    if (absl::IsUnavailable(more)) return true;
    if (absl::IsDeadlineExceeded(more)) return false;
    buffer_.clear();
  }
  return false;
}

absl::StatusOr<HttpAnswer> HttpRequest(
    int port, absl::string_view method, absl::string_view target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::string_view body) {
  HttpConnection connection(port);
  if (!connection.ok()) return connection.status();
  if (absl::Status sent = connection.Send(method, target, headers, body);
      !sent.ok()) {
    return sent;
  }
  return connection.Read();
}

}  // namespace monipaikka::testing
