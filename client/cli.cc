#include "client/cli.h"

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/command_options.h"
#include "client/import_readings_command.h"
#include "client/inventory_commands.h"
#include "client/output_format.h"
#include "client/sensor_health_command.h"
#include "client/utilization_command.h"
#include "common/bearer_token.h"
#include "common/status_macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace monipaikka::client {

const char kUsage[] =
    R"(usage: monipaikka [--server=HOST:PORT] [--token_file=FILE] [--output=table|csv|json] [--deadline_s=N] <command> [args]

Commands:
  import-inventory FILE.json
      Import (upsert) organizations, sites, spaces, workstations and sensors
      from an inventory document in protobuf JSON form.
  import-readings FILE.csv
      Load sensor readings from a CSV file ("-" for standard input) with the
      header sensor,ts,occupied,seq (ts like 2026-03-23T07:15:00Z, occupied 0
      or 1, seq optional; a count column instead of occupied for people
      counters). Rows skipped or rejected are listed on stderr as
      FILE:LINE: reason, and the exit status is then 1.
  organizations
      List the organizations.
  sites
      List the sites.
  spaces --site=CODE
      List the spaces (floors, zones, rooms) of a site.
  workstations --site=CODE [--space=CODE]
      List the workstations of a site, or of one space and the spaces in it.
  sensors [--site=CODE] [--gateway=ID]
      List the sensors, optionally only those of a site or a gateway.
  sensor-health [--site=CODE] [--gateway=ID]
      Sensor health: last seen, battery and signal of each bound sensor, and
      whether it is silent (nothing heard for 60 min) or low on battery
      (< 20 % or < 3300 mV).
  utilization --site=CODE [--space=CODE] --from=YYYY-MM-DD --to=YYYY-MM-DD [--all_hours]
      Workstation utilization of a site (or space) over the local days from..to
      inclusive, inside core hours (or all hours): totals and one row per day.
      --output=csv gives the daily rows only.
  import-employees FILE.csv
      Load the employee registry from an HR-system export with the header
      employee_id,organization,unit,fte,home_workstation,office_workstation,
      multi_space,shared_use,valid_from[,valid_to][,site] ("-" for standard
      input). Employee ids are pseudonymized by the server. Rows skipped or
      rejected are listed on stderr as FILE:LINE: reason; exit status 1.
  import-work-days FILE.csv
      Load work-location days with the header
      employee_id,date,location_kind[,site][,source] (kind A-G).
  workstation-distribution --as_of=YYYY-MM-DD [--compare_to=YYYY-MM-DD]
                           [--organization=CODE [--unit=CODE]]
      Employees in offices, at home, in shared-use premises, at unassigned
      workstations and in multi-space environments, with shares of office
      employees and the change since --compare_to.
  office-days --from_month=YYYY-MM [--to_month=YYYY-MM]
              [--organization=CODE [--unit=CODE]] [--group_by=organization|unit]
      Office days per month: distribution (0, 1-4, 5-8, 9-12, 13+), median,
      share with at least 5, shared-use share (target 25 %), location mix A-G.
      HR figures over fewer than k employees print as "suppressed".
  report [--site=CODE] [--space=CODE] [--orgs=A,B] [--kinds=K,..] --from=YYYY-MM-DD --to=YYYY-MM-DD [--all_hours] [--by=GROUPING]
      Utilization of any scope (no --site: every site): time utilization,
      daily peak occupancy (mean, max, P95), desk-day usage, room seat
      utilization, sensor coverage; --by=day|week|month|weekday|hour|heatmap|
      floor|zone|room|kind|organization|site gives one row per group.
  heatmap [--site=CODE] [--space=CODE] [--orgs=..] [--kinds=..] --from=.. --to=.. [--all_hours]
      Time utilization by weekday and local hour, as a table.
  coverage --site=CODE --from=YYYY-MM-DD --to=YYYY-MM-DD [--all_hours]
      Each sensor's known share of measured time, days without data, status
      (ok, stale, never) and last reading; workstations without a sensor.
  right-size [--site=CODE] --from=YYYY-MM-DD --to=YYYY-MM-DD [--buffer_pct=10]
      Needed workstations (P95 of daily peaks plus the buffer), surplus,
      releasable area and rent per site, or for a site and its floors.
  consolidate --candidate=SITE (--orgs=A,B | --sites=X,Y) --from=.. --to=.. [--buffer_pct=10] [--date=YYYY-MM-DD]
      What-if: the groups' occupancy added minute by minute in the
      candidate's core hours: combined daily peaks against its capacity,
      fits or not, headroom, and the m2 per FTE it would reach.
  efficiency --date=YYYY-MM-DD [--site=CODE | --orgs=CODE]
      Space efficiency (office m2 per FTE) against the targets in force.
      FTE comes from the registry of the last publication date (month end)
      before --date; an FTE that could identify people prints as
      "suppressed: <why>" (also in consolidate).
  targets
      List the targets with their validity dates.
  set-target --scope=portfolio|organization|site [--code=CODE] --metric=M --value=V --valid_from=YYYY-MM-DD [--valid_to=YYYY-MM-DD] [--note=TEXT] [--id=N]
      Add a target, or replace target N.
  delete-target --id=N
      Delete target N.
  live --site=CODE [--space=CODE]
      Current state of every workstation and room, free counts per space.
  watch --site=CODE [--space=CODE] [--updates=N]
      Print a snapshot, then every change as it happens (--output=json: one
      JSON object per line), until interrupted or after N updates.
  tokens create --role=device|facility|hr|admin --name=NAME [--gateway=ID]
                [--expires=RFC3339 | --ttl=DURATION]
      Create an API token (admin only) and print it alone on one line; it is
      shown only this once (the server keeps its hash). Device tokens need
      --gateway, the gateway they speak for. --ttl like 90d, 720h or 30m.
  tokens list [--include_inactive]
      List the tokens (never their secrets): id, name, role, gateway,
      created, expiry and status; --include_inactive adds revoked and
      expired ones (admin only).
  tokens revoke ID
      Revoke token ID at once (admin only).
  audit [--from=DAY|INSTANT] [--to=DAY|INSTANT] [--limit=N]
      The audit log, newest first (admin only): inventory imports, target
      changes, token changes, HR imports and HR report requests, with who
      (token id, name, role), what and when. DAY is a UTC date, --to
      inclusive; at most N events (default 1000).
  help
      Show this text.

Flags (before or after the command):
  --server=HOST:PORT   server to talk to (default 127.0.0.1:7070)
  --token_file=FILE    file with the API token; without it the token comes
                       from the environment variable MONIPAIKKA_TOKEN
  --output=FORMAT      table (default, for people), csv or json
  --deadline_s=N       seconds a request may take (default 60); for
                       import-readings, seconds to wait for each acknowledgement
  --tls                speak TLS to the server; the default when --server is
                       not a loopback address (plaintext only to loopback)
  --tls_ca_file=PEM    CA certificates to verify the server with (implies
                       --tls; default: the system's roots)
  --tls_server_name=N  name the server certificate must carry (implies --tls;
                       default: the host of --server)

Exit status: 0 success, 1 error or rows skipped/rejected, 2 usage error.
)";

namespace {

enum class FlagUse { kUnused, kOptional, kRequired };

struct CommandSpec {
  const char* name;
  // The command's line of the usage text.
  const char* synopsis;
  // Number of positional arguments after the command name, and what it is.
  int arguments;
  const char* argument_name;
  FlagUse site = FlagUse::kUnused;
  FlagUse space = FlagUse::kUnused;
  FlagUse gateway = FlagUse::kUnused;
  FlagUse dates = FlagUse::kUnused;  // --from, --to and --all_hours
};

constexpr CommandSpec kCommands[] = {
    {"import-inventory", "import-inventory FILE.json", 1, "FILE.json"},
    {"import-readings", "import-readings FILE.csv", 1, "FILE.csv"},
    {"organizations", "organizations", 0, ""},
    {"sites", "sites", 0, ""},
    {"spaces", "spaces --site=CODE", 0, "", FlagUse::kRequired},
    {"workstations", "workstations --site=CODE [--space=CODE]", 0, "",
     FlagUse::kRequired, FlagUse::kOptional},
    {"sensors", "sensors [--site=CODE] [--gateway=ID]", 0, "",
     FlagUse::kOptional, FlagUse::kUnused, FlagUse::kOptional},
    {"sensor-health", "sensor-health [--site=CODE] [--gateway=ID]", 0, "",
     FlagUse::kOptional, FlagUse::kUnused, FlagUse::kOptional},
    {"utilization",
     "utilization --site=CODE [--space=CODE] --from=YYYY-MM-DD "
     "--to=YYYY-MM-DD [--all_hours]",
     0, "", FlagUse::kRequired, FlagUse::kOptional, FlagUse::kUnused,
     FlagUse::kRequired},
    {"report",
     "report [--site=CODE] [--space=CODE] [--orgs=A,B] [--kinds=K,..] "
     "--from=YYYY-MM-DD --to=YYYY-MM-DD [--all_hours] [--by=GROUPING]",
     0, "", FlagUse::kOptional, FlagUse::kOptional, FlagUse::kUnused,
     FlagUse::kRequired},
    {"heatmap",
     "heatmap [--site=CODE] [--space=CODE] [--orgs=A,B] [--kinds=K,..] "
     "--from=YYYY-MM-DD --to=YYYY-MM-DD [--all_hours]",
     0, "", FlagUse::kOptional, FlagUse::kOptional, FlagUse::kUnused,
     FlagUse::kRequired},
    {"coverage",
     "coverage --site=CODE --from=YYYY-MM-DD --to=YYYY-MM-DD [--all_hours]", 0,
     "", FlagUse::kRequired, FlagUse::kUnused, FlagUse::kUnused,
     FlagUse::kRequired},
    {"right-size",
     "right-size [--site=CODE] --from=YYYY-MM-DD --to=YYYY-MM-DD "
     "[--buffer_pct=10]",
     0, "", FlagUse::kOptional, FlagUse::kUnused, FlagUse::kUnused,
     FlagUse::kRequired},
    {"consolidate",
     "consolidate --candidate=SITE (--orgs=A,B | --sites=X,Y) "
     "--from=YYYY-MM-DD --to=YYYY-MM-DD [--buffer_pct=10] [--date=YYYY-MM-DD]",
     0, "", FlagUse::kUnused, FlagUse::kUnused, FlagUse::kUnused,
     FlagUse::kRequired},
    {"efficiency", "efficiency --date=YYYY-MM-DD [--site=CODE | --orgs=CODE]",
     0, "", FlagUse::kOptional},
    {"targets", "targets", 0, ""},
    {"set-target",
     "set-target --scope=portfolio|organization|site [--code=CODE] "
     "--metric=M --value=V --valid_from=YYYY-MM-DD [--valid_to=YYYY-MM-DD] "
     "[--note=TEXT] [--id=N]",
     0, ""},
    {"delete-target", "delete-target --id=N", 0, ""},
    {"live", "live --site=CODE [--space=CODE]", 0, "", FlagUse::kRequired,
     FlagUse::kOptional},
    {"watch", "watch --site=CODE [--space=CODE] [--updates=N]", 0, "",
     FlagUse::kRequired, FlagUse::kOptional},
    {"import-employees", "import-employees FILE.csv", 1, "FILE.csv"},
    {"import-work-days", "import-work-days FILE.csv", 1, "FILE.csv"},
    {"workstation-distribution",
     "workstation-distribution --as_of=YYYY-MM-DD [--compare_to=YYYY-MM-DD] "
     "[--organization=CODE [--unit=CODE]]",
     0, ""},
    {"office-days",
     "office-days --from_month=YYYY-MM [--to_month=YYYY-MM] "
     "[--organization=CODE [--unit=CODE]] [--group_by=organization|unit]",
     0, ""},
    {"tokens create",
     "tokens create --role=device|facility|hr|admin --name=NAME "
     "[--gateway=ID] [--expires=RFC3339 | --ttl=DURATION]",
     0, "", FlagUse::kUnused, FlagUse::kUnused, FlagUse::kOptional},
    {"tokens list", "tokens list [--include_inactive]", 0, ""},
    {"tokens revoke", "tokens revoke ID", 1, "ID"},
    {"audit", "audit [--from=DAY|INSTANT] [--to=DAY|INSTANT] [--limit=N]", 0,
     "", FlagUse::kUnused, FlagUse::kUnused, FlagUse::kUnused,
     FlagUse::kOptional},
};

constexpr char kGlobalSynopsis[] =
    "[--server=HOST:PORT] [--token_file=FILE] [--output=table|csv|json] "
    "[--deadline_s=N]";

const CommandSpec* FindCommand(const std::string& name) {
  for (const CommandSpec& spec : kCommands) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

int UsageError(const std::string& problem, const CommandSpec* spec,
               std::ostream& err) {
  err << "monipaikka: " << problem << "\n"
      << "usage: monipaikka " << kGlobalSynopsis << " "
      << (spec != nullptr ? spec->synopsis : "<command> [args]") << "\n"
      << "Run 'monipaikka help' for all commands and flags.\n";
  return kExitUsage;
}

// The first problem with the command's flags and arguments, or "".
std::string CheckCommandArgs(const CommandSpec& spec,
                             const Invocation& invocation) {
  const size_t given = invocation.args.size() - 1;
  if (given != static_cast<size_t>(spec.arguments)) {
    if (spec.arguments == 0) {
      return absl::StrCat(spec.name, " takes no arguments, got \"",
                          invocation.args[1], "\"");
    }
    return absl::StrCat(spec.name, " needs one ", spec.argument_name,
                        " argument, got ", given);
  }
  struct FlagCheck {
    const char* flag;
    const char* value_name;
    FlagUse use;
    bool given;
  };
  const FlagCheck checks[] = {
      {"site", "CODE", spec.site, !invocation.site.empty()},
      {"space", "CODE", spec.space, !invocation.space.empty()},
      {"gateway", "ID", spec.gateway, !invocation.gateway.empty()},
      {"from", "YYYY-MM-DD", spec.dates, !invocation.from.empty()},
      {"to", "YYYY-MM-DD", spec.dates, !invocation.to.empty()},
  };
  for (const FlagCheck& check : checks) {
    if (check.use == FlagUse::kUnused && check.given) {
      return absl::StrCat("--", check.flag, " does not apply to ", spec.name);
    }
    if (check.use == FlagUse::kRequired && !check.given) {
      return absl::StrCat(spec.name, " needs --", check.flag, "=",
                          check.value_name);
    }
  }
  if (spec.dates == FlagUse::kUnused && invocation.all_hours) {
    return absl::StrCat("--all_hours does not apply to ", spec.name);
  }
  return "";
}

UtilizationArgs ToUtilizationArgs(const Invocation& invocation) {
  UtilizationArgs args;
  args.site = invocation.site;
  args.space = invocation.space;
  args.from_date = invocation.from;
  args.to_date = invocation.to;
  args.all_hours = invocation.all_hours;
  return args;
}

// Runs a checked command. Sets *rows_refused when import-readings skipped or
// rejected rows.
absl::Status Dispatch(const CommandSpec& spec, const Invocation& invocation,
                      const ChannelSecurity& security,
                      const CommandOptions& options, std::ostream& out,
                      std::ostream& err, bool* rows_refused) {
  ASSIGN_OR_RETURN(const std::string token, LoadToken(invocation.token_file));
  std::shared_ptr<grpc::Channel> channel = CreateSecuredChannel(
      invocation.server, security, grpc::ChannelArguments(), token);
  const std::string command = spec.name;
  if (IsAccessCommand(command)) {
    auto stub = v1::AuthService::NewStub(channel);
    AccessArgs args;
    args.gateway = invocation.gateway;
    args.from = invocation.from;
    args.to = invocation.to;
    if (invocation.args.size() > 1) args.id = invocation.args[1];
    return RunAccessCommand(*stub, command, args, invocation.access, options,
                            out, err);
  }
  if (IsWorkforceCommand(command)) {
    auto stub = v1::WorkforceService::NewStub(channel);
    return RunWorkforceCommand(*stub, invocation.args, invocation.workforce,
                               options, out, err, rows_refused);
  }
  if (IsAnalyticsCommand(command)) {
    AnalyticsArgs args;
    args.site = invocation.site;
    args.space = invocation.space;
    args.from = invocation.from;
    args.to = invocation.to;
    args.all_hours = invocation.all_hours;
    return RunAnalyticsCommand(channel, command, args, invocation.analytics,
                               options, out);
  }
  if (command == "import-readings") {
    auto stub = v1::IngestService::NewStub(channel);
    absl::StatusOr<ReadingsImportSummary> summary =
        ImportReadings(*stub, invocation.args[1], options, out, err);
    if (!summary.ok()) return summary.status();
    *rows_refused = !summary->clean();
    return absl::OkStatus();
  }
  if (command == "sensor-health") {
    auto stub = v1::SensorHealthService::NewStub(channel);
    return ShowSensorHealth(*stub, invocation.site, invocation.gateway, options,
                            out);
  }
  if (command == "utilization") {
    auto stub = v1::UtilizationService::NewStub(channel);
    return ShowUtilization(*stub, ToUtilizationArgs(invocation), options, out);
  }
  auto stub = v1::InventoryService::NewStub(channel);
  if (command == "import-inventory") {
    return ImportInventory(*stub, invocation.args[1], options, out);
  }
  if (command == "organizations") return ListOrganizations(*stub, options, out);
  if (command == "sites") return ListSites(*stub, options, out);
  if (command == "spaces") {
    return ListSpaces(*stub, invocation.site, options, out);
  }
  if (command == "workstations") {
    return ListWorkstations(*stub, invocation.site, invocation.space, options,
                            out);
  }
  return ListSensors(*stub, invocation.site, invocation.gateway, options, out);
}

}  // namespace

int RunCommandLine(const Invocation& given, std::ostream& out,
                   std::ostream& err) {
  // "tokens create" and the like are one command of two words.
  Invocation invocation = given;
  if (invocation.args.size() >= 2 && invocation.args[0] == "tokens") {
    invocation.args[0] = "tokens " + invocation.args[1];
    invocation.args.erase(invocation.args.begin() + 1);
  }
  if (invocation.args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  if (invocation.args[0] == "help") {
    out << kUsage;
    return kExitOk;
  }
  const CommandSpec* spec = FindCommand(invocation.args[0]);
  if (spec == nullptr && absl::StartsWith(invocation.args[0], "tokens")) {
    return UsageError("tokens needs a subcommand: create, list or revoke",
                      nullptr, err);
  }
  if (spec == nullptr) {
    return UsageError(
        absl::StrCat("unknown command \"", invocation.args[0], "\""), nullptr,
        err);
  }
  absl::StatusOr<OutputFormat> format = ParseOutputFormat(invocation.output);
  if (!format.ok()) {
    return UsageError(std::string(format.status().message()), spec, err);
  }
  if (invocation.deadline_s <= 0) {
    return UsageError(absl::StrCat("--deadline_s=", invocation.deadline_s,
                                   " must be at least 1"),
                      spec, err);
  }
  if (invocation.server.empty()) {
    return UsageError("--server needs HOST:PORT", spec, err);
  }
  if (std::string problem = CheckCommandArgs(*spec, invocation);
      !problem.empty()) {
    return UsageError(problem, spec, err);
  }
  if (std::string problem =
          CheckWorkforceFlags(spec->name, invocation.workforce);
      !problem.empty()) {
    return UsageError(problem, spec, err);
  }
  if (std::string problem =
          CheckAnalyticsFlags(spec->name, invocation.analytics);
      !problem.empty()) {
    return UsageError(problem, spec, err);
  }
  if (std::string problem = CheckAccessFlags(spec->name, invocation.access);
      !problem.empty()) {
    return UsageError(problem, spec, err);
  }
  if (spec->dates == FlagUse::kRequired) {
    absl::Status dates = CheckUtilizationDates(ToUtilizationArgs(invocation));
    if (!dates.ok()) return UsageError(std::string(dates.message()), spec, err);
  }

  absl::StatusOr<ChannelSecurity> security =
      ResolveChannelSecurity(invocation.server, invocation.tls);
  if (!security.ok()) {
    err << "error: " << security.status().message() << "\n";
    return kExitUsage;
  }

  CommandOptions options;
  options.output = *format;
  options.deadline = absl::Seconds(invocation.deadline_s);
  bool rows_refused = false;
  const absl::Status status =
      Dispatch(*spec, invocation, *security, options, out, err, &rows_refused);
  out.flush();
  if (!status.ok()) {
    err << "error: " << absl::StatusCodeToString(status.code()) << ": "
        << status.message();
    if (status.code() == absl::StatusCode::kUnavailable) {
      err << " (server " << invocation.server << ", "
          << DescribeChannelSecurity(*security) << ")";
    }
    err << "\n";
    if (status.code() == absl::StatusCode::kUnauthenticated) {
      err << "The server did not accept the credentials: give a valid token "
             "with --token_file=FILE or the environment variable "
          << kTokenEnvironmentVariable << ".\n";
    } else if (status.code() == absl::StatusCode::kPermissionDenied) {
      err << "The token is valid but its role may not do this; ask an admin "
             "for a token of the role named above.\n";
    }
    return kExitFailure;
  }
  return rows_refused ? kExitFailure : kExitOk;
}

}  // namespace monipaikka::client
