#include "client/sampling_commands.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/csv_reader.h"
#include "client/number_format.h"
#include "client/table.h"
#include "client/text_file.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka::client {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    items.emplace_back(item);
  }
  return items;
}

absl::Status BadFlag(absl::string_view flag, absl::string_view value,
                     absl::string_view want) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, "=", value, ": ", want));
}

// A share as percent with one decimal, a count with one decimal.
std::string Cell(double value, bool share) {
  return share ? FormatPercent(value) : FormatOneDecimal(value);
}

}  // namespace

absl::StatusOr<v1::SampleEstimateRequest> ToSampleEstimateRequest(
    const SampleEstimateArgs& args) {
  v1::SampleEstimateRequest request;
  v1::ReportScope* scope = request.mutable_scope();
  scope->set_site(args.site);
  scope->set_space(args.space);
  for (const std::string& org : SplitList(args.orgs)) {
    scope->add_organizations(org);
  }
  for (const std::string& kind : SplitList(args.kinds)) {
    scope->add_workstation_kinds(kind);
  }
  for (const auto& [flag, value] :
       {std::pair{"from", &args.from}, std::pair{"to", &args.to}}) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(*value);
    if (!day.ok()) return BadFlag(flag, *value, day.status().message());
  }
  request.set_from_date(args.from);
  request.set_to_date(args.to);
  request.set_all_hours(args.all_hours);
  if (args.strata.empty() || args.strata == "zone") {
    request.set_strata(v1::SAMPLING_STRATA_ZONE);
  } else if (args.strata == "kind") {
    request.set_strata(v1::SAMPLING_STRATA_WORKSTATION_KIND);
  } else {
    return BadFlag("strata", args.strata, "want zone or kind");
  }
  if (!args.buffer_pct.empty()) {
    int32_t buffer = 0;
    if (!absl::SimpleAtoi(args.buffer_pct, &buffer) || buffer < 0 ||
        buffer > 100) {
      return BadFlag("buffer_pct", args.buffer_pct, "want 0 … 100");
    }
    request.set_buffer_pct(buffer);
  }
  if (!args.margin_pp.empty()) {
    double margin = 0;
    if (!absl::SimpleAtod(args.margin_pp, &margin) || !(margin > 0) ||
        margin > 50) {
      return BadFlag("margin_pp", args.margin_pp, "want a number in (0, 50]");
    }
    request.set_target_margin_pp(margin);
  }
  if (!args.seed.empty()) {
    uint64_t seed = 0;
    if (!absl::SimpleAtoi(args.seed, &seed) || seed == 0) {
      return BadFlag("seed", args.seed, "want a positive whole number");
    }
    request.set_seed(seed);
  }
  if (!args.replicates.empty()) {
    int32_t replicates = 0;
    if (!absl::SimpleAtoi(args.replicates, &replicates) || replicates < 100 ||
        replicates > 10000) {
      return BadFlag("replicates", args.replicates, "want 100 … 10000");
    }
    request.set_replicates(replicates);
  }
  if (!args.by.empty() && args.by != "stratum") {
    return BadFlag("by", args.by, "want stratum");
  }
  return request;
}

void WriteSampleEstimate(const v1::SampleEstimateReport& report,
                         OutputFormat format, bool by_stratum,
                         std::ostream& out) {
  if (format == OutputFormat::kJson) {
    WriteMessageJson(report, out);
    return;
  }
  Table figures({{"figure", "figure", Align::kLeft},
                 {"estimate", "value", Align::kRight},
                 {"95 % low", "lower", Align::kRight},
                 {"95 % high", "upper", Align::kRight},
                 {"unit", "unit", Align::kLeft}});
  if (report.available()) {
    auto add = [&](const char* name, const v1::EstimatedValue& v, bool share) {
      figures.AddRow({name, Cell(v.value(), share), Cell(v.lower(), share),
                      Cell(v.upper(), share), share ? "%" : "workstations"});
    };
    add("time_utilization", report.time_utilization(), true);
    add("desk_day_usage", report.desk_day_usage(), true);
    add("peak_occupancy_mean", report.peak_occupancy_mean(), false);
    add("peak_occupancy_p95", report.peak_occupancy_p95(), false);
    figures.AddRow({"needed_workstations",
                    std::to_string(report.needed_workstations()), "", "",
                    "workstations"});
  }
  Table strata({{"stratum", "stratum", Align::kLeft},
                {"workstations", "workstations", Align::kRight},
                {"measured", "measured", Align::kRight},
                {"util %", "time_utilization_pct", Align::kRight},
                {"desk-days %", "desk_day_usage_pct", Align::kRight},
                {"sd h", "residual_sd_h", Align::kRight},
                {"needed", "needed_measured", Align::kRight},
                {"more sensors", "additional_sensors", Align::kRight}});
  for (const v1::SamplingStratumFigures& s : report.stratum_figures()) {
    const bool measured = s.workstations_measured() > 0;
    strata.AddRow({s.name(), std::to_string(s.workstations()),
                   std::to_string(s.workstations_measured()),
                   measured ? FormatPercent(s.time_utilization()) : "-",
                   measured ? FormatPercent(s.desk_day_usage()) : "-",
                   FormatOneDecimal(s.residual_sd_hours()),
                   std::to_string(s.needed_measured()),
                   std::to_string(s.additional_sensors())});
  }
  if (format != OutputFormat::kTable) {
    WriteTable(by_stratum ? strata : figures, format, out);
    return;
  }
  out << "Scope " << report.from_date() << " … " << report.to_date() << ": "
      << report.workstations_measured() << " of " << report.workstations()
      << " workstations measured, strata by "
      << (report.strata() == v1::SAMPLING_STRATA_WORKSTATION_KIND
              ? "workstation kind"
              : "zone")
      << (report.all_hours() ? ", all hours" : ", core hours") << "\n";
  if (!report.available()) {
    out << "Not available: ";
    if (report.unmeasured_strata_size() > 0) {
      out << "no measured workstation in "
          << absl::StrJoin(report.unmeasured_strata(), ", ");
    } else if (report.workstations() == 0) {
      out << "the scope has no active workstation";
    } else if (report.workstations_measured() == 0) {
      out << "none of the scope's workstations is measured";
    } else {
      out << "no measured workstation was observed on any day of the window";
    }
    out << "\n";
  } else if (report.exact()) {
    out << "Every workstation measured: exact figures, no interval.\n";
  } else {
    out << "Estimates with 95 % intervals (stratified bootstrap, "
        << report.replicates() << " replicates, seed " << report.seed() << "); "
        << report.days_counted() << " days counted; right-sizing "
        << "buffer " << report.buffer_pct() << " %.\n";
    if (!report.single_measured_strata().empty()) {
      out << "One measured workstation only (interval too narrow there): "
          << absl::StrJoin(report.single_measured_strata(), ", ") << "\n";
    }
  }
  if (report.available()) {
    out << "\n";
    WriteAlignedTable(figures, out);
  }
  out << "\nSample size for ±" << FormatOneDecimal(report.target_margin_pp())
      << " pp of time utilization at 95 % (now ±"
      << FormatOneDecimal(report.current_margin_pp())
      << " pp): " << report.needed_measured() << " measured, "
      << report.additional_sensors() << " more sensors\n\n";
  WriteAlignedTable(strata, out);
}

absl::Status ShowSampleEstimate(v1::SamplingService::StubInterface& stub,
                                const SampleEstimateArgs& args,
                                const CommandOptions& options,
                                std::ostream& out) {
  ASSIGN_OR_RETURN(v1::SampleEstimateRequest request,
                   ToSampleEstimateRequest(args));
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::SampleEstimateReport report;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.GetSampleEstimate(&context, request, &report)));
  WriteSampleEstimate(report, options.output, args.by == "stratum", out);
  return absl::OkStatus();
}

absl::StatusOr<ObservationImportSummary> ImportObservationRounds(
    v1::SamplingService::StubInterface& stub, std::istream& csv,
    const std::string& name, const CommandOptions& options,
    std::ostream& problems, size_t batch_size) {
  batch_size = std::clamp<size_t>(batch_size, 1, 10000);
  CsvReader reader(&csv);
  CsvRecord record;
  if (!reader.Next(&record)) {
    if (!reader.io_status().ok()) {
      return absl::Status(
          reader.io_status().code(),
          absl::StrCat(name, ": ", reader.io_status().message()));
    }
    return absl::InvalidArgumentError(absl::StrCat(name, ": empty, no header"));
  }
  int time_column = -1, workstation_column = -1, state_column = -1,
      observer_column = -1;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    const std::string field =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(record.fields[i]));
    const int index = static_cast<int>(i);
    if (field == "round_time") time_column = index;
    if (field == "workstation") workstation_column = index;
    if (field == "state") state_column = index;
    if (field == "observer") observer_column = index;
  }
  if (time_column < 0 || workstation_column < 0 || state_column < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ":", record.line,
        ": the header needs round_time, workstation and state (observer "
        "optional)"));
  }
  ObservationImportSummary summary;
  auto refuse = [&](int64_t line, std::string reason) {
    problems << name << ":" << line << ": " << reason << "\n";
    summary.refused.emplace_back(line, std::move(reason));
  };
  v1::ImportObservationRoundsRequest batch;
  auto send = [&]() -> absl::Status {
    if (batch.rows_size() == 0) return absl::OkStatus();
    grpc::ClientContext context;
    SetDeadline(options, &context);
    v1::ImportObservationRoundsResponse response;
    RETURN_IF_ERROR(FromGrpcStatus(
        stub.ImportObservationRounds(&context, batch, &response)));
    summary.inserted += response.inserted();
    summary.changed += response.changed();
    summary.unchanged += response.unchanged();
    summary.observers_not_stored += response.observers_not_stored();
    for (const v1::RejectedObservationRow& row : response.rejected()) {
      refuse(row.line(), row.reason());
    }
    batch.clear_rows();
    return absl::OkStatus();
  };
  const size_t needed = static_cast<size_t>(
      std::max({time_column, workstation_column, state_column}) + 1);
  while (reader.Next(&record)) {
    if (record.fields.size() == 1 &&
        absl::StripAsciiWhitespace(record.fields[0]).empty()) {
      continue;  // blank line
    }
    ++summary.rows;
    if (!record.status.ok()) {
      refuse(record.line, std::string(record.status.message()));
      continue;
    }
    if (record.fields.size() < needed) {
      refuse(record.line, absl::StrCat("has ", record.fields.size(),
                                       " fields, the header ", needed));
      continue;
    }
    v1::ObservationRoundRow* row = batch.add_rows();
    row->set_line(static_cast<int32_t>(record.line));
    row->set_round_time(record.fields[time_column]);
    row->set_workstation(std::string(
        absl::StripAsciiWhitespace(record.fields[workstation_column])));
    row->set_state(record.fields[state_column]);
    if (observer_column >= 0 &&
        static_cast<size_t>(observer_column) < record.fields.size()) {
      row->set_observer(std::string(
          absl::StripAsciiWhitespace(record.fields[observer_column])));
    }
    if (static_cast<size_t>(batch.rows_size()) >= batch_size) {
      RETURN_IF_ERROR(send());
    }
  }
  if (!reader.io_status().ok()) {
    return absl::Status(reader.io_status().code(),
                        absl::StrCat(name, ": ", reader.io_status().message()));
  }
  RETURN_IF_ERROR(send());
  std::sort(summary.refused.begin(), summary.refused.end());
  return summary;
}

absl::Status RunObservationImport(v1::SamplingService::StubInterface& stub,
                                  const std::string& path,
                                  const CommandOptions& options,
                                  std::ostream& out, std::ostream& err,
                                  bool* rows_refused) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    RETURN_IF_ERROR(OpenTextFile(path, &file));
    in = &file;
  }
  ASSIGN_OR_RETURN(const ObservationImportSummary summary,
                   ImportObservationRounds(
                       stub, *in, path == "-" ? "stdin" : path, options, err));
  *rows_refused = !summary.clean();
  out << "rows " << summary.rows << ": inserted " << summary.inserted
      << ", changed " << summary.changed << ", unchanged " << summary.unchanged
      << ", refused " << summary.refused.size();
  if (summary.observers_not_stored > 0) {
    out << "; observer names not stored: " << summary.observers_not_stored;
  }
  out << "\n";
  return absl::OkStatus();
}

absl::StatusOr<v1::ObservationStudyRequest> ToObservationStudyRequest(
    const ObservationStudyArgs& args) {
  SampleEstimateArgs common;
  common.site = args.site;
  common.space = args.space;
  common.orgs = args.orgs;
  common.kinds = args.kinds;
  common.from = args.from;
  common.to = args.to;
  common.strata = args.strata;
  common.seed = args.seed;
  common.replicates = args.replicates;
  ASSIGN_OR_RETURN(const v1::SampleEstimateRequest estimate,
                   ToSampleEstimateRequest(common));
  v1::ObservationStudyRequest request;
  *request.mutable_scope() = estimate.scope();
  request.set_from_date(estimate.from_date());
  request.set_to_date(estimate.to_date());
  request.set_strata(estimate.strata());
  request.set_replicates(estimate.replicates());
  request.set_seed(estimate.seed());
  return request;
}

void WriteObservationStudy(const v1::ObservationStudyReport& report,
                           OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kJson) {
    WriteMessageJson(report, out);
    return;
  }
  Table figures({{"group", "group", Align::kLeft},
                 {"key", "key", Align::kLeft},
                 {"rounds", "rounds", Align::kRight},
                 {"observed", "observed", Align::kRight},
                 {"used %", "utilization_pct", Align::kRight},
                 {"occupied %", "occupied_pct", Align::kRight},
                 {"signs of life %", "signs_of_life_pct", Align::kRight},
                 {"peak round %", "peak_utilization_pct", Align::kRight},
                 {"peak round", "peak_round", Align::kLeft}});
  auto add = [&](const std::string& group, const std::string& key,
                 const v1::ObservationFigures& f) {
    const bool any = f.rounds() > 0;
    figures.AddRow({group, key, std::to_string(f.rounds()),
                    std::to_string(f.workstations_observed()),
                    any ? FormatPercent(f.mean_utilization()) : "-",
                    any ? FormatPercent(f.mean_occupied_share()) : "-",
                    any ? FormatPercent(f.mean_signs_of_life_share()) : "-",
                    any ? FormatPercent(f.peak().utilization()) : "-",
                    f.peak_round()});
  };
  add("total", "", report.total());
  for (const v1::ObservationHour& h : report.by_hour()) {
    figures.AddRow({"hour", absl::StrCat(h.hour() < 10 ? "0" : "", h.hour()),
                    std::to_string(h.rounds()),
                    std::to_string(h.shares().observed()),
                    FormatPercent(h.shares().utilization()),
                    FormatPercent(h.shares().occupied_share()),
                    FormatPercent(h.shares().signs_of_life_share()), "", ""});
  }
  for (const v1::ObservationGroup& g : report.groups()) {
    add("stratum", g.name(), g.figures());
  }
  if (format != OutputFormat::kTable) {
    WriteTable(figures, format, out);
    return;
  }
  out << "Observation rounds " << report.from_date() << " … "
      << report.to_date() << ": " << report.total().workstations_observed()
      << " of " << report.workstations()
      << " workstations observed; used = occupied or signs of life "
         "(observations observed in the hour for hour rows, mean over "
         "rounds otherwise)\n\n";
  WriteAlignedTable(figures, out);
  const v1::SampleEstimateReport& e = report.estimate();
  out << "\nScope estimate (used share of observations, desk-days used, "
         "workstations used in the busiest round): ";
  if (!e.available()) {
    out << "not available, nothing observed in "
        << absl::StrJoin(e.unmeasured_strata(), ", ") << "\n";
  } else {
    out << (e.exact()
                ? "every workstation observed, exact\n"
                : absl::StrCat("95 % intervals, ", e.replicates(),
                               " bootstrap replicates, seed ", e.seed(), "\n"));
    Table est({{"figure", "figure", Align::kLeft},
               {"estimate", "value", Align::kRight},
               {"95 % low", "lower", Align::kRight},
               {"95 % high", "upper", Align::kRight}});
    auto row = [&](const char* name, const v1::EstimatedValue& v, bool share) {
      est.AddRow({name, Cell(v.value(), share), Cell(v.lower(), share),
                  Cell(v.upper(), share)});
    };
    row("used share %", e.time_utilization(), true);
    row("desk-days used %", e.desk_day_usage(), true);
    row("daily peak mean", e.peak_occupancy_mean(), false);
    row("daily peak P95", e.peak_occupancy_p95(), false);
    WriteAlignedTable(est, out);
  }
  const v1::ObservationCalibration& c = report.calibration();
  out << "\nCalibration against the sensors: " << c.pairs()
      << " observations with a known sensor state";
  if (c.pairs() > 0) {
    out << "; agreement " << FormatPercent(c.agreement()) << " % (signs of "
        << "life as vacant: " << FormatPercent(c.agreement_signs_as_vacant())
        << " %), bias " << (c.bias_pp() >= 0 ? "+" : "-")
        << FormatOneDecimal(std::abs(c.bias_pp())) << " pp ("
        << (c.bias_signs_as_vacant_pp() >= 0 ? "+" : "-")
        << FormatOneDecimal(std::abs(c.bias_signs_as_vacant_pp())) << " pp)";
  }
  out << "\n";
}

absl::Status ShowObservationStudy(v1::SamplingService::StubInterface& stub,
                                  const ObservationStudyArgs& args,
                                  const CommandOptions& options,
                                  std::ostream& out) {
  ASSIGN_OR_RETURN(v1::ObservationStudyRequest request,
                   ToObservationStudyRequest(args));
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ObservationStudyReport report;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.GetObservationStudy(&context, request, &report)));
  WriteObservationStudy(report, options.output, out);
  return absl::OkStatus();
}

}  // namespace monipaikka::client
