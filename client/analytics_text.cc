#include "client/analytics_text.h"

#include <google/protobuf/util/json_util.h>

#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/core_hours_text.h"
#include "client/local_time.h"
#include "client/number_format.h"
#include "common/time_format.h"

namespace monipaikka::client {
namespace {

using Lines = std::vector<std::pair<std::string, std::string>>;

// A withheld registry figure: "suppressed: <why>", never 0 or blank.
std::string Suppressed(const std::string& reason) {
  return reason.empty() ? "suppressed" : absl::StrCat("suppressed: ", reason);
}

// "Label:" padded to one width, then the value; an empty label is a blank
// line.
void WriteLines(const Lines& lines, std::ostream& out) {
  size_t width = 0;
  for (const auto& [label, value] : lines)
    width = std::max(width, label.size());
  for (const auto& [label, value] : lines) {
    if (label.empty()) {
      out << '\n';
      continue;
    }
    std::string text = label + ":";
    text.resize(width + 3, ' ');
    out << text << value << '\n';
  }
}

// A report in the three formats: kJson the whole message, kCsv the rows of
// `table()`, kTable what `write_header()` prints followed by `table()`
// aligned.
void WriteInFormat(const google::protobuf::Message& report, OutputFormat format,
                   std::ostream& out, const std::function<Table()>& table,
                   const std::function<void()>& write_header) {
  switch (format) {
    case OutputFormat::kJson:
      WriteMessageJson(report, out);
      return;
    case OutputFormat::kCsv:
      WriteCsvTable(table(), out);
      return;
    case OutputFormat::kTable:
      write_header();
      WriteAlignedTable(table(), out);
      return;
  }
}

std::string Pct(double fraction) { return FormatPercent(fraction); }

std::string Listed(const std::vector<std::string>& items, size_t shown) {
  std::vector<std::string> head(items.begin(),
                                items.begin() + std::min(shown, items.size()));
  std::string text = absl::StrJoin(head, ", ");
  if (items.size() > shown) {
    absl::StrAppend(&text, ", ... ", items.size() - shown,
                    " more in --output=json");
  }
  return text;
}

std::string ScopeText(const v1::ReportScope& scope) {
  std::vector<std::string> parts;
  parts.push_back(scope.site().empty() ? "all sites"
                                       : absl::StrCat("site ", scope.site()));
  if (!scope.space().empty())
    parts.push_back(absl::StrCat("space ", scope.space()));
  if (!scope.organizations().empty()) {
    parts.push_back(absl::StrCat("organizations ",
                                 absl::StrJoin(scope.organizations(), ",")));
  }
  if (!scope.workstation_kinds().empty()) {
    parts.push_back(
        absl::StrCat("kinds ", absl::StrJoin(scope.workstation_kinds(), ",")));
  }
  return absl::StrJoin(parts, ", ");
}

std::string GroupingName(v1::Grouping grouping) {
  std::string name = v1::Grouping_Name(grouping);
  if (name.rfind("GROUPING_", 0) == 0) name = name.substr(9);
  for (char& c : name) c = static_cast<char>(std::tolower(c));
  return name;
}

void AddFigureCells(const v1::UsageFigures& f, std::vector<std::string>& row) {
  row.push_back(absl::StrCat(f.workstations_measured()));
  row.push_back(FormatHours(f.observed_ms()));
  row.push_back(Pct(f.time_utilization()));
  row.push_back(absl::StrCat(f.days_counted()));
  row.push_back(FormatOneDecimal(f.peak_occupancy_mean()));
  row.push_back(absl::StrCat(f.peak_occupancy_max()));
  row.push_back(absl::StrCat(f.peak_occupancy_p95()));
  row.push_back(Pct(f.peak_utilization_p95()));
  row.push_back(Pct(f.desk_day_usage()));
  row.push_back(Pct(f.unknown_share()));
  row.push_back(absl::StrCat(f.rooms_measured()));
  row.push_back(Pct(f.room_time_utilization()));
  row.push_back(Pct(f.room_seat_utilization()));
}

std::vector<Column> FigureColumns() {
  return {{"ws", "workstations_measured", Align::kRight},
          {"observed h", "observed_h", Align::kRight},
          {"util %", "time_utilization_pct", Align::kRight},
          {"days", "days_counted", Align::kRight},
          {"peak mean", "peak_occupancy_mean", Align::kRight},
          {"peak max", "peak_occupancy_max", Align::kRight},
          {"peak P95", "peak_occupancy_p95", Align::kRight},
          {"P95 %", "peak_utilization_p95_pct", Align::kRight},
          {"desk-days %", "desk_day_usage_pct", Align::kRight},
          {"unknown %", "unknown_pct", Align::kRight},
          {"rooms", "rooms_measured", Align::kRight},
          {"room util %", "room_time_utilization_pct", Align::kRight},
          {"seat %", "room_seat_utilization_pct", Align::kRight}};
}

// "HKI: Mon-Fri 08:00-16:00 (Europe/Helsinki)", or one line for all sites
// when they share a calendar.
std::string CalendarsText(const v1::UsageReport& report) {
  std::map<std::string, std::vector<std::string>> sites_by_calendar;
  for (const v1::SiteCalendar& calendar : report.calendars()) {
    sites_by_calendar[absl::StrCat(FormatCoreHours(calendar.core_hours()), " (",
                                   calendar.timezone(), ")")]
        .push_back(calendar.site());
  }
  if (sites_by_calendar.size() == 1) return sites_by_calendar.begin()->first;
  std::vector<std::string> parts;
  for (const auto& [text, sites] : sites_by_calendar) {
    parts.push_back(absl::StrCat(Listed(sites, 3), ": ", text));
  }
  return absl::StrJoin(parts, "; ");
}

void WriteUsageHeader(const v1::UsageReport& report, std::ostream& out) {
  const v1::Coverage& c = report.coverage();
  const v1::UsageFigures& t = report.total();
  std::vector<std::string> silent;
  for (const v1::SilentSensor& s : c.silent_sensors()) {
    silent.push_back(s.status() == "never"
                         ? absl::StrCat(s.sensor(), " never reported")
                         : absl::StrCat(s.sensor(), " last ", s.last_seen()));
  }
  std::vector<std::string> unmeasured(c.unmeasured_workstations().begin(),
                                      c.unmeasured_workstations().end());
  Lines lines = {
      {"Scope", ScopeText(report.scope())},
      {"Window", absl::StrCat(report.from_date(), " to ", report.to_date())},
      {"Measured hours",
       report.all_hours() ? std::string("all hours of every day")
                          : std::string("core hours on core days "
                                        "(Finnish public holidays excluded)")},
      {"Core hours", CalendarsText(report)},
      {"Stale after",
       absl::StrCat(report.desk_stale_after_s() / 60, " min (desks), ",
                    report.room_stale_after_s() / 60, " min (rooms)")},
      {"As of",
       absl::StrCat(report.as_of(),
                    report.pending_reading_hours() > 0
                        ? absl::StrCat(" (", report.pending_reading_hours(),
                                       " hours of readings not yet "
                                       "summarized)")
                        : "")},
      {"", ""},
      {"Workstations", absl::StrCat(c.workstations_in_scope(), " in scope, ",
                                    c.workstations_measured(), " measured")},
      {"Unmeasured",
       unmeasured.empty()
           ? std::string("none")
           : absl::StrCat(unmeasured.size(), " without a sensor, not guessed (",
                          Listed(unmeasured, 10), ")")},
      {"Unknown time",
       absl::StrCat(FormatHours(c.unknown_ms()), " h (", Pct(c.unknown_share()),
                    " % of measured time)")},
      {"Silent sensors", silent.empty() ? std::string("none")
                                        : absl::StrCat(silent.size(), " (",
                                                       Listed(silent, 5), ")")},
      {"", ""},
      {"Time utilization",
       absl::StrCat(Pct(t.time_utilization()), " % (occupied ",
                    FormatHours(t.occupied_ms()), " h of ",
                    FormatHours(t.observed_ms()), " h observed)")},
      {"Daily peak",
       absl::StrCat("mean ", FormatOneDecimal(t.peak_occupancy_mean()),
                    ", max ", t.peak_occupancy_max(), ", P95 ",
                    t.peak_occupancy_p95(), " over ", t.days_counted(),
                    " days")},
      {"Peak utilization",
       absl::StrCat("mean ", Pct(t.peak_utilization_mean()), " %, max ",
                    Pct(t.peak_utilization_max()), " %, P95 ",
                    Pct(t.peak_utilization_p95()), " %")},
      {"Desk-day usage",
       absl::StrCat(Pct(t.desk_day_usage()), " % (", t.desk_days_used(), " of ",
                    t.desk_days_observed(),
                    " observed desk-days used at least ",
                    report.desk_day_min_occupied_s() / 60, " min)")},
  };
  if (c.rooms_in_scope() > 0) {
    lines.push_back(
        {"Rooms",
         absl::StrCat(
             c.rooms_in_scope(), " in scope, ", c.rooms_measured(),
             " measured: time utilization ", Pct(t.room_time_utilization()),
             " %, mean count while occupied ",
             FormatOneDecimal(t.room_mean_count_while_occupied()),
             ", seat utilization ", Pct(t.room_seat_utilization()), " %")});
  }
  WriteLines(lines, out);
}

std::string InstantOrNever(int64_t ms) {
  return ms == 0 ? std::string("-") : FormatInstantMs(ms);
}

}  // namespace

const char* StateName(v1::OccupancyState state) {
  switch (state) {
    case v1::OCCUPANCY_STATE_FREE:
      return "free";
    case v1::OCCUPANCY_STATE_OCCUPIED:
      return "occupied";
    default:
      return "unknown";
  }
}

Table UsageGroupsTable(const v1::UsageReport& report) {
  std::vector<Column> columns = {{"group", "group"}, {"name", "name"}};
  for (Column& c : FigureColumns()) columns.push_back(std::move(c));
  Table table(columns);
  auto add = [&](const std::string& key, const std::string& label,
                 const v1::UsageFigures& figures) {
    std::vector<std::string> row = {key, label};
    AddFigureCells(figures, row);
    table.AddRow(std::move(row));
  };
  add("total", "", report.total());
  for (const v1::UsageGroup& group : report.groups()) {
    add(group.key(), group.label(), group.figures());
  }
  return table;
}

void WriteUsageReport(const v1::UsageReport& report, OutputFormat format,
                      std::ostream& out) {
  WriteInFormat(
      report, format, out, [&] { return UsageGroupsTable(report); },
      [&] {
        WriteUsageHeader(report, out);
        out << "\nBy " << GroupingName(report.group_by()) << ":\n";
      });
}

Table HeatmapTable(const v1::UsageReport& report) {
  std::set<int> hours;
  std::map<int, std::map<int, std::string>> cells;
  for (const v1::UsageGroup& group : report.groups()) {
    if (group.hour() < 0 || group.weekday() == 0) continue;
    hours.insert(group.hour());
    cells[group.weekday()][group.hour()] =
        group.figures().observed_ms() > 0
            ? Pct(group.figures().time_utilization())
            : std::string("-");
  }
  std::vector<Column> columns = {{"weekday", "weekday"}};
  for (int hour : hours) {
    columns.push_back({absl::StrFormat("%02d", hour),
                       absl::StrFormat("h%02d_util_pct", hour), Align::kRight});
  }
  Table table(columns);
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu",
                                          "Fri", "Sat", "Sun"};
  for (const auto& [weekday, by_hour] : cells) {
    std::vector<std::string> row = {kDays[weekday - 1]};
    for (int hour : hours) {
      auto it = by_hour.find(hour);
      row.push_back(it == by_hour.end() ? std::string("") : it->second);
    }
    table.AddRow(std::move(row));
  }
  return table;
}

void WriteHeatmap(const v1::UsageReport& report, OutputFormat format,
                  std::ostream& out) {
  WriteInFormat(
      report, format, out, [&] { return HeatmapTable(report); },
      [&] {
        WriteUsageHeader(report, out);
        out << "\nTime utilization % by weekday and local hour:\n";
      });
}

Table SensorCoverageTable(const v1::SensorCoverageReport& report,
                          const std::string& zone) {
  Table table({{"sensor", "sensor"},
               {"kind", "kind"},
               {"target", "target"},
               {"status", "status"},
               {"last seen", "last_seen"},
               {"days bound", "days_bound", Align::kRight},
               {"days w/o data", "days_without_data", Align::kRight},
               {"known %", "known_pct", Align::kRight}});
  for (const v1::SensorCoverageRow& row : report.sensors()) {
    table.AddRow(
        {row.sensor(), row.kind(), row.target(), row.status(),
         row.last_seen().empty() ? "-"
                                 : FormatLocalInstant(row.last_seen(), zone),
         absl::StrCat(row.days_bound()), absl::StrCat(row.days_without_data()),
         Pct(row.known_share())});
  }
  return table;
}

void WriteSensorCoverage(const v1::SensorCoverageReport& report,
                         OutputFormat format, std::ostream& out,
                         const std::string& zone) {
  WriteInFormat(
      report, format, out,
      [&] {
        return SensorCoverageTable(report,
                                   format == OutputFormat::kTable ? zone : "");
      },
      [&] {
        std::vector<std::string> unmeasured(
            report.unmeasured_workstations().begin(),
            report.unmeasured_workstations().end());
        WriteLines(
            {{"Site", report.site()},
             {"Window",
              absl::StrCat(report.from_date(), " to ", report.to_date())},
             {"As of", report.as_of()},
             {"Without sensor",
              unmeasured.empty() ? std::string("none")
                                 : absl::StrCat(unmeasured.size(), " (",
                                                Listed(unmeasured, 10), ")")}},
            out);
        out << '\n';
      });
}

Table RightSizingTable(const v1::RightSizingReport& report) {
  Table table({{"level", "level"},
               {"code", "code"},
               {"ws", "workstations_measured", Align::kRight},
               {"days", "days_counted", Align::kRight},
               {"peak P95", "peak_occupancy_p95", Align::kRight},
               {"peak max", "peak_occupancy_max", Align::kRight},
               {"needed", "needed_workstations", Align::kRight},
               {"surplus", "surplus_workstations", Align::kRight},
               {"area m2", "office_area_m2", Align::kRight},
               {"area from", "area_source"},
               {"m2/ws", "area_per_workstation_m2", Align::kRight},
               {"releasable m2", "releasable_area_m2", Align::kRight},
               {"releasable EUR/a", "releasable_rent_eur", Align::kRight}});
  for (const v1::RightSizingRow& row : report.rows()) {
    if (!row.has_data()) {
      table.AddRow({row.level(), row.code(),
                    absl::StrCat(row.workstations_measured()), "0", "-", "-",
                    "-", "-", FormatDecimal(row.office_area_m2()),
                    row.area_source(), "-", "-", "-"});
      continue;
    }
    table.AddRow({row.level(), row.code(),
                  absl::StrCat(row.workstations_measured()),
                  absl::StrCat(row.days_counted()),
                  absl::StrCat(row.peak_occupancy_p95()),
                  absl::StrCat(row.peak_occupancy_max()),
                  absl::StrCat(row.needed_workstations()),
                  absl::StrCat(row.surplus_workstations()),
                  FormatDecimal(row.office_area_m2()), row.area_source(),
                  FormatDecimal(row.area_per_workstation_m2()),
                  FormatDecimal(row.releasable_area_m2()),
                  FormatDecimal(row.releasable_rent_eur())});
  }
  return table;
}

void WriteRightSizing(const v1::RightSizingReport& report, OutputFormat format,
                      std::ostream& out) {
  WriteInFormat(
      report, format, out, [&] { return RightSizingTable(report); },
      [&] {
        WriteLines({{"Window", absl::StrCat(report.from_date(), " to ",
                                            report.to_date(), ", core hours")},
                    {"Needed", absl::StrCat("ceil(P95 of daily peaks x (100 + ",
                                            report.buffer_pct(), ") / 100)")},
                    {"As of", report.as_of()}},
                   out);
        out << '\n';
      });
}

Table ConsolidationDaysTable(const v1::ConsolidationReport& report) {
  std::vector<Column> columns = {
      {"date", "date"},
      {"combined peak", "combined_peak", Align::kRight},
      {"at", "peak_time"}};
  for (const v1::ConsolidationGroup& group : report.groups()) {
    columns.push_back(
        {group.code(), absl::StrCat("peak_", group.code()), Align::kRight});
  }
  Table table(columns);
  for (const v1::ConsolidationDay& day : report.days()) {
    std::vector<std::string> row = {
        day.date(), absl::StrCat(day.combined_peak()), day.peak_time()};
    for (int32_t peak : day.group_peaks()) row.push_back(absl::StrCat(peak));
    table.AddRow(std::move(row));
  }
  return table;
}

void WriteConsolidation(const v1::ConsolidationReport& report,
                        OutputFormat format, std::ostream& out) {
  WriteInFormat(
      report, format, out, [&] { return ConsolidationDaysTable(report); },
      [&] {
        std::vector<std::string> groups;
        for (const v1::ConsolidationGroup& g : report.groups()) {
          groups.push_back(absl::StrCat(
              g.kind(), " ", g.code(), " (", g.workstations_measured(),
              " ws, P95 ", g.peak_occupancy_p95(), ", max ",
              g.peak_occupancy_max(),
              !report.fte_available() ? ""
              : g.fte_withheld() != v1::REGISTRY_FIGURE_SHOWN
                  ? absl::StrCat(", FTE ", Suppressed(g.fte_withheld_reason()))
                  : absl::StrCat(", ", FormatDecimal(g.fte()), " FTE"),
              ")"));
        }
        Lines lines = {
            {"Candidate", absl::StrCat(report.candidate_site(), ", capacity ",
                                       report.capacity(), " workstations")},
            {"Groups", absl::StrJoin(groups, "; ")},
            {"Window",
             absl::StrCat(report.from_date(), " to ", report.to_date(), ", ",
                          report.days_counted(), " core days counted")},
            {"Combined peak",
             absl::StrCat("P95 ", report.combined_peak_p95(), ", max ",
                          report.combined_peak_max(), ", mean ",
                          FormatOneDecimal(report.combined_peak_mean()),
                          " (separately the P95s add up to ",
                          report.sum_of_group_p95(), ")")},
            {"Needed", absl::StrCat(report.needed_workstations(), " (P95 + ",
                                    report.buffer_pct(), " %)")},
            {"Fits",
             absl::StrCat(report.fits() ? "yes" : "no", ", headroom ",
                          report.headroom(), "; at the busiest day ",
                          report.fits_at_max() ? "fits" : "does not fit",
                          ", headroom ", report.headroom_at_max())},
        };
        if (report.fte_available() &&
            report.total_fte_withheld() != v1::REGISTRY_FIGURE_SHOWN) {
          lines.push_back(
              {"Space efficiency",
               absl::StrCat(
                   FormatDecimal(report.candidate_office_area_m2()),
                   " m2; FTE ", Suppressed(report.total_fte_withheld_reason()),
                   " (registry of ", report.fte_registry_date(), ")")});
        } else if (report.fte_available() && report.total_fte() <= 0) {
          lines.push_back(
              {"Space efficiency",
               absl::StrCat(FormatDecimal(report.candidate_office_area_m2()),
                            " m2; no employees of the groups in the "
                            "registry on that date (0 FTE)")});
        } else if (report.fte_available()) {
          lines.push_back(
              {"Space efficiency",
               absl::StrCat(
                   FormatDecimal(report.candidate_office_area_m2()), " m2 / ",
                   FormatDecimal(report.total_fte()), " FTE (registry of ",
                   report.fte_registry_date(),
                   ") = ", FormatDecimal(report.m2_per_fte()), " m2/FTE",
                   report.target_m2_per_fte() > 0
                       ? absl::StrCat(
                             " (target ",
                             FormatDecimal(report.target_m2_per_fte()), ": ",
                             report.meets_target() ? "met" : "not met", ")")
                       : "")});
        } else {
          lines.push_back({"Space efficiency", "no FTE figures available"});
        }
        WriteLines(lines, out);
        out << '\n';
      });
}

Table SpaceEfficiencyTable(const v1::SpaceEfficiencyReport& report) {
  Table table({{"scope", "scope"},
               {"code", "code"},
               {"name", "name"},
               {"area m2", "office_area_m2", Align::kRight},
               {"FTE", "fte", Align::kRight},
               {"m2/FTE", "m2_per_fte", Align::kRight},
               {"target", "target_m2_per_fte", Align::kRight},
               {"target from", "target_scope"},
               {"meets", "meets_target"},
               {"new premises target", "new_premises_target_m2_per_fte",
                Align::kRight}});
  for (const v1::SpaceEfficiencyRow& row : report.rows()) {
    const bool withheld = row.fte_withheld() != v1::REGISTRY_FIGURE_SHOWN;
    const std::string suppressed = Suppressed(row.fte_withheld_reason());
    table.AddRow({row.scope(), row.code(), row.name(),
                  FormatDecimal(row.office_area_m2()),
                  !row.fte_available() ? "-"
                  : withheld           ? suppressed
                                       : FormatDecimal(row.fte()),
                  withheld        ? suppressed
                  : row.fte() > 0 ? FormatDecimal(row.m2_per_fte())
                                  : "-",
                  row.target_m2_per_fte() > 0
                      ? FormatDecimal(row.target_m2_per_fte())
                      : "-",
                  row.target_scope(),
                  withheld             ? "suppressed"
                  : row.meets_target() ? "yes"
                                       : "no",
                  row.new_premises_target_m2_per_fte() > 0
                      ? FormatDecimal(row.new_premises_target_m2_per_fte())
                      : "-"});
  }
  return table;
}

void WriteSpaceEfficiency(const v1::SpaceEfficiencyReport& report,
                          OutputFormat format, std::ostream& out) {
  WriteInFormat(
      report, format, out, [&] { return SpaceEfficiencyTable(report); },
      [&] {
        out << "Space efficiency on " << report.as_of()
            << " (rentable office m2 per FTE of the registry of "
            << report.registry_date()
            << "; an organization's area is its share of its sites by office "
               "workstations):\n";
      });
}

Table TargetsTable(const v1::ListTargetsResponse& targets) {
  Table table({{"id", "id", Align::kRight},
               {"scope", "scope"},
               {"code", "scope_code"},
               {"metric", "metric"},
               {"value", "value", Align::kRight},
               {"from", "valid_from"},
               {"to", "valid_to"},
               {"note", "note"}});
  for (const v1::Target& t : targets.targets()) {
    table.AddRow({absl::StrCat(t.id()), t.scope(), t.scope_code(), t.metric(),
                  FormatDecimal(t.value()), t.valid_from(), t.valid_to(),
                  t.note()});
  }
  return table;
}

Table LiveSpacesTable(const v1::LiveOccupancy& live) {
  Table table({{"space", "space"},
               {"level", "level"},
               {"name", "name"},
               {"ws", "workstations", Align::kRight},
               {"free", "free", Align::kRight},
               {"occupied", "occupied", Align::kRight},
               {"unknown", "unknown", Align::kRight}});
  for (const v1::LiveSpace& s : live.spaces()) {
    table.AddRow({s.space(), s.level(), s.name(),
                  absl::StrCat(s.workstations()), absl::StrCat(s.free()),
                  absl::StrCat(s.occupied()), absl::StrCat(s.unknown())});
  }
  return table;
}

Table LiveWorkstationsTable(const v1::LiveOccupancy& live) {
  Table table({{"workstation", "workstation"},
               {"space", "space"},
               {"kind", "kind"},
               {"organization", "organization"},
               {"state", "state"},
               {"since", "since"},
               {"last reading", "last_reading"}});
  for (const v1::LiveWorkstation& w : live.workstations()) {
    table.AddRow({w.workstation(), w.space(), w.kind(), w.organization(),
                  StateName(w.state()), InstantOrNever(w.since_ms()),
                  InstantOrNever(w.last_reading_ms())});
  }
  return table;
}

void WriteLiveOccupancy(const v1::LiveOccupancy& live, OutputFormat format,
                        std::ostream& out, const std::string& zone) {
  WriteInFormat(
      live, format, out, [&] { return LiveWorkstationsTable(live); },
      [&] {
        std::vector<std::string> rooms;
        for (const v1::LiveRoom& r : live.rooms()) {
          rooms.push_back(absl::StrCat(
              r.space(), " ", StateName(r.state()),
              r.count() >= 0
                  ? absl::StrCat(" (", r.count(), "/", r.capacity(), ")")
                  : ""));
        }
        WriteLines(
            {{"Site", live.site()},
             {"Space", live.space().empty() ? "whole site" : live.space()},
             {"As of", FormatLocalInstant(live.as_of_ms(), zone)},
             {"Workstations",
              absl::StrCat(live.workstations_total(), ": ", live.free(),
                           " free, ", live.occupied(), " occupied, ",
                           live.unknown(), " unknown")},
             {"Rooms", rooms.empty() ? std::string("none")
                                     : absl::StrJoin(rooms, ", ")}},
            out);
        out << '\n';
        WriteAlignedTable(LiveSpacesTable(live), out);
        out << '\n';
      });
}

void WriteLiveUpdate(const v1::LiveOccupancyUpdate& update, OutputFormat format,
                     bool header, std::ostream& out, const std::string& zone) {
  const v1::LiveOccupancy& live = update.occupancy();
  switch (format) {
    case OutputFormat::kJson: {
      std::string json;
      google::protobuf::util::JsonPrintOptions options;
      options.always_print_primitive_fields = true;
      (void)google::protobuf::util::MessageToJsonString(update, &json, options);
      out << json << '\n';
      break;
    }
    case OutputFormat::kCsv: {
      Table table = LiveWorkstationsTable(live);
      if (header) {
        WriteCsvTable(table, out);
      } else {
        // The records without the header line.
        std::ostringstream text;
        WriteCsvTable(table, text);
        const std::string all = text.str();
        out << all.substr(all.find('\n') + 1);
      }
      break;
    }
    case OutputFormat::kTable: {
      const std::string at = FormatLocalInstant(live.as_of_ms(), zone);
      if (update.snapshot()) {
        out << at << " snapshot: " << live.workstations_total()
            << " workstations, " << live.free() << " free, " << live.occupied()
            << " occupied, " << live.unknown() << " unknown\n";
      }
      for (const v1::LiveWorkstation& w : live.workstations()) {
        if (update.snapshot()) continue;
        out << at << " " << w.workstation() << " " << StateName(w.state())
            << " (" << w.space() << ")\n";
      }
      for (const v1::LiveRoom& r : live.rooms()) {
        if (update.snapshot()) continue;
        out << at << " room " << r.space() << " " << StateName(r.state());
        if (r.count() >= 0) out << " " << r.count() << "/" << r.capacity();
        out << "\n";
      }
      for (const v1::LiveSpace& s : live.spaces()) {
        out << at << " " << s.level() << " " << s.space() << ": " << s.free()
            << " free of " << s.workstations() << "\n";
      }
      break;
    }
  }
  out.flush();
}

}  // namespace monipaikka::client
