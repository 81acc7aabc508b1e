#include "client/planning_commands.h"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/number_format.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "grpcpp/client_context.h"

namespace monipaikka::client {
namespace {

using Lines = std::vector<std::pair<std::string, std::string>>;

// "Label:" padded to one width, then the value.
void WriteLines(const Lines& lines, std::ostream& out) {
  size_t width = 0;
  for (const auto& [label, value] : lines)
    width = std::max(width, label.size());
  for (const auto& [label, value] : lines) {
    std::string text = label + ":";
    text.resize(width + 3, ' ');
    out << text << value << '\n';
  }
}

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

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& v) {
  return v.empty() ? "-" : absl::StrJoin(v, " ");
}

// The value, or "-".
std::string Count(const v1::ForecastValue& v) {
  return v.has_value() ? FormatOneDecimal(v.value()) : "-";
}
std::string Range(const v1::ForecastValue& v, bool percent, bool wide) {
  if (!v.has_interval()) return "-";
  auto f = [&](double x) {
    return percent ? FormatPercent(x) : FormatOneDecimal(x);
  };
  return wide ? absl::StrCat(f(v.low95()), "-", f(v.high95()))
              : absl::StrCat(f(v.low80()), "-", f(v.high80()));
}
std::string Bound(const v1::ForecastValue& v, double value, bool percent) {
  if (!v.has_interval()) return "";
  return percent ? FormatPercent(value) : FormatOneDecimal(value);
}

absl::StatusOr<int32_t> IntFlag(const std::string& name,
                                const std::string& text) {
  int32_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": \"", text, "\" is not a whole number"));
  }
  return value;
}

absl::StatusOr<double> NumberFlag(const std::string& name,
                                  const std::string& text) {
  double value = 0;
  if (!absl::SimpleAtod(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, ": \"", text, "\" is not a number"));
  }
  return value;
}

std::string Accuracy(const v1::ForecastAccuracy& a, bool percent) {
  if (a.days() == 0) return "no backtest days";
  auto f = [&](double x) {
    return percent ? absl::StrCat(FormatPercent(x), " pp")
                   : FormatOneDecimal(x);
  };
  return absl::StrCat("MAE ", f(a.mae()), " (naive ", f(a.naive_mae()),
                      "), MAPE ", FormatOneDecimal(a.mape()), " % (naive ",
                      FormatOneDecimal(a.naive_mape()), " %) over ", a.days(),
                      " days; ", a.beats_naive() ? "beats" : "does not beat",
                      " same-weekday-last-week");
}

}  // namespace

Table FloorPlanWeekdaysTable(const v1::FloorPlanReport& report) {
  Table table({{"weekday", "weekday"},
               {"days", "days_counted", Align::kRight},
               {"peak P95", "peak_occupancy_p95", Align::kRight},
               {"demand", "demand", Align::kRight},
               {"open", "open_units"},
               {"closed", "closed_units"},
               {"open ws", "open_capacity", Align::kRight},
               {"open m2", "open_area_m2", Align::kRight},
               {"closed m2", "closed_area_m2", Align::kRight},
               {"days/a", "core_days_per_year", Align::kRight},
               {"closed m2-days/a", "closed_m2_days_per_year", Align::kRight},
               {"kWh/a", "energy_saved_kwh_per_year", Align::kRight},
               {"kg CO2/a", "co2_saved_kg_per_year", Align::kRight}});
  for (const v1::FloorPlanWeekday& w : report.weekdays()) {
    std::string demand = w.has_data() ? absl::StrCat(w.demand()) : "-";
    if (w.has_data() && !w.demand_met()) absl::StrAppend(&demand, " (short)");
    table.AddRow({w.weekday(), absl::StrCat(w.days_counted()),
                  w.has_data() ? absl::StrCat(w.peak_occupancy_p95()) : "-",
                  demand, Joined(w.open_units()), Joined(w.closed_units()),
                  absl::StrCat(w.open_capacity()),
                  FormatDecimal(w.open_area_m2()),
                  FormatDecimal(w.closed_area_m2()),
                  absl::StrCat(w.core_days_per_year()),
                  FormatDecimal(w.closed_m2_days_per_year()),
                  FormatDecimal(w.energy_saved_kwh_per_year()),
                  FormatDecimal(w.co2_saved_kg_per_year())});
  }
  return table;
}

Table FloorPlanGridTable(const v1::FloorPlanReport& report) {
  std::vector<Column> columns = {{report.unit(), "unit"},
                                 {"m2", "area_m2", Align::kRight},
                                 {"ws", "capacity", Align::kRight},
                                 {"home of", "home_of"}};
  for (const v1::FloorPlanWeekday& w : report.weekdays()) {
    columns.push_back({w.weekday().substr(0, 3), w.weekday()});
  }
  Table table(std::move(columns));
  for (const v1::FloorPlanUnit& unit : report.units()) {
    std::vector<std::string> row = {unit.code(), FormatDecimal(unit.area_m2()),
                                    absl::StrCat(unit.capacity()),
                                    Joined(unit.home_of())};
    for (const v1::FloorPlanWeekday& w : report.weekdays()) {
      const bool closed =
          std::find(w.closed_units().begin(), w.closed_units().end(),
                    unit.code()) != w.closed_units().end();
      row.push_back(closed ? "closed" : "open");
    }
    table.AddRow(std::move(row));
  }
  return table;
}

void WriteFloorPlan(const v1::FloorPlanReport& report, OutputFormat format,
                    std::ostream& out) {
  WriteInFormat(
      report, format, out, [&] { return FloorPlanWeekdaysTable(report); },
      [&] {
        const v1::EnergyAssumptions& a = report.assumptions();
        WriteLines(
            {{"Site", report.site()},
             {"Window", absl::StrCat(report.from_date(), " to ",
                                     report.to_date(), ", core hours")},
             {"Demand", absl::StrCat("ceil(P95 of the weekday's daily peaks x "
                                     "(100 + ",
                                     report.buffer_pct(), ") / 100), over ",
                                     report.workstations_measured(),
                                     " measured workstations")},
             {"Plan",
              absl::StrCat(
                  "least open area of ", report.unit(),
                  "s whose office workstations hold the "
                  "demand",
                  report.keep_home_units() ? "; home units kept open" : "")},
             {"Plan year",
              absl::StrCat(report.year_from(), " to ", report.year_to())},
             {"Closed",
              absl::StrCat(FormatDecimal(report.closed_m2_days_per_year()),
                           " m2-days a year")},
             {"Energy saved",
              absl::StrCat(FormatDecimal(report.energy_saved_kwh_per_year()),
                           " kWh a year, ",
                           FormatDecimal(report.co2_saved_kg_per_year()),
                           " kg CO2")},
             {"Assumption",
              absl::StrCat(FormatDecimal(a.kwh_per_m2_closed_day()),
                           " kWh per closed m2 a day (", a.kwh_source(), ")")},
             {"Assumption",
              absl::StrCat(FormatDecimal(a.kg_co2_per_kwh()),
                           " kg CO2 per kWh (", a.co2_source(), ")")},
             {"As of", report.as_of()}},
            out);
        out << '\n';
        WriteAlignedTable(FloorPlanGridTable(report), out);
        out << '\n';
      });
}

Table ForecastTable(const v1::ForecastReport& report) {
  Table table({{"date", "date"},
               {"day", "weekday"},
               {"week", "horizon_weeks", Align::kRight},
               {"peak", "peak_occupancy", Align::kRight},
               {"80 %", "peak_80", Align::kRight},
               {"95 %", "peak_95", Align::kRight},
               {"util %", "time_utilization_pct", Align::kRight},
               {"80 %", "utilization_80", Align::kRight},
               {"95 %", "utilization_95", Align::kRight}});
  for (const v1::ForecastDay& day : report.days()) {
    if (day.holiday()) {
      table.AddRow({day.date(), day.weekday().substr(0, 3),
                    absl::StrCat(day.horizon_weeks()), "holiday", "-", "-",
                    "holiday", "-", "-"});
      continue;
    }
    const v1::ForecastValue& peak = day.peak_occupancy();
    const v1::ForecastValue& util = day.time_utilization();
    table.AddRow({day.date(), day.weekday().substr(0, 3),
                  absl::StrCat(day.horizon_weeks()), Count(peak),
                  Range(peak, false, false), Range(peak, false, true),
                  util.has_value() ? FormatPercent(util.value()) : "-",
                  Range(util, true, false), Range(util, true, true)});
  }
  return table;
}

// CSV: separate low and high columns, easier to chart.
Table ForecastCsvTable(const v1::ForecastReport& report) {
  Table table({{"", "date"},
               {"", "weekday"},
               {"", "horizon_weeks"},
               {"", "holiday"},
               {"", "peak_occupancy"},
               {"", "peak_low80"},
               {"", "peak_high80"},
               {"", "peak_low95"},
               {"", "peak_high95"},
               {"", "time_utilization_pct"},
               {"", "utilization_low80_pct"},
               {"", "utilization_high80_pct"},
               {"", "utilization_low95_pct"},
               {"", "utilization_high95_pct"}});
  for (const v1::ForecastDay& day : report.days()) {
    const v1::ForecastValue& p = day.peak_occupancy();
    const v1::ForecastValue& u = day.time_utilization();
    table.AddRow({day.date(), day.weekday(), absl::StrCat(day.horizon_weeks()),
                  day.holiday() ? "true" : "false",
                  p.has_value() ? FormatOneDecimal(p.value()) : "",
                  Bound(p, p.low80(), false), Bound(p, p.high80(), false),
                  Bound(p, p.low95(), false), Bound(p, p.high95(), false),
                  u.has_value() ? FormatPercent(u.value()) : "",
                  Bound(u, u.low80(), true), Bound(u, u.high80(), true),
                  Bound(u, u.low95(), true), Bound(u, u.high95(), true)});
  }
  return table;
}

void WriteForecast(const v1::ForecastReport& report, OutputFormat format,
                   std::ostream& out) {
  if (format == OutputFormat::kCsv) {
    WriteCsvTable(ForecastCsvTable(report), out);
    return;
  }
  WriteInFormat(
      report, format, out, [&] { return ForecastTable(report); },
      [&] {
        std::string scope = absl::StrCat("site ", report.site());
        if (!report.floor().empty())
          absl::StrAppend(&scope, ", floor ", report.floor());
        if (!report.organization().empty()) {
          absl::StrAppend(&scope, ", organization ", report.organization());
        }
        WriteLines(
            {{"Scope", absl::StrCat(scope, " (", report.workstations_measured(),
                                    " measured workstations)")},
             {"History",
              absl::StrCat(report.from_date(), " to ", report.last_date(), ", ",
                           report.history_days(), " working days")},
             {"Model",
              absl::StrCat("mean of the weekday's last ", report.level_weeks(),
                           " values + trend (", report.trend_weeks(),
                           "-week halves) damped ",
                           FormatDecimal(report.damping()), " a week")},
             {"Trend",
              absl::StrCat(FormatOneDecimal(report.peak_trend_per_week()),
                           " desks a week; utilization ",
                           FormatPercent(report.utilization_trend_per_week()),
                           " pp a week")},
             {"Peak accuracy", Accuracy(report.peak_accuracy(), false)},
             {"Util. accuracy", Accuracy(report.utilization_accuracy(), true)},
             {"Intervals", "80 % and 95 %, from the backtest residuals"},
             {"As of", report.as_of()}},
            out);
        out << '\n';
      });
}

absl::Status RunFloorPlanCommand(v1::PlanningService::StubInterface& stub,
                                 const PlanningFlags& flags,
                                 const CommandOptions& options,
                                 std::ostream& out) {
  v1::FloorPlanRequest request;
  request.set_site(flags.site);
  request.set_from_date(flags.from);
  request.set_to_date(flags.to);
  request.set_unit(flags.unit);
  request.set_keep_home_units(flags.keep_home);
  if (!flags.buffer_pct.empty()) {
    ASSIGN_OR_RETURN(int32_t buffer, IntFlag("buffer_pct", flags.buffer_pct));
    request.set_buffer_pct(buffer);
  }
  if (!flags.kwh_per_m2_day.empty()) {
    ASSIGN_OR_RETURN(double kwh,
                     NumberFlag("kwh_per_m2_day", flags.kwh_per_m2_day));
    request.set_kwh_per_m2_closed_day(kwh);
  }
  if (!flags.kg_co2_per_kwh.empty()) {
    ASSIGN_OR_RETURN(double co2,
                     NumberFlag("kg_co2_per_kwh", flags.kg_co2_per_kwh));
    request.set_kg_co2_per_kwh(co2);
  }
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::FloorPlanReport report;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.GetFloorPlan(&context, request, &report)));
  WriteFloorPlan(report, options.output, out);
  return absl::OkStatus();
}

absl::Status RunForecastCommand(v1::PlanningService::StubInterface& stub,
                                const PlanningFlags& flags,
                                const CommandOptions& options,
                                std::ostream& out) {
  v1::ForecastRequest request;
  request.set_site(flags.site);
  request.set_floor(flags.space);
  request.set_organization(flags.organization);
  request.set_last_date(flags.to);
  if (!flags.weeks.empty()) {
    ASSIGN_OR_RETURN(int32_t weeks, IntFlag("weeks", flags.weeks));
    request.set_weeks(weeks);
  }
  if (!flags.history_weeks.empty()) {
    ASSIGN_OR_RETURN(int32_t weeks,
                     IntFlag("history_weeks", flags.history_weeks));
    request.set_history_weeks(weeks);
  }
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ForecastReport report;
  RETURN_IF_ERROR(FromGrpcStatus(stub.GetForecast(&context, request, &report)));
  WriteForecast(report, options.output, out);
  return absl::OkStatus();
}

}  // namespace monipaikka::client
