#pragma once

// The parameters occupancy summaries are computed with. Changing a stale
// time recomputes every sensor day; changing the desk-day threshold
// recomputes every node day (see Summarizer).

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/vocabulary.h"

namespace monipaikka {

struct SummarySettings {
  // How long a reading holds without a newer one: desk presence sensors,
  // and room sensors (room_presence, people_counter, area_count).
  int64_t desk_stale_after_ms = 60 * 60 * 1000;
  int64_t room_stale_after_ms = 60 * 60 * 1000;
  // Least occupied time of measured hours for a desk-day to count as used.
  int64_t desk_day_min_occupied_ms = 15 * 60 * 1000;

  int64_t StaleAfterMs(SensorKind sensor_kind) const {
    return sensor_kind == SensorKind::kDeskPresence ? desk_stale_after_ms
                                                    : room_stale_after_ms;
  }
  int64_t MaxStaleAfterMs() const {
    return desk_stale_after_ms > room_stale_after_ms ? desk_stale_after_ms
                                                     : room_stale_after_ms;
  }
  // What sensor days depend on.
  std::string StatesFingerprint() const {
    return absl::StrCat("states-v1 desk=", desk_stale_after_ms,
                        " room=", room_stale_after_ms);
  }
};

}  // namespace monipaikka
