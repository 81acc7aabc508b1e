#pragma once

// HR figures (docs/hr-privacy.md) as pure functions over the HR registry and
// the monthly rollup of work-location days: the workstation distribution as
// of a date and the office days of a month. Every figure is counted for the
// whole hierarchy (the state, each organization, each unit of each); which
// of them may be shown is decided over the whole period's system of tables
// by server/privacy/hr_disclosure.h, so the pattern is the same whichever
// part a report shows.

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/workforce/workforce_model.h"

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

// Why a figure is withheld. Outside the server kSmallCount,
// kProtectsAnother and kFewChanged are one reason (HR_WITHHELD_PROTECTED):
// telling them apart would prove a count small.
enum class HrWithheld : uint8_t {
  kShown = 0,
  // A group of fewer than k.
  kSmallGroup = 1,
  // Secondary suppression: with it, a withheld figure could be worked out
  // or narrowed below its protection interval.
  kProtectsAnother = 2,
  // A change between two publication dates that fewer than k people made.
  kFewChanged = 3,
  // A median or share of a group under 2k people, or one built on a
  // withheld count.
  kSideFigure = 4,
  // It concerns 1 … k−1 people of a group of k or more.
  kSmallCount = 5,
};

// A count of employees (or a share) that may be withheld. When withheld,
// `value` is 0: the number never leaves the analytics.
struct HrCount {
  int64_t value = 0;
  bool withheld = false;
  HrWithheld reason = HrWithheld::kShown;
};
struct HrPercent {
  double value = 0;  // percent
  bool withheld = false;
  HrWithheld reason = HrWithheld::kShown;
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

// Employees per category, indexed by DistributionCategory.
using DistributionCounts = std::array<int64_t, kDistributionCategories>;

// The distribution of the employees whose period covers `as_of` (periods
// not covering it are ignored), for every scope: the state (always present),
// and every organization and unit with someone in it.
std::map<HrScope, DistributionCounts> CountDistribution(
    std::span<const EmployeePeriod> periods, absl::CivilDay as_of);

// Gross changes between the registry on `from` and on `to`: per scope and
// category, the people in it on one day and not on the other (joined plus
// left, a move between units counting in both). Scopes without a change
// may be absent.
std::map<HrScope, DistributionCounts> CountDistributionChanges(
    std::span<const EmployeePeriod> periods, absl::CivilDay from,
    absl::CivilDay to);

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
std::vector<PersonMonth> AttributeMonth(std::span<const EmployeePeriod> periods,
                                        std::span<const WorkMonth> months,
                                        absl::CivilMonth month,
                                        int64_t* unregistered);

struct ScopeOfficeDays {
  HrCount registered;  // employees registered in the month
  HrCount shared_use;  // … of them with an office in shared-use premises
  HrPercent shared_use_share;  // whole percent of registered
  HrCount with_days;           // employees with at least one recorded day
  std::array<HrCount, kOfficeDayBuckets> buckets;  // of with_days
  HrCount meeting;                                 // ≥ 5 office days
  HrCount below;                                   // < 5 office days
  HrPercent meeting_share;                         // whole percent of with_days
  HrPercent median;  // median office days (not a percent)
  // Share of recorded working days per kind A–G, percent with one decimal.
  std::array<HrPercent, kLocationKinds> location_mix;
};

using OfficeDaysTable = std::map<HrScope, ScopeOfficeDays>;

// The counts behind a row of office days.
struct OfficeDayCounts {
  int64_t registered = 0;
  int64_t shared_use = 0;
  int64_t with_days = 0;
  std::array<int64_t, kOfficeDayBuckets> buckets{};
  int64_t meeting = 0;
  // People with days by office days (a month has at most 31).
  std::array<int64_t, 32> office_days{};
  std::array<int64_t, kLocationKinds> kind_days{};
  std::array<int64_t, kLocationKinds> kind_people{};
};

// Every scope's counts: the state (always present), organizations, units.
std::map<HrScope, OfficeDayCounts> CountOfficeDays(
    std::span<const PersonMonth> people);

// The median office days of the people with days (with_days > 0): the
// middle value, or the mean of the two middle ones.
double MedianOfficeDays(const OfficeDayCounts& counts);

// Share of recorded working days per kind A–G, percent with one decimal;
// 0 when no days.
std::array<double, kLocationKinds> LocationMix(const OfficeDayCounts& counts);

}  // namespace monipaikka
