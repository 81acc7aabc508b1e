#include "server/sampling/observation_study.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/time_format.h"

namespace monipaikka {
namespace {

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}

void Add(RoundShares& shares, RoundState state) {
  ++shares.observed;
  if (state == RoundState::kOccupied) ++shares.occupied;
  if (state == RoundState::kSignsOfLife) ++shares.signs_of_life;
}

void Finish(RoundShares& shares) {
  shares.utilization =
      Ratio(shares.occupied + shares.signs_of_life, shares.observed);
  shares.occupied_share = Ratio(shares.occupied, shares.observed);
  shares.signs_of_life_share = Ratio(shares.signs_of_life, shares.observed);
}

}  // namespace

absl::StatusOr<RoundState> ParseRoundState(absl::string_view text) {
  std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::StrReplaceAll({{"-", "_"}}, &name);
  if (name == "occupied") return RoundState::kOccupied;
  if (name == "signs_of_life") return RoundState::kSignsOfLife;
  if (name == "vacant") return RoundState::kVacant;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not occupied, signs_of_life or vacant"));
}

absl::string_view RoundStateName(RoundState state) {
  switch (state) {
    case RoundState::kOccupied:
      return "occupied";
    case RoundState::kSignsOfLife:
      return "signs_of_life";
    case RoundState::kVacant:
      return "vacant";
  }
  return "vacant";
}

absl::StatusOr<int64_t> ParseRoundTime(absl::string_view text,
                                       const absl::TimeZone& zone) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (absl::StatusOr<int64_t> instant = ParseInstantMs(trimmed); instant.ok()) {
    return *instant;
  }
  std::string local(trimmed);
  std::replace(local.begin(), local.end(), ' ', 'T');
  absl::CivilSecond civil;
  absl::CivilMinute minute;
  bool parsed = absl::ParseCivilTime(local, &civil);
  if (!parsed && absl::ParseCivilTime(local, &minute)) {
    civil = absl::CivilSecond(minute);
    parsed = true;
  }
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text,
                     "\" is not a time like 2026-03-23T09:00 (local) or "
                     "2026-03-23T09:00:00+02:00"));
  }
  const absl::TimeZone::TimeInfo info = zone.At(civil);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" does not exist in ", zone.name(),
                     " (clocks were put forward)"));
  }
  return absl::ToUnixMillis(info.pre);
}

StudyFigures SummarizeRounds(
    const std::vector<RoundObservation>& observations) {
  StudyFigures figures;
  std::map<int64_t, RoundShares> rounds;
  std::map<int64_t, int32_t> hour_of_round;
  std::set<int32_t> desks;
  for (const RoundObservation& o : observations) {
    Add(rounds[o.round_ms], o.state);
    hour_of_round.emplace(o.round_ms, o.hour);
    desks.insert(o.desk);
    if (o.hour >= 0 && o.hour < 24) Add(figures.by_hour[o.hour], o.state);
  }
  figures.rounds = static_cast<int32_t>(rounds.size());
  figures.workstations_observed = static_cast<int32_t>(desks.size());
  for (auto& [at, shares] : rounds) {
    Finish(shares);
    figures.mean_utilization += shares.utilization;
    figures.mean_occupied_share += shares.occupied_share;
    figures.mean_signs_of_life_share += shares.signs_of_life_share;
    if (figures.peak.shares.observed == 0 ||
        shares.utilization > figures.peak.shares.utilization) {
      figures.peak = {at, shares};
    }
    const int32_t hour = hour_of_round[at];
    if (hour >= 0 && hour < 24) ++figures.rounds_by_hour[hour];
  }
  if (figures.rounds > 0) {
    figures.mean_utilization /= figures.rounds;
    figures.mean_occupied_share /= figures.rounds;
    figures.mean_signs_of_life_share /= figures.rounds;
  }
  for (RoundShares& shares : figures.by_hour) Finish(shares);
  return figures;
}

Calibration Calibrate(const std::vector<RoundObservation>& observations,
                      const std::vector<SensorAtRound>& sensor) {
  Calibration c;
  for (size_t i = 0; i < observations.size() && i < sensor.size(); ++i) {
    if (sensor[i] == SensorAtRound::kUnknown) continue;
    ++c.pairs;
    ++c.counts[static_cast<int>(observations[i].state)]
              [sensor[i] == SensorAtRound::kOccupied ? 1 : 0];
  }
  const auto& vacant = c.counts[static_cast<int>(RoundState::kVacant)];
  const auto& signs = c.counts[static_cast<int>(RoundState::kSignsOfLife)];
  const auto& occupied = c.counts[static_cast<int>(RoundState::kOccupied)];
  const double pairs = c.pairs;
  const double sensor_occupied = vacant[1] + signs[1] + occupied[1];
  c.agreement = Ratio(vacant[0] + signs[1] + occupied[1], pairs);
  c.agreement_signs_as_vacant =
      Ratio(vacant[0] + signs[0] + occupied[1], pairs);
  const double round_used = signs[0] + signs[1] + occupied[0] + occupied[1];
  const double round_occupied = occupied[0] + occupied[1];
  c.bias_pp =
      100.0 * (Ratio(round_used, pairs) - Ratio(sensor_occupied, pairs));
  c.bias_signs_as_vacant_pp =
      100.0 * (Ratio(round_occupied, pairs) - Ratio(sensor_occupied, pairs));
  return c;
}

}  // namespace monipaikka
