#pragma once

// The utilization command: one UtilizationService.GetUtilization request,
// the report written in options.output (see client/utilization_report_text.h).

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "client/command_options.h"
#include "monipaikka/v1/utilization.grpc.pb.h"

namespace monipaikka::client {

struct UtilizationArgs {
  std::string site;       // required
  std::string space;      // empty: the whole site
  std::string from_date;  // "YYYY-MM-DD", local, inclusive
  std::string to_date;    // "YYYY-MM-DD", local, inclusive
  bool all_hours = false;
};

// Checks the dates before asking (INVALID_ARGUMENT naming --from or --to),
// then requests and writes the report. gRPC errors come back with their
// code and message.
absl::Status ShowUtilization(v1::UtilizationService::StubInterface& stub,
                             const UtilizationArgs& args,
                             const CommandOptions& options, std::ostream& out);

// The date checks alone, so that the command line can report them as usage
// errors before connecting.
absl::Status CheckUtilizationDates(const UtilizationArgs& args);

}  // namespace monipaikka::client
