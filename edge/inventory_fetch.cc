#include "edge/inventory_fetch.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "common/grpc_status.h"
#include "common/log.h"

namespace monipaikka::edge {

std::vector<ServedSensor> ToServedSensors(
    const v1::ListSensorsResponse& sensors,
    const v1::ListSitesResponse& sites) {
  absl::flat_hash_map<std::string, std::string> zone_of_site;
  for (const v1::Site& site : sites.sites()) {
    zone_of_site[site.code()] =
        site.timezone().empty() ? kDefaultTimeZone : site.timezone();
  }
  std::vector<ServedSensor> result;
  result.reserve(sensors.sensors_size());
  for (const v1::Sensor& sensor : sensors.sensors()) {
    ServedSensor served;
    served.external_id = sensor.external_id();
    served.kind = sensor.kind();
    served.site = sensor.site();
    auto zone = zone_of_site.find(sensor.site());
    if (zone == zone_of_site.end()) {
      Log(LogLevel::kWarning, "sensor_site_unknown",
          {{"sensor", sensor.external_id()},
           {"site", sensor.site()},
           {"timezone", kDefaultTimeZone}});
      served.timezone = kDefaultTimeZone;
    } else {
      served.timezone = zone->second;
    }
    served.installed = sensor.installed();
    served.removed = sensor.removed();
    result.push_back(std::move(served));
  }
  std::sort(result.begin(), result.end(),
            [](const ServedSensor& a, const ServedSensor& b) {
              return a.external_id < b.external_id;
            });
  return result;
}

InventoryFetch::InventoryFetch(asio::io_context& io,
                               std::shared_ptr<grpc::Channel> channel,
                               std::string gateway,
                               std::chrono::milliseconds timeout, Done done)
    : io_(io),
      stub_(v1::InventoryService::NewStub(std::move(channel))),
      gateway_(std::move(gateway)),
      timeout_(timeout),
      done_(std::move(done)) {}

std::shared_ptr<InventoryFetch> InventoryFetch::Start(
    asio::io_context& io, std::shared_ptr<grpc::Channel> channel,
    std::string gateway, std::chrono::milliseconds timeout, Done done) {
  auto fetch = std::make_shared<InventoryFetch>(
      io, std::move(channel), std::move(gateway), timeout, std::move(done));
  fetch->CallListSensors();
  return fetch;
}

void InventoryFetch::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  if (call_running_) context_->TryCancel();
}

void InventoryFetch::AwaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_cv_.wait(lock, [this] { return !call_running_; });
}

bool InventoryFetch::BeginCall() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (cancelled_) return false;
  context_ = std::make_unique<grpc::ClientContext>();
  context_->set_deadline(std::chrono::system_clock::now() + timeout_);
  call_running_ = true;
  return true;
}

void InventoryFetch::Complete(std::function<void()> handler) {
  // Runs inside gRPC's completion callback, whose captured reference keeps
  // this object alive throughout. Post before marking the call finished:
  // after that, the owner may destroy the io_context.
  asio::post(io_, std::move(handler));
  std::lock_guard<std::mutex> lock(mutex_);
  call_running_ = false;
  idle_cv_.notify_all();
}

void InventoryFetch::CallListSensors() {
  if (!BeginCall()) {
    asio::post(io_, [self = shared_from_this()] {
      self->Finish(absl::CancelledError("inventory fetch cancelled"));
    });
    return;
  }
  sensors_request_.set_gateway(gateway_);
  stub_->async()->ListSensors(
      context_.get(), &sensors_request_, &sensors_response_,
      [self = shared_from_this()](grpc::Status status) {
        self->Complete([self, status] {
          if (!status.ok()) {
            self->Finish(FromGrpcStatus(status, "ListSensors"));
          } else {
            self->CallListSites();
          }
        });
      });
}

void InventoryFetch::CallListSites() {
  if (!BeginCall()) {
    asio::post(io_, [self = shared_from_this()] {
      self->Finish(absl::CancelledError("inventory fetch cancelled"));
    });
    return;
  }
  stub_->async()->ListSites(
      context_.get(), &sites_request_, &sites_response_,
      [self = shared_from_this()](grpc::Status status) {
        self->Complete([self, status] {
          if (!status.ok()) {
            self->Finish(FromGrpcStatus(status, "ListSites"));
          } else {
            self->Finish(ToServedSensors(self->sensors_response_,
                                         self->sites_response_));
          }
        });
      });
}

void InventoryFetch::Finish(absl::StatusOr<std::vector<ServedSensor>> result) {
  if (!done_) return;
  Done done = std::move(done_);
  done_ = nullptr;
  done(std::move(result));
}

}  // namespace monipaikka::edge
