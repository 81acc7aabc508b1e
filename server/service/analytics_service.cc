#include "server/service/analytics_service.h"

#include "common/status_macros.h"
#include "server/reports/planning_reports.h"
#include "server/reports/usage_report.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetUsageReport(
    grpc::CallbackServerContext* context, const v1::UsageReportRequest* request,
    v1::UsageReport* response) {
  return RunUnary(context, deps_.executor, [=, this](StorageSession& session) {
    return WithReportContext(deps_, session, [&](const ReportContext& c) {
      ASSIGN_OR_RETURN(*response, BuildUsageReport(c, *request));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetSensorCoverage(
    grpc::CallbackServerContext* context,
    const v1::SensorCoverageRequest* request,
    v1::SensorCoverageReport* response) {
  return RunUnary(context, deps_.executor, [=, this](StorageSession& session) {
    return WithReportContext(deps_, session, [&](const ReportContext& c) {
      ASSIGN_OR_RETURN(*response, BuildSensorCoverage(c, *request));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetRightSizing(
    grpc::CallbackServerContext* context, const v1::RightSizingRequest* request,
    v1::RightSizingReport* response) {
  return RunUnary(context, deps_.executor, [=, this](StorageSession& session) {
    return WithReportContext(deps_, session, [&](const ReportContext& c) {
      ASSIGN_OR_RETURN(*response, BuildRightSizing(c, *request));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetConsolidation(
    grpc::CallbackServerContext* context,
    const v1::ConsolidationRequest* request,
    v1::ConsolidationReport* response) {
  return RunUnary(context, deps_.executor, [=, this](StorageSession& session) {
    return WithReportContext(deps_, session, [&](const ReportContext& c) {
      ASSIGN_OR_RETURN(*response, BuildConsolidation(c, *request));
      return absl::OkStatus();
    });
  });
}

}  // namespace monipaikka
