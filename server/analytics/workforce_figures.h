#pragma once

// HR figures of DESIGN.md as pure functions over the employee registry and
// the monthly rollup of work-location days: the workstation distribution as
// of a date and the office days of a month. Every figure is computed for the
// whole hierarchy (the state, each organization, each unit of each) and
// anonymity suppression runs over that whole table (workforce_anonymity.h),
// so the pattern is the same whichever part a report shows.

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/storage/workforce_storage.h"

namespace monipaikka {

// A node of the hierarchy: the state (level 0), an organization (1) or a
// unit of an organization (2; the unit code may be empty).
struct HrScope {
  int level = 0;
  std::string organization;
  std::string unit;

  friend auto operator<=>(const HrScope&, const HrScope&) = default;
  friend bool operator==(const HrScope&, const HrScope&) = default;
};

// A count of employees (or a share) that may be withheld. When withheld,
// `value` is 0: the number never leaves the analytics.
struct HrCount {
  int64_t value = 0;
  bool withheld = false;
};
struct HrPercent {
  double value = 0;  // percent
  bool withheld = false;
};

// ---- Workstation distribution ----

enum DistributionCategory : int {
  kAllEmployees = 0,
  kInOffices = 1,   // office workstation assigned or unassigned
  kAtHome = 2,      // registered home workstation
  kSharedUse = 3,   // office employees in shared-use premises
  kUnassigned = 4,  // office employees at unassigned workstations
  kMultiSpace = 5,  // office employees in multi-space environments
};
inline constexpr int kDistributionCategories = 6;

struct ScopeDistribution {
  std::array<HrCount, kDistributionCategories> counts;
  // Whole-percent share of the office employees (rounded half up), for
  // kSharedUse, kUnassigned and kMultiSpace; withheld with either count.
  std::array<HrPercent, kDistributionCategories> share_of_office;
};

using DistributionTable = std::map<HrScope, ScopeDistribution>;

// The distribution of the employees whose period covers `as_of` (periods
// not covering it are ignored), for every scope, with suppression at `k`.
DistributionTable ComputeDistribution(std::span<const EmployeePeriod> periods,
                                      absl::CivilDay as_of, int k);

// `count` / `of` in whole percent, rounded half up; 0 when `of` is 0.
int64_t WholePercent(int64_t count, int64_t of);

// ---- Office days ----

// Location kinds (0–6 = A–G) that count as office days for the
// recommendation of at least 5 office days a month: the agency's own office
// (B), joint service points (C), state agency buildings (D) and special
// premises (F). Remote work (A), event venues (E) and third places (G) do
// not.
bool IsOfficeKind(int kind);

// Buckets of office days a month: 0, 1–4, 5–8, 9–12, 13+.
inline constexpr int kOfficeDayBuckets = 5;
int OfficeDayBucket(int office_days);
// "0", "1-4", "5-8", "9-12", "13+".
const char* OfficeDayBucketLabel(int bucket);

inline constexpr int kRecommendedOfficeDays = 5;
inline constexpr int kSharedUseTargetPercent = 25;

// One employee in one month: where the registry puts the person (the period
// covering the last day of the month on which the person was registered)
// and the days recorded, by kind.
struct PersonMonth {
  int64_t employee_id = 0;
  std::string organization;
  std::string unit;
  bool shared_use = false;  // office in shared-use premises
  std::array<int32_t, kLocationKinds> days{};
  bool has_days = false;
};

// Pairs the month's rollup rows with the registry: one PersonMonth per
// employee registered on some day of `month`, in employee id order. Rollup
// rows of people not registered in the month are counted in *unregistered
// (may be null).
std::vector<PersonMonth> AttributeMonth(
    std::span<const EmployeePeriod> periods, std::span<const WorkMonth> months,
    absl::CivilMonth month, int64_t* unregistered);

struct ScopeOfficeDays {
  HrCount registered;        // employees registered in the month
  HrCount shared_use;        // … of them with an office in shared-use premises
  HrPercent shared_use_share;  // whole percent of registered
  HrCount with_days;         // employees with at least one recorded day
  std::array<HrCount, kOfficeDayBuckets> buckets;  // of with_days
  HrCount meeting;           // ≥ 5 office days
  HrCount below;             // < 5 office days
  HrPercent meeting_share;   // whole percent of with_days
  HrPercent median;          // median office days (not a percent)
  // Share of recorded working days per kind A–G, percent with one decimal.
  std::array<HrPercent, kLocationKinds> location_mix;
};

using OfficeDaysTable = std::map<HrScope, ScopeOfficeDays>;

OfficeDaysTable ComputeOfficeDays(std::span<const PersonMonth> people, int k);

}  // namespace monipaikka
