#pragma once

// A deterministic simulation of office days for desk presence sensors.
//
// Each desk's day is planned from hash(seed, sensor, local date) alone, so the
// readings of an instant do not depend on the window that asks for them:
// backfilling a date range and polling live with [last, now) produce exactly
// the same readings.
//
// Per desk and local day:
//  - weekends and Finnish public holidays nobody comes;
//  - otherwise the desk is used with a probability of about 0.35 on Mondays
//    and Fridays and 0.6 Tuesday to Thursday (scaled by a per-desk propensity
//    between 0.6 and 1.4, so some desks are popular and some rarely used);
//  - the person arrives 07:30–09:30 local time, leaves for lunch for 30–45
//    min within 11:00–12:30, goes to 0–2 meetings of 30–90 min, and leaves
//    15:00–17:00.
// Every state change is a reading at that instant. Every sensor also sends a
// heartbeat repeating its current state every 15 minutes, all day every day,
// on a grid with a fixed per-sensor offset; a heartbeat that falls on the
// instant of a state change is that state change.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "edge/reading.h"

namespace monipaikka::edge {

struct SimulatedDesk {
  // External id of the desk's presence sensor. Unique.
  std::string sensor;
  // IANA time zone in which the desk's days are reckoned.
  std::string timezone;
  // First local day the sensor is bound; no readings before it.
  std::optional<absl::CivilDay> installed;
  // First local day the sensor is no longer bound; no readings from it on.
  std::optional<absl::CivilDay> removed;
};

struct SimulatorOptions {
  // Mean probability that a desk is used on a Monday or a Friday.
  double quiet_day_attendance = 0.35;
  // Mean probability that a desk is used Tuesday to Thursday.
  double midweek_attendance = 0.6;
  // Heartbeat period, milliseconds.
  int64_t heartbeat_interval_ms = 15 * 60 * 1000;
};

// The occupied stretches of one desk on one local day, [start_ms, end_ms)
// in UTC milliseconds, sorted and disjoint. Empty when nobody came.
struct OccupiedSpan {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
};

// A value type; ReadingsBetween() is const and may be called from several
// threads at once.
class Simulator {
 public:
  // Errors: an empty or duplicate sensor id, an unknown time zone (naming the
  // sensor and zone), or invalid options.
  static absl::StatusOr<Simulator> Create(std::vector<SimulatedDesk> desks,
                                          uint64_t seed,
                                          SimulatorOptions options = {});

  // The readings with from_ms <= ts_ms < to_ms (UTC milliseconds), sorted by
  // ts_ms, then sensor id. At most one reading per sensor and instant.
  std::vector<Reading> ReadingsBetween(int64_t from_ms, int64_t to_ms) const;

  // The plan of `sensor` on the local day `day` (for tests and diagnostics);
  // empty for an unknown sensor or a day nobody came.
  std::vector<OccupiedSpan> PlanOf(const std::string& sensor,
                                   absl::CivilDay day) const;

  size_t desk_count() const { return desks_.size(); }

 private:
  struct Desk {
    std::string sensor;
    absl::TimeZone zone;
    uint64_t sensor_hash = 0;
    // Heartbeats fall on heartbeat_offset_ms + k * heartbeat_interval_ms.
    int64_t heartbeat_offset_ms = 0;
    // Multiplies the weekday attendance probability.
    double propensity = 1.0;
    std::optional<absl::CivilDay> installed;
    std::optional<absl::CivilDay> removed;
  };

  Simulator(std::vector<Desk> desks, uint64_t seed, SimulatorOptions options)
      : desks_(std::move(desks)), seed_(seed), options_(options) {}

  std::vector<OccupiedSpan> PlanDay(const Desk& desk, absl::CivilDay day) const;

  // Sorted by sensor id, so that desk index order is sensor order.
  std::vector<Desk> desks_;
  uint64_t seed_;
  SimulatorOptions options_;
};

}  // namespace monipaikka::edge
