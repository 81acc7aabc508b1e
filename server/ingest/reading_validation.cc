#include "server/ingest/reading_validation.h"

#include "absl/strings/str_cat.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/analytics/day_states.h"

namespace monipaikka {

ValidatedBatch ValidateBatch(const v1::ReadingBatch& batch,
                             const SensorDirectory& directory, int64_t now_ms,
                             const ValidationLimits& limits) {
  ValidatedBatch result;
  result.readings.reserve(batch.readings_size());
  result.indexes.reserve(batch.readings_size());
  auto reject = [&](uint32_t index, v1::RejectReason reason,
                    std::string message) {
    v1::RejectedReading& rejected = result.rejected.emplace_back();
    rejected.set_index(index);
    rejected.set_reason(reason);
    rejected.set_message(std::move(message));
  };
  for (int i = 0; i < batch.readings_size(); ++i) {
    const v1::Reading& reading = batch.readings(i);
    const uint32_t index = static_cast<uint32_t>(i);
    if (reading.sensor().empty()) {
      reject(index, v1::REJECT_REASON_MALFORMED, "sensor: is required");
      continue;
    }
    const SensorBinding* sensor = directory.Find(reading.sensor());
    if (sensor == nullptr) {
      reject(index, v1::REJECT_REASON_UNKNOWN_SENSOR,
             absl::StrCat("sensor: no sensor \"", reading.sensor(),
                          "\" in the inventory"));
      continue;
    }
    if (!batch.gateway().empty() && sensor->gateway != batch.gateway()) {
      reject(index, v1::REJECT_REASON_WRONG_GATEWAY,
             absl::StrCat("sensor: \"", reading.sensor(),
                          "\" reports through gateway \"", sensor->gateway,
                          "\", not \"", batch.gateway(), "\""));
      continue;
    }
    if (reading.ts_ms() <= 0) {
      reject(index, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("ts_ms: ", reading.ts_ms(), " is not a UTC instant"));
      continue;
    }
    if (reading.ts_ms() > now_ms + limits.max_future_ms) {
      reject(index, v1::REJECT_REASON_FUTURE_TIMESTAMP,
             absl::StrCat("ts_ms: ", FormatInstantMs(reading.ts_ms()), " is ",
                          (reading.ts_ms() - now_ms) / 1000,
                          " s after the server's clock (limit ",
                          limits.max_future_ms / 1000, " s)"));
      continue;
    }
    if (reading.ts_ms() < now_ms - limits.retention_ms) {
      reject(index, v1::REJECT_REASON_TOO_OLD,
             absl::StrCat("ts_ms: ", FormatInstantMs(reading.ts_ms()),
                          " is older than the retention window of ",
                          limits.retention_ms / (24 * 3600 * 1000),
                          " days (--raw_retention_days): raw readings before ",
                          FormatInstantMs(now_ms - limits.retention_ms),
                          " are not kept"));
      continue;
    }
    if (reading.seq() > static_cast<uint64_t>(INT64_MAX)) {
      reject(index, v1::REJECT_REASON_MALFORMED,
             absl::StrCat("seq: ", reading.seq(), " is out of range"));
      continue;
    }
    int64_t value = 0;
    const bool presence = ReportsPresence(sensor->kind);
    switch (reading.state_case()) {
      case v1::Reading::kOccupied:
        if (!presence) {
          reject(
              index, v1::REJECT_REASON_MALFORMED,
              absl::StrCat("occupied: sensor \"", reading.sensor(), "\" is a ",
                           Name(sensor->kind), " and reports count"));
          continue;
        }
        value = reading.occupied() ? 1 : 0;
        break;
      case v1::Reading::kCount:
        if (presence) {
          reject(index, v1::REJECT_REASON_MALFORMED,
                 absl::StrCat("count: sensor \"", reading.sensor(), "\" is a ",
                              Name(sensor->kind), " and reports occupied"));
          continue;
        }
        if (reading.count() < 0 || reading.count() > limits.max_count) {
          reject(index, v1::REJECT_REASON_MALFORMED,
                 absl::StrCat("count: ", reading.count(), " is outside 0..",
                              limits.max_count));
          continue;
        }
        value = reading.count();
        break;
      case v1::Reading::kFlow:
        if (MeaningOfKind(sensor->kind) != ReadingMeaning::kFlow) {
          reject(index, v1::REJECT_REASON_MALFORMED,
                 absl::StrCat("flow: sensor \"", reading.sensor(), "\" is a ",
                              Name(sensor->kind), " and reports ",
                              presence ? "occupied" : "count",
                              "; only people_counter sensors report flow"));
          continue;
        }
        if (reading.flow().entered() >
                static_cast<uint32_t>(limits.max_count) ||
            reading.flow().exited() > static_cast<uint32_t>(limits.max_count)) {
          reject(index, v1::REJECT_REASON_MALFORMED,
                 absl::StrCat("flow: entered ", reading.flow().entered(),
                              " / exited ", reading.flow().exited(),
                              " is outside 0..", limits.max_count));
          continue;
        }
        value = PackFlow(reading.flow().entered(), reading.flow().exited());
        break;
      case v1::Reading::STATE_NOT_SET:
        reject(index, v1::REJECT_REASON_MALFORMED,
               "state: none of occupied, count and flow is set");
        continue;
    }
    result.readings.push_back(StoredReading{sensor->sensor_id, reading.ts_ms(),
                                            reading.seq(), value});
    result.indexes.push_back(index);
  }
  return result;
}

}  // namespace monipaikka
