#include "client/sensor_health_command.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/local_time.h"
#include "client/output_format.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka::client {

Table SensorHealthTable(const v1::ListSensorHealthResponse& response,
                        const std::map<std::string, std::string>& zones) {
  Table table({{"sensor", "sensor"},
               {"kind", "kind"},
               {"site", "site"},
               {"gateway", "gateway"},
               {"last seen", "last_seen"},
               {"battery mV", "battery_mv", Align::kRight},
               {"battery %", "battery_percent", Align::kRight},
               {"RSSI dBm", "rssi_dbm", Align::kRight},
               {"SNR dB", "snr_db", Align::kRight},
               {"status", "status"}});
  for (const v1::SensorHealthEntry& e : response.sensors()) {
    std::string status = "ok";
    if (e.silent() && e.low_battery()) {
      status = "silent, low battery";
    } else if (e.silent()) {
      status = "silent";
    } else if (e.low_battery()) {
      status = "low battery";
    }
    table.AddRow(
        {e.sensor(), e.kind(), e.site(), e.gateway(),
         e.last_seen_ms() > 0
             ? FormatLocalInstant(e.last_seen_ms(), zones.contains(e.site())
                                                        ? zones.at(e.site())
                                                        : "")
             : "never",
         e.has_battery_mv() ? absl::StrCat(e.battery_mv()) : "",
         e.has_battery_percent() ? absl::StrCat(e.battery_percent()) : "",
         e.has_rssi_dbm() ? absl::StrCat(e.rssi_dbm()) : "",
         e.has_snr_db() ? absl::StrFormat("%.1f", e.snr_db()) : "", status});
  }
  return table;
}

absl::Status ShowSensorHealth(v1::SensorHealthService::StubInterface& stub,
                              const std::string& site,
                              const std::string& gateway,
                              const CommandOptions& options,
                              std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListSensorHealthRequest request;
  request.set_site(site);
  request.set_gateway(gateway);
  v1::ListSensorHealthResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ListSensorHealth(&context, request, &response)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(response, out);
  } else {
    WriteTable(
        SensorHealthTable(response, options.output == OutputFormat::kTable
                                        ? options.site_time_zones
                                        : std::map<std::string, std::string>()),
        options.output, out);
  }
  return absl::OkStatus();
}

}  // namespace monipaikka::client
