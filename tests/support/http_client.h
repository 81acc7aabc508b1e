#pragma once

// An HTTP/1.1 client over one plain TCP connection to 127.0.0.1, for tests
// of the server's HTTP side: requests with any method, headers and body,
// answers read by Content-Length or chunked transfer coding, keep-alive,
// and a chunked answer read chunk by chunk (Connect streams).

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::testing {

struct HttpAnswer {
  int status = 0;
  // Field names lower case, in the order received.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first value of field `name` (lower case); "" when absent.
  std::string Header(absl::string_view name) const;
};

class HttpConnection {
 public:
  // Connects to 127.0.0.1:`port`; check ok(). A `receive_buffer_bytes`
  // above 0 sets the socket's receive buffer first (a client that takes
  // little at a time).
  explicit HttpConnection(int port, int receive_buffer_bytes = 0);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  const absl::Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

  // Sends raw bytes.
  absl::Status SendRaw(absl::string_view bytes);
  // Sends a request; Host and (with a body) Content-Length are added.
  absl::Status Send(
      absl::string_view method, absl::string_view target,
      const std::vector<std::pair<std::string, std::string>>& headers,
      absl::string_view body = "");
  // Reads one whole answer.
  absl::StatusOr<HttpAnswer> Read(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads the status line and header of an answer; its body follows with
  // ReadChunk (chunked) .
  absl::StatusOr<HttpAnswer> ReadHead(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next chunk's data of a chunked body; "" for the last chunk.
  absl::StatusOr<std::string> ReadChunk(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Whether the server closed the connection (waits up to `timeout`).
  bool ClosedByPeer(std::chrono::milliseconds timeout);
  // Bytes received on the connection so far.
  size_t received() const { return received_; }

 private:
  // Reads until `buffer_` holds at least `n` bytes.
  absl::Status Fill(size_t n, std::chrono::steady_clock::time_point deadline);
  absl::StatusOr<std::string> ReadLine(
      std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  int port_ = 0;
  absl::Status status_;
  std::string buffer_;
  size_t received_ = 0;
};

// One request on a new connection, its answer (the connection is closed).
absl::StatusOr<HttpAnswer> HttpRequest(
    int port, absl::string_view method, absl::string_view target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::string_view body = "");

}  // namespace monipaikka::testing
