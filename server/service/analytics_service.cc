#include "server/service/analytics_service.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "server/auth/access_control.h"
#include "server/auth/rpc_policy.h"
#include "server/reports/efficiency_report.h"
#include "server/reports/planning_reports.h"
#include "server/reports/usage_report.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetUsageReport(
    grpc::CallbackServerContext* context, const v1::UsageReportRequest* request,
    v1::UsageReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetUsageReport,
      [=, this](StorageSession& session) {
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
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetSensorCoverage,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildSensorCoverage(c, *request));
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetRightSizing(
    grpc::CallbackServerContext* context, const v1::RightSizingRequest* request,
    v1::RightSizingReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetRightSizing,
      [=, this](StorageSession& session) {
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
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetConsolidation,
      [=, this](StorageSession& session, const Caller& caller) {
        // The report shows FTE from the HR registry: audited like the HR reads,
        // before the figures are computed (a failing request is audited too).
        RETURN_IF_ERROR(deps_.access->Audit(
            session, caller, rpc::kGetConsolidation,
            AuditParameters({{"organizations",
                              absl::StrJoin(request->organizations(), ",")},
                             {"sites", absl::StrJoin(request->sites(), ",")},
                             {"candidate_site", request->candidate_site()},
                             {"from_date", request->from_date()},
                             {"to_date", request->to_date()},
                             {"fte_as_of", request->fte_as_of()}})));
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildConsolidation(c, *request));
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::GetSpaceEfficiency(
    grpc::CallbackServerContext* context,
    const v1::SpaceEfficiencyRequest* request,
    v1::SpaceEfficiencyReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetSpaceEfficiency,
      [=, this](StorageSession& session, const Caller& caller) {
        // FTE from the HR registry: audited like the HR reads.
        RETURN_IF_ERROR(deps_.access->Audit(
            session, caller, rpc::kGetSpaceEfficiency,
            AuditParameters({{"as_of", request->as_of()},
                             {"site", request->site()},
                             {"organization", request->organization()}})));
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildSpaceEfficiency(c, *request));
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::ListTargets(
    grpc::CallbackServerContext* context,
    const v1::ListTargetsRequest* /*request*/,
    v1::ListTargetsResponse* response) {
  return RunUnary(context, deps_.executor, *deps_.access, rpc::kListTargets,
                  [=](StorageSession& session) {
                    ASSIGN_OR_RETURN(std::vector<TargetRow> targets,
                                     session.Analytics().ListTargets());
                    for (const TargetRow& row : targets) {
                      *response->add_targets() = TargetToProto(row);
                    }
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::PutTarget(
    grpc::CallbackServerContext* context, const v1::PutTargetRequest* request,
    v1::Target* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kPutTarget,
      [=, this](StorageSession& session, const Caller& caller) {
        std::shared_ptr<const OccupancyInventory> inventory =
            deps_.inventory->Get();
        if (inventory == nullptr) {
          return absl::UnavailableError("the inventory is not loaded yet");
        }
        ASSIGN_OR_RETURN(TargetRow row,
                         CheckTarget(*inventory, request->target()));
        ASSIGN_OR_RETURN(row.id, session.Analytics().PutTarget(row));
        *response = TargetToProto(row);
        return deps_.access->Audit(
            session, caller, rpc::kPutTarget,
            absl::StrCat("target ", row.id, ": ", row.scope,
                         row.scope_code.empty() ? "" : " ", row.scope_code, " ",
                         row.metric, " = ", row.value));
      });
}

grpc::ServerUnaryReactor* AnalyticsServiceImpl::DeleteTarget(
    grpc::CallbackServerContext* context,
    const v1::DeleteTargetRequest* request,
    v1::DeleteTargetResponse* /*response*/) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kDeleteTarget,
      [=, this](StorageSession& session, const Caller& caller) {
        RETURN_IF_ERROR(session.Analytics().DeleteTarget(request->id()));
        return deps_.access->Audit(session, caller, rpc::kDeleteTarget,
                                   absl::StrCat("target ", request->id()));
      });
}

}  // namespace monipaikka
