#pragma once

// The analytics commands: report, heatmap, coverage, right-size,
// consolidate, efficiency, targets, set-target, delete-target, live, watch.

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "client/command_options.h"
#include "grpcpp/channel.h"

namespace monipaikka::client {

// The command-line flags of the analytics commands (empty = not given).
struct AnalyticsFlags {
  std::string by;          // report grouping
  std::string orgs;        // organization codes, comma-separated ("-": shared)
  std::string kinds;       // workstation kinds, comma-separated
  std::string sites;       // consolidation: site codes, comma-separated
  std::string candidate;   // consolidation: the candidate site
  std::string buffer_pct;  // right-size, consolidate
  std::string date;        // efficiency; consolidate (FTE as of)
  std::string scope;       // set-target
  std::string code;
  std::string metric;
  std::string value;
  std::string valid_from;
  std::string valid_to;
  std::string note;
  std::string id;       // set-target (replace), delete-target
  std::string updates;  // watch: stop after this many updates
};

bool IsAnalyticsCommand(const std::string& command);

// The first problem with the analytics flags for `command`, or "": a flag
// given to a command it does not apply to, a missing required one, a
// malformed value.
std::string CheckAnalyticsFlags(const std::string& command,
                                const AnalyticsFlags& flags);

// The common flags the analytics commands use.
struct AnalyticsArgs {
  std::string site;
  std::string space;
  std::string from;
  std::string to;
  bool all_hours = false;
};

absl::Status RunAnalyticsCommand(const std::shared_ptr<grpc::Channel>& channel,
                                 const std::string& command,
                                 const AnalyticsArgs& args,
                                 const AnalyticsFlags& flags,
                                 const CommandOptions& options,
                                 std::ostream& out);

}  // namespace monipaikka::client
