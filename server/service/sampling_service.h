#pragma once

// SamplingService: estimates with intervals for scopes where only some
// workstations are measured, and observation rounds. A thin adapter over
// server/reports.

#include "monipaikka/v1/sampling.grpc.pb.h"
#include "server/service/report_deps.h"

namespace monipaikka {

class SamplingServiceImpl final : public v1::SamplingService::CallbackService {
 public:
  explicit SamplingServiceImpl(ReportDeps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* GetSampleEstimate(
      grpc::CallbackServerContext* context,
      const v1::SampleEstimateRequest* request,
      v1::SampleEstimateReport* response) override;
  // Audited: the rows received, stored and rejected.
  grpc::ServerUnaryReactor* ImportObservationRounds(
      grpc::CallbackServerContext* context,
      const v1::ImportObservationRoundsRequest* request,
      v1::ImportObservationRoundsResponse* response) override;
  grpc::ServerUnaryReactor* GetObservationStudy(
      grpc::CallbackServerContext* context,
      const v1::ObservationStudyRequest* request,
      v1::ObservationStudyReport* response) override;

 private:
  const ReportDeps deps_;
};

}  // namespace monipaikka
