#include "server/service/utilization_service.h"

#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* UtilizationServiceImpl::GetUtilization(
    grpc::CallbackServerContext* context, const v1::UtilizationRequest* request,
    v1::UtilizationReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetUtilization,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildUtilizationReport(c, *request));
          return absl::OkStatus();
        });
      });
}

}  // namespace monipaikka
