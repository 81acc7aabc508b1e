#include "server/reports/workforce_report.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/analytics/workforce_figures.h"
#include "server/workforce/workforce_records.h"

namespace monipaikka {
namespace {

constexpr int kMaxReportMonths = 36;

absl::Status CheckScope(StorageSession& session, const std::string& organization,
                        const std::string& unit) {
  if (!unit.empty() && organization.empty()) {
    return absl::InvalidArgumentError(
        "unit: a unit needs its organization (organization is empty)");
  }
  if (organization.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<v1::Organization> organizations,
                   session.ListOrganizations());
  for (const v1::Organization& org : organizations) {
    if (org.code() == organization) return absl::OkStatus();
  }
  return absl::NotFoundError(
      absl::StrCat("organization: no organization \"", organization, "\""));
}

HrScope RequestedScope(const std::string& organization,
                       const std::string& unit) {
  if (organization.empty()) return HrScope{0, "", ""};
  if (unit.empty()) return HrScope{1, organization, ""};
  return HrScope{2, organization, unit};
}

absl::StatusOr<absl::CivilDay> DayField(absl::string_view field,
                                        const std::string& text) {
  absl::StatusOr<absl::CivilDay> day = ParseIsoDay(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" ", day.status().message()));
  }
  return day;
}


// The figures of `scope`, or those of an empty group when nobody is there.
ScopeDistribution Lookup(const DistributionTable& table, const HrScope& scope) {
  if (auto it = table.find(scope); it != table.end()) return it->second;
  ScopeDistribution empty;
  for (HrCount& count : empty.counts) count = HrCount{0, true};
  for (HrPercent& share : empty.share_of_office) share = HrPercent{0, true};
  return empty;
}

void SetCount(const HrCount& count, v1::HrCount* out) {
  out->set_value(count.withheld ? 0 : count.value);
  out->set_withheld(count.withheld);
}

void SetFigure(const HrPercent& figure, v1::HrFigure* out) {
  out->set_value(figure.withheld ? 0 : figure.value);
  out->set_withheld(figure.withheld);
}

}  // namespace

absl::CivilDay HelsinkiToday() {
  static const absl::TimeZone zone = [] {
    absl::StatusOr<absl::TimeZone> loaded = LoadZone("Europe/Helsinki");
    return loaded.ok() ? *loaded : absl::UTCTimeZone();
  }();
  return absl::ToCivilDay(absl::Now(), zone);
}

absl::StatusOr<v1::WorkstationDistributionReport> BuildWorkstationDistribution(
    StorageSession& session, const v1::WorkstationDistributionRequest& request,
    const WorkforceSettings& settings) {
  ASSIGN_OR_RETURN(absl::CivilDay as_of, DayField("as_of", request.as_of()));
  std::optional<absl::CivilDay> compare_to;
  if (!request.compare_to().empty()) {
    ASSIGN_OR_RETURN(compare_to, DayField("compare_to", request.compare_to()));
  }
  RETURN_IF_ERROR(CheckScope(session, request.organization(), request.unit()));
  const HrScope scope = RequestedScope(request.organization(), request.unit());
  const int k = settings.anonymity_k;
  // One scan serves both dates: the periods overlapping the span between
  // them (the analytics pick those covering each date).
  std::vector<EmployeePeriod> periods;
  const absl::CivilDay first = std::min(as_of, compare_to.value_or(as_of));
  const absl::CivilDay last = std::max(as_of, compare_to.value_or(as_of));
  RETURN_IF_ERROR(session.Workforce().ScanEmployeePeriods(
      first, last, [&](const EmployeePeriod& p) { periods.push_back(p); }));
  const ScopeDistribution figures =
      Lookup(ComputeDistribution(periods, as_of, k), scope);
  std::optional<ScopeDistribution> before;
  if (compare_to.has_value()) {
    before = Lookup(ComputeDistribution(periods, *compare_to, k), scope);
  }

  v1::WorkstationDistributionReport report;
  report.set_as_of(request.as_of());
  report.set_compare_to(request.compare_to());
  report.set_organization(request.organization());
  report.set_unit(request.unit());
  report.set_anonymity_k(k);
  static constexpr const char* kNames[kDistributionCategories] = {
      "employees", "in_offices", "at_home", "shared_use", "unassigned",
      "multi_space"};
  static constexpr const char* kLabels[kDistributionCategories] = {
      "employees",
      "employees in offices",
      "employees at home",
      "in shared-use premises",
      "at unassigned workstations",
      "in multi-space environments"};
  for (int c = 0; c < kDistributionCategories; ++c) {
    v1::DistributionCategory* category = report.add_categories();
    category->set_category(kNames[c]);
    category->set_label(kLabels[c]);
    SetCount(figures.counts[c], category->mutable_employees());
    if (c == kSharedUse || c == kUnassigned || c == kMultiSpace) {
      SetFigure(figures.share_of_office[c],
                category->mutable_share_of_office_pct());
    }
    if (before.has_value()) {
      // A change reveals one count from the other: shown only when both are.
      const HrCount& then = before->counts[c];
      const HrCount& now_count = figures.counts[c];
      const bool withheld = then.withheld || now_count.withheld;
      SetCount(HrCount{withheld ? 0 : now_count.value - then.value, withheld},
               category->mutable_change());
    }
  }
  return report;
}

absl::StatusOr<v1::OfficeDaysReport> BuildOfficeDays(
    StorageSession& session, const v1::OfficeDaysRequest& request,
    const WorkforceSettings& settings) {
  absl::StatusOr<absl::CivilMonth> from = ParseIsoMonth(request.from_month());
  if (!from.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from_month: \"", request.from_month(), "\" ", from.status().message()));
  }
  absl::StatusOr<absl::CivilMonth> to = ParseIsoMonth(request.to_month());
  if (!to.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_month: \"", request.to_month(), "\" ", to.status().message()));
  }
  if (*to < *from) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_month: ", request.to_month(), " is before from_month ",
                     request.from_month()));
  }
  if (*to - *from >= kMaxReportMonths) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_month: at most ", kMaxReportMonths, " months in one report"));
  }
  RETURN_IF_ERROR(CheckScope(session, request.organization(), request.unit()));
  const HrScope scope = RequestedScope(request.organization(), request.unit());
  const int k = settings.anonymity_k;
  const absl::CivilDay retained_from =
      RetainedFrom(settings.today(), settings.retention_months);

  std::vector<EmployeePeriod> periods;
  RETURN_IF_ERROR(session.Workforce().ScanEmployeePeriods(
      absl::CivilDay(*from), absl::CivilDay(*to + 1) - 1,
      [&](const EmployeePeriod& p) { periods.push_back(p); }));
  std::map<absl::CivilMonth, std::vector<WorkMonth>> months;
  RETURN_IF_ERROR(session.Workforce().ScanWorkMonths(
      *from, *to, [&](const WorkMonth& m) {
        months[absl::CivilMonth(m.year, m.month)].push_back(m);
      }));

  v1::OfficeDaysReport report;
  report.set_from_month(request.from_month());
  report.set_to_month(request.to_month());
  report.set_organization(request.organization());
  report.set_unit(request.unit());
  report.set_group_by(request.group_by());
  report.set_anonymity_k(k);
  for (int b = 0; b < kOfficeDayBuckets; ++b) {
    report.add_bucket_labels(OfficeDayBucketLabel(b));
  }
  report.set_retention_months(settings.retention_months);
  report.set_retained_from(FormatDate(retained_from));

  // Which rows of the table the request shows.
  auto wanted = [&](const HrScope& row) {
    switch (request.group_by()) {
      case v1::HR_GROUPING_ORGANIZATION:
        if (row.level != 1) return false;
        return scope.level == 0 || row.organization == scope.organization;
      case v1::HR_GROUPING_UNIT:
        if (row.level != 2) return false;
        if (scope.level >= 1 && row.organization != scope.organization) return false;
        return scope.level < 2 || row.unit == scope.unit;
      default:
        return row == scope;
    }
  };
  const std::vector<WorkMonth> no_days;
  for (absl::CivilMonth month = *from; month <= *to; ++month) {
    auto it = months.find(month);
    const std::vector<WorkMonth>& rollup = it == months.end() ? no_days : it->second;
    const std::vector<PersonMonth> people =
        AttributeMonth(periods, rollup, month, nullptr);
    const OfficeDaysTable table = ComputeOfficeDays(people, k);
    std::vector<std::pair<HrScope, ScopeOfficeDays>> rows;
    for (const auto& [row_scope, figures] : table) {
      if (wanted(row_scope)) rows.emplace_back(row_scope, figures);
    }
    if (rows.empty() && request.group_by() == v1::HR_GROUPING_UNSPECIFIED) {
      // Nobody there that month: an empty group, all withheld.
      ScopeOfficeDays empty;
      for (HrCount* c : {&empty.registered, &empty.shared_use, &empty.with_days,
                         &empty.meeting, &empty.below}) {
        *c = HrCount{0, true};
      }
      for (HrCount& c : empty.buckets) c = HrCount{0, true};
      for (HrPercent* p : {&empty.shared_use_share, &empty.meeting_share,
                           &empty.median}) {
        *p = HrPercent{0, true};
      }
      for (HrPercent& p : empty.location_mix) p = HrPercent{0, true};
      rows.emplace_back(scope, empty);
    }
    for (const auto& [row_scope, figures] : rows) {
      v1::OfficeDaysRow* row = report.add_rows();
      row->set_month(FormatIsoMonth(month));
      row->set_organization(row_scope.organization);
      row->set_unit(row_scope.unit);
      row->set_level(row_scope.level);
      SetCount(figures.registered, row->mutable_registered());
      SetCount(figures.shared_use, row->mutable_shared_use());
      SetFigure(figures.shared_use_share, row->mutable_shared_use_pct());
      row->set_shared_use_target_met(!figures.shared_use_share.withheld &&
                                     figures.shared_use_share.value >=
                                         kSharedUseTargetPercent);
      SetCount(figures.with_days, row->mutable_with_days());
      for (const HrCount& bucket : figures.buckets) {
        SetCount(bucket, row->add_office_day_buckets());
      }
      SetFigure(figures.median, row->mutable_median_office_days());
      SetCount(figures.meeting, row->mutable_meeting_recommendation());
      SetCount(figures.below, row->mutable_below_recommendation());
      SetFigure(figures.meeting_share, row->mutable_meeting_recommendation_pct());
      for (const HrPercent& share : figures.location_mix) {
        SetFigure(share, row->add_location_mix_pct());
      }
      row->set_partial(absl::CivilDay(month) < retained_from);
    }
  }
  return report;
}

}  // namespace monipaikka
