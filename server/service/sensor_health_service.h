#pragma once

#include <functional>

#include "monipaikka/v1/sensor_health.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Adapter of SensorHealthService onto the sensor health report.
class SensorHealthServiceImpl final
    : public v1::SensorHealthService::CallbackService {
 public:
  // `now_ms` is the clock (UTC ms).
  SensorHealthServiceImpl(QueryExecutor* executor, const AccessControl* access,
                          std::function<int64_t()> now_ms)
      : executor_(executor), access_(access), now_ms_(std::move(now_ms)) {}

  grpc::ServerUnaryReactor* ListSensorHealth(
      grpc::CallbackServerContext* context,
      const v1::ListSensorHealthRequest* request,
      v1::ListSensorHealthResponse* response) override;

 private:
  QueryExecutor* const executor_;
  const AccessControl* const access_;
  const std::function<int64_t()> now_ms_;
};

}  // namespace monipaikka
