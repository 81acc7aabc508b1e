#pragma once

// Which HR figures of a period may be shown (docs/hr-privacy.md "Privacy",
// "Anonymity"). A period is a month: its office-days table (state,
// organizations, units), the workstation distribution at the month's
// publication date when the calendar has one and it has passed, and that
// distribution's change since the previous publication date. They are
// audited as ONE system (disclosure_audit.h), since they count the same
// people:
//
// - every group's headcount (registered in the month, employees on the
//   date) is known to the attacker, who knows who works in which unit;
// - complements that are never shown (not in shared use, without days, not
//   in an office, …) are hidden cells, protected like shown ones;
// - the month's shared-use count is the date's plus that of the people who
//   left during the month (at most registered − employees);
// - the previous publication date's distribution is taken as known, so a
//   date's pattern never depends on which comparison is asked for, and the
//   change since then is a cell of its own: sensitive when 1 … k−1 people
//   entered or left the category in that group;
// - a shown median proves that at least half of the people with days lie on
//   either side of it (bucket inequalities), and that the group with days
//   has at least 2k people; a withheld one, in a group of at least 2k
//   registered, that it has fewer.
//
// Protection interval: a sensitive count v (1 … k−1, or any count of a group
// of fewer than k) must stay possible anywhere from 0 to min(k, group
// size); a sensitive change Δ anywhere from Δ − k to Δ + k (within what the
// headcounts allow).
//
// Side figures: percentages are withheld with any count they are built on;
// medians are shown only for groups of at least 2k registered and 2k with
// days; the location mix of a group only when the group has at least 2k
// registered and none of its row's counts is withheld, and a location kind
// used by 1 … k−1 people is withheld with the next smallest one.

#include <array>
#include <map>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/analytics/workforce_figures.h"
#include "server/privacy/disclosure_audit.h"

namespace monipaikka {

// Medians (and the location mix) need groups of at least this many times k.
inline constexpr int kSideFigureGroupFactor = 2;

// The counts of one period.
struct HrPeriodCounts {
  std::map<HrScope, OfficeDayCounts> office_days;
  // Whether the period publishes a registry snapshot (the month has a
  // publication date that has passed).
  bool has_snapshot = false;
  std::map<HrScope, DistributionCounts> snapshot;
  // At the previous publication date (known to the attacker).
  std::map<HrScope, DistributionCounts> previous;
  // Gross changes between the previous publication date and the snapshot
  // (CountDistributionChanges).
  std::map<HrScope, DistributionCounts> changes;
};

struct HrPeriodTables {
  OfficeDaysTable office_days;
  // Empty when the period has no snapshot.
  DistributionTable snapshot;
  // Per scope of the snapshot: snapshot − previous, withheld as audited.
  // The employees' change is shown when the snapshot's headcount is (the
  // caller also checks the previous date's own pattern).
  std::map<HrScope, std::array<HrCount, kDistributionCategories>> change;
  int solves = 0;    // LP/MIP solves (0 when the pattern came from the cache)
  AuditStats stats;  // of the audit (empty when from the cache)
  size_t cells = 0;  // cells of the period's system
  size_t constraints = 0;  // and its constraints
};

// The audited tables of a period at anonymity threshold `k`. The pattern is
// cached per content of the period (the last few periods), so repeated
// requests do not solve again. INTERNAL if the solver fails;
// DEADLINE_EXCEEDED if the audit is still running at `options.deadline`, or
// CANCELLED once `options.cancelled` is set (nothing is cached then, and the
// next call audits afresh). A cached pattern is returned whatever the
// options.
absl::StatusOr<HrPeriodTables> AuditHrPeriod(const HrPeriodCounts& counts,
                                             int k,
                                             const AuditOptions& options = {});

}  // namespace monipaikka
