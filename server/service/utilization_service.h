#pragma once

#include "monipaikka/v1/utilization.grpc.pb.h"
#include "server/reports/utilization_report.h"
#include "server/service/query_executor.h"

namespace monipaikka {

class UtilizationServiceImpl final
    : public v1::UtilizationService::CallbackService {
 public:
  UtilizationServiceImpl(QueryExecutor* executor, UtilizationSettings settings)
      : executor_(executor), settings_(settings) {}

  grpc::ServerUnaryReactor* GetUtilization(
      grpc::CallbackServerContext* context,
      const v1::UtilizationRequest* request,
      v1::UtilizationReport* response) override;

 private:
  QueryExecutor* const executor_;
  const UtilizationSettings settings_;
};

}  // namespace monipaikka
