#pragma once

// The HR reports: storage (registry, monthly rollup) + analytics
// (workforce_figures.h), audited as one system per period
// (server/privacy/hr_disclosure.h) and encoded as the API's messages. A
// withheld figure never reaches a message.

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "monipaikka/v1/workforce.pb.h"
#include "server/privacy/publication_calendar.h"
#include "server/storage/storage.h"

namespace monipaikka {

struct WorkforceSettings {
  // Figures over fewer than this many employees are withheld (≥ 3).
  int anonymity_k = 5;
  // Work-location days are kept this many months.
  int retention_months = 24;
  // Today's date (Europe/Helsinki); injectable for tests.
  std::function<absl::CivilDay()> today;
  // Registry snapshots are published only on these dates.
  PublicationCalendar publication = PublicationCalendar::kMonthEnd;
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
// month, at start, after each HR import and every hour, so that no report
// waits for it.
absl::Status PrepareHrPeriod(StorageSession& session, absl::CivilMonth month,
                             const WorkforceSettings& settings);

// Today in Europe/Helsinki by the system clock.
absl::CivilDay HelsinkiToday();

}  // namespace monipaikka
