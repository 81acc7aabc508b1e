#pragma once

#include "monipaikka/v1/planning.grpc.pb.h"
#include "server/service/report_deps.h"

namespace monipaikka {

// Adapter of PlanningService onto the floor-plan and forecast builders.
class PlanningServiceImpl final : public v1::PlanningService::CallbackService {
 public:
  explicit PlanningServiceImpl(ReportDeps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* GetFloorPlan(
      grpc::CallbackServerContext* context, const v1::FloorPlanRequest* request,
      v1::FloorPlanReport* response) override;
  grpc::ServerUnaryReactor* GetForecast(grpc::CallbackServerContext* context,
                                        const v1::ForecastRequest* request,
                                        v1::ForecastReport* response) override;

 private:
  const ReportDeps deps_;
};

}  // namespace monipaikka
