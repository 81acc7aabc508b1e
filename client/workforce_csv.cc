#include "client/workforce_csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace monipaikka::client {
namespace {

enum EmployeeColumn {
  kEmployeeId,
  kOrganization,
  kUnit,
  kFte,
  kHome,
  kOffice,
  kMultiSpace,
  kSharedUse,
  kValidFrom,
  kValidTo,
  kSite
};
const std::vector<std::string>& EmployeeNames() {
  static const auto* names = new std::vector<std::string>{
      "employee_id",      "organization",       "unit",        "fte",
      "home_workstation", "office_workstation", "multi_space", "shared_use",
      "valid_from",       "valid_to",           "site"};
  return *names;
}
constexpr size_t kEmployeeRequired = 9;

enum WorkDayColumn { kDayEmployeeId, kDate, kLocationKind, kDaySite, kSource };
const std::vector<std::string>& WorkDayNames() {
  static const auto* names = new std::vector<std::string>{
      "employee_id", "date", "location_kind", "site", "source"};
  return *names;
}
constexpr size_t kWorkDayRequired = 3;

absl::StatusOr<WorkforceCsvColumns> ParseHeader(
    const std::vector<std::string>& fields,
    const std::vector<std::string>& names, size_t required) {
  WorkforceCsvColumns columns;
  columns.names = names;
  columns.index.assign(names.size(), -1);
  columns.field_count = fields.size();
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]));
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      columns.ignored.push_back(fields[i]);
      continue;
    }
    int& slot = columns.index[it - names.begin()];
    if (slot != -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("header has column \"", name, "\" twice"));
    }
    slot = static_cast<int>(i);
  }
  std::vector<std::string> missing;
  for (size_t c = 0; c < required; ++c) {
    if (columns.index[c] == -1) missing.push_back(names[c]);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header lacks column", missing.size() > 1 ? "s " : " ",
                     absl::StrJoin(missing, ", "), " (expected ",
                     absl::StrJoin(names, ","), ")"));
  }
  return columns;
}

// The row's value of column `c`, or "" when the format's column is absent.
// Fails when the row is too short to hold it.
absl::StatusOr<absl::string_view> Field(const WorkforceCsvColumns& columns,
                                        const std::vector<std::string>& fields,
                                        size_t c) {
  const int at = columns.index[c];
  if (at < 0) return absl::string_view();
  if (static_cast<size_t>(at) >= fields.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "missing column ", columns.names[c], " (the row has ", fields.size(),
        " fields, the header ", columns.field_count, ")"));
  }
  return absl::StripAsciiWhitespace(fields[at]);
}

absl::Status CheckFieldCount(const WorkforceCsvColumns& columns,
                             const std::vector<std::string>& fields) {
  if (fields.size() > columns.field_count) {
    return absl::InvalidArgumentError(
        absl::StrCat("the row has ", fields.size(), " fields, the header ",
                     columns.field_count));
  }
  if (fields.size() < columns.field_count) {
    // Name the first column of the format the row does not reach.
    for (size_t c = 0; c < columns.names.size(); ++c) {
      if (columns.index[c] >= static_cast<int>(fields.size())) {
        return Field(columns, fields, c).status();
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat("the row has ", fields.size(), " fields, the header ",
                     columns.field_count));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> YesNo(absl::string_view name, absl::string_view value) {
  const std::string v = absl::AsciiStrToLower(value);
  if (v == "yes" || v == "true" || v == "1" || v == "kyllä" || v == "k") {
    return true;
  }
  if (v == "no" || v == "false" || v == "0" || v == "ei" || v == "e") {
    return false;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(name, " is \"", value, "\"; expected yes or no"));
}

}  // namespace

absl::StatusOr<WorkforceCsvColumns> ParseEmployeeHeader(
    const std::vector<std::string>& fields) {
  return ParseHeader(fields, EmployeeNames(), kEmployeeRequired);
}

absl::StatusOr<WorkforceCsvColumns> ParseWorkDayHeader(
    const std::vector<std::string>& fields) {
  return ParseHeader(fields, WorkDayNames(), kWorkDayRequired);
}

absl::StatusOr<v1::EmployeeRecord> ParseEmployeeRow(
    const WorkforceCsvColumns& columns,
    const std::vector<std::string>& fields) {
  if (absl::Status s = CheckFieldCount(columns, fields); !s.ok()) return s;
  std::array<absl::string_view, 11> v;
  for (size_t c = 0; c < v.size(); ++c) {
    absl::StatusOr<absl::string_view> field = Field(columns, fields, c);
    if (!field.ok()) return field.status();
    v[c] = *field;
  }
  v1::EmployeeRecord record;
  record.set_employee_id(std::string(v[kEmployeeId]));
  record.set_organization(std::string(v[kOrganization]));
  record.set_unit(std::string(v[kUnit]));
  double fte = 0;
  const std::string fte_text = absl::StrReplaceAll(v[kFte], {{",", "."}});
  if (!absl::SimpleAtod(fte_text, &fte)) {
    return absl::InvalidArgumentError(
        absl::StrCat("fte is \"", v[kFte], "\"; expected a number like 0.8"));
  }
  record.set_fte(fte);
  for (auto [column, setter] : std::initializer_list<
           std::pair<int, void (v1::EmployeeRecord::*)(bool)>>{
           {kHome, &v1::EmployeeRecord::set_home_workstation},
           {kMultiSpace, &v1::EmployeeRecord::set_multi_space},
           {kSharedUse, &v1::EmployeeRecord::set_shared_use}}) {
    absl::StatusOr<bool> yes = YesNo(columns.names[column], v[column]);
    if (!yes.ok()) return yes.status();
    (record.*setter)(*yes);
  }
  record.set_office_workstation(std::string(v[kOffice]));
  record.set_valid_from(std::string(v[kValidFrom]));
  record.set_valid_to(std::string(v[kValidTo]));
  record.set_site(std::string(v[kSite]));
  return record;
}

absl::StatusOr<v1::WorkDayRecord> ParseWorkDayRow(
    const WorkforceCsvColumns& columns,
    const std::vector<std::string>& fields) {
  if (absl::Status s = CheckFieldCount(columns, fields); !s.ok()) return s;
  std::array<absl::string_view, 5> v;
  for (size_t c = 0; c < v.size(); ++c) {
    absl::StatusOr<absl::string_view> field = Field(columns, fields, c);
    if (!field.ok()) return field.status();
    v[c] = *field;
  }
  v1::WorkDayRecord record;
  record.set_employee_id(std::string(v[kDayEmployeeId]));
  record.set_date(std::string(v[kDate]));
  record.set_location_kind(std::string(v[kLocationKind]));
  record.set_site(std::string(v[kDaySite]));
  record.set_source(std::string(v[kSource]));
  return record;
}

}  // namespace monipaikka::client
