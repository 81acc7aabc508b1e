#include "client/read_retry.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "monipaikka/v1/analytics.pb.h"
#include "monipaikka/v1/auth.pb.h"
#include "monipaikka/v1/bookings.pb.h"
#include "monipaikka/v1/inventory.pb.h"
#include "monipaikka/v1/live.pb.h"
#include "monipaikka/v1/planning.pb.h"
#include "monipaikka/v1/sampling.pb.h"
#include "monipaikka/v1/sensor_health.pb.h"
#include "monipaikka/v1/utilization.pb.h"
#include "monipaikka/v1/workforce.pb.h"

namespace monipaikka::client {
namespace {

// The API's files with a service the client reads from, each named by one
// of its messages (which also links the file's descriptor in).
std::vector<const google::protobuf::FileDescriptor*> ApiFiles() {
  return {v1::UsageReportRequest::descriptor()->file(),
          v1::CreateTokenRequest::descriptor()->file(),
          v1::BookingReportRequest::descriptor()->file(),
          v1::ListSitesRequest::descriptor()->file(),
          v1::LiveOccupancyRequest::descriptor()->file(),
          v1::ForecastRequest::descriptor()->file(),
          v1::SampleEstimateRequest::descriptor()->file(),
          v1::ListSensorHealthRequest::descriptor()->file(),
          v1::UtilizationRequest::descriptor()->file(),
          v1::OfficeDaysRequest::descriptor()->file()};
}

bool IsRead(const google::protobuf::MethodDescriptor& method) {
  return !method.client_streaming() && !method.server_streaming() &&
         (absl::StartsWith(method.name(), "Get") ||
          absl::StartsWith(method.name(), "List"));
}

}  // namespace

std::string ReadRetryServiceConfig() {
  std::vector<std::string> names;
  for (const google::protobuf::FileDescriptor* file : ApiFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor& method = *service->method(m);
        if (!IsRead(method)) continue;
        names.push_back(absl::StrCat(R"({"service":")", service->full_name(),
                                     R"(","method":")", method.name(),
                                     R"("})"));
      }
    }
  }
  return absl::StrCat(
      R"({"methodConfig":[{"name":[)", absl::StrJoin(names, ","),
      R"(],"retryPolicy":{"maxAttempts":)", kReadAttempts,
      R"(,"initialBackoff":"0.1s","maxBackoff":"1s","backoffMultiplier":2,)",
      R"("retryableStatusCodes":["UNAVAILABLE"]}}]})");
}

grpc::ChannelArguments ReadRetryChannelArguments() {
  grpc::ChannelArguments arguments;
  arguments.SetServiceConfigJSON(ReadRetryServiceConfig());
  return arguments;
}

}  // namespace monipaikka::client
