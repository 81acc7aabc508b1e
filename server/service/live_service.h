#pragma once

#include "monipaikka/v1/live.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/live/occupancy_hub.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Adapter of LiveOccupancyService onto the live occupancy hub: a unary
// snapshot, and a server-streaming watch (one reactor per call).
class LiveOccupancyServiceImpl final
    : public v1::LiveOccupancyService::CallbackService {
 public:
  LiveOccupancyServiceImpl(QueryExecutor* executor, const AccessControl* access,
                           LiveOccupancyHub* hub)
      : executor_(executor), access_(access), hub_(hub) {}

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
};

}  // namespace monipaikka
