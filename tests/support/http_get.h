#pragma once

// A minimal HTTP/1.0 client over a plain TCP socket, for tests that scrape
// the metrics endpoint on 127.0.0.1.

#include <string>

#include "absl/status/statusor.h"

namespace monipaikka::testing {

struct HttpResponse {
  int status = 0;       // e.g. 200
  std::string headers;  // the status line and headers, as received
  std::string body;
};

// GET http://127.0.0.1:<port><path>; the whole response, read until the
// server closes the connection (up to a 10 s socket time-out).
absl::StatusOr<HttpResponse> HttpGet(int port, const std::string& path);

}  // namespace monipaikka::testing
