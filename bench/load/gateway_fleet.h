#pragma once

// All simulated gateways of a load test and the one driver thread that
// feeds them: every `batch_interval` each gateway takes the readings its
// sensors produced since its previous turn and sends them (the gateways'
// turns are spread evenly over the interval). gRPC's callback API carries
// all the streams, so no thread per gateway is needed.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "bench/load/load_stats.h"
#include "bench/load/simulated_gateway.h"

namespace monipaikka::load {

struct FleetOptions {
  int gateways = 200;
  int sensors_per_gateway = 100;
  double readings_per_sensor_per_min = 6;
  double state_change_probability = 0.1;
  absl::Duration batch_interval = absl::Seconds(1);
  int max_batch_readings = 1000;
  int max_in_flight = 8;
  uint64_t seed = 1;
  // PEM CA certificates to verify the server with (TLS); empty: plaintext.
  std::string tls_ca_pem;
};

class GatewayFleet {
 public:
  // Gateways connecting to `address`, gateway g with `device_tokens[g]`;
  // the run starts at `start_unix_ms`.
  GatewayFleet(const std::string& address, const FleetOptions& options,
               const std::vector<std::string>& device_tokens,
               int64_t start_unix_ms, LoadStats* stats);
  // Stops the driver; cancels streams still open and waits for gRPC to be
  // done with them.
  ~GatewayFleet();

  // Opens every stream and starts the driver, which generates readings for
  // `duration` and then lets every gateway drain.
  void Start(absl::Duration duration);
  // The driver has generated the last reading (or was stopped).
  bool generating_done() const { return generating_done_.load(); }
  // When the driver generated the last reading; valid once generating_done().
  absl::Time generating_ended() const { return generating_ended_; }
  // Stops generating readings at once (e.g. the server died).
  void StopGenerating() { stop_.store(true); }
  // Waits until every stream is closed after acknowledging everything, up
  // to `timeout`; then cancels what is left. False if anything was left.
  bool WaitDrained(absl::Duration timeout);
  // Readings generated and not yet acknowledged, over all gateways.
  int64_t unacknowledged() const;

 private:
  void Drive(absl::Duration duration);

  const FleetOptions options_;
  std::vector<std::unique_ptr<SimulatedGateway>> gateways_;
  std::thread driver_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> generating_done_{false};
  absl::Time generating_ended_;  // written before generating_done_
};

}  // namespace monipaikka::load
