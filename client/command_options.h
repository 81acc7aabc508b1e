#pragma once

// What every command gets besides its own arguments: the output format and
// how long a request may take.

#include <map>
#include <string>

#include "absl/time/time.h"
#include "client/output_format.h"
#include "grpcpp/client_context.h"

namespace monipaikka::client {

struct CommandOptions {
  OutputFormat output = OutputFormat::kTable;
  // How long one request may take (--deadline_s). For import-readings, how
  // long to wait for each acknowledgement instead, since a large file takes
  // longer as a whole.
  absl::Duration deadline = absl::Seconds(60);
  // Whether imports draw a progress line on stderr: only when it is a
  // terminal (see client/import_progress.h).
  bool progress = false;
  // Site code → IANA time zone, for commands whose tables show instants in
  // the site's local time (see client/local_time.h); empty otherwise.
  std::map<std::string, std::string> site_time_zones;
};

// Sets the deadline of a unary request to now + options.deadline.
void SetDeadline(const CommandOptions& options, grpc::ClientContext* context);

}  // namespace monipaikka::client
