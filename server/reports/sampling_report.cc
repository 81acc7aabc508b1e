#include "server/reports/sampling_report.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/summary/codec.h"
#include "server/summary/node_days.h"

namespace monipaikka {
namespace {

void ToProto(const EstimatedFigure& figure, v1::EstimatedValue* out) {
  out->set_value(figure.value);
  out->set_lower(figure.lower);
  out->set_upper(figure.upper);
}

}  // namespace

std::string SamplingStratumName(const OccupancyInventory& inventory,
                                v1::SamplingStrata strata,
                                int32_t workstation) {
  const OccupancyInventory::Workstation& ws =
      inventory.workstations()[workstation];
  if (strata == v1::SAMPLING_STRATA_WORKSTATION_KIND) return Name(ws.kind);
  const OccupancyInventory::Space& space = inventory.spaces()[ws.space];
  if (space.zone >= 0) return inventory.spaces()[space.zone].code;
  const std::string& outer = space.floor >= 0
                                 ? inventory.spaces()[space.floor].code
                                 : inventory.sites()[ws.site].code;
  return absl::StrCat(outer, " (outside zones)");
}

absl::StatusOr<std::vector<SampledDesk>> LoadSampledDesks(
    const ReportContext& context, const std::vector<int32_t>& workstations,
    const DateWindow& window, HoursMode mode) {
  const OccupancyInventory& inventory = context.inventory;
  std::vector<SampledDesk> desks(workstations.size());
  absl::flat_hash_set<int64_t> sensor_ids;
  int64_t min_id = std::numeric_limits<int64_t>::max();
  int64_t max_id = std::numeric_limits<int64_t>::min();
  for (int32_t w : workstations) {
    for (int32_t s : inventory.workstations()[w].desk_sensors) {
      const int64_t id = inventory.sensors()[s].id;
      sensor_ids.insert(id);
      min_id = std::min(min_id, id);
      max_id = std::max(max_id, id);
    }
  }
  if (sensor_ids.empty()) return desks;
  // States by date, then sensor index.
  std::vector<SensorSpansByIndex> by_date(window.days());
  absl::Status decoded = absl::OkStatus();
  RETURN_IF_ERROR(context.session.Analytics().ScanSensorDays(
      window.first_date, window.last_date, min_id, max_id,
      [&](int32_t date, int64_t sensor_id, absl::string_view bytes) {
        if (!decoded.ok() || !sensor_ids.contains(sensor_id)) return;
        absl::StatusOr<std::vector<DaySpan>> states = DecodeDaySpans(bytes);
        if (!states.ok()) {
          decoded = states.status();
          return;
        }
        by_date[date - window.first_date][inventory.SensorIndex(sensor_id)] =
            *std::move(states);
      }));
  RETURN_IF_ERROR(decoded);

  FrameCache frames(inventory);
  const int64_t min_used_ms =
      std::max<int64_t>(1, inventory.settings().desk_day_min_occupied_ms);
  std::vector<std::vector<DaySpan>> found;
  for (size_t i = 0; i < workstations.size(); ++i) {
    const OccupancyInventory::Workstation& ws =
        inventory.workstations()[workstations[i]];
    for (int32_t day = 0; day < window.days(); ++day) {
      const int32_t date = window.first_date + day;
      const SensorSpansByIndex& spans = by_date[day];
      if (spans.empty()) continue;
      found.clear();
      for (int32_t s : ws.desk_sensors) {
        if (!inventory.sensors()[s].BoundOn(date)) continue;
        auto it = spans.find(s);
        if (it != spans.end() && !it->second.empty()) {
          found.push_back(it->second);
        }
      }
      if (found.empty()) continue;
      const std::vector<DaySpan> states =
          found.size() == 1 ? found.front() : CombineDaySpans(found);
      const DayFrame& frame = frames.Get(ws.site, date);
      const auto [from, to] = MeasuredWindow(frame, mode);
      if (to <= from) continue;
      SampledDeskDay out;
      out.day = day;
      for (const DaySpan& span : states) {
        const int32_t start = std::max(span.start_ms, from);
        const int32_t end = std::min(span.end_ms, to);
        if (end <= start) continue;
        const int32_t value = span.value > 0 ? 1 : 0;
        if (!out.spans.empty() && out.spans.back().end_ms == start &&
            out.spans.back().value == value) {
          out.spans.back().end_ms = end;
        } else {
          out.spans.push_back({start, end, value});
        }
        out.observed_ms += end - start;
        if (value > 0) out.occupied_ms += end - start;
      }
      if (out.observed_ms <= 0) continue;
      out.used = out.occupied_ms >= min_used_ms;
      desks[i].days.push_back(std::move(out));
    }
  }
  return desks;
}

absl::StatusOr<SampleEstimateOptions> CheckSampleOptions(
    int32_t replicates, uint64_t seed, std::optional<int32_t> buffer_pct,
    double target_margin_pp) {
  SampleEstimateOptions options;
  if (replicates != 0) {
    if (replicates < 100 || replicates > 10000) {
      return absl::InvalidArgumentError(
          absl::StrCat("replicates: ", replicates, " is not in 100 … 10000"));
    }
    options.replicates = replicates;
  }
  if (seed != 0) options.seed = seed;
  if (buffer_pct.has_value()) {
    if (*buffer_pct < 0 || *buffer_pct > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat("buffer_pct: ", *buffer_pct, " is not in 0 … 100"));
    }
    options.buffer_pct = *buffer_pct;
  }
  if (target_margin_pp != 0) {
    if (!(target_margin_pp > 0 && target_margin_pp <= 50)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "target_margin_pp: ", target_margin_pp, " is not in (0, 50]"));
    }
    options.target_margin_pp = target_margin_pp;
  }
  return options;
}

void EstimateToProto(const SampleEstimate& estimate,
                     const SampleEstimateOptions& options,
                     v1::SampleEstimateReport* report) {
  report->set_available(estimate.available);
  report->set_days_counted(estimate.days_counted);
  for (const std::string& name : estimate.unmeasured_strata) {
    report->add_unmeasured_strata(name);
  }
  report->set_exact(estimate.exact);
  report->set_workstations(estimate.population);
  report->set_workstations_measured(estimate.measured);
  for (const std::string& name : estimate.single_measured_strata) {
    report->add_single_measured_strata(name);
  }
  if (estimate.available) {
    ToProto(estimate.time_utilization, report->mutable_time_utilization());
    ToProto(estimate.desk_day_usage, report->mutable_desk_day_usage());
    ToProto(estimate.peak_occupancy_mean,
            report->mutable_peak_occupancy_mean());
    ToProto(estimate.peak_occupancy_p95, report->mutable_peak_occupancy_p95());
    report->set_needed_workstations(estimate.needed_workstations);
  }
  report->set_buffer_pct(options.buffer_pct);
  report->set_current_margin_pp(estimate.taylor_margin_pp);
  report->set_target_margin_pp(estimate.target_margin_pp);
  report->set_needed_measured(estimate.needed_measured);
  report->set_additional_sensors(estimate.additional_sensors);
  for (const StratumEstimate& s : estimate.strata) {
    v1::SamplingStratumFigures* out = report->add_stratum_figures();
    out->set_name(s.name);
    out->set_workstations(s.population);
    out->set_workstations_measured(s.measured);
    out->set_time_utilization(s.time_utilization);
    out->set_desk_day_usage(s.desk_day_usage);
    out->set_residual_sd_hours(s.residual_sd_h);
    out->set_needed_measured(s.needed_measured);
    out->set_additional_sensors(s.additional_sensors);
  }
  report->set_replicates(estimate.replicates);
  report->set_seed(estimate.seed);
}

absl::StatusOr<v1::SampleEstimateReport> BuildSampleEstimateReport(
    const ReportContext& context, const v1::SampleEstimateRequest& request) {
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
  ASSIGN_OR_RETURN(
      const SampleEstimateOptions options,
      CheckSampleOptions(request.replicates(), request.seed(),
                         request.has_buffer_pct()
                             ? std::optional<int32_t>(request.buffer_pct())
                             : std::nullopt,
                         request.target_margin_pp()));
  const HoursMode mode = request.all_hours() ? kAllHours : kCoreHours;
  selection.rooms = false;
  const SelectionMembers members =
      MembersOf(inventory, selection, window.first_date, window.last_date);

  // Strata in name order, with their sizes.
  std::map<std::string, int32_t> population;
  for (int32_t w : members.workstations) {
    ++population[SamplingStratumName(inventory, request.strata(), w)];
  }
  std::vector<SamplingStratum> strata;
  std::map<std::string, int32_t> stratum_index;
  for (const auto& [name, size] : population) {
    stratum_index[name] = static_cast<int32_t>(strata.size());
    strata.push_back({name, size});
  }
  ASSIGN_OR_RETURN(std::vector<SampledDesk> desks,
                   LoadSampledDesks(context, members.measured, window, mode));
  for (size_t i = 0; i < desks.size(); ++i) {
    desks[i].stratum = stratum_index.at(
        SamplingStratumName(inventory, request.strata(), members.measured[i]));
  }
  const SampleEstimate estimate =
      EstimateFromSample(strata, desks, window.days(), options);

  v1::SampleEstimateReport report;
  *report.mutable_scope() = request.scope();
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_all_hours(request.all_hours());
  report.set_strata(request.strata());
  EstimateToProto(estimate, options, &report);
  for (int32_t w : members.unmeasured) {
    report.add_unmeasured_workstations(inventory.workstations()[w].code);
  }
  return report;
}

}  // namespace monipaikka
