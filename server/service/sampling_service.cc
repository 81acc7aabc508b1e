#include "server/service/sampling_service.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/reports/observation_report.h"
#include "server/reports/sampling_report.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* SamplingServiceImpl::GetSampleEstimate(
    grpc::CallbackServerContext* context,
    const v1::SampleEstimateRequest* request,
    v1::SampleEstimateReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetSampleEstimate,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildSampleEstimateReport(c, *request));
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* SamplingServiceImpl::ImportObservationRounds(
    grpc::CallbackServerContext* context,
    const v1::ImportObservationRoundsRequest* request,
    v1::ImportObservationRoundsResponse* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kImportObservationRounds,
      [=, this](StorageSession& session, const Caller& caller) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response,
                           monipaikka::ImportObservationRounds(c, *request));
          if (deps_.imports != nullptr) {
            deps_.imports->observations += response->rejected_size();
          }
          return deps_.access->Audit(
              session, caller, rpc::kImportObservationRounds,
              absl::StrCat("rows ", response->received(), ", inserted ",
                           response->inserted(), ", changed ",
                           response->changed(), ", rejected ",
                           response->rejected_size()));
        });
      });
}

grpc::ServerUnaryReactor* SamplingServiceImpl::GetObservationStudy(
    grpc::CallbackServerContext* context,
    const v1::ObservationStudyRequest* request,
    v1::ObservationStudyReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetObservationStudy,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildObservationStudyReport(c, *request));
          return absl::OkStatus();
        });
      });
}

}  // namespace monipaikka
