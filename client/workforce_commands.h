#pragma once

// The HR commands: import-employees, import-work-days,
// workstation-distribution and office-days. Every figure the server
// withholds for anonymity is printed as "suppressed"; the client never sees
// the number behind it.

#include <istream>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "client/command_options.h"
#include "monipaikka/v1/workforce.grpc.pb.h"

namespace monipaikka::client {

// The command-line flags of the HR commands (empty = not given).
struct WorkforceFlags {
  std::string organization;
  std::string unit;
  std::string as_of;       // YYYY-MM-DD
  std::string compare_to;  // YYYY-MM-DD
  std::string from_month;  // YYYY-MM
  std::string to_month;    // YYYY-MM
  std::string group_by;    // organization | unit
};

// The first problem with the HR flags for `command`, or "": a flag given to
// a command it does not apply to, a missing required one, a malformed value.
std::string CheckWorkforceFlags(const std::string& command,
                                const WorkforceFlags& flags);
// Whether `command` is one of the HR commands.
bool IsWorkforceCommand(const std::string& command);

struct WorkforceImportSummary {
  int64_t rows = 0;  // data rows read
  int64_t stored = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;  // by the server
  int64_t skipped = 0;   // not sent: the row could not be read
  int64_t new_employees = 0;
  bool clean() const { return rejected == 0 && skipped == 0; }
};

// Streams an employee CSV or a work-day CSV (formats in
// client/workforce_csv.h) from `csv` in batches of `batch_size` records.
// Writes to `problems` one line per row skipped or rejected, in line order:
//   employees.csv:7: skipped: missing column valid_from (...)
//   employees.csv:9: rejected: organization: no organization "XYZ" ...
// Fails on a bad header, a read error or a gRPC error.
absl::StatusOr<WorkforceImportSummary> UploadEmployeesCsv(
    v1::WorkforceService::StubInterface& stub, std::istream& csv,
    const std::string& name, size_t batch_size, std::ostream& problems);
absl::StatusOr<WorkforceImportSummary> UploadWorkDaysCsv(
    v1::WorkforceService::StubInterface& stub, std::istream& csv,
    const std::string& name, size_t batch_size, std::ostream& problems);

// Runs one HR command (args[0] the command, args[1] the file for imports).
// *rows_refused is set when an import skipped or rejected rows.
absl::Status RunWorkforceCommand(v1::WorkforceService::StubInterface& stub,
                                 const std::vector<std::string>& args,
                                 const WorkforceFlags& flags,
                                 const CommandOptions& options,
                                 std::ostream& out, std::ostream& err,
                                 bool* rows_refused);

}  // namespace monipaikka::client
