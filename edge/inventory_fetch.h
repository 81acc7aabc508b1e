#pragma once

// Asks the server which sensors a gateway serves: InventoryService.ListSensors
// (gateway = the gateway id), then ListSites for the time zone of each
// sensor's site.

#include <grpcpp/grpcpp.h>

#include <asio.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/vocabulary.h"
#include "edge/served_sensor.h"
#include "monipaikka/v1/inventory.grpc.pb.h"

namespace monipaikka::edge {

// Joins the two answers: each sensor with its site's time zone
// (kDefaultTimeZone when the site is unknown or has none), ordered by
// external id.
std::vector<ServedSensor> ToServedSensors(
    const v1::ListSensorsResponse& sensors, const v1::ListSitesResponse& sites);

// One fetch, driven by gRPC's callback API with its completions posted into
// an io_context.
class InventoryFetch : public std::enable_shared_from_this<InventoryFetch> {
 public:
  using Done = std::function<void(absl::StatusOr<std::vector<ServedSensor>>)>;

  // Starts the fetch; `done` runs once on `io`'s thread, with UNAVAILABLE,
  // DEADLINE_EXCEEDED etc. (prefixed with the method) when the server cannot
  // answer. Each call may take up to `timeout`. `io` must outlive the fetch.
  static std::shared_ptr<InventoryFetch> Start(
      asio::io_context& io, std::shared_ptr<grpc::Channel> channel,
      std::string gateway, std::chrono::milliseconds timeout, Done done);

  // Any thread: cancels the call in progress; `done` then gets an error.
  void Cancel();
  // Blocks until gRPC no longer runs a call of this fetch. For an owner's
  // destructor, after Cancel(), while `io` is not running.
  void AwaitIdle();

  InventoryFetch(asio::io_context& io, std::shared_ptr<grpc::Channel> channel,
                 std::string gateway, std::chrono::milliseconds timeout,
                 Done done);

 private:
  void CallListSensors();
  void CallListSites();
  // Prepares a context for the next call; false once cancelled.
  bool BeginCall();
  // gRPC thread: posts `handler` into io and marks the call finished.
  void Complete(std::function<void()> handler);
  void Finish(absl::StatusOr<std::vector<ServedSensor>> result);

  asio::io_context& io_;
  std::unique_ptr<v1::InventoryService::Stub> stub_;
  const std::string gateway_;
  const std::chrono::milliseconds timeout_;
  Done done_;  // io thread only

  v1::ListSensorsRequest sensors_request_;
  v1::ListSensorsResponse sensors_response_;
  v1::ListSitesRequest sites_request_;
  v1::ListSitesResponse sites_response_;

  std::mutex mutex_;
  std::condition_variable idle_cv_;
  std::unique_ptr<grpc::ClientContext> context_;  // guarded by mutex_
  bool call_running_ = false;                     // guarded by mutex_
  bool cancelled_ = false;                        // guarded by mutex_
};

}  // namespace monipaikka::edge
