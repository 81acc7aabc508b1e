#include "server/reports/sensor_health_report.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka {

absl::StatusOr<v1::ListSensorHealthResponse> BuildSensorHealthReport(
    StorageSession& session, const v1::ListSensorHealthRequest& request,
    int64_t now_ms) {
  if (request.silent_after_s() < 0 ||
      request.silent_after_s() > int64_t{10 * 366} * 24 * 3600) {
    return absl::InvalidArgumentError(
        absl::StrCat("silent_after_s: ", request.silent_after_s(),
                     " is not 0 (default) or a duration of at most ten years"));
  }
  if (request.low_battery_percent() < 0 ||
      request.low_battery_percent() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("low_battery_percent: ", request.low_battery_percent(),
                     " is outside 0..100"));
  }
  if (request.low_battery_mv() < 0 || request.low_battery_mv() > 10000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "low_battery_mv: ", request.low_battery_mv(), " is outside 0..10000"));
  }
  v1::ListSensorHealthResponse response;
  response.set_as_of_ms(now_ms);
  response.set_silent_after_s(request.silent_after_s() > 0
                                  ? request.silent_after_s()
                                  : kDefaultSilentAfterS);
  response.set_low_battery_percent(request.low_battery_percent() > 0
                                       ? request.low_battery_percent()
                                       : kDefaultLowBatteryPercent);
  response.set_low_battery_mv(request.low_battery_mv() > 0
                                  ? request.low_battery_mv()
                                  : kDefaultLowBatteryMv);
  // Sensors removed on a later day than today (UTC) are still bound.
  const std::string today = FormatDate(
      absl::ToCivilDay(absl::FromUnixMillis(now_ms), absl::UTCTimeZone()));
  ASSIGN_OR_RETURN(std::vector<SensorHealthRow> rows,
                   session.SensorHealth().ListSensorHealth(
                       request.site(), request.gateway(), today));
  const int64_t silent_after_ms = response.silent_after_s() * 1000;
  for (const SensorHealthRow& row : rows) {
    const SensorHealthRecord& h = row.health;
    const bool silent =
        h.last_seen_ms == 0 || now_ms - h.last_seen_ms > silent_after_ms;
    const bool low_battery =
        (h.battery_percent &&
         *h.battery_percent < response.low_battery_percent()) ||
        (h.battery_mv && *h.battery_mv < response.low_battery_mv());
    if (request.problems_only() && !silent && !low_battery) continue;
    v1::SensorHealthEntry* entry = response.add_sensors();
    entry->set_sensor(row.external_id);
    entry->set_kind(row.kind);
    entry->set_site(row.site);
    entry->set_gateway(row.gateway);
    entry->set_last_seen_ms(h.last_seen_ms);
    if (h.battery_mv) entry->set_battery_mv(*h.battery_mv);
    if (h.battery_percent) entry->set_battery_percent(*h.battery_percent);
    entry->set_battery_ts_ms(h.battery_ts_ms);
    if (h.rssi_dbm) entry->set_rssi_dbm(*h.rssi_dbm);
    if (h.snr_db) entry->set_snr_db(static_cast<float>(*h.snr_db));
    entry->set_signal_ts_ms(h.signal_ts_ms);
    entry->set_silent(silent);
    entry->set_low_battery(low_battery);
  }
  return response;
}

}  // namespace monipaikka
