#pragma once

// The operational sensor health listing (ListSensorHealth): each bound
// sensor with when it was last heard from, its latest battery and signal,
// and whether it is silent or low on battery.

#include <cstdint>

#include "absl/status/statusor.h"
#include "monipaikka/v1/sensor_health.pb.h"
#include "server/storage/storage.h"

namespace monipaikka {

inline constexpr int64_t kDefaultSilentAfterS = 3600;
inline constexpr int32_t kDefaultLowBatteryPercent = 20;
inline constexpr int32_t kDefaultLowBatteryMv = 3300;

// `now_ms` is the server's clock (UTC ms). INVALID_ARGUMENT names a negative
// or out-of-range threshold.
absl::StatusOr<v1::ListSensorHealthResponse> BuildSensorHealthReport(
    StorageSession& session, const v1::ListSensorHealthRequest& request,
    int64_t now_ms);

}  // namespace monipaikka
