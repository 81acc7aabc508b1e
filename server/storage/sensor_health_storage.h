#pragma once

// The sensor health part of the storage interface: per sensor, the latest
// time it was heard from and its latest battery and signal reports. Reached
// through StorageSession::SensorHealth(). The ingest writer keeps the live
// values in memory and writes them here periodically
// (server/ingest/ingest_writer.h).
//
// Thread safety: as StorageSession (one thread at a time).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// The latest health of one sensor. Times are UTC ms; 0 means never.
struct SensorHealthRecord {
  int64_t sensor_id = 0;
  // Latest reading or health report.
  int64_t last_seen_ms = 0;
  std::optional<int32_t> battery_mv;
  std::optional<int32_t> battery_percent;
  int64_t battery_ts_ms = 0;
  std::optional<int32_t> rssi_dbm;
  std::optional<double> snr_db;
  int64_t signal_ts_ms = 0;

  friend bool operator==(const SensorHealthRecord&,
                         const SensorHealthRecord&) = default;
};

// A bound sensor with its inventory facts and health (a zero record when
// nothing was ever heard from it).
struct SensorHealthRow {
  std::string external_id;
  std::string kind;
  std::string site;  // code of the site of its workstation or space
  std::string gateway;
  SensorHealthRecord health;
};

class SensorHealthStorage {
 public:
  virtual ~SensorHealthStorage() = default;

  // Writes the records in one transaction, replacing each sensor's row.
  virtual absl::Status UpsertSensorHealth(
      std::span<const SensorHealthRecord> records) = 0;
  // Every stored record.
  virtual absl::Status ScanSensorHealth(
      absl::FunctionRef<void(const SensorHealthRecord&)> visit) = 0;
  // The sensors not removed before `today` ("YYYY-MM-DD"), optionally only
  // of one site and/or gateway (empty: all), ordered by external id.
  virtual absl::StatusOr<std::vector<SensorHealthRow>> ListSensorHealth(
      absl::string_view site, absl::string_view gateway,
      absl::string_view today) = 0;
};

}  // namespace monipaikka
