#include "client/workforce_commands.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/csv_reader.h"
#include "client/import_progress.h"
#include "client/number_format.h"
#include "client/output_format.h"
#include "client/table.h"
#include "client/text_file.h"
#include "client/workforce_csv.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "grpcpp/client_context.h"

namespace monipaikka::client {
namespace {

constexpr char kSuppressed[] = "suppressed";
constexpr size_t kMaxSkippedListed = 1000;

bool IsMonth(absl::string_view text) {
  return text.size() == 7 && text[4] == '-' &&
         std::all_of(text.begin(), text.begin() + 4, absl::ascii_isdigit) &&
         absl::ascii_isdigit(text[5]) && absl::ascii_isdigit(text[6]) &&
         ((text[5] == '0' && text[6] != '0') ||
          (text[5] == '1' && text[6] <= '2'));
}

std::string CountText(const v1::HrCount& count) {
  return count.withheld() ? kSuppressed : absl::StrCat(count.value());
}

std::string ChangeText(const v1::HrCount& change) {
  if (change.withheld()) return kSuppressed;
  return change.value() > 0 ? absl::StrCat("+", change.value())
                            : absl::StrCat(change.value());
}

std::string PercentText(const v1::HrFigure& figure, bool whole) {
  if (figure.withheld()) return kSuppressed;
  return whole ? absl::StrCat(static_cast<int64_t>(figure.value()))
               : FormatOneDecimal(figure.value());
}

// One import: reads the CSV, sends batches, merges the rows skipped here
// with those the server rejected.
template <typename Batch, typename Record>
absl::StatusOr<WorkforceImportSummary> Upload(
    std::unique_ptr<grpc::ClientWriterInterface<Batch>> (
        v1::WorkforceService::StubInterface::*open)(grpc::ClientContext*,
                                                    v1::ImportSummary*),
    absl::StatusOr<WorkforceCsvColumns> (*parse_header)(
        const std::vector<std::string>&),
    absl::StatusOr<Record> (*parse_row)(const WorkforceCsvColumns&,
                                        const std::vector<std::string>&),
    Record* (Batch::*add)(), v1::WorkforceService::StubInterface& stub,
    std::istream& csv, const std::string& name, size_t batch_size,
    std::ostream& problems) {
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
  absl::StatusOr<WorkforceCsvColumns> columns = parse_header(record.fields);
  if (!columns.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ":1: ", columns.status().message()));
  }
  for (const std::string& ignored : columns->ignored) {
    problems << name << ":1: note: ignoring column \"" << ignored << "\"\n";
  }

  WorkforceImportSummary summary;
  std::vector<std::pair<int64_t, std::string>> listed;  // line, problem
  grpc::ClientContext context;
  v1::ImportSummary response;
  std::unique_ptr<grpc::ClientWriterInterface<Batch>> writer =
      (stub.*open)(&context, &response);
  Batch batch;
  bool broken = false;
  while (!broken && reader.Next(&record)) {
    if (record.fields.size() == 1 && record.fields[0].empty() &&
        record.status.ok()) {
      continue;  // blank line
    }
    ++summary.rows;
    absl::StatusOr<Record> row = record.status.ok()
                                     ? parse_row(*columns, record.fields)
                                     : absl::StatusOr<Record>(record.status);
    if (!row.ok()) {
      ++summary.skipped;
      if (listed.size() < kMaxSkippedListed) {
        listed.emplace_back(record.line,
                            absl::StrCat("skipped: ", row.status().message()));
      }
      continue;
    }
    row->set_row(record.line);
    *(batch.*add)() = std::move(*row);
    if (static_cast<size_t>(batch.records_size()) >= batch_size) {
      broken = !writer->Write(batch);
      batch.Clear();
    }
  }
  if (!broken && batch.records_size() > 0) broken = !writer->Write(batch);
  if (!broken) writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!reader.io_status().ok()) {
    return absl::Status(reader.io_status().code(),
                        absl::StrCat(name, ": ", reader.io_status().message()));
  }
  RETURN_IF_ERROR(FromGrpcStatus(status));
  summary.stored = response.stored();
  summary.unchanged = response.unchanged();
  summary.rejected = response.rejected();
  summary.new_employees = response.new_employees();
  for (const v1::RejectedRecord& rejected : response.rejections()) {
    listed.emplace_back(rejected.row(),
                        absl::StrCat("rejected: ", rejected.message()));
  }
  std::stable_sort(
      listed.begin(), listed.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [line, text] : listed) {
    problems << name << ':' << line << ": " << text << '\n';
  }
  const int64_t unlisted =
      summary.skipped + summary.rejected - static_cast<int64_t>(listed.size());
  if (unlisted > 0) {
    problems << name << ": " << unlisted << " more rows skipped or rejected\n";
  }
  return summary;
}

void WriteImportSummary(const std::string& name,
                        const WorkforceImportSummary& s, bool employees,
                        OutputFormat format, std::ostream& out) {
  Table table({{"file", "file"},
               {"rows", "rows", Align::kRight},
               {"stored", "stored", Align::kRight},
               {"unchanged", "unchanged", Align::kRight},
               {"rejected", "rejected", Align::kRight},
               {"skipped", "skipped", Align::kRight},
               {"new employees", "new_employees", Align::kRight}});
  table.AddRow({name, absl::StrCat(s.rows), absl::StrCat(s.stored),
                absl::StrCat(s.unchanged), absl::StrCat(s.rejected),
                absl::StrCat(s.skipped),
                employees ? absl::StrCat(s.new_employees) : ""});
  switch (format) {
    case OutputFormat::kTable:
      out << name << ": " << s.rows << " rows: " << s.stored << " stored, "
          << s.unchanged << " unchanged, " << s.rejected << " rejected, "
          << s.skipped << " skipped";
      if (employees) out << " (" << s.new_employees << " new employees)";
      out << "\n";
      return;
    case OutputFormat::kCsv:
      WriteCsvTable(table, out);
      return;
    case OutputFormat::kJson:
      out << "{\n  \"file\": " << JsonString(name)
          << ",\n  \"rows\": " << s.rows << ",\n  \"stored\": " << s.stored
          << ",\n  \"unchanged\": " << s.unchanged
          << ",\n  \"rejected\": " << s.rejected
          << ",\n  \"skipped\": " << s.skipped;
      if (employees) out << ",\n  \"newEmployees\": " << s.new_employees;
      out << "\n}\n";
      return;
  }
}

std::string ScopeText(const std::string& organization,
                      const std::string& unit) {
  if (organization.empty()) return "the whole state";
  if (unit.empty()) return absl::StrCat("organization ", organization);
  return absl::StrCat("unit ", unit, " of ", organization);
}

absl::Status ShowDistribution(v1::WorkforceService::StubInterface& stub,
                              const WorkforceFlags& flags,
                              const CommandOptions& options,
                              std::ostream& out) {
  v1::WorkstationDistributionRequest request;
  request.set_as_of(flags.as_of);
  request.set_compare_to(flags.compare_to);
  request.set_organization(flags.organization);
  request.set_unit(flags.unit);
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::WorkstationDistributionReport report;
  RETURN_IF_ERROR(FromGrpcStatus(
      stub.GetWorkstationDistribution(&context, request, &report)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(report, out);
    return absl::OkStatus();
  }
  const bool compare = !report.compare_to().empty();
  std::vector<Column> columns = {
      {"category", "category"},
      {"employees", "employees", Align::kRight},
      {"% of office", "share_of_office_pct", Align::kRight}};
  if (compare) {
    columns.push_back({absl::StrCat("change since ", report.compare_to()),
                       "change", Align::kRight});
  }
  Table table(columns);
  for (const v1::DistributionCategory& c : report.categories()) {
    std::vector<std::string> cells = {
        options.output == OutputFormat::kTable ? c.label() : c.category(),
        CountText(c.employees()),
        c.has_share_of_office_pct() ? PercentText(c.share_of_office_pct(), true)
                                    : ""};
    if (compare) cells.push_back(ChangeText(c.change()));
    table.AddRow(std::move(cells));
  }
  if (options.output == OutputFormat::kTable) {
    out << "Workstation distribution as of " << report.as_of() << ", "
        << ScopeText(report.organization(), report.unit())
        << " (categories overlap; figures over fewer than "
        << report.anonymity_k() << " employees are suppressed)\n\n";
  }
  WriteTable(table, options.output, out);
  return absl::OkStatus();
}

absl::Status ShowOfficeDays(v1::WorkforceService::StubInterface& stub,
                            const WorkforceFlags& flags,
                            const CommandOptions& options, std::ostream& out) {
  v1::OfficeDaysRequest request;
  request.set_from_month(flags.from_month);
  request.set_to_month(flags.to_month.empty() ? flags.from_month
                                              : flags.to_month);
  request.set_organization(flags.organization);
  request.set_unit(flags.unit);
  request.set_group_by(
      flags.group_by == "organization" ? v1::HR_GROUPING_ORGANIZATION
      : flags.group_by == "unit"       ? v1::HR_GROUPING_UNIT
                                       : v1::HR_GROUPING_UNSPECIFIED);
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::OfficeDaysReport report;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.GetOfficeDays(&context, request, &report)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(report, out);
    return absl::OkStatus();
  }
  std::vector<Column> columns = {{"month", "month"},
                                 {"organization", "organization"},
                                 {"unit", "unit"},
                                 {"registered", "registered", Align::kRight},
                                 {"with days", "with_days", Align::kRight}};
  for (const std::string& label : report.bucket_labels()) {
    columns.push_back({absl::StrCat(label, " d"),
                       absl::StrCat("office_days_", label), Align::kRight});
  }
  columns.push_back({"median", "median_office_days", Align::kRight});
  columns.push_back({">=5 %", "meeting_recommendation_pct", Align::kRight});
  columns.push_back({"shared %", "shared_use_pct", Align::kRight});
  columns.push_back({"25 % met", "shared_use_target_met"});
  const char kKinds[] = "ABCDEFG";
  for (int k = 0; k < 7; ++k) {
    columns.push_back({absl::StrCat(std::string(1, kKinds[k]), " %"),
                       absl::StrCat("days_", std::string(1, kKinds[k]), "_pct"),
                       Align::kRight});
  }
  columns.push_back({"partial", "partial"});
  Table table(columns);
  for (const v1::OfficeDaysRow& row : report.rows()) {
    std::vector<std::string> cells = {
        row.month(),
        row.level() == 0
            ? (options.output == OutputFormat::kTable ? "(state)" : "")
            : row.organization(),
        row.level() == 2 ? row.unit() : "", CountText(row.registered()),
        CountText(row.with_days())};
    for (const v1::HrCount& bucket : row.office_day_buckets()) {
      cells.push_back(CountText(bucket));
    }
    cells.push_back(PercentText(row.median_office_days(), false));
    cells.push_back(PercentText(row.meeting_recommendation_pct(), true));
    cells.push_back(PercentText(row.shared_use_pct(), true));
    cells.push_back(row.shared_use_pct().withheld()
                        ? kSuppressed
                        : (row.shared_use_target_met() ? "yes" : "no"));
    for (const v1::HrFigure& share : row.location_mix_pct()) {
      cells.push_back(PercentText(share, false));
    }
    cells.push_back(row.partial() ? "yes" : "no");
    table.AddRow(std::move(cells));
  }
  if (options.output == OutputFormat::kTable) {
    out << "Office days per month, "
        << (report.from_month() == report.to_month()
                ? report.from_month()
                : absl::StrCat(report.from_month(), " to ", report.to_month()))
        << ", " << ScopeText(report.organization(), report.unit())
        << "\nOffice days: B, C, D, F. '>=5 %': share with at least 5 office "
           "days. 'shared %': office in shared-use premises (target 25 %).\n"
        << "Figures over fewer than " << report.anonymity_k()
        << " employees are suppressed. Work-location days are kept "
        << report.retention_months() << " months (from "
        << report.retained_from() << ").\n\n";
  }
  WriteTable(table, options.output, out);
  return absl::OkStatus();
}

absl::StatusOr<WorkforceImportSummary> ImportFile(
    v1::WorkforceService::StubInterface& stub, const std::string& path,
    bool employees, const CommandOptions& options, std::ostream& problems) {
  std::ifstream file;
  std::istream* in = &std::cin;
  std::string name = "stdin";
  if (path != "-") {
    RETURN_IF_ERROR(OpenTextFile(path, &file));
    in = &file;
    name = path;
  }
  // On a terminal, a progress line counts the lines read (a row each, less
  // the header) against the file's size.
  ProgressInput input(in, path, name, &problems, options.progress);
  input.counting().set_on_block([&input] {
    input.progress().Update(std::max<int64_t>(input.counting().lines() - 1, 0),
                            input.counting().bytes());
  });
  std::ostream& listed = input.progress().problems();
  absl::StatusOr<WorkforceImportSummary> summary =
      employees ? UploadEmployeesCsv(stub, input.stream(), name, 5000, listed)
                : UploadWorkDaysCsv(stub, input.stream(), name, 5000, listed);
  input.progress().Erase();
  return summary;
}

}  // namespace

bool IsWorkforceCommand(const std::string& command) {
  return command == "import-employees" || command == "import-work-days" ||
         command == "workstation-distribution" || command == "office-days";
}

std::string CheckWorkforceFlags(const std::string& command,
                                const WorkforceFlags& flags) {
  const bool distribution = command == "workstation-distribution";
  const bool office_days = command == "office-days";
  const std::pair<const char*, const std::string*> scope[] = {
      {"organization", &flags.organization}, {"unit", &flags.unit}};
  const std::pair<const char*, const std::string*> dated[] = {
      {"as_of", &flags.as_of}, {"compare_to", &flags.compare_to}};
  const std::pair<const char*, const std::string*> monthly[] = {
      {"from_month", &flags.from_month},
      {"to_month", &flags.to_month},
      {"by", &flags.group_by}};
  for (const auto& [name, value] : scope) {
    if (!value->empty() && !distribution && !office_days) {
      return absl::StrCat("--", name, " does not apply to ", command);
    }
  }
  for (const auto& [name, value] : dated) {
    if (!value->empty() && !distribution) {
      return absl::StrCat("--", name, " does not apply to ", command);
    }
  }
  for (const auto& [name, value] : monthly) {
    if (!value->empty() && !office_days) {
      return absl::StrCat("--", name, " does not apply to ", command);
    }
  }
  if (!flags.unit.empty() && flags.organization.empty()) {
    return "--unit needs --organization";
  }
  if (distribution) {
    if (flags.as_of.empty())
      return "workstation-distribution needs --as_of=YYYY-MM-DD";
    for (const auto& [name, value] : dated) {
      if (!value->empty() && !ParseDate(*value).ok()) {
        return absl::StrCat("--", name, "=", *value,
                            " is not a date (YYYY-MM-DD)");
      }
    }
  }
  if (office_days) {
    if (flags.from_month.empty())
      return "office-days needs --from_month=YYYY-MM";
    for (const auto& [name, value] : monthly) {
      if (std::string(name) == "by") continue;
      if (!value->empty() && !IsMonth(*value)) {
        return absl::StrCat("--", name, "=", *value,
                            " is not a month (YYYY-MM)");
      }
    }
    if (!flags.group_by.empty() && flags.group_by != "organization" &&
        flags.group_by != "unit") {
      return absl::StrCat("--by=", flags.group_by,
                          " is not organization or unit");
    }
  }
  return "";
}

absl::StatusOr<WorkforceImportSummary> UploadEmployeesCsv(
    v1::WorkforceService::StubInterface& stub, std::istream& csv,
    const std::string& name, size_t batch_size, std::ostream& problems) {
  return Upload<v1::EmployeeBatch, v1::EmployeeRecord>(
      &v1::WorkforceService::StubInterface::ImportEmployees,
      &ParseEmployeeHeader, &ParseEmployeeRow, &v1::EmployeeBatch::add_records,
      stub, csv, name, batch_size, problems);
}

absl::StatusOr<WorkforceImportSummary> UploadWorkDaysCsv(
    v1::WorkforceService::StubInterface& stub, std::istream& csv,
    const std::string& name, size_t batch_size, std::ostream& problems) {
  return Upload<v1::WorkDayBatch, v1::WorkDayRecord>(
      &v1::WorkforceService::StubInterface::ImportWorkDays, &ParseWorkDayHeader,
      &ParseWorkDayRow, &v1::WorkDayBatch::add_records, stub, csv, name,
      batch_size, problems);
}

absl::Status RunWorkforceCommand(v1::WorkforceService::StubInterface& stub,
                                 const std::vector<std::string>& args,
                                 const WorkforceFlags& flags,
                                 const CommandOptions& options,
                                 std::ostream& out, std::ostream& err,
                                 bool* rows_refused) {
  const std::string& command = args[0];
  if (command == "import-employees" || command == "import-work-days") {
    const bool employees = command == "import-employees";
    ASSIGN_OR_RETURN(WorkforceImportSummary summary,
                     ImportFile(stub, args[1], employees, options, err));
    WriteImportSummary(args[1] == "-" ? "stdin" : args[1], summary, employees,
                       options.output, out);
    *rows_refused = !summary.clean();
    return absl::OkStatus();
  }
  if (command == "workstation-distribution") {
    return ShowDistribution(stub, flags, options, out);
  }
  return ShowOfficeDays(stub, flags, options, out);
}

}  // namespace monipaikka::client
