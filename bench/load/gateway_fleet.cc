#include "bench/load/gateway_fleet.h"

#include <algorithm>
#include <chrono>

#include "absl/time/clock.h"
#include "bench/load/load_inventory.h"

namespace monipaikka::load {

GatewayFleet::GatewayFleet(const std::string& address,
                           const FleetOptions& options,
                           const std::vector<std::string>& device_tokens,
                           int64_t start_unix_ms, LoadStats* stats)
    : options_(options) {
  for (int g = 0; g < options.gateways; ++g) {
    GatewayOptions gateway;
    gateway.name = GatewayName(g);
    gateway.token = device_tokens.at(g);
    gateway.sensors = SensorIds(g, options.sensors_per_gateway);
    gateway.readings_per_sensor_per_min = options.readings_per_sensor_per_min;
    gateway.state_change_probability = options.state_change_probability;
    gateway.start_unix_ms = start_unix_ms;
    gateway.seed = options.seed * 1000003 + static_cast<uint64_t>(g);
    gateway.max_batch_readings = options.max_batch_readings;
    gateway.max_in_flight = options.max_in_flight;
    gateway.tls_ca_pem = options.tls_ca_pem;
    gateways_.push_back(
        std::make_unique<SimulatedGateway>(address, std::move(gateway), stats));
  }
}

GatewayFleet::~GatewayFleet() {
  stop_.store(true);
  if (!driver_.joinable()) return;  // never started: no stream was opened
  driver_.join();
  for (auto& gateway : gateways_) gateway->Cancel();
  for (auto& gateway : gateways_) {
    // A stream gRPC never finished with must outlive this object: leak it
    // rather than free memory gRPC may still touch.
    if (!gateway->WaitDone(absl::Seconds(10))) gateway.release();
  }
}

void GatewayFleet::Start(absl::Duration duration) {
  for (auto& gateway : gateways_) gateway->Start();
  driver_ = std::thread([this, duration] { Drive(duration); });
}

void GatewayFleet::Drive(absl::Duration duration) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point started = Clock::now();
  const int64_t duration_us = absl::ToInt64Microseconds(duration);
  const int64_t interval_us =
      std::max<int64_t>(1, absl::ToInt64Microseconds(options_.batch_interval));
  const int64_t count = static_cast<int64_t>(gateways_.size());
  std::vector<int64_t> next_turn_us(gateways_.size());
  for (int64_t g = 0; g < count; ++g) next_turn_us[g] = g * interval_us / count;
  while (!stop_.load()) {
    const int64_t now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                              started)
            .count();
    if (now_us >= duration_us) break;
    int64_t next_us = duration_us;
    for (int64_t g = 0; g < count; ++g) {
      if (next_turn_us[g] <= now_us) {
        gateways_[g]->Tick(now_us);
        // A driver that fell behind skips turns instead of bunching them.
        next_turn_us[g] = std::max(next_turn_us[g] + interval_us, now_us + 1);
      }
      next_us = std::min(next_us, next_turn_us[g]);
    }
    std::this_thread::sleep_until(started + std::chrono::microseconds(next_us));
  }
  // Exactly the readings due within the run; then everything drains.
  if (!stop_.load()) {
    for (auto& gateway : gateways_) gateway->Tick(duration_us);
  }
  generating_ended_ = absl::Now();
  for (auto& gateway : gateways_) gateway->Drain();
  generating_done_.store(true);
}

bool GatewayFleet::WaitDrained(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  bool all_done = true;
  for (auto& gateway : gateways_) {
    if (!gateway->WaitDone(
            std::max(deadline - absl::Now(), absl::ZeroDuration()))) {
      all_done = false;
      gateway->Cancel();
    }
  }
  return all_done;
}

int64_t GatewayFleet::unacknowledged() const {
  int64_t readings = 0;
  for (const auto& gateway : gateways_) readings += gateway->unacknowledged();
  return readings;
}

}  // namespace monipaikka::load
