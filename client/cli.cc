#include "client/cli.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "client/access_commands.h"
#include "client/analytics_commands.h"
#include "client/booking_commands.h"
#include "client/command_options.h"
#include "client/did_you_mean.h"
#include "client/excel_csv.h"
#include "client/import_readings_command.h"
#include "client/inventory_commands.h"
#include "client/inventory_csv.h"
#include "client/local_time.h"
#include "client/output_format.h"
#include "client/planning_commands.h"
#include "client/read_retry.h"
#include "client/sampling_commands.h"
#include "client/sensor_health_command.h"
#include "client/settings.h"
#include "client/text_file.h"
#include "client/utilization_command.h"
#include "client/workforce_commands.h"
#include "common/bearer_token.h"
#include "common/build_info.h"
#include "common/channel_security.h"
#include "common/status_macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace monipaikka::client {
namespace {

// ---------------------------------------------------------------------------
// Flags. Every flag is defined once here, with one name for one idea; old
// spellings are aliases that still work and print a notice.

enum class FlagKind { kValue, kBool };

struct FlagDef {
  std::string name;
  // Earlier spellings, accepted with a deprecation notice.
  std::vector<std::string> aliases;
  // One-letter form (-o), or 0.
  char short_name = 0;
  FlagKind kind = FlagKind::kValue;
  std::string value_name;  // e.g. "CODE"; empty for booleans
  std::string help;
};

// The flags of every command: how to reach the server and how to print.
const std::vector<FlagDef>& GlobalFlags() {
  static const auto* kFlags = new std::vector<FlagDef>{
      {"server",
       {},
       0,
       FlagKind::kValue,
       "HOST:PORT",
       "server to talk to (default 127.0.0.1:7070)"},
      {"token_file",
       {},
       0,
       FlagKind::kValue,
       "FILE",
       "file with the API token; without it the token comes from the "
       "environment variable MONIPAIKKA_TOKEN"},
      {"output",
       {},
       'o',
       FlagKind::kValue,
       "FORMAT",
       "table (default, for people), csv, csv-excel (for Finnish Excel: "
       "';' separated, decimal comma, UTF-8 BOM) or json"},
      {"deadline_s",
       {},
       0,
       FlagKind::kValue,
       "N",
       "seconds a request may take (default 60); for readings import, "
       "seconds to wait for each acknowledgement"},
      {"tls",
       {},
       0,
       FlagKind::kBool,
       "",
       "speak TLS to the server; the default when --server is not a loopback "
       "address (plaintext only to loopback)"},
      {"tls_ca_file",
       {},
       0,
       FlagKind::kValue,
       "PEM",
       "CA certificates to verify the server with (implies --tls; default: "
       "the system's roots)"},
      {"tls_server_name",
       {},
       0,
       FlagKind::kValue,
       "NAME",
       "name the server certificate must carry (implies --tls; default: the "
       "host of --server)"},
      {"help", {}, 'h', FlagKind::kBool, "", "show help and exit"},
      {"version",
       {},
       0,
       FlagKind::kBool,
       "",
       "show the version and git commit and exit"},
  };
  return *kFlags;
}

// The flags commands declare, by name.
const std::vector<FlagDef>& CommandFlagDefs() {
  static const auto* kFlags = new std::vector<FlagDef>{
      {"site", {}, 0, FlagKind::kValue, "CODE", "site code"},
      {"space", {}, 0, FlagKind::kValue, "CODE", "space code"},
      {"gateway", {}, 0, FlagKind::kValue, "ID", "gateway identifier"},
      {"source",
       {},
       0,
       FlagKind::kValue,
       "NAME",
       "the source an export comes from (default: the file name)"},
      {"from", {}, 0, FlagKind::kValue, "YYYY-MM-DD", "first day, inclusive"},
      {"to", {}, 0, FlagKind::kValue, "YYYY-MM-DD", "last day, inclusive"},
      {"all_hours",
       {},
       0,
       FlagKind::kBool,
       "",
       "measure all hours instead of core hours"},
      {"by",
       {"group_by"},
       0,
       FlagKind::kValue,
       "GROUPING",
       "one row per group"},
      {"organization",
       {"orgs"},
       0,
       FlagKind::kValue,
       "CODE",
       "organization code"},
      {"kinds",
       {},
       0,
       FlagKind::kValue,
       "K,..",
       "workstation kinds, comma-separated"},
      {"sites", {}, 0, FlagKind::kValue, "X,Y", "site codes, comma-separated"},
      {"candidate",
       {},
       0,
       FlagKind::kValue,
       "SITE",
       "the site a consolidation moves into"},
      {"buffer_pct",
       {},
       0,
       FlagKind::kValue,
       "N",
       "safety margin over the P95 of daily peaks, whole percent (10)"},
      {"strata",
       {},
       0,
       FlagKind::kValue,
       "zone|kind",
       "what the measured workstations are a sample within (zone)"},
      {"margin_pp",
       {},
       0,
       FlagKind::kValue,
       "PP",
       "wanted half-width of the 95 % interval of time utilization, "
       "percentage points (5)"},
      {"seed",
       {},
       0,
       FlagKind::kValue,
       "N",
       "bootstrap seed (a fixed default; same seed, same intervals)"},
      {"replicates",
       {},
       0,
       FlagKind::kValue,
       "N",
       "bootstrap replicates, 100 … 10000 (1000)"},
      {"as_of", {"date"}, 0, FlagKind::kValue, "YYYY-MM-DD", "as-of date"},
      {"compare_to",
       {},
       0,
       FlagKind::kValue,
       "YYYY-MM-DD",
       "date to compare with"},
      {"unit",
       {},
       0,
       FlagKind::kValue,
       "CODE",
       "unit code inside --organization"},
      {"from_month", {}, 0, FlagKind::kValue, "YYYY-MM", "first month"},
      {"to_month",
       {},
       0,
       FlagKind::kValue,
       "YYYY-MM",
       "last month (default: --from_month)"},
      {"scope",
       {},
       0,
       FlagKind::kValue,
       "SCOPE",
       "target scope: portfolio, organization or site"},
      {"code",
       {},
       0,
       FlagKind::kValue,
       "CODE",
       "target scope code (organization or site)"},
      {"metric",
       {},
       0,
       FlagKind::kValue,
       "M",
       "target metric, e.g. m2_per_fte"},
      {"value", {}, 0, FlagKind::kValue, "V", "target value"},
      {"valid_from",
       {},
       0,
       FlagKind::kValue,
       "YYYY-MM-DD",
       "first day the target is in force"},
      {"valid_to",
       {},
       0,
       FlagKind::kValue,
       "YYYY-MM-DD",
       "last day the target is in force"},
      {"note", {}, 0, FlagKind::kValue, "TEXT", "a note on the target"},
      {"id", {}, 0, FlagKind::kValue, "N", "target id"},
      {"updates",
       {},
       0,
       FlagKind::kValue,
       "N",
       "stop after this many updates (the first is the snapshot)"},
      {"role",
       {},
       0,
       FlagKind::kValue,
       "ROLE",
       "device, facility, hr or admin"},
      {"name", {}, 0, FlagKind::kValue, "NAME", "who or what holds the token"},
      {"expires",
       {},
       0,
       FlagKind::kValue,
       "RFC3339",
       "expiry instant, e.g. 2026-12-31T00:00:00Z"},
      {"ttl",
       {},
       0,
       FlagKind::kValue,
       "DURATION",
       "lifetime, e.g. 90d, 720h, 30m"},
      {"include_inactive",
       {},
       0,
       FlagKind::kBool,
       "",
       "also revoked and expired tokens"},
      {"limit",
       {},
       0,
       FlagKind::kValue,
       "N",
       "at most this many events (1000)"},
      {"keep_home",
       {},
       0,
       FlagKind::kBool,
       "",
       "keep each organization's home floor (zone) open"},
      {"kwh_per_m2_day",
       {},
       0,
       FlagKind::kValue,
       "KWH",
       "energy a closed m2 saves per closed day (0.25)"},
      {"kg_co2_per_kwh",
       {},
       0,
       FlagKind::kValue,
       "KG",
       "emission factor of that energy (0.08)"},
      {"weeks", {}, 0, FlagKind::kValue, "N", "weeks to forecast, 1-8 (4)"},
      {"history_weeks",
       {},
       0,
       FlagKind::kValue,
       "N",
       "weeks of history the forecast uses, 2-104 (16)"},
  };
  return *kFlags;
}

const FlagDef* FindFlagDef(absl::string_view name) {
  for (const std::vector<FlagDef>* defs :
       {&GlobalFlags(), &CommandFlagDefs()}) {
    for (const FlagDef& def : *defs) {
      if (def.name == name) return &def;
    }
  }
  return nullptr;
}

// Parsed flag values by canonical name; booleans as "true" or "false".
using FlagValues = std::map<std::string, std::string>;

std::string Get(const FlagValues& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? "" : it->second;
}

// ---------------------------------------------------------------------------
// Commands.

// A flag a command takes, with its meaning for that command when the
// catalogue's help is too general.
struct FlagUse {
  std::string name;
  bool required = false;
  std::string help = "";
  std::string value_name = "";
};

// What a command's run function gets.
struct CommandContext {
  std::vector<std::string> args;  // positional arguments after the name
  const FlagValues& flags;
  std::shared_ptr<grpc::Channel> channel;
  const CommandOptions& options;
  std::ostream& out;
  std::ostream& err;
  bool* rows_refused;  // set when an import skipped or rejected rows
};

using RunFunction = absl::Status (*)(const CommandContext&);

struct Command {
  std::string group;
  std::string verb;
  // Names of earlier releases: still accepted, with a notice.
  std::vector<std::string> old_names;
  // The positional argument ("FILE.csv"), or "" for none.
  std::string argument;
  std::vector<FlagUse> flags;
  // One line for the command list.
  std::string summary;
  // The rest of its help.
  std::string description;
  // The name the command modules know it by (analytics_commands.h, …).
  std::string module_name;
  RunFunction run;

  std::string name() const { return absl::StrCat(group, " ", verb); }
};

FlagUse Required(std::string name, std::string help = "",
                 std::string value_name = "") {
  return {std::move(name), true, std::move(help), std::move(value_name)};
}
FlagUse Optional(std::string name, std::string help = "",
                 std::string value_name = "") {
  return {std::move(name), false, std::move(help), std::move(value_name)};
}

// Copies each named flag's value (empty when not given) into its field.
void CopyFlags(
    const FlagValues& f,
    std::initializer_list<std::pair<const char*, std::string*>> fields) {
  for (const auto& [name, field] : fields) *field = Get(f, name);
}

AnalyticsFlags ToAnalyticsFlags(const FlagValues& f) {
  AnalyticsFlags a;
  CopyFlags(f, {{"by", &a.by},
                {"organization", &a.orgs},
                {"kinds", &a.kinds},
                {"sites", &a.sites},
                {"candidate", &a.candidate},
                {"buffer_pct", &a.buffer_pct},
                {"as_of", &a.date},
                {"scope", &a.scope},
                {"code", &a.code},
                {"metric", &a.metric},
                {"value", &a.value},
                {"valid_from", &a.valid_from},
                {"valid_to", &a.valid_to},
                {"note", &a.note},
                {"id", &a.id},
                {"updates", &a.updates}});
  return a;
}

WorkforceFlags ToWorkforceFlags(const FlagValues& f) {
  WorkforceFlags w;
  CopyFlags(f, {{"organization", &w.organization},
                {"unit", &w.unit},
                {"as_of", &w.as_of},
                {"compare_to", &w.compare_to},
                {"from_month", &w.from_month},
                {"to_month", &w.to_month},
                {"by", &w.group_by}});
  return w;
}

AccessFlags ToAccessFlags(const FlagValues& f) {
  AccessFlags a;
  CopyFlags(f, {{"role", &a.role},
                {"name", &a.name},
                {"expires", &a.expires},
                {"ttl", &a.ttl},
                {"limit", &a.limit}});
  a.include_inactive = Get(f, "include_inactive") == "true";
  return a;
}

UtilizationArgs ToUtilizationArgs(const FlagValues& f) {
  UtilizationArgs args;
  CopyFlags(f, {{"site", &args.site},
                {"space", &args.space},
                {"from", &args.from_date},
                {"to", &args.to_date}});
  args.all_hours = Get(f, "all_hours") == "true";
  return args;
}

absl::Status RunInventoryImport(const CommandContext& c) {
  auto stub = v1::InventoryService::NewStub(c.channel);
  if (std::filesystem::is_directory(c.args[0])) {
    return ImportInventoryCsv(*stub, c.args[0], c.options, c.out);
  }
  return ImportInventory(*stub, c.args[0], c.options, c.out);
}

absl::Status RunInventoryExport(const CommandContext& c) {
  auto stub = v1::InventoryService::NewStub(c.channel);
  return ExportInventoryCsv(*stub, c.args[0], c.options, c.out);
}

absl::Status RunReadingsImport(const CommandContext& c) {
  auto stub = v1::IngestService::NewStub(c.channel);
  ASSIGN_OR_RETURN(const ReadingsImportSummary summary,
                   ImportReadings(*stub, c.args[0], c.options, c.out, c.err));
  *c.rows_refused = !summary.clean();
  return absl::OkStatus();
}

absl::Status RunWorkforce(const CommandContext& c, const char* module_name) {
  auto stub = v1::WorkforceService::NewStub(c.channel);
  std::vector<std::string> args = {module_name};
  args.insert(args.end(), c.args.begin(), c.args.end());
  return RunWorkforceCommand(*stub, args, ToWorkforceFlags(c.flags), c.options,
                             c.out, c.err, c.rows_refused);
}

absl::Status RunAnalytics(const CommandContext& c, const char* module_name) {
  AnalyticsArgs args;
  args.site = Get(c.flags, "site");
  args.space = Get(c.flags, "space");
  args.from = Get(c.flags, "from");
  args.to = Get(c.flags, "to");
  args.all_hours = Get(c.flags, "all_hours") == "true";
  return RunAnalyticsCommand(c.channel, module_name, args,
                             ToAnalyticsFlags(c.flags), c.options, c.out);
}

PlanningFlags ToPlanningFlags(const FlagValues& f) {
  PlanningFlags p;
  CopyFlags(f, {{"site", &p.site},
                {"from", &p.from},
                {"to", &p.to},
                {"buffer_pct", &p.buffer_pct},
                {"unit", &p.unit},
                {"kwh_per_m2_day", &p.kwh_per_m2_day},
                {"kg_co2_per_kwh", &p.kg_co2_per_kwh},
                {"space", &p.space},
                {"organization", &p.organization},
                {"weeks", &p.weeks},
                {"history_weeks", &p.history_weeks}});
  p.keep_home = Get(f, "keep_home") == "true";
  return p;
}

absl::Status RunAccess(const CommandContext& c, const char* module_name) {
  auto stub = v1::AuthService::NewStub(c.channel);
  AccessArgs args;
  args.gateway = Get(c.flags, "gateway");
  args.sites = Get(c.flags, "sites");
  args.from = Get(c.flags, "from");
  args.to = Get(c.flags, "to");
  if (!c.args.empty()) args.id = c.args[0];
  return RunAccessCommand(*stub, module_name, args, ToAccessFlags(c.flags),
                          c.options, c.out, c.err);
}

absl::Status RunSampleEstimate(const CommandContext& c) {
  auto stub = v1::SamplingService::NewStub(c.channel);
  SampleEstimateArgs args;
  CopyFlags(c.flags, {{"site", &args.site},
                      {"space", &args.space},
                      {"organization", &args.orgs},
                      {"kinds", &args.kinds},
                      {"from", &args.from},
                      {"to", &args.to},
                      {"strata", &args.strata},
                      {"buffer_pct", &args.buffer_pct},
                      {"margin_pp", &args.margin_pp},
                      {"seed", &args.seed},
                      {"replicates", &args.replicates},
                      {"by", &args.by}});
  args.all_hours = Get(c.flags, "all_hours") == "true";
  return ShowSampleEstimate(*stub, args, c.options, c.out);
}

absl::Status RunObservationsImport(const CommandContext& c) {
  auto stub = v1::SamplingService::NewStub(c.channel);
  return RunObservationImport(*stub, c.args[0], c.options, c.out, c.err,
                              c.rows_refused);
}

absl::Status RunObservationStudy(const CommandContext& c) {
  auto stub = v1::SamplingService::NewStub(c.channel);
  ObservationStudyArgs args;
  CopyFlags(c.flags, {{"site", &args.site},
                      {"space", &args.space},
                      {"organization", &args.orgs},
                      {"kinds", &args.kinds},
                      {"from", &args.from},
                      {"to", &args.to},
                      {"strata", &args.strata},
                      {"seed", &args.seed},
                      {"replicates", &args.replicates}});
  return ShowObservationStudy(*stub, args, c.options, c.out);
}

absl::Status RunBookingReport(const CommandContext& c) {
  v1::BookingReportRequest request;
  request.mutable_scope()->set_site(Get(c.flags, "site"));
  request.mutable_scope()->set_space(Get(c.flags, "space"));
  for (absl::string_view org :
       absl::StrSplit(Get(c.flags, "organization"), ',', absl::SkipEmpty())) {
    request.mutable_scope()->add_organizations(std::string(org));
  }
  for (absl::string_view kind :
       absl::StrSplit(Get(c.flags, "kinds"), ',', absl::SkipEmpty())) {
    request.mutable_scope()->add_workstation_kinds(std::string(kind));
  }
  request.set_from_date(Get(c.flags, "from"));
  request.set_to_date(Get(c.flags, "to"));
  request.set_all_hours(Get(c.flags, "all_hours") == "true");
  ASSIGN_OR_RETURN(v1::BookingGrouping grouping,
                   ParseBookingGrouping(Get(c.flags, "by")));
  request.set_group_by(grouping);
  auto stub = v1::BookingService::NewStub(c.channel);
  return ShowBookingReport(*stub, request, c.options, c.out);
}

// Groups in the order `monipaikka --help` lists them.
const std::vector<std::string>& GroupOrder() {
  static const auto* kGroups = new std::vector<std::string>{
      "inventory",    "organizations", "sites",    "spaces",
      "workstations", "sensors",       "readings", "bookings",
      "report",       "live",          "targets",  "observations",
      "employees",    "work-days",     "tokens",   "audit"};
  return *kGroups;
}

#define RUN_ANALYTICS(module) \
  [](const CommandContext& c) { return RunAnalytics(c, module); }
#define RUN_WORKFORCE(module) \
  [](const CommandContext& c) { return RunWorkforce(c, module); }
#define RUN_ACCESS(module) \
  [](const CommandContext& c) { return RunAccess(c, module); }

// Every command. The scheme: `<group> <verb>` (see cli.h).
const std::vector<Command>& Commands() {
  static const auto* kCommands = new std::vector<Command>{
      {"inventory",
       "import",
       {"import-inventory"},
       "PATH",
       {},
       "Import (upsert) the inventory from a JSON document or CSV sheets.",
       "Imports (upserts) organizations, sites, spaces, workstations and "
       "sensors. PATH is an inventory document in protobuf JSON form, or a "
       "directory of CSV sheets organizations.csv, sites.csv, spaces.csv, "
       "workstations.csv and sensors.csv (any of them; columns as 'inventory "
       "export' writes them, see client/inventory_csv.h).",
       "import-inventory",
       &RunInventoryImport},
      {"inventory",
       "export",
       {},
       "DIR",
       {},
       "Write the inventory as CSV sheets into a directory.",
       "Writes organizations.csv, sites.csv, spaces.csv, workstations.csv and "
       "sensors.csv into DIR (created if missing), one row per entity; "
       "'inventory import DIR' reads them back.",
       "export-inventory",
       &RunInventoryExport},
      {"organizations",
       "list",
       {"organizations"},
       "",
       {},
       "List the organizations.",
       "",
       "organizations",
       [](const CommandContext& c) {
         auto stub = v1::InventoryService::NewStub(c.channel);
         return ListOrganizations(*stub, c.options, c.out);
       }},
      {"sites",
       "list",
       {"sites"},
       "",
       {},
       "List the sites.",
       "",
       "sites",
       [](const CommandContext& c) {
         auto stub = v1::InventoryService::NewStub(c.channel);
         return ListSites(*stub, c.options, c.out);
       }},
      {"spaces",
       "list",
       {"spaces"},
       "",
       {Required("site")},
       "List the spaces (floors, zones, rooms) of a site.",
       "",
       "spaces",
       [](const CommandContext& c) {
         auto stub = v1::InventoryService::NewStub(c.channel);
         return ListSpaces(*stub, Get(c.flags, "site"), c.options, c.out);
       }},
      {"workstations",
       "list",
       {"workstations"},
       "",
       {Required("site"), Optional("space", "only this space and those in it")},
       "List the workstations of a site, or of one space.",
       "",
       "workstations",
       [](const CommandContext& c) {
         auto stub = v1::InventoryService::NewStub(c.channel);
         return ListWorkstations(*stub, Get(c.flags, "site"),
                                 Get(c.flags, "space"), c.options, c.out);
       }},
      {"sensors",
       "list",
       {"sensors"},
       "",
       {Optional("site", "only the sensors of this site"),
        Optional("gateway", "only the sensors behind this gateway")},
       "List the sensors.",
       "",
       "sensors",
       [](const CommandContext& c) {
         auto stub = v1::InventoryService::NewStub(c.channel);
         return ListSensors(*stub, Get(c.flags, "site"),
                            Get(c.flags, "gateway"), c.options, c.out);
       }},
      {"sensors",
       "health",
       {"sensor-health"},
       "",
       {Optional("site", "only the sensors of this site"),
        Optional("gateway", "only the sensors behind this gateway")},
       "Last seen, battery and signal of each bound sensor.",
       "Shows whether each sensor is silent (nothing heard for 60 min) or low "
       "on battery (< 20 % or < 3300 mV). Times are local to the sensor's "
       "site.",
       "sensor-health",
       [](const CommandContext& c) {
         auto stub = v1::SensorHealthService::NewStub(c.channel);
         return ShowSensorHealth(*stub, Get(c.flags, "site"),
                                 Get(c.flags, "gateway"), c.options, c.out);
       }},
      {"readings",
       "import",
       {"import-readings"},
       "FILE.csv",
       {},
       "Load sensor readings from a CSV file (\"-\": standard input).",
       "The header is sensor,ts,occupied,seq (ts like 2026-03-23T07:15:00Z, "
       "occupied 0 or 1, seq optional; a count column instead of occupied for "
       "people counters). Rows skipped or rejected are listed on stderr as "
       "FILE:LINE: reason, and the exit status is then 1. On a terminal a "
       "progress line shows rows, rate and the time left.",
       "import-readings",
       &RunReadingsImport},
      {"observations",
       "import",
       {},
       "FILE.csv",
       {},
       "Load the rounds of an observation study from CSV (\"-\": stdin).",
       "The header is round_time,workstation,state[,observer] (any order). "
       "round_time is local to the workstation's site (2026-03-23T09:00) or "
       "carries an offset (2026-03-23T09:00:00+02:00); all rows of a round "
       "carry the round's time. state is occupied, signs_of_life or vacant. "
       "Observer names are never stored. Importing a file again changes "
       "nothing; a row for the same workstation and round replaces the "
       "state. Rows refused are listed on stderr as FILE:LINE: reason, and "
       "the exit status is then 1.",
       "observations-import",
       &RunObservationsImport},
      {"report",
       "utilization",
       {"utilization"},
       "",
       {Required("site"), Optional("space"), Required("from"), Required("to"),
        Optional("all_hours")},
       "Workstation utilization of a site or space, day by day.",
       "Over the local days from..to inclusive, inside core hours (or all "
       "hours): totals and one row per day. --output=csv gives the daily rows "
       "only.",
       "utilization",
       [](const CommandContext& c) {
         auto stub = v1::UtilizationService::NewStub(c.channel);
         return ShowUtilization(*stub, ToUtilizationArgs(c.flags), c.options,
                                c.out);
       }},
      {"report",
       "usage",
       {"report"},
       "",
       {Optional("site", "only this site (default: every site)"),
        Optional("space"),
        Optional("organization",
                 "organization codes, comma-separated (\"-\" "
                 "for shared use)",
                 "A,B"),
        Optional("kinds"), Required("from"), Required("to"),
        Optional("all_hours"),
        Optional("by",
                 "one row per group: day, week, month, weekday, hour, "
                 "heatmap, floor, zone, room, kind, organization, site or "
                 "workstation")},
       "Utilization of any scope: time, peaks, desk-days, rooms, coverage.",
       "Time utilization, daily peak occupancy (mean, max, P95), desk-day "
       "usage, room seat utilization and sensor coverage.",
       "report",
       RUN_ANALYTICS("report")},
      {"report",
       "heatmap",
       {"heatmap"},
       "",
       {Optional("site"), Optional("space"),
        Optional("organization", "organization codes, comma-separated", "A,B"),
        Optional("kinds"), Required("from"), Required("to"),
        Optional("all_hours")},
       "Time utilization by weekday and local hour.",
       "",
       "heatmap",
       RUN_ANALYTICS("heatmap")},
      {"report",
       "coverage",
       {"coverage"},
       "",
       {Required("site"), Required("from"), Required("to"),
        Optional("all_hours")},
       "Each sensor's share of measured time, gaps and last reading.",
       "Each sensor's known share of measured time, days without data, status "
       "(ok, stale, never) and last reading; workstations without a sensor.",
       "coverage",
       RUN_ANALYTICS("coverage")},
      {"report",
       "right-size",
       {"right-size"},
       "",
       {Optional("site"), Required("from"), Required("to"),
        Optional("all_hours"), Optional("buffer_pct")},
       "Workstations needed, surplus, releasable area and rent.",
       "Needed workstations are the P95 of daily peaks plus the buffer; per "
       "site, or for a site and its floors.",
       "right-size",
       RUN_ANALYTICS("right-size")},
      {"report",
       "estimate",
       {},
       "",
       {Optional("site"), Optional("space"),
        Optional("organization",
                 "organization codes, comma-separated (\"-\" for shared use)",
                 "A,B"),
        Optional("kinds"), Required("from"), Required("to"),
        Optional("all_hours"), Optional("strata"), Optional("buffer_pct"),
        Optional("margin_pp"), Optional("seed"), Optional("replicates"),
        Optional("by", "stratum: CSV of the strata instead of the figures",
                 "stratum")},
       "Figures estimated from a sample of measured desks, with 95 % "
       "intervals.",
       "When only some workstations of the scope have sensors: time "
       "utilization, desk-day usage and the daily peak occupancy (mean, P95, "
       "as counts of the whole scope) estimated within strata (zones or "
       "workstation kinds) with 95 % intervals from a stratified bootstrap "
       "with a fixed seed; needed workstations from the upper end of the P95 "
       "interval; and how many more sensors each stratum needs for "
       "--margin_pp. Every workstation measured: exact figures. A stratum "
       "without a measured workstation makes the estimate not available.",
       "estimate",
       &RunSampleEstimate},
      {"report",
       "observations",
       {},
       "",
       {Optional("site"), Optional("space"),
        Optional("organization",
                 "organization codes, comma-separated (\"-\" for shared use)",
                 "A,B"),
        Optional("kinds"), Required("from"), Required("to"), Optional("strata"),
        Optional("seed"), Optional("replicates")},
       "Figures of an observation study: rounds, hours, estimate, "
       "calibration.",
       "Mean and peak round utilization (signs of life counted as used and "
       "shown apart), the by-hour profile and the figures per stratum (zone "
       "or workstation kind); the scope's figures estimated with 95 % "
       "intervals when the rounds covered only some workstations; and where "
       "sensors watched the same desks, the share of observations the sensor "
       "state confirms and the bias.",
       "observations",
       &RunObservationStudy},
      {"report",
       "consolidation",
       {"consolidate"},
       "",
       {Required("candidate"),
        Optional("organization", "organizations that move, comma-separated",
                 "A,B"),
        Optional("sites", "sites whose occupants move, comma-separated"),
        Required("from"), Required("to"), Optional("all_hours"),
        Optional("buffer_pct"),
        Optional("as_of", "FTE from the registry as of this date")},
       "What-if: groups moved into a candidate site; does it fit?",
       "The groups' occupancy added minute by minute in the candidate's core "
       "hours: combined daily peaks against its capacity, fits or not, "
       "headroom, and the m2 per FTE it would reach. Give --organization or "
       "--sites.",
       "consolidate",
       RUN_ANALYTICS("consolidate")},
      {"report",
       "floor-plan",
       {},
       "",
       {Required("site"), Required("from"), Required("to"),
        Optional("buffer_pct"),
        Optional("unit", "what may close: floor (default) or zone",
                 "floor|zone"),
        Optional("keep_home"), Optional("kwh_per_m2_day"),
        Optional("kg_co2_per_kwh")},
       "Which floors can close on which weekdays, and what it saves.",
       "Per weekday, the floors (or zones) with the least area whose office "
       "workstations hold the demand: the P95 of that weekday's daily peaks "
       "in the window plus the buffer. Closed m2-days a year, energy and CO2 "
       "saved under the assumptions shown. Exact (dynamic programming).",
       "floor-plan",
       [](const CommandContext& c) {
         auto stub = v1::PlanningService::NewStub(c.channel);
         return RunFloorPlanCommand(*stub, ToPlanningFlags(c.flags), c.options,
                                    c.out);
       }},
      {"report",
       "forecast",
       {},
       "",
       {Required("site"), Optional("space", "only this floor", "FLOOR"),
        Optional("organization", "only this organization (\"-\": shared use)"),
        Optional("to", "last day of history (default: yesterday)"),
        Optional("weeks"), Optional("history_weeks")},
       "Daily peak and utilization of the next weeks, with intervals.",
       "Each working day's peak occupancy and time utilization for the next "
       "1-8 weeks with 80 % and 95 % prediction intervals; public holidays "
       "have no demand. States its backtest accuracy against "
       "same-weekday-last-week.",
       "forecast",
       [](const CommandContext& c) {
         auto stub = v1::PlanningService::NewStub(c.channel);
         return RunForecastCommand(*stub, ToPlanningFlags(c.flags), c.options,
                                   c.out);
       }},
      {"report",
       "efficiency",
       {"efficiency"},
       "",
       {Required("as_of"), Optional("site"),
        Optional("organization", "organization code")},
       "Office m2 per FTE against the targets in force.",
       "FTE comes from the registry of the last publication date (month end) "
       "before --as_of; an FTE that could identify people prints as "
       "\"suppressed: <why>\".",
       "efficiency",
       RUN_ANALYTICS("efficiency")},
      {"report",
       "workstation-distribution",
       {"workstation-distribution"},
       "",
       {Required("as_of"), Optional("compare_to"), Optional("organization"),
        Optional("unit")},
       "Where employees work: offices, home, shared-use premises, … (HR).",
       "Employees in offices, at home, in shared-use premises, at unassigned "
       "workstations and in multi-space environments, with shares of office "
       "employees and the change since --compare_to.",
       "workstation-distribution",
       RUN_WORKFORCE("workstation-distribution")},
      {"report",
       "office-days",
       {"office-days"},
       "",
       {Required("from_month"), Optional("to_month"), Optional("organization"),
        Optional("unit"), Optional("by", "organization or unit")},
       "Office days per month: distribution, median, location mix (HR).",
       "Distribution (0, 1-4, 5-8, 9-12, 13+), median, share with at least 5, "
       "shared-use share (target 25 %), location mix A-G. HR figures over "
       "fewer than k employees print as \"suppressed\".",
       "office-days",
       RUN_WORKFORCE("office-days")},
      {"live",
       "show",
       {"live"},
       "",
       {Required("site"), Optional("space")},
       "Current state of every workstation and room, free counts per space.",
       "",
       "live",
       RUN_ANALYTICS("live")},
      {"live",
       "watch",
       {"watch"},
       "",
       {Required("site"), Optional("space"), Optional("updates")},
       "A snapshot, then every change as it happens.",
       "Runs until interrupted or after --updates updates; --output=json "
       "prints one JSON object per line.",
       "watch",
       RUN_ANALYTICS("watch")},
      {"targets",
       "list",
       {"targets"},
       "",
       {},
       "List the targets with their validity dates.",
       "",
       "targets",
       RUN_ANALYTICS("targets")},
      {"targets",
       "set",
       {"set-target"},
       "",
       {Required("scope"), Optional("code"), Required("metric"),
        Required("value"), Required("valid_from"), Optional("valid_to"),
        Optional("note"), Optional("id", "replace target N", "N")},
       "Add a target, or replace target --id.",
       "",
       "set-target",
       RUN_ANALYTICS("set-target")},
      {"targets",
       "delete",
       {"delete-target"},
       "",
       {Required("id")},
       "Delete a target.",
       "",
       "delete-target",
       RUN_ANALYTICS("delete-target")},
      {"bookings",
       "import",
       {},
       "FILE",
       {Optional("source"),
        Optional("space",
                 "the room of iCalendar events that name none the inventory "
                 "knows (the export of one room mailbox)")},
       "Import desk or room bookings from an .ics export or a CSV file.",
       "FILE ending in .ics is an iCalendar export (Exchange / Microsoft 365 "
       "room mailboxes: time zones, recurrences, exceptions, cancellations); "
       "any other FILE is CSV with the columns workstation or space, start, "
       "end and optionally booker (hashed into the HR pseudonym on the "
       "server). The import replaces the bookings of its source in the time "
       "it covers: importing the same export again changes nothing. Bad rows "
       "are reported by line; the others load. See docs/bookings.md.",
       "bookings-import",
       [](const CommandContext& c) {
         auto stub = v1::BookingService::NewStub(c.channel);
         BookingImportArgs args{c.args[0], Get(c.flags, "source"),
                                Get(c.flags, "space")};
         return ImportBookingsFile(*stub, args, c.options, c.out, c.err,
                                   c.rows_refused);
       }},
      {"bookings",
       "sources",
       {},
       "",
       {},
       "List the booking sources imported, with their bookings.",
       "",
       "bookings-sources",
       [](const CommandContext& c) {
         auto stub = v1::BookingService::NewStub(c.channel);
         return ListBookingSources(*stub, c.options, c.out);
       }},
      {"report",
       "bookings",
       {},
       "",
       {Optional("site"), Optional("space"),
        Optional("organization", "organization codes, comma-separated", "A,B"),
        Optional("kinds"), Required("from"), Required("to"),
        Optional("all_hours"),
        Optional("by",
                 "one row per group: site, floor, room, organization, "
                 "weekday or hour")},
       "Bookings against the sensors: no-shows, ghost meetings, walk-ins.",
       "Desks: booked desk-days, no-shows (booked, not used by the desk-day "
       "rule), booked but unmeasured desk-days, unbooked use. Rooms: booked "
       "and occupied hours, ghost meetings (no presence in the first 15 min; "
       "unknown during sensor outages), early releases, walk-ins, seat "
       "utilization of booked time, and rooms needed at P95 by size. See "
       "docs/bookings.md.",
       "report-bookings",
       RunBookingReport},
      {"employees",
       "import",
       {"import-employees"},
       "FILE.csv",
       {},
       "Load the employee registry from an HR-system export (HR).",
       "The header is employee_id,organization,unit,fte,home_workstation,"
       "office_workstation,multi_space,shared_use,valid_from[,valid_to][,site] "
       "(\"-\" for standard input). Employee ids are pseudonymized by the "
       "server. Rows skipped or rejected are listed on stderr as FILE:LINE: "
       "reason; exit status 1.",
       "import-employees",
       RUN_WORKFORCE("import-employees")},
      {"work-days",
       "import",
       {"import-work-days"},
       "FILE.csv",
       {},
       "Load work-location days (HR).",
       "The header is employee_id,date,location_kind[,site][,source] (kind "
       "A-G).",
       "import-work-days",
       RUN_WORKFORCE("import-work-days")},
      {"tokens",
       "create",
       {},
       "",
       {Required("role"), Required("name"),
        Optional("gateway", "the gateway a device token speaks for"),
        Optional("sites", "the sites a display token shows"),
        Optional("expires"), Optional("ttl")},
       "Create an API token and print it (admin only).",
       "The token is printed alone on one line and shown only this once (the "
       "server keeps its hash). Device tokens need --gateway, display tokens "
       "(live occupancy of their sites, for lobby screens) --sites. Give "
       "--expires or --ttl, not both.",
       "tokens create",
       RUN_ACCESS("tokens create")},
      {"tokens",
       "list",
       {},
       "",
       {Optional("include_inactive")},
       "List the tokens, never their secrets (admin only).",
       "Id, name, role, gateway, created, expiry and status.",
       "tokens list",
       RUN_ACCESS("tokens list")},
      {"tokens",
       "revoke",
       {},
       "ID",
       {},
       "Revoke a token at once (admin only).",
       "",
       "tokens revoke",
       RUN_ACCESS("tokens revoke")},
      {"audit",
       "list",
       {"audit"},
       "",
       {Optional("from", "first day (UTC) or instant", "DAY|INSTANT"),
        Optional("to", "last day (UTC, inclusive) or instant (exclusive)",
                 "DAY|INSTANT"),
        Optional("limit")},
       "The audit log, newest first (admin only).",
       "Inventory imports, target changes, token changes, HR imports and HR "
       "report requests, with who (token id, name, role), what and when.",
       "audit",
       RUN_ACCESS("audit")},
  };
  return *kCommands;
}

#undef RUN_ANALYTICS
#undef RUN_WORKFORCE
#undef RUN_ACCESS

// A command found by its name or an old name.
struct Lookup {
  const Command* command = nullptr;
  // The old name it was called by, or "".
  std::string old_name;
  // How many positional arguments the name took (2, or 1 for an old name).
  size_t words = 0;
};

Lookup FindCommand(const std::vector<std::string>& positional) {
  Lookup lookup;
  if (positional.size() >= 2) {
    for (const Command& command : Commands()) {
      if (command.group == positional[0] && command.verb == positional[1]) {
        return {&command, "", 2};
      }
    }
  }
  if (!positional.empty()) {
    for (const Command& command : Commands()) {
      for (const std::string& old : command.old_names) {
        if (old == positional[0]) return {&command, old, 1};
      }
    }
  }
  return lookup;
}

bool IsGroup(const std::string& name) {
  for (const Command& command : Commands()) {
    if (command.group == name) return true;
  }
  return false;
}

std::vector<const Command*> GroupCommands(const std::string& group) {
  std::vector<const Command*> commands;
  for (const Command& command : Commands()) {
    if (command.group == group) commands.push_back(&command);
  }
  return commands;
}

// ---------------------------------------------------------------------------
// Help texts.

std::string FlagSpelling(const FlagDef& def, const std::string& value_name) {
  std::string spelled;
  if (def.short_name != 0)
    absl::StrAppend(&spelled, "-", std::string(1, def.short_name), ", ");
  absl::StrAppend(&spelled, "--", def.name);
  if (def.kind == FlagKind::kValue) absl::StrAppend(&spelled, "=", value_name);
  return spelled;
}

// "  --site=CODE            site code (required)" with the help wrapped.
void AppendFlagLine(const std::string& spelled, const std::string& help,
                    std::string* text) {
  constexpr size_t kColumn = 26;
  std::string line = absl::StrCat("  ", spelled);
  if (line.size() + 2 > kColumn) {
    absl::StrAppend(text, line, "\n");
    line = "";
  }
  line.resize(kColumn, ' ');
  // Wrap the help at 79 columns.
  std::string current = line;
  for (absl::string_view word : absl::StrSplit(help, ' ')) {
    if (current.size() + word.size() + 1 > 79 && current.size() > kColumn) {
      absl::StrAppend(text, absl::StripTrailingAsciiWhitespace(current), "\n");
      current = std::string(kColumn, ' ');
    }
    if (current.size() > kColumn) current += ' ';
    absl::StrAppend(&current, word);
  }
  absl::StrAppend(text, current, "\n");
}

std::string Wrap(const std::string& paragraph, size_t indent) {
  std::string text;
  std::string current(indent, ' ');
  for (absl::string_view word : absl::StrSplit(paragraph, ' ')) {
    if (current.size() + word.size() + 1 > 79 && current.size() > indent) {
      absl::StrAppend(&text, current, "\n");
      current = std::string(indent, ' ');
    }
    if (current.size() > indent) current += ' ';
    absl::StrAppend(&current, word);
  }
  if (current.size() > indent) absl::StrAppend(&text, current, "\n");
  return text;
}

std::string Synopsis(const Command& command) {
  std::string synopsis = command.name();
  for (const FlagUse& use : command.flags) {
    const FlagDef* def = FindFlagDef(use.name);
    const std::string value_name =
        use.value_name.empty() ? def->value_name : use.value_name;
    std::string spelled = absl::StrCat("--", use.name);
    if (def->kind == FlagKind::kValue)
      absl::StrAppend(&spelled, "=", value_name);
    absl::StrAppend(&synopsis, " ",
                    use.required ? spelled : absl::StrCat("[", spelled, "]"));
  }
  if (!command.argument.empty())
    absl::StrAppend(&synopsis, " ", command.argument);
  return synopsis;
}

std::string CommandHelpText(const Command& command) {
  std::string text =
      absl::StrCat("usage: monipaikka ", Synopsis(command), "\n\n");
  absl::StrAppend(&text, Wrap(command.summary, 0));
  if (!command.description.empty()) {
    absl::StrAppend(&text, Wrap(command.description, 0));
  }
  if (!command.flags.empty()) {
    absl::StrAppend(&text, "\nFlags:\n");
    for (const FlagUse& use : command.flags) {
      const FlagDef* def = FindFlagDef(use.name);
      std::string help = use.help.empty() ? def->help : use.help;
      if (use.required) absl::StrAppend(&help, " (required)");
      if (!def->aliases.empty()) {
        absl::StrAppend(&help, " (old name: --",
                        absl::StrJoin(def->aliases, ", --"), ")");
      }
      AppendFlagLine(
          FlagSpelling(
              *def, use.value_name.empty() ? def->value_name : use.value_name),
          help, &text);
    }
  }
  absl::StrAppend(&text,
                  "\nGlobal flags: --server, --token_file, -o/--output, "
                  "--deadline_s, --tls,\n--tls_ca_file, --tls_server_name "
                  "(see 'monipaikka --help').\n");
  if (!command.old_names.empty()) {
    absl::StrAppend(&text, "Old name (deprecated): ",
                    absl::StrJoin(command.old_names, ", "), "\n");
  }
  std::vector<std::string> siblings;
  for (const Command* sibling : GroupCommands(command.group)) {
    if (sibling != &command) siblings.push_back(sibling->verb);
  }
  if (!siblings.empty()) {
    absl::StrAppend(
        &text, Wrap(absl::StrCat("Other ", command.group,
                                 " commands: ", absl::StrJoin(siblings, ", ")),
                    0));
  }
  return text;
}

std::string GroupHelpText(const std::string& group) {
  std::string text = absl::StrCat("usage: monipaikka ", group,
                                  " <command> [flags]\n\n", "Commands:\n");
  for (const Command* command : GroupCommands(group)) {
    std::string verb = absl::StrCat("  ", command->verb);
    verb.resize(std::max<size_t>(verb.size() + 2, 28), ' ');
    absl::StrAppend(&text, verb, command->summary, "\n");
  }
  absl::StrAppend(&text, "\nRun 'monipaikka ", group,
                  " <command> --help' for a command's flags.\n");
  return text;
}

int UsageError(const std::string& problem, const Command* command,
               std::ostream& err) {
  err << "monipaikka: " << problem << "\n"
      << "usage: monipaikka "
      << (command != nullptr ? Synopsis(*command) : "<group> <command> [flags]")
      << "\n"
      << "Run 'monipaikka "
      << (command != nullptr ? absl::StrCat(command->name(), " --help")
                             : std::string("help"))
      << "' for "
      << (command != nullptr ? "its flags" : "all commands and flags") << ".\n";
  return kExitUsage;
}

std::string DidYouMean(absl::string_view given,
                       const std::vector<std::string>& candidates,
                       absl::string_view prefix = "") {
  std::optional<std::string> nearest = NearestName(given, candidates);
  if (!nearest.has_value()) return "";
  return absl::StrCat("; did you mean \"", prefix, *nearest, "\"?");
}

// ---------------------------------------------------------------------------
// Parsing.

// One flag as typed.
struct RawFlag {
  std::string spelled;  // "--orgs", "-o"
  std::string name;     // "orgs", "o"
  bool has_value = false;
  std::string value;
};

struct Tokens {
  std::vector<std::string> positional;
  std::vector<RawFlag> flags;
};

// Finds the definition a typed name refers to anywhere, for telling whether
// "--name value" takes the next argument.
const FlagDef* FindAnyFlag(absl::string_view name) {
  for (const std::vector<FlagDef>* defs :
       {&GlobalFlags(), &CommandFlagDefs()}) {
    for (const FlagDef& def : *defs) {
      if (def.name == name || (name.size() == 1 && def.short_name == name[0])) {
        return &def;
      }
      for (const std::string& alias : def.aliases) {
        if (alias == name) return &def;
      }
    }
  }
  return nullptr;
}

// Splits `args` into positional arguments and flags. Fails on a value flag
// without its value.
absl::StatusOr<Tokens> Tokenize(const std::vector<std::string>& args) {
  Tokens tokens;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") {
      tokens.positional.insert(tokens.positional.end(), args.begin() + i + 1,
                               args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      tokens.positional.emplace_back(arg);
      continue;
    }
    RawFlag flag;
    const size_t equals = arg.find('=');
    flag.spelled = std::string(arg.substr(0, equals));
    if (!absl::ConsumePrefix(&arg, "--")) arg.remove_prefix(1);
    flag.name = std::string(arg.substr(0, arg.find('=')));
    if (equals != absl::string_view::npos) {
      flag.has_value = true;
      flag.value = std::string(arg.substr(arg.find('=') + 1));
    } else if (const FlagDef* def = FindAnyFlag(flag.name);
               def != nullptr && def->kind == FlagKind::kValue) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag.spelled, " needs a value"));
      }
      flag.has_value = true;
      flag.value = args[++i];
    }
    tokens.flags.push_back(std::move(flag));
  }
  return tokens;
}

// The result of matching the typed flags against a command's.
struct ParsedFlags {
  FlagValues values;
  std::vector<std::string> notices;  // deprecated spellings used
};

// Matches `raw` against the global flags and `command`'s (nullptr: only the
// global ones, for help before a command is known). The problem names the
// flag and, for a typo, the nearest one.
absl::StatusOr<ParsedFlags> MatchFlags(const std::vector<RawFlag>& raw,
                                       const Command* command) {
  std::vector<const FlagDef*> allowed;
  for (const FlagDef& def : GlobalFlags()) allowed.push_back(&def);
  if (command != nullptr) {
    for (const FlagUse& use : command->flags) {
      allowed.push_back(FindFlagDef(use.name));
    }
  }
  ParsedFlags parsed;
  for (const RawFlag& flag : raw) {
    const FlagDef* found = nullptr;
    bool negated = false;
    std::string alias_used;
    for (const FlagDef* def : allowed) {
      if (def->name == flag.name ||
          (flag.name.size() == 1 && def->short_name == flag.name[0])) {
        found = def;
      }
      for (const std::string& alias : def->aliases) {
        if (alias == flag.name) {
          found = def;
          alias_used = alias;
        }
      }
      if (found != nullptr) break;
    }
    if (found == nullptr && absl::StartsWith(flag.name, "no")) {
      for (const FlagDef* def : allowed) {
        if (def->kind == FlagKind::kBool && def->name == flag.name.substr(2)) {
          found = def;
          negated = true;
        }
      }
    }
    if (found == nullptr) {
      const std::string where =
          command != nullptr ? command->name() : std::string("monipaikka");
      if (FindAnyFlag(flag.name) != nullptr && command != nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", flag.name, " does not apply to ", where));
      }
      std::vector<std::string> names;
      for (const FlagDef* def : allowed) names.push_back(def->name);
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", flag.spelled, " for ", where,
                       DidYouMean(flag.name, names, "--")));
    }
    std::string value;
    if (found->kind == FlagKind::kBool) {
      if (negated && flag.has_value) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag.spelled, " takes no value"));
      }
      std::optional<bool> on =
          flag.has_value ? ParseBool(flag.value) : std::optional<bool>(true);
      if (!on.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            flag.spelled, "=", flag.value, " is not true or false"));
      }
      value = (*on && !negated) ? "true" : "false";
    } else {
      value = flag.value;
    }
    if (!alias_used.empty()) {
      parsed.notices.push_back(absl::StrCat(
          "--", alias_used, " is deprecated; use --", found->name));
    }
    parsed.values[found->name] = value;
  }
  return parsed;
}

// The first problem with the command's arguments and flags, or "".
std::string CheckCommand(const Command& command,
                         const std::vector<std::string>& args,
                         const FlagValues& flags) {
  const size_t wanted = command.argument.empty() ? 0 : 1;
  if (args.size() != wanted) {
    if (wanted == 0) {
      return absl::StrCat(command.name(), " takes no arguments, got \"",
                          args[0], "\"");
    }
    return absl::StrCat(command.name(), " needs one ", command.argument,
                        " argument, got ", args.size());
  }
  for (const FlagUse& use : command.flags) {
    if (use.required && Get(flags, use.name).empty()) {
      const FlagDef* def = FindFlagDef(use.name);
      return absl::StrCat(
          command.name(), " needs --", use.name, "=",
          use.value_name.empty() ? def->value_name : use.value_name);
    }
  }
  if (std::string problem = CheckWorkforceFlags(
          command.module_name, IsWorkforceCommand(command.module_name)
                                   ? ToWorkforceFlags(flags)
                                   : WorkforceFlags());
      !problem.empty()) {
    return problem;
  }
  if (std::string problem = CheckAnalyticsFlags(
          command.module_name, IsAnalyticsCommand(command.module_name)
                                   ? ToAnalyticsFlags(flags)
                                   : AnalyticsFlags());
      !problem.empty()) {
    return problem;
  }
  if (std::string problem = CheckAccessFlags(
          command.module_name, IsAccessCommand(command.module_name)
                                   ? ToAccessFlags(flags)
                                   : AccessFlags());
      !problem.empty()) {
    return problem;
  }
  bool dated = false;
  for (const FlagUse& use : command.flags) {
    dated |= use.name == "from" && use.required;
  }
  if (dated) {
    absl::Status dates = CheckUtilizationDates(ToUtilizationArgs(flags));
    if (!dates.ok()) return std::string(dates.message());
  }
  return "";
}

// The settings file's values; an unreadable or malformed file is an error.
absl::StatusOr<SettingValues> ReadConfigFile(const Environment& environment) {
  const std::optional<std::string> path = ConfigFilePath(environment.variables);
  if (!path.has_value()) return SettingValues();
  std::error_code error;
  if (!std::filesystem::exists(*path, error)) {
    // Only a file named explicitly must exist.
    if (environment.variables.contains("MONIPAIKKA_CONFIG")) {
      return absl::NotFoundError(absl::StrCat("config file ", *path,
                                              " (MONIPAIKKA_CONFIG) does "
                                              "not exist"));
    }
    return SettingValues();
  }
  ASSIGN_OR_RETURN(const std::string text, ReadTextFile(*path));
  return ParseConfigFile(text, *path);
}

std::string TopLevelUsage() {
  std::string text =
      "usage: monipaikka [global flags] <group> <command> [flags] [args]\n\n"
      "Commands, by group (run 'monipaikka <group> <command> --help' for "
      "a\ncommand's own flags):\n";
  for (const std::string& group : GroupOrder()) {
    absl::StrAppend(&text, "  ", group, "\n");
    for (const Command* command : GroupCommands(group)) {
      std::string verb = absl::StrCat("    ", command->verb);
      verb.resize(std::max<size_t>(verb.size() + 2, 30), ' ');
      absl::StrAppend(&text, verb, command->summary, "\n");
    }
  }
  absl::StrAppend(&text,
                  "  help [<group> <command>]    Show this text, or a "
                  "command's help.\n\nGlobal flags (before or after the "
                  "command):\n");
  for (const FlagDef& def : GlobalFlags()) {
    AppendFlagLine(FlagSpelling(def, def.value_name), def.help, &text);
  }
  absl::StrAppend(
      &text,
      "\nSettings: --server, --token_file, --tls, --tls_ca_file and "
      "--tls_server_name can\nalso come from the environment "
      "(MONIPAIKKA_SERVER, MONIPAIKKA_TOKEN_FILE,\nMONIPAIKKA_TLS, "
      "MONIPAIKKA_TLS_CA, MONIPAIKKA_TLS_SERVER_NAME) or from the config\n"
      "file $MONIPAIKKA_CONFIG, else $XDG_CONFIG_HOME/monipaikka/config, "
      "else\n~/.config/monipaikka/config, with lines `key = value` (keys "
      "server, token_file,\ntls, tls_ca_file, tls_server_name). A flag wins "
      "over the environment, the\nenvironment over the file, the file over "
      "the default.\n\n"
      "Times: tables show local times in the site's time zone; csv and json "
      "keep\nRFC 3339 UTC instants.\n\n"
      "Old command names (import-inventory, sites, set-target, …) and flag "
      "names\n(--orgs, --group_by, --date) still work in this release and "
      "print the new name.\n\n"
      "Exit status: 0 success, 1 error or rows skipped/rejected, 2 usage "
      "error.\n");
  return text;
}

// Whether the command's table shows instants that belong to a site.
bool ShowsSiteTimes(const Command& command) {
  for (const char* name : {"sensor-health", "coverage", "live", "watch"}) {
    if (command.module_name == name) return true;
  }
  return false;
}

int ReportFailure(const absl::Status& status, const std::string& server,
                  const ChannelSecurity& security, std::ostream& err) {
  err << "error: " << absl::StatusCodeToString(status.code()) << ": "
      << status.message();
  if (status.code() == absl::StatusCode::kUnavailable) {
    err << " (server " << server << ", " << DescribeChannelSecurity(security)
        << ")";
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

}  // namespace

Environment ProcessEnvironment() {
  Environment environment;
  std::vector<std::string> names = {"MONIPAIKKA_CONFIG", "XDG_CONFIG_HOME",
                                    "HOME"};
  for (const std::string& setting : SettingNames()) {
    names.push_back(SettingEnvironmentVariable(setting));
  }
  for (const std::string& name : names) {
    if (const char* value = std::getenv(name.c_str()); value != nullptr) {
      environment.variables[name] = value;
    }
  }
  environment.stderr_is_terminal = isatty(STDERR_FILENO) == 1;
  return environment;
}

std::string UsageText() { return TopLevelUsage(); }

std::string CommandHelp(const std::string& name) {
  std::vector<std::string> words = absl::StrSplit(name, ' ');
  const Lookup lookup = FindCommand(words);
  if (lookup.command == nullptr || lookup.words != words.size()) return "";
  return CommandHelpText(*lookup.command);
}

int RunCommandLine(const std::vector<std::string>& args,
                   const Environment& environment, std::ostream& out,
                   std::ostream& err) {
  absl::StatusOr<Tokens> tokens = Tokenize(args);
  if (!tokens.ok()) {
    return UsageError(std::string(tokens.status().message()), nullptr, err);
  }
  std::vector<std::string> positional = tokens->positional;
  bool help_command = false;
  if (!positional.empty() && positional[0] == "help") {
    help_command = true;
    positional.erase(positional.begin());
  }
  bool help_flag = false;
  for (const RawFlag& flag : tokens->flags) {
    help_flag |= flag.name == "help" || flag.name == "h";
    if (flag.name == "version") {
      out << VersionText("monipaikka");
      return kExitOk;
    }
  }
  const bool help = help_command || help_flag;

  if (positional.empty()) {
    if (help) {
      out << TopLevelUsage();
      return kExitOk;
    }
    err << TopLevelUsage();
    return kExitUsage;
  }

  const Lookup lookup = FindCommand(positional);
  if (lookup.command == nullptr) {
    const std::string& first = positional[0];
    if (IsGroup(first)) {
      if (positional.size() == 1 && help) {
        out << GroupHelpText(first);
        return kExitOk;
      }
      std::vector<std::string> verbs;
      for (const Command* command : GroupCommands(first)) {
        verbs.push_back(command->verb);
      }
      if (positional.size() == 1) {
        err << "monipaikka: " << first
            << " needs a command: " << absl::StrJoin(verbs, ", ") << "\n\n"
            << GroupHelpText(first);
        return kExitUsage;
      }
      return UsageError(
          absl::StrCat(
              "unknown command \"", first, " ", positional[1], "\"",
              DidYouMean(positional[1], verbs, absl::StrCat(first, " "))),
          nullptr, err);
    }
    std::vector<std::string> candidates;
    for (const Command& command : Commands()) {
      candidates.push_back(command.group);
      for (const std::string& old : command.old_names) {
        candidates.push_back(old);
      }
    }
    // "repot usage": suggest the whole command when the second word is a
    // verb of the group the first is near to.
    std::optional<std::string> group = NearestName(first, candidates);
    if (group.has_value() && positional.size() >= 2) {
      for (const Command* command : GroupCommands(*group)) {
        if (command->verb == positional[1]) group = command->name();
      }
    }
    return UsageError(
        absl::StrCat("unknown command \"", first, "\"",
                     group.has_value()
                         ? absl::StrCat("; did you mean \"", *group, "\"?")
                         : ""),
        nullptr, err);
  }
  const Command& command = *lookup.command;
  if (!lookup.old_name.empty()) {
    err << "monipaikka: \"" << lookup.old_name
        << "\" is deprecated and will be removed in the next release; use \""
        << command.name() << "\"\n";
  }
  if (help) {
    out << CommandHelpText(command);
    return kExitOk;
  }
  const std::vector<std::string> command_args(positional.begin() + lookup.words,
                                              positional.end());

  absl::StatusOr<ParsedFlags> parsed = MatchFlags(tokens->flags, &command);
  if (!parsed.ok()) {
    return UsageError(std::string(parsed.status().message()), &command, err);
  }
  for (const std::string& notice : parsed->notices) {
    err << "monipaikka: " << notice << "\n";
  }
  const FlagValues& flags = parsed->values;

  CommandOptions options;
  const std::string output =
      flags.contains("output") ? Get(flags, "output") : std::string("table");
  const bool excel = output == "csv-excel";
  if (!excel) {
    absl::StatusOr<OutputFormat> format = ParseOutputFormat(output);
    if (!format.ok()) {
      return UsageError(absl::StrCat("--output=", output,
                                     " is not a format; use table, csv, "
                                     "csv-excel or json"),
                        &command, err);
    }
    options.output = *format;
  } else {
    if (command.module_name == "watch") {
      return UsageError(
          "--output=csv-excel makes a file; live watch streams (use csv)",
          &command, err);
    }
    options.output = OutputFormat::kCsv;
  }
  int deadline_s = 60;
  if (flags.contains("deadline_s") &&
      (!absl::SimpleAtoi(Get(flags, "deadline_s"), &deadline_s) ||
       deadline_s < 1)) {
    return UsageError(absl::StrCat("--deadline_s=", Get(flags, "deadline_s"),
                                   " must be a whole number of seconds, at "
                                   "least 1"),
                      &command, err);
  }
  options.deadline = absl::Seconds(deadline_s);
  options.progress = environment.stderr_is_terminal;

  if (std::string problem = CheckCommand(command, command_args, flags);
      !problem.empty()) {
    return UsageError(problem, &command, err);
  }

  SettingValues setting_flags;
  for (const std::string& name : SettingNames()) {
    if (flags.contains(name)) setting_flags[name] = Get(flags, name);
  }
  absl::StatusOr<SettingValues> file = ReadConfigFile(environment);
  if (!file.ok()) {
    err << "monipaikka: " << file.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<Settings> settings =
      ResolveSettings(setting_flags, environment.variables, *file);
  if (!settings.ok()) {
    return UsageError(std::string(settings.status().message()), &command, err);
  }
  if (settings->server.empty()) {
    return UsageError("--server needs HOST:PORT", &command, err);
  }
  ChannelSecurityFlags tls;
  tls.tls = settings->tls;
  tls.ca_file = settings->tls_ca_file;
  tls.server_name = settings->tls_server_name;
  absl::StatusOr<ChannelSecurity> security =
      ResolveChannelSecurity(settings->server, tls);
  if (!security.ok()) {
    err << "error: " << security.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::string> token = LoadToken(settings->token_file);
  if (!token.ok())
    return ReportFailure(token.status(), settings->server, *security, err);

  std::shared_ptr<grpc::Channel> channel = CreateSecuredChannel(
      settings->server, *security, ReadRetryChannelArguments(), *token);
  if (options.output == OutputFormat::kTable && ShowsSiteTimes(command)) {
    // Tables show instants in the site's local time. Without the zones
    // (say, the token may not list sites) they stay RFC 3339 UTC.
    auto inventory = v1::InventoryService::NewStub(channel);
    absl::StatusOr<std::map<std::string, std::string>> zones =
        FetchSiteTimeZones(*inventory, options);
    if (zones.ok()) options.site_time_zones = *std::move(zones);
  }

  std::ostringstream excel_buffer;
  bool rows_refused = false;
  const CommandContext context{
      command_args,
      flags,
      channel,
      options,
      excel ? static_cast<std::ostream&>(excel_buffer) : out,
      err,
      &rows_refused};
  absl::Status status = command.run(context);
  if (excel) {
    absl::StatusOr<std::string> converted = ToExcelCsv(excel_buffer.str());
    if (converted.ok()) {
      out << *converted;
    } else if (status.ok()) {
      status = converted.status();
    }
  }
  out.flush();
  if (!status.ok()) {
    return ReportFailure(status, settings->server, *security, err);
  }
  return rows_refused ? kExitFailure : kExitOk;
}

}  // namespace monipaikka::client
