#include "client/utilization_command.h"

#include "absl/strings/str_cat.h"
#include "client/utilization_report_text.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka::client {

absl::Status CheckUtilizationDates(const UtilizationArgs& args) {
  absl::StatusOr<absl::CivilDay> from = ParseDate(args.from_date);
  if (!from.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--from: ", from.status().message()));
  }
  absl::StatusOr<absl::CivilDay> to = ParseDate(args.to_date);
  if (!to.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--to: ", to.status().message()));
  }
  if (*to < *from) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--to=", args.to_date, " is before --from=", args.from_date));
  }
  return absl::OkStatus();
}

absl::Status ShowUtilization(v1::UtilizationService::StubInterface& stub,
                             const UtilizationArgs& args,
                             const CommandOptions& options, std::ostream& out) {
  RETURN_IF_ERROR(CheckUtilizationDates(args));
  v1::UtilizationRequest request;
  request.set_site(args.site);
  request.set_space(args.space);
  request.set_from_date(args.from_date);
  request.set_to_date(args.to_date);
  request.set_all_hours(args.all_hours);

  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::UtilizationReport report;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.GetUtilization(&context, request, &report)));
  WriteUtilizationReport(report, options.output, out);
  return absl::OkStatus();
}

}  // namespace monipaikka::client
