#include "client/local_time.h"

#include "absl/time/time.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka::client {

std::string FormatLocalInstant(int64_t ms, absl::string_view zone_name) {
  if (zone_name.empty()) return FormatInstantMs(ms);
  absl::StatusOr<absl::TimeZone> zone = LoadZone(zone_name);
  if (!zone.ok()) return FormatInstantMs(ms);
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Z", FromMs(ms), *zone);
}

std::string FormatLocalInstant(absl::string_view rfc3339,
                               absl::string_view zone_name) {
  absl::StatusOr<int64_t> ms = ParseInstantMs(rfc3339);
  if (!ms.ok()) return std::string(rfc3339);
  return FormatLocalInstant(*ms, zone_name);
}

absl::StatusOr<std::map<std::string, std::string>> FetchSiteTimeZones(
    v1::InventoryService::StubInterface& stub, const CommandOptions& options) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListSitesResponse response;
  RETURN_IF_ERROR(FromGrpcStatus(
      stub.ListSites(&context, v1::ListSitesRequest(), &response)));
  std::map<std::string, std::string> zones;
  for (const v1::Site& site : response.sites()) {
    zones[site.code()] =
        site.timezone().empty() ? "Europe/Helsinki" : site.timezone();
  }
  return zones;
}

std::string TableZone(const CommandOptions& options, const std::string& site) {
  if (options.output != OutputFormat::kTable) return "";
  auto it = options.site_time_zones.find(site);
  return it == options.site_time_zones.end() ? "" : it->second;
}

}  // namespace monipaikka::client
