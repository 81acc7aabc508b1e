#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "monipaikka/v1/live.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/live/occupancy_hub.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Adapter of LiveOccupancyService onto the live occupancy hub: a unary
// snapshot, and a server-streaming watch (one reactor per call). A token may
// hold at most `max_watches_per_token` watches at a time; one more is
// refused with RESOURCE_EXHAUSTED.
class LiveOccupancyServiceImpl final
    : public v1::LiveOccupancyService::CallbackService {
 public:
  LiveOccupancyServiceImpl(QueryExecutor* executor, const AccessControl* access,
                           LiveOccupancyHub* hub, int max_watches_per_token)
      : executor_(executor),
        access_(access),
        hub_(hub),
        max_watches_per_token_(max_watches_per_token) {}

  grpc::ServerUnaryReactor* GetLiveOccupancy(
      grpc::CallbackServerContext* context,
      const v1::LiveOccupancyRequest* request,
      v1::LiveOccupancy* response) override;
  grpc::ServerWriteReactor<v1::LiveOccupancyUpdate>* WatchLiveOccupancy(
      grpc::CallbackServerContext* context,
      const v1::LiveOccupancyRequest* request) override;

 private:
  QueryExecutor* const executor_;
  const AccessControl* const access_;
  LiveOccupancyHub* const hub_;
  const int max_watches_per_token_;
  absl::Mutex watches_mu_;
  // Open watches by caller ("token:<id>" or "name:<name>"); no zero entries.
  absl::flat_hash_map<std::string, int> watches_by_token_
      ABSL_GUARDED_BY(watches_mu_);
};

}  // namespace monipaikka
