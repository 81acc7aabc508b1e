#include "common/metrics_endpoint.h"

#include <exception>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/listen_address.h"
#include "prometheus/exposer.h"

namespace monipaikka {

absl::Status CheckMetricsListenAddress(absl::string_view listen,
                                       bool allow_non_loopback) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics listen address \"", listen,
                     "\" is not host:port (e.g. 127.0.0.1:9464)"));
  }
  if (!allow_non_loopback && !IsLoopbackListenAddress(listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics listen address ", listen,
        " is not loopback; metrics are served without authentication, so "
        "other addresses need --metrics_allow_non_loopback"));
  }
  return absl::OkStatus();
}

absl::Status CheckMetricsListenFlag(absl::string_view listen,
                                    bool allow_non_loopback) {
  if (listen.empty()) return absl::OkStatus();
  const absl::Status address =
      CheckMetricsListenAddress(listen, allow_non_loopback);
  if (address.ok()) return address;
  return absl::Status(address.code(),
                      absl::StrCat("--metrics_listen: ", address.message()));
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    absl::string_view listen, bool allow_non_loopback,
    std::shared_ptr<prometheus::Collectable> metrics) {
  if (absl::Status address =
          CheckMetricsListenAddress(listen, allow_non_loopback);
      !address.ok()) {
    return address;
  }
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->metrics_ = std::move(metrics);
  try {
    // One thread: scrapes are rare and cheap.
    endpoint->exposer_ =
        std::make_unique<prometheus::Exposer>(std::string(listen), 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen, ": ", e.what()));
  }
  endpoint->exposer_->RegisterCollectable(endpoint->metrics_);
  const std::vector<int> ports = endpoint->exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen, ": no port bound"));
  }
  endpoint->port_ = ports.front();
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() = default;

}  // namespace monipaikka
