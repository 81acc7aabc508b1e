#pragma once

// The HR reports: storage (registry, monthly rollup) + analytics
// (workforce_figures.h), audited as one system per period
// (server/privacy/hr_disclosure.h) and encoded as the API's messages. A
// withheld figure never reaches a message.

#include <atomic>
#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "monipaikka/v1/workforce.pb.h"
#include "server/privacy/publication_calendar.h"
#include "server/storage/storage.h"

namespace monipaikka {

// The background audits of HR periods (the server's preparation task), for
// months too large to audit within a request.
class HrPeriodPreparation {
 public:
  virtual ~HrPeriodPreparation() = default;
  // Whether `month`'s audit is queued or under way in the background.
  virtual bool Pending(absl::CivilMonth month) const = 0;
  // Queues `month`'s audit (once; a queued month is not queued again) and
  // returns at once.
  virtual void Request(absl::CivilMonth month) = 0;
};

struct WorkforceSettings {
  // Figures over fewer than this many employees are withheld (≥ 3).
  int anonymity_k = 5;
  // Work-location days are kept this many months.
  int retention_months = 24;
  // Today's date (Europe/Helsinki); injectable for tests.
  std::function<absl::CivilDay()> today;
  // Registry snapshots are published only on these dates.
  PublicationCalendar publication = PublicationCalendar::kMonthEnd;
  // When set, a period whose audit is neither cached nor done within
  // `inline_audit` of a request is audited by `preparation` in the
  // background instead, and the request answers UNAVAILABLE ("being
  // prepared") at once rather than waiting into its deadline. Not owned.
  HrPeriodPreparation* preparation = nullptr;
  absl::Duration inline_audit = absl::Seconds(5);
  // When set, an audit stops with CANCELLED once it reads true (a server
  // shutting down). Not owned.
  const std::atomic<bool>* cancel_audit = nullptr;
};

// INVALID_ARGUMENT for a bad date, a date that is not a publication date
// (naming the nearest ones) or has not passed yet, or a unit without
// organization; NOT_FOUND for an unknown organization.
absl::StatusOr<v1::WorkstationDistributionReport> BuildWorkstationDistribution(
    StorageSession& session, const v1::WorkstationDistributionRequest& request,
    const WorkforceSettings& settings);

// INVALID_ARGUMENT for bad months or more than 36 of them, NOT_FOUND for an
// unknown organization.
absl::StatusOr<v1::OfficeDaysReport> BuildOfficeDays(
    StorageSession& session, const v1::OfficeDaysRequest& request,
    const WorkforceSettings& settings);

// Audits the HR period of `month` now: its suppression pattern goes into
// AuditHrPeriod's cache, from which the month's reports are then answered
// without solving. A state-sized month's audit takes long (README
// "Privacy"); the server runs this in the background for the last closed
// month, at start, after each HR import and every hour, and any other month
// a request found too large to audit inline (settings.preparation), so that
// no report waits for it.
absl::Status PrepareHrPeriod(StorageSession& session, absl::CivilMonth month,
                             const WorkforceSettings& settings);

// Today in Europe/Helsinki by the system clock.
absl::CivilDay HelsinkiToday();

}  // namespace monipaikka
