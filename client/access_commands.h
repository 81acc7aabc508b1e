#pragma once

// The access-control commands (admin tokens only):
//   tokens create --role=ROLE --name=NAME [--gateway=GW] [--sites=A,B]
//                 [--expires=RFC3339 | --ttl=DURATION]
//   tokens list [--include_inactive]
//   tokens revoke ID
//   audit [--from=DAY|INSTANT] [--to=DAY|INSTANT] [--limit=N]

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/command_options.h"
#include "client/table.h"
#include "monipaikka/v1/auth.grpc.pb.h"

namespace monipaikka::client {

// The command-line flags of the access commands (empty = not given).
struct AccessFlags {
  std::string role;
  std::string name;
  std::string expires;  // RFC 3339 instant
  std::string ttl;      // e.g. "90d", "720h", "30m"
  std::string limit;
  bool include_inactive = false;
};

// Whether `command` ("tokens create", "audit", …) is an access command.
bool IsAccessCommand(const std::string& command);

// The first problem with the access flags for `command`, or "": a flag
// given to a command it does not apply to, a missing required one, a
// malformed value.
std::string CheckAccessFlags(const std::string& command,
                             const AccessFlags& flags);

// --ttl: a whole number of days ("90d") or an absl duration ("720h",
// "1h30m"); must be positive.
absl::StatusOr<absl::Duration> ParseTtl(const std::string& text);

// The inputs of the access commands besides their flags.
struct AccessArgs {
  std::string gateway;  // tokens create
  std::string sites;    // tokens create: site codes, comma-separated
  std::string from;     // audit: YYYY-MM-DD (UTC day) or RFC 3339 instant
  std::string to;       // audit: YYYY-MM-DD (inclusive) or instant (exclusive)
  std::string id;       // tokens revoke
};

// Runs `command` against `stub`. "tokens create" prints the token alone on
// one line of `out` (the whole response with --output=json), and a note on
// `err`.
absl::Status RunAccessCommand(v1::AuthService::StubInterface& stub,
                              const std::string& command,
                              const AccessArgs& args, const AccessFlags& flags,
                              const CommandOptions& options, std::ostream& out,
                              std::ostream& err);

// Listings as tables; `now_ms` decides which tokens show as expired.
Table TokensTable(const v1::ListTokensResponse& response, int64_t now_ms);
Table AuditTable(const v1::ListAuditEventsResponse& response);

}  // namespace monipaikka::client
