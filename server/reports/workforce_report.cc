#include "server/reports/workforce_report.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/client_retry.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/analytics/workforce_figures.h"
#include "server/privacy/hr_disclosure.h"
#include "server/workforce/workforce_records.h"

namespace monipaikka {
namespace {

constexpr int kMaxReportMonths = 36;

absl::Status CheckScope(StorageSession& session,
                        const std::string& organization,
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
  for (HrCount& count : empty.counts) {
    count = HrCount{0, true, HrWithheld::kSmallGroup};
  }
  for (HrPercent& share : empty.share_of_office) {
    share = HrPercent{0, true, HrWithheld::kSideFigure};
  }
  return empty;
}

v1::HrWithheldReason Reason(HrWithheld reason) {
  switch (reason) {
    case HrWithheld::kShown:
      return v1::HR_WITHHELD_REASON_UNSPECIFIED;
    case HrWithheld::kSmallGroup:
      return v1::HR_WITHHELD_SMALL_GROUP;
    // One reason: which of these it is would say whether the count is
    // 1 … k−1.
    case HrWithheld::kSmallCount:
    case HrWithheld::kProtectsAnother:
    case HrWithheld::kFewChanged:
      return v1::HR_WITHHELD_PROTECTED;
    case HrWithheld::kSideFigure:
      return v1::HR_WITHHELD_SIDE_FIGURE;
  }
  return v1::HR_WITHHELD_REASON_UNSPECIFIED;
}

void SetCount(const HrCount& count, v1::HrCount* out) {
  out->set_value(count.withheld ? 0 : count.value);
  out->set_withheld(count.withheld);
  if (count.withheld) out->set_reason(Reason(count.reason));
}

void SetFigure(const HrPercent& figure, v1::HrFigure* out) {
  out->set_value(figure.withheld ? 0 : figure.value);
  out->set_withheld(figure.withheld);
  if (figure.withheld) out->set_reason(Reason(figure.reason));
}

// The publication date in `month` (every calendar publishes on month ends).
std::optional<absl::CivilDay> PublicationDateIn(absl::CivilMonth month,
                                                PublicationCalendar calendar) {
  const absl::CivilDay end = absl::CivilDay(month + 1) - 1;
  if (IsPublicationDate(end, calendar)) return end;
  return std::nullopt;
}

absl::CivilDay PreviousPublicationDate(absl::CivilDay day,
                                       PublicationCalendar calendar) {
  return LatestPublicationDate(day - 1, calendar);
}

absl::CivilDay NextPublicationDate(absl::CivilDay day,
                                   PublicationCalendar calendar) {
  absl::CivilDay next = day + 1;
  while (!IsPublicationDate(next, calendar)) ++next;  // At most a year.
  return next;
}

// A registry snapshot may be asked for only on a publication date that has
// passed (the day is over).
absl::Status CheckPublicationDate(absl::string_view field, absl::CivilDay day,
                                  const WorkforceSettings& settings) {
  const PublicationCalendar calendar = settings.publication;
  if (!IsPublicationDate(day, calendar)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", FormatDate(day),
        " is not a publication date of the HR registry (",
        std::string(PublicationCalendarName(calendar)), "); the nearest are ",
        FormatDate(PreviousPublicationDate(day, calendar)), " and ",
        FormatDate(NextPublicationDate(day, calendar))));
  }
  const absl::CivilDay today = settings.today();
  if (day >= today) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(day),
                     " has not passed yet; the latest publication date is ",
                     FormatDate(PreviousPublicationDate(today, calendar))));
  }
  return absl::OkStatus();
}

// The answer while `month`'s audit runs in the background (for seconds at
// least: a client's quick retries would only ask again in vain).
absl::Status BeingPrepared(absl::CivilMonth month) {
  return WithoutClientRetry(absl::UnavailableError(absl::StrCat(
      "the HR figures of ", FormatIsoMonth(month),
      " are being prepared: the disclosure audit of a month this large runs "
      "in the background (a state-sized month takes about a minute); ask "
      "again shortly")));
}

// The audited HR tables of `month`: its office days, and its registry
// snapshot (with the change since the previous publication date) when the
// month has a publication date that has passed.
absl::StatusOr<HrPeriodTables> AuditedPeriod(
    StorageSession& session, absl::CivilMonth month,
    const WorkforceSettings& settings) {
  if (settings.preparation != nullptr && settings.preparation->Pending(month)) {
    return BeingPrepared(month);
  }
  const absl::CivilDay first(month);
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  std::optional<absl::CivilDay> date =
      PublicationDateIn(month, settings.publication);
  if (date.has_value() && *date >= settings.today()) date.reset();
  const absl::CivilDay previous =
      date.has_value() ? PreviousPublicationDate(*date, settings.publication)
                       : first;
  std::vector<EmployeePeriod> periods;
  RETURN_IF_ERROR(session.Workforce().ScanEmployeePeriods(
      std::min(previous, first), last,
      [&](const EmployeePeriod& p) { periods.push_back(p); }));
  std::vector<WorkMonth> rollup;
  RETURN_IF_ERROR(session.Workforce().ScanWorkMonths(
      month, month, [&](const WorkMonth& m) { rollup.push_back(m); }));
  HrPeriodCounts counts;
  counts.office_days =
      CountOfficeDays(AttributeMonth(periods, rollup, month, nullptr));
  if (date.has_value()) {
    counts.has_snapshot = true;
    counts.snapshot = CountDistribution(periods, *date);
    counts.previous = CountDistribution(periods, previous);
    counts.changes = CountDistributionChanges(periods, previous, *date);
  }
  // The audit is CPU-bound: it observes the query's deadline itself, and,
  // when a background preparation exists, the inline limit before it.
  AuditOptions options;
  options.deadline = session.Deadline();
  options.cancelled = settings.cancel_audit;
  const bool may_defer = settings.preparation != nullptr;
  if (may_defer) {
    options.deadline =
        std::min(options.deadline, absl::Now() + settings.inline_audit);
  }
  absl::StatusOr<HrPeriodTables> audited =
      AuditHrPeriod(counts, settings.anonymity_k, options);
  if (may_defer && absl::IsDeadlineExceeded(audited.status())) {
    settings.preparation->Request(month);
    if (absl::Now() < session.Deadline()) return BeingPrepared(month);
  }
  return audited;
}

}  // namespace

absl::Status PrepareHrPeriod(StorageSession& session, absl::CivilMonth month,
                             const WorkforceSettings& settings) {
  return AuditedPeriod(session, month, settings).status();
}

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
  RETURN_IF_ERROR(CheckPublicationDate("as_of", as_of, settings));
  if (compare_to.has_value()) {
    RETURN_IF_ERROR(CheckPublicationDate("compare_to", *compare_to, settings));
  }
  RETURN_IF_ERROR(CheckScope(session, request.organization(), request.unit()));
  const HrScope scope = RequestedScope(request.organization(), request.unit());
  const int k = settings.anonymity_k;
  // A date's figures are those of its period's audit, whatever else is
  // asked for.
  ASSIGN_OR_RETURN(HrPeriodTables period,
                   AuditedPeriod(session, absl::CivilMonth(as_of), settings));
  const ScopeDistribution figures = Lookup(period.snapshot, scope);
  std::optional<ScopeDistribution> before;
  std::array<HrCount, kDistributionCategories> change{};
  if (compare_to.has_value()) {
    ASSIGN_OR_RETURN(
        HrPeriodTables other,
        AuditedPeriod(session, absl::CivilMonth(*compare_to), settings));
    before = Lookup(other.snapshot, scope);
    // Consecutive publication dates: the later one's audit protected the
    // change. Otherwise the change is the difference of two shown figures.
    const std::map<HrScope, std::array<HrCount, kDistributionCategories>>*
        audited = nullptr;
    int sign = 1;
    if (*compare_to == PreviousPublicationDate(as_of, settings.publication)) {
      audited = &period.change;
    } else if (as_of ==
               PreviousPublicationDate(*compare_to, settings.publication)) {
      audited = &other.change;
      sign = -1;
    }
    for (int c = 0; c < kDistributionCategories; ++c) {
      const HrCount& now_count = figures.counts[c];
      const HrCount& then = before->counts[c];
      if (now_count.withheld || then.withheld) {
        change[c] = HrCount{
            0, true, now_count.withheld ? now_count.reason : then.reason};
        continue;
      }
      change[c] = HrCount{now_count.value - then.value, false};
      if (audited == nullptr) continue;
      auto it = audited->find(scope);
      if (it != audited->end() && it->second[c].withheld) {
        change[c] = it->second[c];
      } else if (it != audited->end()) {
        change[c].value = sign * it->second[c].value;
      }
    }
  }

  v1::WorkstationDistributionReport report;
  report.set_as_of(request.as_of());
  report.set_compare_to(request.compare_to());
  report.set_organization(request.organization());
  report.set_unit(request.unit());
  report.set_anonymity_k(k);
  static constexpr const char* kNames[kDistributionCategories] = {
      "employees",  "in_offices", "at_home",
      "shared_use", "unassigned", "multi_space"};
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
    if (before.has_value()) SetCount(change[c], category->mutable_change());
  }
  return report;
}

absl::StatusOr<v1::OfficeDaysReport> BuildOfficeDays(
    StorageSession& session, const v1::OfficeDaysRequest& request,
    const WorkforceSettings& settings) {
  absl::StatusOr<absl::CivilMonth> from = ParseIsoMonth(request.from_month());
  if (!from.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("from_month: \"",
                                                   request.from_month(), "\" ",
                                                   from.status().message()));
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
        if (scope.level >= 1 && row.organization != scope.organization)
          return false;
        return scope.level < 2 || row.unit == scope.unit;
      default:
        return row == scope;
    }
  };
  for (absl::CivilMonth month = *from; month <= *to; ++month) {
    ASSIGN_OR_RETURN(HrPeriodTables period,
                     AuditedPeriod(session, month, settings));
    const OfficeDaysTable& table = period.office_days;
    std::vector<std::pair<HrScope, ScopeOfficeDays>> rows;
    for (const auto& [row_scope, figures] : table) {
      if (wanted(row_scope)) rows.emplace_back(row_scope, figures);
    }
    if (rows.empty() && request.group_by() == v1::HR_GROUPING_UNSPECIFIED) {
      // Nobody there that month: an empty group, all withheld.
      ScopeOfficeDays empty;
      const HrCount none{0, true, HrWithheld::kSmallGroup};
      const HrPercent no_figure{0, true, HrWithheld::kSideFigure};
      for (HrCount* c : {&empty.registered, &empty.shared_use, &empty.with_days,
                         &empty.meeting, &empty.below}) {
        *c = none;
      }
      for (HrCount& c : empty.buckets) c = none;
      for (HrPercent* p :
           {&empty.shared_use_share, &empty.meeting_share, &empty.median}) {
        *p = no_figure;
      }
      for (HrPercent& p : empty.location_mix) p = no_figure;
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
      SetFigure(figures.meeting_share,
                row->mutable_meeting_recommendation_pct());
      for (const HrPercent& share : figures.location_mix) {
        SetFigure(share, row->add_location_mix_pct());
      }
      row->set_partial(absl::CivilDay(month) < retained_from);
    }
  }
  return report;
}

}  // namespace monipaikka
