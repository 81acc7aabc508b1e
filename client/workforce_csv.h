#pragma once

// The two HR CSV formats (see docs/hr-privacy.md "The CSV formats"):
//
// Employees, an HR-system export, one row per employee and validity period:
//   employee_id,organization,unit,fte,home_workstation,office_workstation,
//   multi_space,shared_use,valid_from,valid_to,site
//   E0012345,VERO,VERO-HKI-3,0.8,yes,unassigned,yes,no,2024-01-01,,HKI-PASILA-VT
// valid_to (empty = open-ended) and site are optional columns; the others
// are required. Yes/no fields take yes/no, true/false, 1/0 or kyllä/ei;
// office_workstation is none, assigned or unassigned; fte takes a decimal
// point or comma.
//
// Work-location days (HR, booking or badge systems), one row per employee
// and day:
//   employee_id,date,location_kind,site,source
//   E0012345,2024-03-04,B,HKI-PASILA-VT,badge
// site and source are optional columns; location_kind is A–G.
//
// The header names the columns in any order (case and surrounding spaces
// ignored); unknown columns are ignored and reported. The client checks the
// shape of each row (field count, yes/no, numbers); the server checks the
// meaning (dates, codes, kinds) and names the field in its rejections.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "monipaikka/v1/workforce.pb.h"

namespace monipaikka::client {

// Where each column is in a row, by the names of one format.
struct WorkforceCsvColumns {
  std::vector<std::string> names;  // the format's columns, required first
  std::vector<int> index;          // by name; -1 when absent (optional)
  size_t field_count = 0;          // of the header, which every row must have
  std::vector<std::string> ignored;
};

absl::StatusOr<WorkforceCsvColumns> ParseEmployeeHeader(
    const std::vector<std::string>& fields);
absl::StatusOr<WorkforceCsvColumns> ParseWorkDayHeader(
    const std::vector<std::string>& fields);

// One data row; fails with the reason the row is skipped, naming the column,
// e.g. `missing column site (the row has 10 fields, the header 11)` or
// `home_workstation is "maybe"; expected yes or no`.
absl::StatusOr<v1::EmployeeRecord> ParseEmployeeRow(
    const WorkforceCsvColumns& columns, const std::vector<std::string>& fields);
absl::StatusOr<v1::WorkDayRecord> ParseWorkDayRow(
    const WorkforceCsvColumns& columns, const std::vector<std::string>& fields);

}  // namespace monipaikka::client
