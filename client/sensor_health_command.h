#pragma once

// The sensor-health command: every bound sensor with when it was last heard
// from, its latest battery and signal, and whether it is silent (nothing
// heard for an hour, the desk presence stale_after) or low on battery
// (< 20 % or < 3300 mV); the server's defaults.

#include <map>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "client/command_options.h"
#include "client/table.h"
#include "monipaikka/v1/sensor_health.grpc.pb.h"

namespace monipaikka::client {

// Empty `site` and `gateway` do not filter.
absl::Status ShowSensorHealth(v1::SensorHealthService::StubInterface& stub,
                              const std::string& site,
                              const std::string& gateway,
                              const CommandOptions& options, std::ostream& out);

// The listing as a table: sensor, kind, site, gateway, last seen, battery,
// signal, status ("ok", "silent", "low battery", "silent, low battery").
// `zones` (site code → IANA zone) turns the last-seen instants into local
// times of each sensor's site; without a zone they stay RFC 3339 UTC.
Table SensorHealthTable(const v1::ListSensorHealthResponse& response,
                        const std::map<std::string, std::string>& zones = {});

}  // namespace monipaikka::client
