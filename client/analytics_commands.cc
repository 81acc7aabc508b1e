#include "client/analytics_commands.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/analytics_text.h"
#include "client/local_time.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "grpcpp/client_context.h"
#include "monipaikka/v1/analytics.grpc.pb.h"
#include "monipaikka/v1/live.grpc.pb.h"

namespace monipaikka::client {
namespace {

// Flags that apply to each command; a trailing '!' marks a required one.
const std::map<std::string, std::vector<std::string>>& Applicable() {
  static const auto* kApplicable =
      new std::map<std::string, std::vector<std::string>>{
          {"report", {"by", "organization", "kinds"}},
          {"heatmap", {"organization", "kinds"}},
          {"coverage", {}},
          {"right-size", {"buffer_pct"}},
          {"consolidate",
           {"organization", "sites", "candidate!", "buffer_pct", "as_of"}},
          {"efficiency", {"organization", "as_of!"}},
          {"targets", {}},
          {"set-target",
           {"scope!", "code", "metric!", "value!", "valid_from!", "valid_to",
            "note", "id"}},
          {"delete-target", {"id!"}},
          {"live", {}},
          {"watch", {"updates"}},
      };
  return *kApplicable;
}

std::vector<std::pair<std::string, const std::string*>> Named(
    const AnalyticsFlags& f) {
  return {{"by", &f.by},
          {"organization", &f.orgs},
          {"kinds", &f.kinds},
          {"sites", &f.sites},
          {"candidate", &f.candidate},
          {"buffer_pct", &f.buffer_pct},
          {"as_of", &f.date},
          {"scope", &f.scope},
          {"code", &f.code},
          {"metric", &f.metric},
          {"value", &f.value},
          {"valid_from", &f.valid_from},
          {"valid_to", &f.valid_to},
          {"note", &f.note},
          {"id", &f.id},
          {"updates", &f.updates}};
}

std::vector<std::string> List(const std::string& text) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    items.emplace_back(item);
  }
  return items;
}

const std::map<std::string, v1::Grouping>& Groupings() {
  static const auto* kGroupings = new std::map<std::string, v1::Grouping>{
      {"none", v1::GROUPING_NONE},
      {"day", v1::GROUPING_DAY},
      {"week", v1::GROUPING_WEEK},
      {"month", v1::GROUPING_MONTH},
      {"weekday", v1::GROUPING_WEEKDAY},
      {"hour", v1::GROUPING_HOUR},
      {"heatmap", v1::GROUPING_WEEKDAY_HOUR},
      {"floor", v1::GROUPING_FLOOR},
      {"zone", v1::GROUPING_ZONE},
      {"room", v1::GROUPING_ROOM},
      {"kind", v1::GROUPING_WORKSTATION_KIND},
      {"organization", v1::GROUPING_ORGANIZATION},
      {"site", v1::GROUPING_SITE},
      {"workstation", v1::GROUPING_WORKSTATION},
  };
  return *kGroupings;
}

v1::ReportScope Scope(const AnalyticsArgs& args, const AnalyticsFlags& flags) {
  v1::ReportScope scope;
  scope.set_site(args.site);
  scope.set_space(args.space);
  for (const std::string& org : List(flags.orgs)) scope.add_organizations(org);
  for (const std::string& kind : List(flags.kinds)) {
    scope.add_workstation_kinds(kind);
  }
  return scope;
}

}  // namespace

bool IsAnalyticsCommand(const std::string& command) {
  return Applicable().contains(command);
}

std::string CheckAnalyticsFlags(const std::string& command,
                                const AnalyticsFlags& flags) {
  auto it = Applicable().find(command);
  const std::vector<std::string> none;
  const std::vector<std::string>& applicable =
      it == Applicable().end() ? none : it->second;
  for (const auto& [name, value] : Named(flags)) {
    bool applies = false;
    bool required = false;
    for (const std::string& a : applicable) {
      if (a == name || a == name + "!") {
        applies = true;
        required = a.back() == '!';
      }
    }
    if (!applies && !value->empty()) {
      return absl::StrCat("--", name, " does not apply to ", command);
    }
    if (required && value->empty()) {
      return absl::StrCat(command, " needs --", name);
    }
  }
  if (!flags.by.empty() && !Groupings().contains(flags.by)) {
    return absl::StrCat(
        "--by=", flags.by,
        " is not a grouping (day, week, month, weekday, hour, "
        "heatmap, floor, zone, room, kind, organization, site)");
  }
  int32_t number = 0;
  if (!flags.buffer_pct.empty() &&
      (!absl::SimpleAtoi(flags.buffer_pct, &number) || number < 0)) {
    return absl::StrCat("--buffer_pct=", flags.buffer_pct,
                        " is not a whole percent >= 0");
  }
  if (!flags.updates.empty() &&
      (!absl::SimpleAtoi(flags.updates, &number) || number < 1)) {
    return absl::StrCat("--updates=", flags.updates, " is not a count >= 1");
  }
  int64_t id = 0;
  if (!flags.id.empty() && (!absl::SimpleAtoi(flags.id, &id) || id < 1)) {
    return absl::StrCat("--id=", flags.id, " is not a target id");
  }
  double value = 0;
  if (!flags.value.empty() && !absl::SimpleAtod(flags.value, &value)) {
    return absl::StrCat("--value=", flags.value, " is not a number");
  }
  for (const auto& [name, text] :
       {std::pair<const char*, const std::string*>{"as_of", &flags.date},
        {"valid_from", &flags.valid_from},
        {"valid_to", &flags.valid_to}}) {
    if (!text->empty() && !ParseDate(*text).ok()) {
      return absl::StrCat("--", name, "=", *text,
                          " is not a date (YYYY-MM-DD)");
    }
  }
  if (command == "consolidate" && flags.orgs.empty() == flags.sites.empty()) {
    return "report consolidation needs --organization or --sites (one of "
           "them)";
  }
  if (command == "efficiency" && List(flags.orgs).size() > 1) {
    return "report efficiency takes one organization in --organization";
  }
  return "";
}

absl::Status RunAnalyticsCommand(const std::shared_ptr<grpc::Channel>& channel,
                                 const std::string& command,
                                 const AnalyticsArgs& args,
                                 const AnalyticsFlags& flags,
                                 const CommandOptions& options,
                                 std::ostream& out) {
  auto analytics = v1::AnalyticsService::NewStub(channel);
  int32_t buffer_pct = -1;
  if (!flags.buffer_pct.empty())
    (void)absl::SimpleAtoi(flags.buffer_pct, &buffer_pct);
  grpc::ClientContext context;
  if (command != "watch") SetDeadline(options, &context);

  if (command == "report" || command == "heatmap") {
    v1::UsageReportRequest request;
    *request.mutable_scope() = Scope(args, flags);
    request.set_from_date(args.from);
    request.set_to_date(args.to);
    request.set_all_hours(args.all_hours);
    request.set_group_by(
        command == "heatmap"
            ? v1::GROUPING_WEEKDAY_HOUR
            : Groupings().at(flags.by.empty() ? "none" : flags.by));
    v1::UsageReport report;
    RETURN_IF_ERROR(
        FromGrpcStatus(analytics->GetUsageReport(&context, request, &report)));
    if (command == "heatmap") {
      WriteHeatmap(report, options.output, out);
    } else {
      WriteUsageReport(report, options.output, out);
    }
    return absl::OkStatus();
  }
  if (command == "coverage") {
    v1::SensorCoverageRequest request;
    request.set_site(args.site);
    request.set_from_date(args.from);
    request.set_to_date(args.to);
    request.set_all_hours(args.all_hours);
    v1::SensorCoverageReport report;
    RETURN_IF_ERROR(FromGrpcStatus(
        analytics->GetSensorCoverage(&context, request, &report)));
    WriteSensorCoverage(report, options.output, out,
                        TableZone(options, args.site));
    return absl::OkStatus();
  }
  if (command == "right-size") {
    v1::RightSizingRequest request;
    request.set_site(args.site);
    request.set_from_date(args.from);
    request.set_to_date(args.to);
    if (buffer_pct >= 0) request.set_buffer_pct(buffer_pct);
    v1::RightSizingReport report;
    RETURN_IF_ERROR(
        FromGrpcStatus(analytics->GetRightSizing(&context, request, &report)));
    WriteRightSizing(report, options.output, out);
    return absl::OkStatus();
  }
  if (command == "consolidate") {
    v1::ConsolidationRequest request;
    for (const std::string& org : List(flags.orgs))
      request.add_organizations(org);
    for (const std::string& site : List(flags.sites)) request.add_sites(site);
    request.set_candidate_site(flags.candidate);
    request.set_from_date(args.from);
    request.set_to_date(args.to);
    if (buffer_pct >= 0) request.set_buffer_pct(buffer_pct);
    request.set_fte_as_of(flags.date);
    v1::ConsolidationReport report;
    RETURN_IF_ERROR(FromGrpcStatus(
        analytics->GetConsolidation(&context, request, &report)));
    WriteConsolidation(report, options.output, out);
    return absl::OkStatus();
  }
  if (command == "efficiency") {
    v1::SpaceEfficiencyRequest request;
    request.set_site(args.site);
    request.set_organization(flags.orgs);
    request.set_as_of(flags.date);
    v1::SpaceEfficiencyReport report;
    RETURN_IF_ERROR(FromGrpcStatus(
        analytics->GetSpaceEfficiency(&context, request, &report)));
    WriteSpaceEfficiency(report, options.output, out);
    return absl::OkStatus();
  }
  if (command == "targets") {
    v1::ListTargetsResponse targets;
    RETURN_IF_ERROR(FromGrpcStatus(
        analytics->ListTargets(&context, v1::ListTargetsRequest(), &targets)));
    if (options.output == OutputFormat::kJson) {
      WriteMessageJson(targets, out);
    } else {
      WriteTable(TargetsTable(targets), options.output, out);
    }
    return absl::OkStatus();
  }
  if (command == "set-target") {
    v1::PutTargetRequest request;
    v1::Target* target = request.mutable_target();
    int64_t id = 0;
    if (!flags.id.empty()) (void)absl::SimpleAtoi(flags.id, &id);
    double value = 0;
    (void)absl::SimpleAtod(flags.value, &value);
    target->set_id(id);
    target->set_scope(flags.scope);
    target->set_scope_code(flags.code);
    target->set_metric(flags.metric);
    target->set_value(value);
    target->set_valid_from(flags.valid_from);
    target->set_valid_to(flags.valid_to);
    target->set_note(flags.note);
    v1::Target stored;
    RETURN_IF_ERROR(
        FromGrpcStatus(analytics->PutTarget(&context, request, &stored)));
    if (options.output == OutputFormat::kJson) {
      WriteMessageJson(stored, out);
    } else {
      v1::ListTargetsResponse one;
      *one.add_targets() = stored;
      WriteTable(TargetsTable(one), options.output, out);
    }
    return absl::OkStatus();
  }
  if (command == "delete-target") {
    v1::DeleteTargetRequest request;
    int64_t id = 0;
    (void)absl::SimpleAtoi(flags.id, &id);
    request.set_id(id);
    v1::DeleteTargetResponse response;
    RETURN_IF_ERROR(
        FromGrpcStatus(analytics->DeleteTarget(&context, request, &response)));
    if (options.output == OutputFormat::kTable)
      out << "deleted target " << id << "\n";
    return absl::OkStatus();
  }
  auto live = v1::LiveOccupancyService::NewStub(channel);
  v1::LiveOccupancyRequest request;
  request.set_site(args.site);
  request.set_space(args.space);
  if (command == "live") {
    v1::LiveOccupancy occupancy;
    RETURN_IF_ERROR(
        FromGrpcStatus(live->GetLiveOccupancy(&context, request, &occupancy)));
    WriteLiveOccupancy(occupancy, options.output, out,
                       TableZone(options, args.site));
    return absl::OkStatus();
  }
  // watch: runs until the server ends it or --updates were printed.
  int32_t limit = 0;
  if (!flags.updates.empty()) (void)absl::SimpleAtoi(flags.updates, &limit);
  std::unique_ptr<grpc::ClientReader<v1::LiveOccupancyUpdate>> reader =
      live->WatchLiveOccupancy(&context, request);
  v1::LiveOccupancyUpdate update;
  int32_t seen = 0;
  while (reader->Read(&update)) {
    WriteLiveUpdate(update, options.output, seen == 0, out,
                    TableZone(options, args.site));
    if (limit > 0 && ++seen >= limit) {
      context.TryCancel();
      (void)reader->Finish();
      return absl::OkStatus();
    }
    if (limit == 0) ++seen;
  }
  return FromGrpcStatus(reader->Finish());
}

}  // namespace monipaikka::client
