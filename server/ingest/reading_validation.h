#pragma once

// Checks each reading of an incoming batch on its own, so that one bad
// reading never spoils the good ones beside it. Pure: the clock and limits
// come in as arguments.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "monipaikka/v1/ingest.pb.h"
#include "server/ingest/sensor_directory.h"
#include "server/storage/storage.h"

namespace monipaikka {

struct ValidationLimits {
  // Readings later than now + this are rejected.
  int64_t max_future_ms = 5 * 60 * 1000;
  // Readings older than now − this are rejected: raw readings are kept this
  // long (--raw_retention_days), so an older one could not be summarized.
  int64_t retention_ms = int64_t{90} * 24 * 3600 * 1000;
  // Largest count a counting sensor may report.
  int32_t max_count = 100000;
};

struct ValidatedBatch {
  // The acceptable readings, and for each its index in the batch.
  std::vector<StoredReading> readings;
  std::vector<uint32_t> indexes;
  std::vector<v1::RejectedReading> rejected;
  // Acceptable health reports of the batch (health_validation.h).
  std::vector<SensorHealthRecord> health;
  // Set for a stream's first batch naming a gateway: the ids of that
  // gateway's sensors, whose newest stored reading before this batch the
  // writer reports (BatchOutcome::gateway_newest_ts_ms).
  std::optional<std::vector<int64_t>> report_newest_of;
};

// `batch.gateway()`, when set, must match every reading's sensor binding.
ValidatedBatch ValidateBatch(const v1::ReadingBatch& batch,
                             const SensorDirectory& directory, int64_t now_ms,
                             const ValidationLimits& limits);

}  // namespace monipaikka
