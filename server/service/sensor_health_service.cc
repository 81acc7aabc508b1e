#include "server/service/sensor_health_service.h"

#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/reports/sensor_health_report.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* SensorHealthServiceImpl::ListSensorHealth(
    grpc::CallbackServerContext* context,
    const v1::ListSensorHealthRequest* request,
    v1::ListSensorHealthResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kListSensorHealth,
                  [=, this](StorageSession& session) {
                    ASSIGN_OR_RETURN(
                        *response,
                        BuildSensorHealthReport(session, *request, now_ms_()));
                    return absl::OkStatus();
                  });
}

}  // namespace monipaikka
