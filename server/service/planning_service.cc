#include "server/service/planning_service.h"

#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/reports/floor_plan_report.h"
#include "server/reports/forecast_report.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* PlanningServiceImpl::GetFloorPlan(
    grpc::CallbackServerContext* context, const v1::FloorPlanRequest* request,
    v1::FloorPlanReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetFloorPlan,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildFloorPlan(c, *request));
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* PlanningServiceImpl::GetForecast(
    grpc::CallbackServerContext* context, const v1::ForecastRequest* request,
    v1::ForecastReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetForecast,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildForecast(c, *request));
          return absl::OkStatus();
        });
      });
}

}  // namespace monipaikka
