#include "server/reports/planning_reports.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/analytics/right_sizing.h"
#include "server/reports/registry_figures.h"
#include "server/reports/report_common.h"
#include "server/reports/targets.h"
#include "server/summary/codec.h"

namespace monipaikka {
namespace {

constexpr int32_t kDefaultBufferPct = 10;
constexpr int32_t kMinuteMs = 60 * 1000;

absl::StatusOr<int32_t> BufferPct(bool has, int32_t value) {
  if (!has) return kDefaultBufferPct;
  if (value < 0 || value > 1000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "buffer_pct: ", value, " is outside 0..1000 (whole percent)"));
  }
  return value;
}

absl::StatusOr<int32_t> SiteIndexOf(const OccupancyInventory& inventory,
                                    absl::string_view field,
                                    absl::string_view code) {
  if (code.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  const int32_t site = inventory.SiteIndex(code);
  if (site < 0) {
    return absl::NotFoundError(absl::StrCat(field, ": no site \"", code, "\""));
  }
  return site;
}

int32_t ActiveWorkstations(const OccupancyInventory& inventory, int32_t site,
                           int32_t space) {
  int32_t count = 0;
  for (const OccupancyInventory::Workstation& ws : inventory.workstations()) {
    if (!ws.active || ws.site != site) continue;
    if (space >= 0 && !inventory.SpaceWithin(ws.space, space)) continue;
    ++count;
  }
  return count;
}

}  // namespace

absl::StatusOr<v1::RightSizingReport> BuildRightSizing(
    const ReportContext& context, const v1::RightSizingRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  ASSIGN_OR_RETURN(int32_t buffer,
                   BufferPct(request.has_buffer_pct(), request.buffer_pct()));
  struct Row {
    std::string level;
    int32_t site;
    int32_t space;
  };
  std::vector<Row> rows;
  if (request.site().empty()) {
    std::vector<int32_t> sites(inventory.sites().size());
    for (size_t s = 0; s < sites.size(); ++s)
      sites[s] = static_cast<int32_t>(s);
    std::sort(sites.begin(), sites.end(), [&](int32_t a, int32_t b) {
      return inventory.sites()[a].code < inventory.sites()[b].code;
    });
    for (int32_t s : sites) rows.push_back({"site", s, -1});
  } else {
    ASSIGN_OR_RETURN(int32_t site,
                     SiteIndexOf(inventory, "site", request.site()));
    rows.push_back({"site", site, -1});
    for (int32_t floor : inventory.sites()[site].floors) {
      rows.push_back({"floor", site, floor});
    }
  }
  std::vector<Selection> selections;
  for (const Row& row : rows) {
    Selection selection;
    selection.site = row.site;
    selection.space = row.space;
    selection.rooms = false;
    selections.push_back(selection);
  }
  ASSIGN_OR_RETURN(auto figures,
                   LoadDayFigures(context, selections, window.first_date,
                                  window.last_date, /*minute_peaks=*/false));

  v1::RightSizingReport report;
  report.set_site(request.site());
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_buffer_pct(buffer);
  report.set_as_of(FormatInstantMs(context.now_ms));
  ASSIGN_OR_RETURN(int32_t pending, PendingHours(context, window));
  report.set_pending_reading_hours(pending);
  FrameCache frames(inventory);
  for (size_t r = 0; r < rows.size(); ++r) {
    const Row& row = rows[r];
    const OccupancyInventory::Site& site = inventory.sites()[row.site];
    const SelectionMembers members = MembersOf(
        inventory, selections[r], window.first_date, window.last_date);
    const std::vector<UsageDay> days = MakeUsageDays(
        inventory, frames, members, figures[r], window, kCoreHours);
    const int32_t measured = static_cast<int32_t>(members.measured.size());
    const UsageNumbers numbers = AggregateUsage(days, measured, 0);

    v1::RightSizingRow* out = report.add_rows();
    out->set_level(row.level);
    double area = site.office_area_m2;
    if (row.space < 0) {
      out->set_code(site.code);
      out->set_name(site.name);
      out->set_area_source("site");
    } else {
      const OccupancyInventory::Space& floor = inventory.spaces()[row.space];
      out->set_code(floor.code);
      out->set_name(floor.name);
      if (floor.area_m2 > 0) {
        area = floor.area_m2;
        out->set_area_source("floor");
      } else {
        const int32_t site_ws = ActiveWorkstations(inventory, row.site, -1);
        area = site_ws > 0
                   ? site.office_area_m2 *
                         ActiveWorkstations(inventory, row.site, row.space) /
                         site_ws
                   : 0.0;
        out->set_area_source("site pro rata");
      }
    }
    const double rent_per_m2 = site.office_area_m2 > 0
                                   ? site.annual_rent_eur / site.office_area_m2
                                   : 0.0;
    out->set_workstations_measured(measured);
    out->set_days_counted(numbers.days_counted);
    out->set_peak_occupancy_p95(numbers.peak_occupancy_p95);
    out->set_peak_occupancy_max(numbers.peak_occupancy_max);
    out->set_peak_occupancy_mean(numbers.peak_occupancy_mean);
    out->set_office_area_m2(area);
    out->set_rent_per_m2_eur(rent_per_m2);
    out->set_has_data(numbers.days_counted > 0);
    if (!out->has_data()) continue;
    const RightSizingFigures sizing = RightSize(
        {measured, numbers.peak_occupancy_p95, buffer, area, rent_per_m2});
    out->set_needed_workstations(sizing.needed);
    out->set_surplus_workstations(sizing.surplus);
    out->set_area_per_workstation_m2(sizing.area_per_workstation_m2);
    out->set_releasable_area_m2(sizing.releasable_area_m2);
    out->set_releasable_rent_eur(sizing.releasable_rent_eur);
  }
  return report;
}

absl::StatusOr<v1::ConsolidationReport> BuildConsolidation(
    const ReportContext& context, const v1::ConsolidationRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  ASSIGN_OR_RETURN(int32_t buffer,
                   BufferPct(request.has_buffer_pct(), request.buffer_pct()));
  ASSIGN_OR_RETURN(int32_t candidate, SiteIndexOf(inventory, "candidate_site",
                                                  request.candidate_site()));
  if (request.organizations().empty() == request.sites().empty()) {
    return absl::InvalidArgumentError(
        request.organizations().empty()
            ? "organizations: give the organizations or the sites that "
              "would move"
            : "sites: give organizations or sites, not both");
  }
  absl::CivilDay fte_as_of = window.last;
  if (!request.fte_as_of().empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(request.fte_as_of());
    if (!day.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("fte_as_of: ", day.status().message()));
    }
    fte_as_of = *day;
  }

  v1::ConsolidationReport report;
  std::vector<Selection> selections;
  std::vector<std::string> codes;
  const bool by_org = !request.organizations().empty();
  for (const std::string& code :
       by_org ? request.organizations() : request.sites()) {
    if (std::find(codes.begin(), codes.end(), code) != codes.end()) continue;
    Selection selection;
    selection.rooms = false;
    v1::ConsolidationGroup* group = report.add_groups();
    group->set_kind(by_org ? "organization" : "site");
    group->set_code(code);
    if (by_org) {
      int32_t org = -1;
      if (code != "-") {
        org = inventory.OrganizationIndex(code);
        if (org < 0) {
          return absl::NotFoundError(
              absl::StrCat("organizations: no organization \"", code, "\""));
        }
      }
      selection.organizations = {org};
      group->set_name(org < 0 ? std::string("Shared use")
                              : inventory.organizations()[org].name);
    } else {
      ASSIGN_OR_RETURN(selection.site, SiteIndexOf(inventory, "sites", code));
      group->set_name(inventory.sites()[selection.site].name);
    }
    codes.push_back(code);
    selections.push_back(selection);
  }
  ASSIGN_OR_RETURN(auto figures,
                   LoadDayFigures(context, selections, window.first_date,
                                  window.last_date, /*minute_peaks=*/true));

  FrameCache frames(inventory);
  std::vector<ConsolidationDayInput> days;
  for (int32_t date = window.first_date; date <= window.last_date; ++date) {
    const DayFrame& frame = frames.Get(candidate, date);
    ConsolidationDayInput day;
    day.date = DateOf(date);
    if (frame.core_day()) {
      day.core_first_minute = frame.core_start_ms / kMinuteMs;
      day.core_end_minute = (frame.core_end_ms + kMinuteMs - 1) / kMinuteMs;
    }
    for (size_t g = 0; g < selections.size(); ++g) {
      const std::optional<NodeDayFigures>& f =
          figures[g][date - window.first_date];
      day.groups.push_back(f.has_value() && !f->minute_peaks.empty() &&
                                   f->desks[kAllHours].observed_members > 0
                               ? &f->minute_peaks
                               : nullptr);
    }
    days.push_back(std::move(day));
  }
  int32_t capacity = 0;
  for (const OccupancyInventory::Workstation& ws : inventory.workstations()) {
    if (ws.active && ws.site == candidate && InOffice(ws.kind)) ++capacity;
  }
  const ConsolidationFigures result =
      Consolidate(days, selections.size(), capacity, buffer);

  const OccupancyInventory::Site& site = inventory.sites()[candidate];
  report.set_candidate_site(site.code);
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_buffer_pct(buffer);
  report.set_as_of(FormatInstantMs(context.now_ms));
  ASSIGN_OR_RETURN(int32_t pending, PendingHours(context, window));
  report.set_pending_reading_hours(pending);
  report.set_capacity(capacity);
  report.set_days_counted(static_cast<int32_t>(result.days.size()));
  report.set_combined_peak_mean(result.combined_peak_mean);
  report.set_combined_peak_p95(result.combined_peak_p95);
  report.set_combined_peak_max(result.combined_peak_max);
  report.set_sum_of_group_p95(result.sum_of_group_p95);
  report.set_needed_workstations(result.needed);
  report.set_fits(result.fits);
  report.set_headroom(result.headroom);
  report.set_fits_at_max(result.fits_at_max);
  report.set_headroom_at_max(result.headroom_at_max);
  for (size_t g = 0; g < selections.size(); ++g) {
    v1::ConsolidationGroup* group = report.mutable_groups(static_cast<int>(g));
    group->set_workstations_measured(static_cast<int32_t>(
        MembersOf(inventory, selections[g], window.first_date, window.last_date)
            .measured.size()));
    group->set_peak_occupancy_p95(result.group_peak_p95[g]);
    group->set_peak_occupancy_max(result.group_peak_max[g]);
  }
  for (const ConsolidationDayFigures& day : result.days) {
    v1::ConsolidationDay* out = report.add_days();
    out->set_date(FormatDate(day.date));
    out->set_combined_peak(day.combined_peak);
    for (int32_t peak : day.group_peaks) out->add_group_peaks(peak);
    // Minutes since midnight as local clock time; on the two DST days a
    // minute after the change reads one hour off.
    const absl::CivilSecond clock = absl::ToCivilSecond(
        FromMs(frames.Get(candidate, DateIndex(day.date)).day_start_ms +
               int64_t{day.peak_minute} * kMinuteMs),
        site.zone);
    out->set_peak_time(
        absl::StrFormat("%02d:%02d", clock.hour(), clock.minute()));
  }

  // The space efficiency the candidate would reach. The groups' FTE are the
  // published figures of the publication date; their sum only when every
  // one of them is published (the caller chooses the groups, so a sum with
  // a withheld figure in it would give that figure away).
  report.set_candidate_office_area_m2(site.office_area_m2);
  const absl::StatusOr<RegistrySnapshot> snapshot =
      LoadRegistryFigures(context, fte_as_of);
  report.set_fte_registry_date(
      FormatDate(RegistryDateFor(fte_as_of, context.registry)));
  const int k = context.registry.disclosure.anonymity_k;
  double total_fte = 0;
  const bool fte_available = snapshot.ok();
  bool total_shown = fte_available;
  for (size_t g = 0; fte_available && g < codes.size(); ++g) {
    const auto& figures =
        by_org ? snapshot->figures.organizations : snapshot->figures.sites;
    // "-" (shared use) is no organization of the registry: nobody, 0.
    auto it = figures.find(codes[g]);
    const RegistryFigure figure =
        it == figures.end() ? RegistryFigure{} : it->second;
    v1::ConsolidationGroup* group = report.mutable_groups(static_cast<int>(g));
    if (!figure.shown()) {
      group->set_fte_withheld(WithheldToProto(figure.withheld));
      group->set_fte_withheld_reason(WithheldReasonText(figure.withheld, k));
      total_shown = false;
      continue;
    }
    group->set_fte(figure.fte);
    total_fte += figure.fte;
  }
  report.set_fte_available(fte_available);
  if (fte_available && !total_shown) {
    report.set_total_fte_withheld(v1::REGISTRY_FIGURE_PROTECTED);
    report.set_total_fte_withheld_reason(
        WithheldReasonText(RegistryWithheld::kRevealsWithheld, k));
  } else if (fte_available) {
    report.set_total_fte(total_fte);
    if (total_fte > 0) report.set_m2_per_fte(site.office_area_m2 / total_fte);
  }
  ASSIGN_OR_RETURN(std::vector<TargetRow> targets,
                   context.session.Analytics().ListTargets());
  std::optional<TargetRow> target =
      TargetInForce(targets, kSpaceEfficiencyMetric, fte_as_of, site.code, "");
  if (target.has_value()) {
    report.set_target_m2_per_fte(target->value);
    report.set_meets_target(total_shown && total_fte > 0 &&
                            report.m2_per_fte() <= target->value);
  }
  return report;
}

absl::StatusOr<v1::SensorCoverageReport> BuildSensorCoverage(
    const ReportContext& context, const v1::SensorCoverageRequest& request) {
  const OccupancyInventory& inventory = context.inventory;
  ASSIGN_OR_RETURN(int32_t site,
                   SiteIndexOf(inventory, "site", request.site()));
  ASSIGN_OR_RETURN(DateWindow window,
                   CheckWindow("from_date", request.from_date(), "to_date",
                               request.to_date(), context.max_window_days));
  const HoursMode mode = request.all_hours() ? kAllHours : kCoreHours;
  struct Coverage {
    int32_t sensor;
    int32_t days_bound = 0;
    int32_t days_without_data = 0;
    int64_t measured_ms = 0;
    int64_t observed_ms = 0;
  };
  std::vector<Coverage> rows;
  absl::flat_hash_map<int64_t, size_t> row_of;
  int64_t min_id = std::numeric_limits<int64_t>::max();
  int64_t max_id = std::numeric_limits<int64_t>::min();
  for (size_t s = 0; s < inventory.sensors().size(); ++s) {
    const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
    if (sensor.site != site || sensor.from_date > window.last_date ||
        sensor.until_date <= window.first_date) {
      continue;
    }
    row_of[sensor.id] = rows.size();
    rows.push_back({static_cast<int32_t>(s)});
    min_id = std::min(min_id, sensor.id);
    max_id = std::max(max_id, sensor.id);
  }
  FrameCache frames(inventory);
  absl::flat_hash_map<int64_t, int64_t> observed_today;
  for (int32_t date = window.first_date; date <= window.last_date; ++date) {
    const DayFrame& frame = frames.Get(site, date);
    // Named, not a structured binding: the lambda below captures them.
    const auto window = MeasuredWindow(frame, mode);
    const auto start = window.first;
    const auto end = window.second;
    if (end <= start || rows.empty()) continue;
    observed_today.clear();
    absl::Status decoded = absl::OkStatus();
    RETURN_IF_ERROR(context.session.Analytics().ScanSensorDays(
        date, date, min_id, max_id,
        [&](int32_t, int64_t sensor_id, absl::string_view bytes) {
          if (!decoded.ok() || !row_of.contains(sensor_id)) return;
          absl::StatusOr<std::vector<DaySpan>> spans = DecodeDaySpans(bytes);
          if (!spans.ok()) {
            decoded = spans.status();
            return;
          }
          int64_t known = 0;
          for (const DaySpan& span : *spans) {
            known += std::max(
                0, std::min(span.end_ms, end) - std::max(span.start_ms, start));
          }
          observed_today[sensor_id] = known;
        }));
    RETURN_IF_ERROR(decoded);
    for (Coverage& row : rows) {
      const OccupancyInventory::Sensor& sensor =
          inventory.sensors()[row.sensor];
      if (!sensor.BoundOn(date)) continue;
      ++row.days_bound;
      row.measured_ms += end - start;
      auto it = observed_today.find(sensor.id);
      const int64_t known = it == observed_today.end() ? 0 : it->second;
      row.observed_ms += known;
      if (known == 0) ++row.days_without_data;
    }
  }
  absl::flat_hash_map<int64_t, int64_t> last_ms;
  RETURN_IF_ERROR(context.session.Analytics().ScanLastReadings(
      [&](const LastReading& r) { last_ms[r.sensor_id] = r.ts_ms; }));

  v1::SensorCoverageReport report;
  report.set_site(inventory.sites()[site].code);
  report.set_from_date(FormatDate(window.first));
  report.set_to_date(FormatDate(window.last));
  report.set_all_hours(request.all_hours());
  report.set_as_of(FormatInstantMs(context.now_ms));
  for (const Coverage& row : rows) {
    const OccupancyInventory::Sensor& sensor = inventory.sensors()[row.sensor];
    v1::SensorCoverageRow* out = report.add_sensors();
    out->set_sensor(sensor.external_id);
    out->set_kind(Name(sensor.kind));
    out->set_target(sensor.workstation >= 0
                        ? inventory.workstations()[sensor.workstation].code
                        : inventory.spaces()[sensor.space].code);
    auto last = last_ms.find(sensor.id);
    if (last == last_ms.end()) {
      out->set_status("never");
    } else {
      out->set_last_seen(FormatInstantMs(last->second));
      out->set_status(last->second + sensor.stale_after_ms <= context.now_ms
                          ? "stale"
                          : "ok");
    }
    out->set_days_bound(row.days_bound);
    out->set_days_without_data(row.days_without_data);
    out->set_measured_ms(row.measured_ms);
    out->set_observed_ms(row.observed_ms);
    out->set_known_share(row.measured_ms > 0
                             ? static_cast<double>(row.observed_ms) /
                                   row.measured_ms
                             : 0.0);
  }
  std::sort(report.mutable_sensors()->begin(), report.mutable_sensors()->end(),
            [](const v1::SensorCoverageRow& a, const v1::SensorCoverageRow& b) {
              if (a.known_share() != b.known_share()) {
                return a.known_share() < b.known_share();
              }
              return a.sensor() < b.sensor();
            });
  for (const OccupancyInventory::Workstation& ws : inventory.workstations()) {
    if (!ws.active || ws.site != site) continue;
    bool bound = false;
    for (int32_t s : ws.desk_sensors) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
      if (sensor.from_date <= window.last_date &&
          sensor.until_date > window.first_date) {
        bound = true;
      }
    }
    if (!bound) report.add_unmeasured_workstations(ws.code);
  }
  std::sort(report.mutable_unmeasured_workstations()->begin(),
            report.mutable_unmeasured_workstations()->end());
  return report;
}

}  // namespace monipaikka
