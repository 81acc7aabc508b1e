#pragma once

// Observation rounds (utilization studies): observers walk the floors at
// set times and mark each workstation occupied, showing signs of life
// (a coat, a laptop, papers: in use but nobody there) or vacant. The study
// figures, the checks of imported rows, and the calibration of a study
// against the sensors (docs/planning.md, "Observation rounds"). Pure
// functions over plain structs.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace monipaikka {

enum class RoundState : int8_t { kVacant = 0, kSignsOfLife = 1, kOccupied = 2 };

// "occupied", "signs_of_life" or "vacant" (also "signs-of-life", any
// case, surrounding spaces ignored); INVALID_ARGUMENT otherwise.
absl::StatusOr<RoundState> ParseRoundState(absl::string_view text);
absl::string_view RoundStateName(RoundState state);

// A round time as written in a study: an RFC 3339 instant
// ("2026-03-23T09:00:00+02:00", "…Z"), or a local time without offset
// ("2026-03-23T09:00", "2026-03-23 09:00", seconds optional) read in
// `zone` (the workstation's site). An ambiguous local time (the repeated
// hour of an autumn DST change) takes the earlier instant; a skipped one is
// refused. UTC ms.
absl::StatusOr<int64_t> ParseRoundTime(absl::string_view text,
                                       const absl::TimeZone& zone);

// One observation of a workstation in a round.
struct RoundObservation {
  int32_t desk = 0;  // index into the study's workstations
  int64_t round_ms = 0;
  // The local date index (0 … days − 1 in the window), the offset from the
  // local midnight (ms) and the local clock hour of the round at the
  // workstation's site.
  int32_t day = 0;
  int32_t offset_ms = 0;
  int32_t hour = 0;
  RoundState state = RoundState::kVacant;
};

// Shares of one round or of a pool of observations.
struct RoundShares {
  int32_t observed = 0;
  int32_t occupied = 0;
  int32_t signs_of_life = 0;
  // (occupied + signs_of_life) / observed: "used".
  double utilization = 0;
  double occupied_share = 0;
  double signs_of_life_share = 0;
};

struct RoundFigures {
  int64_t round_ms = 0;
  RoundShares shares;
};

struct StudyFigures {
  // Rounds: the distinct round instants, each with the workstations
  // observed in it.
  int32_t rounds = 0;
  int32_t workstations_observed = 0;
  // Mean over rounds of each round's shares (each round weighs the same).
  double mean_utilization = 0;
  double mean_occupied_share = 0;
  double mean_signs_of_life_share = 0;
  // The round with the highest utilization (the first such).
  RoundFigures peak;
  // Local clock hour 0 … 23: the observations of rounds in that hour
  // pooled; rounds counted.
  std::array<RoundShares, 24> by_hour{};
  std::array<int32_t, 24> rounds_by_hour{};
};

// The study figures of `observations` (any order).
StudyFigures SummarizeRounds(const std::vector<RoundObservation>& observations);

// What the sensor said about a workstation at a round: occupied, free, or
// not known (no sensor, or no reading holding then).
enum class SensorAtRound : int8_t { kUnknown, kFree, kOccupied };

struct Calibration {
  // Round observations whose workstation's sensor state was known at the
  // round's instant.
  int32_t pairs = 0;
  // counts[round state][sensor free = 0, occupied = 1].
  std::array<std::array<int32_t, 2>, 3> counts{};
  // Share of pairs where the round and the sensor agree: used (occupied or
  // signs of life) with occupied, vacant with free.
  double agreement = 0;
  // The same with signs of life counted as not used (people away).
  double agreement_signs_as_vacant = 0;
  // Round utilization minus sensor utilization over the pairs, percentage
  // points (> 0: the rounds see more use than the sensors).
  double bias_pp = 0;
  double bias_signs_as_vacant_pp = 0;
};

// `sensor[i]` is what the sensor said at observations[i].
Calibration Calibrate(const std::vector<RoundObservation>& observations,
                      const std::vector<SensorAtRound>& sensor);

}  // namespace monipaikka
