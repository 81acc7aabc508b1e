#pragma once

// Serves metrics over HTTP in the Prometheus text format: GET /metrics on a
// listen address, answered by a small embedded web server (civetweb, through
// prometheus-cpp's Exposer) on its own thread.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prometheus/collectable.h"

namespace prometheus {
class Exposer;
}

namespace monipaikka {

// INVALID_ARGUMENT naming `listen` unless it is "host:port" and, without
// `allow_non_loopback`, a loopback address: the check Start() makes first,
// for a program to refuse its command line before anything starts.
absl::Status CheckMetricsListenAddress(absl::string_view listen,
                                       bool allow_non_loopback);

// The check of the --metrics_listen flag of the server and the edge agent:
// OK when empty (no endpoint), else CheckMetricsListenAddress's error
// prefixed "--metrics_listen: ".
absl::Status CheckMetricsListenFlag(absl::string_view listen,
                                    bool allow_non_loopback);

class MetricsEndpoint {
 public:
  // Listens on `listen` ("host:port" with a numeric IPv4 host, localhost or
  // [::1]; port 0 picks a free port) and serves `metrics` at /metrics.
  // Addresses other than loopback are refused unless `allow_non_loopback`:
  // the metrics say much about the system and carry no authentication.
  // Errors name the address: INVALID_ARGUMENT for a malformed or refused
  // one, UNAVAILABLE when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      absl::string_view listen, bool allow_non_loopback,
      std::shared_ptr<prometheus::Collectable> metrics);
  ~MetricsEndpoint();
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // The port bound.
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;

  // The exposer holds only a weak pointer; this keeps the metrics alive.
  std::shared_ptr<prometheus::Collectable> metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace monipaikka
