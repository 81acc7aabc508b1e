#pragma once

#include "monipaikka/v1/analytics.grpc.pb.h"
#include "server/service/report_deps.h"

namespace monipaikka {

// Adapter of AnalyticsService onto the report builders.
class AnalyticsServiceImpl final
    : public v1::AnalyticsService::CallbackService {
 public:
  explicit AnalyticsServiceImpl(ReportDeps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* GetUsageReport(
      grpc::CallbackServerContext* context,
      const v1::UsageReportRequest* request,
      v1::UsageReport* response) override;
  grpc::ServerUnaryReactor* GetSensorCoverage(
      grpc::CallbackServerContext* context,
      const v1::SensorCoverageRequest* request,
      v1::SensorCoverageReport* response) override;
  grpc::ServerUnaryReactor* GetRightSizing(
      grpc::CallbackServerContext* context,
      const v1::RightSizingRequest* request,
      v1::RightSizingReport* response) override;
  grpc::ServerUnaryReactor* GetConsolidation(
      grpc::CallbackServerContext* context,
      const v1::ConsolidationRequest* request,
      v1::ConsolidationReport* response) override;
  grpc::ServerUnaryReactor* GetSpaceEfficiency(
      grpc::CallbackServerContext* context,
      const v1::SpaceEfficiencyRequest* request,
      v1::SpaceEfficiencyReport* response) override;
  grpc::ServerUnaryReactor* ListTargets(
      grpc::CallbackServerContext* context,
      const v1::ListTargetsRequest* request,
      v1::ListTargetsResponse* response) override;
  grpc::ServerUnaryReactor* PutTarget(grpc::CallbackServerContext* context,
                                      const v1::PutTargetRequest* request,
                                      v1::Target* response) override;
  grpc::ServerUnaryReactor* DeleteTarget(
      grpc::CallbackServerContext* context,
      const v1::DeleteTargetRequest* request,
      v1::DeleteTargetResponse* response) override;

 private:
  const ReportDeps deps_;
};

}  // namespace monipaikka
