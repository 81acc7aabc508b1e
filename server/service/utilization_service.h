#pragma once

#include "monipaikka/v1/utilization.grpc.pb.h"
#include "server/reports/utilization_report.h"
#include "server/service/report_deps.h"

namespace monipaikka {

class UtilizationServiceImpl final
    : public v1::UtilizationService::CallbackService {
 public:
  explicit UtilizationServiceImpl(ReportDeps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* GetUtilization(
      grpc::CallbackServerContext* context,
      const v1::UtilizationRequest* request,
      v1::UtilizationReport* response) override;

 private:
  const ReportDeps deps_;
};

}  // namespace monipaikka
