#include "server/reports/observation_report.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/reports/report_common.h"
#include "server/reports/sampling_report.h"
#include "server/sampling/observation_study.h"
#include "server/sampling/sample_estimate.h"

namespace monipaikka {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;
// Rounds more than this far ahead of the server's clock are refused.
constexpr int64_t kFutureSlackMs = 5 * 60 * 1000;

void ToProto(const RoundShares& shares, v1::RoundShares* out) {
  out->set_observed(shares.observed);
  out->set_occupied(shares.occupied);
  out->set_signs_of_life(shares.signs_of_life);
  out->set_utilization(shares.utilization);
  out->set_occupied_share(shares.occupied_share);
  out->set_signs_of_life_share(shares.signs_of_life_share);
}

void ToProto(const StudyFigures& figures, v1::ObservationFigures* out) {
  out->set_rounds(figures.rounds);
  out->set_workstations_observed(figures.workstations_observed);
  out->set_mean_utilization(figures.mean_utilization);
  out->set_mean_occupied_share(figures.mean_occupied_share);
  out->set_mean_signs_of_life_share(figures.mean_signs_of_life_share);
  if (figures.rounds > 0) {
    out->set_peak_round(FormatInstantMs(figures.peak.round_ms));
    ToProto(figures.peak.shares, out->mutable_peak());
  }
}

}  // namespace

absl::StatusOr<v1::ImportObservationRoundsResponse> ImportObservationRounds(
    const ReportContext& context,
    const v1::ImportObservationRoundsRequest& request) {
  if (request.rows_size() > kMaxObservationRowsPerRequest) {
    return absl::InvalidArgumentError(
        absl::StrCat("rows: ", request.rows_size(), " rows, at most ",
                     kMaxObservationRowsPerRequest, " per request"));
  }
  const OccupancyInventory& inventory = context.inventory;
  absl::flat_hash_map<std::string, int32_t> by_code;
  for (size_t w = 0; w < inventory.workstations().size(); ++w) {
    by_code[inventory.workstations()[w].code] = static_cast<int32_t>(w);
  }
  v1::ImportObservationRoundsResponse response;
  response.set_received(request.rows_size());
  std::vector<StoredObservation> accepted;
  // (workstation id, round) → index into accepted, for rows repeated in
  // the request.
  std::map<std::pair<int64_t, int64_t>, size_t> seen;
  std::vector<int32_t> accepted_line;
  auto reject = [&](const v1::ObservationRoundRow& row, std::string reason) {
    v1::RejectedObservationRow* out = response.add_rejected();
    out->set_line(row.line());
    out->set_reason(std::move(reason));
  };
  for (const v1::ObservationRoundRow& row : request.rows()) {
    if (!row.observer().empty()) {
      response.set_observers_not_stored(response.observers_not_stored() + 1);
    }
    auto ws = by_code.find(row.workstation());
    if (row.workstation().empty()) {
      reject(row, "workstation: missing");
      continue;
    }
    if (ws == by_code.end()) {
      reject(row, absl::StrCat("workstation: no workstation \"",
                               row.workstation(), "\""));
      continue;
    }
    const OccupancyInventory::Workstation& workstation =
        inventory.workstations()[ws->second];
    absl::StatusOr<int64_t> round_ms = ParseRoundTime(
        row.round_time(), inventory.sites()[workstation.site].zone);
    if (!round_ms.ok()) {
      reject(row, absl::StrCat("round_time: ", round_ms.status().message()));
      continue;
    }
    if (*round_ms > context.now_ms + kFutureSlackMs) {
      reject(row, absl::StrCat("round_time: ", row.round_time(),
                               " is in the future"));
      continue;
    }
    absl::StatusOr<RoundState> state = ParseRoundState(row.state());
    if (!state.ok()) {
      reject(row, absl::StrCat("state: ", state.status().message()));
      continue;
    }
    const StoredObservation observation{workstation.id, *round_ms,
                                        static_cast<int32_t>(*state)};
    auto [it, inserted] = seen.try_emplace(
        std::make_pair(workstation.id, *round_ms), accepted.size());
    if (!inserted) {
      if (accepted[it->second].state != observation.state) {
        reject(row, absl::StrCat("state: ", row.workstation(),
                                 " was marked otherwise in the same round "
                                 "at line ",
                                 accepted_line[it->second]));
      } else {
        response.set_unchanged(response.unchanged() + 1);
      }
      continue;
    }
    accepted.push_back(observation);
    accepted_line.push_back(row.line());
  }
  std::vector<ObservationWrite> outcomes;
  RETURN_IF_ERROR(
      context.session.Observations().UpsertObservations(accepted, &outcomes));
  for (ObservationWrite outcome : outcomes) {
    switch (outcome) {
      case ObservationWrite::kInserted:
        response.set_inserted(response.inserted() + 1);
        break;
      case ObservationWrite::kChanged:
        response.set_changed(response.changed() + 1);
        break;
      case ObservationWrite::kUnchanged:
        response.set_unchanged(response.unchanged() + 1);
        break;
    }
  }
  return response;
}

absl::StatusOr<v1::ObservationStudyReport> BuildObservationStudyReport(
    const ReportContext& context, const v1::ObservationStudyRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  ASSIGN_OR_RETURN(Selection selection,
                   ResolveScope(inventory, request.scope()));
  if (!v1::SamplingStrata_IsValid(request.strata())) {
    return absl::InvalidArgumentError(
        absl::StrCat("strata: ", request.strata(), " is not a stratification"));
  }
  ASSIGN_OR_RETURN(const SampleEstimateOptions options,
                   CheckSampleOptions(request.replicates(), request.seed(),
                                      std::nullopt, 0));
  selection.rooms = false;
  const SelectionMembers members =
      MembersOf(inventory, selection, window.first_date, window.last_date);

  // The scope's workstations by id, with their strata.
  std::map<std::string, int32_t> population;
  absl::flat_hash_map<int64_t, int32_t> by_id;
  for (int32_t w : members.workstations) {
    by_id[inventory.workstations()[w].id] = w;
    ++population[SamplingStratumName(inventory, request.strata(), w)];
  }
  std::vector<SamplingStratum> strata;
  std::map<std::string, int32_t> stratum_index;
  for (const auto& [name, size] : population) {
    stratum_index[name] = static_cast<int32_t>(strata.size());
    strata.push_back({name, size});
  }

  // The observations of the scope's workstations on the window's local
  // dates (each at its own site's clock); desks are numbered in order of
  // first appearance.
  std::vector<RoundObservation> observations;
  std::vector<int32_t> desk_workstation;  // desk → inventory index
  absl::flat_hash_map<int32_t, int32_t> desk_of;
  const int64_t from_ms =
      static_cast<int64_t>(window.first_date - 1) * kDayMs;  // generous
  const int64_t to_ms = static_cast<int64_t>(window.last_date + 2) * kDayMs;
  RETURN_IF_ERROR(context.session.Observations().ScanObservations(
      from_ms, to_ms, [&](const StoredObservation& stored) {
        auto ws = by_id.find(stored.workstation_id);
        if (ws == by_id.end()) return;
        const absl::TimeZone& zone =
            inventory.sites()[inventory.workstations()[ws->second].site].zone;
        const absl::CivilSecond local =
            absl::ToCivilSecond(FromMs(stored.round_ms), zone);
        const absl::CivilDay day(local);
        const int32_t date = DateIndex(day);
        if (date < window.first_date || date > window.last_date) return;
        auto [desk, inserted] = desk_of.try_emplace(
            ws->second, static_cast<int32_t>(desk_workstation.size()));
        if (inserted) desk_workstation.push_back(ws->second);
        RoundObservation o;
        o.desk = desk->second;
        o.round_ms = stored.round_ms;
        o.day = date - window.first_date;
        o.offset_ms = static_cast<int32_t>(
            stored.round_ms - LocalToMs(absl::CivilSecond(day), zone));
        o.hour = local.hour();
        o.state = static_cast<RoundState>(std::clamp(stored.state, 0, 2));
        observations.push_back(o);
      }));

  v1::ObservationStudyReport report;
  *report.mutable_scope() = request.scope();
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_strata(request.strata());
  report.set_workstations(static_cast<int32_t>(members.workstations.size()));
  const StudyFigures total = SummarizeRounds(observations);
  ToProto(total, report.mutable_total());
  for (int hour = 0; hour < 24; ++hour) {
    if (total.rounds_by_hour[hour] == 0) continue;
    v1::ObservationHour* out = report.add_by_hour();
    out->set_hour(hour);
    out->set_rounds(total.rounds_by_hour[hour]);
    ToProto(total.by_hour[hour], out->mutable_shares());
  }
  std::vector<int32_t> desk_stratum(desk_workstation.size());
  for (size_t d = 0; d < desk_workstation.size(); ++d) {
    desk_stratum[d] = stratum_index.at(
        SamplingStratumName(inventory, request.strata(), desk_workstation[d]));
  }
  {
    std::vector<std::vector<RoundObservation>> by_stratum(strata.size());
    for (const RoundObservation& o : observations) {
      by_stratum[desk_stratum[o.desk]].push_back(o);
    }
    for (size_t h = 0; h < strata.size(); ++h) {
      v1::ObservationGroup* group = report.add_groups();
      group->set_name(strata[h].name);
      group->set_workstations(strata[h].population);
      ToProto(SummarizeRounds(by_stratum[h]), group->mutable_figures());
    }
  }

  // The estimate: each observed workstation a sampled desk whose rounds
  // are instants (1 ms spans) of its days.
  {
    std::vector<SampledDesk> desks(desk_workstation.size());
    std::vector<std::map<int32_t, std::vector<const RoundObservation*>>>
        days_of(desk_workstation.size());
    for (const RoundObservation& o : observations) {
      days_of[o.desk][o.day].push_back(&o);
    }
    for (size_t d = 0; d < desks.size(); ++d) {
      desks[d].stratum = desk_stratum[d];
      for (auto& [day, rounds] : days_of[d]) {
        std::sort(rounds.begin(), rounds.end(),
                  [](const RoundObservation* a, const RoundObservation* b) {
                    return a->offset_ms < b->offset_ms;
                  });
        SampledDeskDay out;
        out.day = day;
        for (const RoundObservation* o : rounds) {
          const int32_t used = o->state != RoundState::kVacant ? 1 : 0;
          out.spans.push_back({o->offset_ms, o->offset_ms + 1, used});
          out.observed_ms += 1;
          out.occupied_ms += used;
        }
        out.used = out.occupied_ms > 0;
        desks[d].days.push_back(std::move(out));
      }
    }
    const SampleEstimate estimate =
        EstimateFromSample(strata, desks, window.days(), options);
    v1::SampleEstimateReport* out = report.mutable_estimate();
    *out->mutable_scope() = request.scope();
    out->set_from_date(report.from_date());
    out->set_to_date(report.to_date());
    out->set_all_hours(true);
    out->set_strata(request.strata());
    EstimateToProto(estimate, options, out);
    for (int32_t w : members.workstations) {
      if (!desk_of.contains(w)) {
        out->add_unmeasured_workstations(inventory.workstations()[w].code);
      }
    }
  }

  // Calibration: the desk sensors' state at each round's instant.
  {
    std::vector<int32_t> with_sensor;
    std::vector<int32_t> sensor_slot(desk_workstation.size(), -1);
    for (size_t d = 0; d < desk_workstation.size(); ++d) {
      if (!inventory.workstations()[desk_workstation[d]].desk_sensors.empty()) {
        sensor_slot[d] = static_cast<int32_t>(with_sensor.size());
        with_sensor.push_back(desk_workstation[d]);
      }
    }
    ASSIGN_OR_RETURN(std::vector<SampledDesk> sensed,
                     LoadSampledDesks(context, with_sensor, window, kAllHours));
    std::vector<SensorAtRound> at(observations.size(), SensorAtRound::kUnknown);
    for (size_t i = 0; i < observations.size(); ++i) {
      const RoundObservation& o = observations[i];
      const int32_t slot = sensor_slot[o.desk];
      if (slot < 0) continue;
      for (const SampledDeskDay& day : sensed[slot].days) {
        if (day.day != o.day) continue;
        for (const DaySpan& span : day.spans) {
          if (span.start_ms <= o.offset_ms && o.offset_ms < span.end_ms) {
            at[i] = span.value > 0 ? SensorAtRound::kOccupied
                                   : SensorAtRound::kFree;
            break;
          }
        }
        break;
      }
    }
    const Calibration c = Calibrate(observations, at);
    v1::ObservationCalibration* out = report.mutable_calibration();
    out->set_pairs(c.pairs);
    out->set_occupied_sensor_occupied(c.counts[2][1]);
    out->set_occupied_sensor_free(c.counts[2][0]);
    out->set_signs_of_life_sensor_occupied(c.counts[1][1]);
    out->set_signs_of_life_sensor_free(c.counts[1][0]);
    out->set_vacant_sensor_occupied(c.counts[0][1]);
    out->set_vacant_sensor_free(c.counts[0][0]);
    out->set_agreement(c.agreement);
    out->set_agreement_signs_as_vacant(c.agreement_signs_as_vacant);
    out->set_bias_pp(c.bias_pp);
    out->set_bias_signs_as_vacant_pp(c.bias_signs_as_vacant_pp);
  }
  return report;
}

}  // namespace monipaikka
