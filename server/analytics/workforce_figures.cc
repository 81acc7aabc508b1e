#include "server/analytics/workforce_figures.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"

namespace monipaikka {
namespace {

// Sums kept per unit while reading people (one hash lookup each), then
// added up into their organizations and the state.
template <typename Raw>
class UnitSums {
 public:
  Raw& For(const std::string& organization, const std::string& unit) {
    key_.assign(organization);
    key_.push_back('\0');
    key_.append(unit);
    return units_[key_];
  }
  // Every scope: the state (present even when empty), organizations, units.
  template <typename Add>
  std::map<HrScope, Raw> RollUp(Add add) const {
    std::map<HrScope, Raw> table;
    Raw& state = table[HrScope{0, "", ""}];
    for (const auto& [key, raw] : units_) {
      const size_t split = key.find('\0');
      HrScope unit{2, key.substr(0, split), key.substr(split + 1)};
      add(table[HrScope{1, unit.organization, ""}], raw);
      add(state, raw);
      table.emplace(std::move(unit), raw);
    }
    return table;
  }

 private:
  std::string key_;
  absl::flat_hash_map<std::string, Raw> units_;
};

}  // namespace

int64_t WholePercent(int64_t count, int64_t of) {
  if (of <= 0) return 0;
  return (200 * count + of) / (2 * of);
}

namespace {

// The categories a registry period puts its employee in.
std::array<bool, kDistributionCategories> CategoriesOf(
    const EmployeePeriod& p) {
  const bool office = p.office != OfficeWorkstation::kNone;
  return {true,
          office,
          p.home_workstation,
          office && p.shared_use,
          p.office == OfficeWorkstation::kUnassigned,
          office && p.multi_space};
}

void AddCounts(DistributionCounts& sum, const DistributionCounts& add) {
  for (int c = 0; c < kDistributionCategories; ++c) sum[c] += add[c];
}

}  // namespace

std::map<HrScope, DistributionCounts> CountDistribution(
    std::span<const EmployeePeriod> periods, absl::CivilDay as_of) {
  UnitSums<DistributionCounts> units;
  for (const EmployeePeriod& p : periods) {
    if (p.valid_from > as_of || p.valid_to < as_of) continue;
    const std::array<bool, kDistributionCategories> in = CategoriesOf(p);
    DistributionCounts& counts = units.For(p.organization, p.unit);
    for (int c = 0; c < kDistributionCategories; ++c) counts[c] += in[c];
  }
  return units.RollUp(AddCounts);
}

std::map<HrScope, DistributionCounts> CountDistributionChanges(
    std::span<const EmployeePeriod> periods, absl::CivilDay from,
    absl::CivilDay to) {
  // The period of each employee on each day (periods never overlap).
  std::map<int64_t, std::pair<const EmployeePeriod*, const EmployeePeriod*>>
      people;
  for (const EmployeePeriod& p : periods) {
    if (p.valid_from <= from && p.valid_to >= from)
      people[p.employee_id].first = &p;
    if (p.valid_from <= to && p.valid_to >= to)
      people[p.employee_id].second = &p;
  }
  std::map<HrScope, DistributionCounts> changes;
  for (const auto& [id, pair] : people) {
    const auto [before, after] = pair;
    std::array<bool, kDistributionCategories> in_before{};
    std::array<bool, kDistributionCategories> in_after{};
    if (before != nullptr) in_before = CategoriesOf(*before);
    if (after != nullptr) in_after = CategoriesOf(*after);
    for (int level = 0; level <= 2; ++level) {
      auto scope_of = [&](const EmployeePeriod* p) {
        if (level == 0) return HrScope{0, "", ""};
        if (level == 1) return HrScope{1, p->organization, ""};
        return HrScope{2, p->organization, p->unit};
      };
      for (int c = 0; c < kDistributionCategories; ++c) {
        const bool was = before != nullptr && in_before[c];
        const bool is = after != nullptr && in_after[c];
        if (was && is && scope_of(before) == scope_of(after)) continue;
        if (was) ++changes[scope_of(before)][c];
        if (is) ++changes[scope_of(after)][c];
      }
    }
  }
  return changes;
}

bool IsOfficeKind(int kind) {
  return kind == 1 || kind == 2 || kind == 3 || kind == 5;
}

int OfficeDayBucket(int office_days) {
  if (office_days <= 0) return 0;
  if (office_days <= 4) return 1;
  if (office_days <= 8) return 2;
  if (office_days <= 12) return 3;
  return 4;
}

const char* OfficeDayBucketLabel(int bucket) {
  static constexpr const char* kLabels[kOfficeDayBuckets] = {"0", "1-4", "5-8",
                                                             "9-12", "13+"};
  return bucket >= 0 && bucket < kOfficeDayBuckets ? kLabels[bucket] : "?";
}

std::vector<PersonMonth> AttributeMonth(std::span<const EmployeePeriod> periods,
                                        std::span<const WorkMonth> months,
                                        absl::CivilMonth month,
                                        int64_t* unregistered) {
  const absl::CivilDay first(month);
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  // The period covering the person's last registered day of the month is
  // the overlapping one that starts last (periods of a person never overlap).
  // Employee ids are storage's dense row ids: index vectors by them.
  int64_t max_id = 0;
  for (const EmployeePeriod& p : periods)
    max_id = std::max(max_id, p.employee_id);
  for (const WorkMonth& m : months) max_id = std::max(max_id, m.employee_id);
  std::vector<const EmployeePeriod*> latest(max_id + 1, nullptr);
  size_t registered = 0;
  for (const EmployeePeriod& p : periods) {
    if (p.valid_from > last || p.valid_to < first || p.employee_id < 0)
      continue;
    const EmployeePeriod*& best = latest[p.employee_id];
    if (best == nullptr) ++registered;
    if (best == nullptr || p.valid_from > best->valid_from) best = &p;
  }
  std::vector<const WorkMonth*> days(max_id + 1, nullptr);
  for (const WorkMonth& m : months) {
    if (m.year != month.year() || m.month != month.month() ||
        m.employee_id < 0) {
      continue;
    }
    days[m.employee_id] = &m;
  }
  std::vector<PersonMonth> people;
  people.reserve(registered);
  for (int64_t employee_id = 0; employee_id <= max_id; ++employee_id) {
    const EmployeePeriod* period = latest[employee_id];
    if (period == nullptr) continue;
    PersonMonth& person = people.emplace_back();
    person.employee_id = employee_id;
    person.organization = period->organization;
    person.unit = period->unit;
    person.shared_use =
        period->shared_use && period->office != OfficeWorkstation::kNone;
    if (const WorkMonth* m = days[employee_id]; m != nullptr) {
      person.days = m->days;
      for (int32_t d : person.days) person.has_days = person.has_days || d > 0;
    }
  }
  if (unregistered != nullptr) {
    *unregistered = 0;
    for (int64_t employee_id = 0; employee_id <= max_id; ++employee_id) {
      if (days[employee_id] != nullptr && latest[employee_id] == nullptr) {
        ++*unregistered;
      }
    }
  }
  return people;
}

std::map<HrScope, OfficeDayCounts> CountOfficeDays(
    std::span<const PersonMonth> people) {
  UnitSums<OfficeDayCounts> units;
  for (const PersonMonth& person : people) {
    int office_days = 0;
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      if (IsOfficeKind(kind)) office_days += person.days[kind];
    }
    OfficeDayCounts& r = units.For(person.organization, person.unit);
    ++r.registered;
    r.shared_use += person.shared_use;
    if (!person.has_days) continue;
    ++r.with_days;
    ++r.buckets[OfficeDayBucket(office_days)];
    r.meeting += office_days >= kRecommendedOfficeDays;
    ++r.office_days[std::clamp(office_days, 0, 31)];
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      r.kind_days[kind] += person.days[kind];
      r.kind_people[kind] += person.days[kind] > 0;
    }
  }
  return units.RollUp([](OfficeDayCounts& sum, const OfficeDayCounts& add) {
    sum.registered += add.registered;
    sum.shared_use += add.shared_use;
    sum.with_days += add.with_days;
    sum.meeting += add.meeting;
    for (int b = 0; b < kOfficeDayBuckets; ++b)
      sum.buckets[b] += add.buckets[b];
    for (size_t d = 0; d < sum.office_days.size(); ++d) {
      sum.office_days[d] += add.office_days[d];
    }
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      sum.kind_days[kind] += add.kind_days[kind];
      sum.kind_people[kind] += add.kind_people[kind];
    }
  });
}

double MedianOfficeDays(const OfficeDayCounts& counts) {
  // The n-th smallest (from 1) office-day count, from the histogram.
  auto nth = [&](int64_t n) {
    int64_t seen = 0;
    for (size_t d = 0; d < counts.office_days.size(); ++d) {
      seen += counts.office_days[d];
      if (seen >= n) return static_cast<double>(d);
    }
    return 31.0;
  };
  const int64_t n = counts.with_days;
  if (n <= 0) return 0;
  return n % 2 == 1 ? nth(n / 2 + 1) : (nth(n / 2) + nth(n / 2 + 1)) / 2.0;
}

std::array<double, kLocationKinds> LocationMix(const OfficeDayCounts& counts) {
  std::array<double, kLocationKinds> mix{};
  int64_t total_days = 0;
  for (int64_t d : counts.kind_days) total_days += d;
  if (total_days == 0) return mix;
  for (int kind = 0; kind < kLocationKinds; ++kind) {
    mix[kind] = std::round(1000.0 * counts.kind_days[kind] / total_days) / 10.0;
  }
  return mix;
}

}  // namespace monipaikka
