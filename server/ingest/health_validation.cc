#include "server/ingest/health_validation.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"

namespace monipaikka {

ValidatedHealth ValidateHealth(const v1::ReadingBatch& batch,
                               const SensorDirectory& directory, int64_t now_ms,
                               const ValidationLimits& limits) {
  ValidatedHealth result;
  auto reject = [&](int index, v1::RejectReason reason, std::string message) {
    v1::RejectedReading& rejected = result.rejected.emplace_back();
    rejected.set_index(static_cast<uint32_t>(index));
    rejected.set_reason(reason);
    rejected.set_message(std::move(message));
  };
  for (int i = 0; i < batch.health_size(); ++i) {
    const v1::SensorHealth& report = batch.health(i);
    if (report.sensor().empty()) {
      reject(i, v1::REJECT_REASON_MALFORMED, "sensor: is required");
      continue;
    }
    const SensorBinding* sensor = directory.Find(report.sensor());
    if (sensor == nullptr) {
      reject(i, v1::REJECT_REASON_UNKNOWN_SENSOR,
             absl::StrCat("sensor: no sensor \"", report.sensor(),
                          "\" in the inventory"));
      continue;
    }
    if (!batch.gateway().empty() && sensor->gateway != batch.gateway()) {
      reject(i, v1::REJECT_REASON_WRONG_GATEWAY,
             absl::StrCat("sensor: \"", report.sensor(),
                          "\" reports through gateway \"", sensor->gateway,
                          "\", not \"", batch.gateway(), "\""));
      continue;
    }
    if (report.ts_ms() <= 0) {
      reject(i, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("ts_ms: ", report.ts_ms(), " is not a UTC instant"));
      continue;
    }
    if (report.ts_ms() > now_ms + limits.max_future_ms) {
      reject(i, v1::REJECT_REASON_FUTURE_TIMESTAMP,
             absl::StrCat("ts_ms: ", FormatInstantMs(report.ts_ms()),
                          " is after the server's clock"));
      continue;
    }
    if (report.ts_ms() < now_ms - limits.retention_ms) {
      reject(i, v1::REJECT_REASON_TOO_OLD,
             absl::StrCat("ts_ms: ", FormatInstantMs(report.ts_ms()),
                          " is older than the retention window "
                          "(--raw_retention_days)"));
      continue;
    }
    if (report.has_battery_mv() &&
        (report.battery_mv() < 1 || report.battery_mv() > 10000)) {
      reject(i, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("battery_mv: ", report.battery_mv(),
                          " is outside 1..10000"));
      continue;
    }
    if (report.has_battery_percent() &&
        (report.battery_percent() < 0 || report.battery_percent() > 100)) {
      reject(i, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("battery_percent: ", report.battery_percent(),
                          " is outside 0..100"));
      continue;
    }
    if (report.has_rssi_dbm() &&
        (report.rssi_dbm() < -200 || report.rssi_dbm() > 50)) {
      reject(i, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("rssi_dbm: ", report.rssi_dbm(),
                          " is outside -200..50"));
      continue;
    }
    if (report.has_snr_db() &&
        (!std::isfinite(report.snr_db()) || report.snr_db() < -50 ||
         report.snr_db() > 50)) {
      reject(i, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("snr_db: ", report.snr_db(), " is outside -50..50"));
      continue;
    }
    SensorHealthRecord record;
    record.sensor_id = sensor->sensor_id;
    record.last_seen_ms = report.ts_ms();
    if (report.has_battery_mv()) record.battery_mv = report.battery_mv();
    if (report.has_battery_percent()) {
      record.battery_percent = report.battery_percent();
    }
    if (record.battery_mv || record.battery_percent) {
      record.battery_ts_ms = report.ts_ms();
    }
    if (report.has_rssi_dbm()) record.rssi_dbm = report.rssi_dbm();
    if (report.has_snr_db()) record.snr_db = report.snr_db();
    if (record.rssi_dbm || record.snr_db) record.signal_ts_ms = report.ts_ms();
    result.records.push_back(record);
  }
  return result;
}

bool MergeSensorHealth(const SensorHealthRecord& report,
                       SensorHealthRecord* current) {
  bool changed = false;
  if (report.last_seen_ms > current->last_seen_ms) {
    current->last_seen_ms = report.last_seen_ms;
    changed = true;
  }
  if (report.battery_ts_ms > 0 &&
      report.battery_ts_ms >= current->battery_ts_ms) {
    if (report.battery_mv) current->battery_mv = report.battery_mv;
    if (report.battery_percent)
      current->battery_percent = report.battery_percent;
    current->battery_ts_ms = report.battery_ts_ms;
    changed = true;
  }
  if (report.signal_ts_ms > 0 && report.signal_ts_ms >= current->signal_ts_ms) {
    current->rssi_dbm = report.rssi_dbm;
    current->snr_db = report.snr_db;
    current->signal_ts_ms = report.signal_ts_ms;
    changed = true;
  }
  return changed;
}

}  // namespace monipaikka
