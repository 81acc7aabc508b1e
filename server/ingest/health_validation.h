#pragma once

// Checks each SensorHealth report of an incoming batch on its own, like the
// readings (reading_validation.h): a bad report is rejected with a reason
// naming the field while the others are kept. Pure.

#include <cstdint>
#include <vector>

#include "monipaikka/v1/ingest.pb.h"
#include "server/ingest/reading_validation.h"
#include "server/ingest/sensor_directory.h"
#include "server/storage/sensor_health_storage.h"

namespace monipaikka {

struct ValidatedHealth {
  // One record per acceptable report: last_seen_ms is the report's ts_ms,
  // battery_ts_ms / signal_ts_ms are set where it carried those values.
  std::vector<SensorHealthRecord> records;
  // `index` is the report's position in ReadingBatch.health.
  std::vector<v1::RejectedReading> rejected;
};

// `batch.gateway()`, when set, must match every report's sensor binding.
// Timestamps obey the same limits as readings.
ValidatedHealth ValidateHealth(const v1::ReadingBatch& batch,
                               const SensorDirectory& directory, int64_t now_ms,
                               const ValidationLimits& limits);

// Folds `report` into `current` (same sensor): last seen is the later of the
// two; battery and signal values are replaced by newer ones. Returns whether
// `current` changed.
bool MergeSensorHealth(const SensorHealthRecord& report,
                       SensorHealthRecord* current);

}  // namespace monipaikka
