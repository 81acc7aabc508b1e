#include "server/analytics/workforce_figures.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "server/analytics/workforce_anonymity.h"

namespace monipaikka {
namespace {

// The parent of an organization or unit scope.
HrScope ParentOf(const HrScope& scope) {
  if (scope.level == 2) return HrScope{1, scope.organization, ""};
  return HrScope{0, "", ""};
}

// Index of each scope in map order, and the children of each.
template <typename Value>
struct ScopeIndex {
  std::vector<HrScope> scopes;
  std::map<HrScope, size_t> index;
  std::vector<std::vector<size_t>> children;

  explicit ScopeIndex(const std::map<HrScope, Value>& table) {
    for (const auto& [scope, value] : table) {
      index.emplace(scope, scopes.size());
      scopes.push_back(scope);
    }
    children.resize(scopes.size());
    for (size_t i = 0; i < scopes.size(); ++i) {
      if (scopes[i].level > 0) children[index.at(ParentOf(scopes[i]))].push_back(i);
    }
  }
};

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

HrCount Shown(int64_t value, bool withheld) {
  return withheld ? HrCount{0, true} : HrCount{value, false};
}

}  // namespace

int64_t WholePercent(int64_t count, int64_t of) {
  if (of <= 0) return 0;
  return (200 * count + of) / (2 * of);
}

DistributionTable ComputeDistribution(std::span<const EmployeePeriod> periods,
                                      absl::CivilDay as_of, int k) {
  using Counts = std::array<int64_t, kDistributionCategories>;
  UnitSums<Counts> units;
  for (const EmployeePeriod& p : periods) {
    if (p.valid_from > as_of || p.valid_to < as_of) continue;
    const bool office = p.office != OfficeWorkstation::kNone;
    const std::array<bool, kDistributionCategories> in = {
        true,
        office,
        p.home_workstation,
        office && p.shared_use,
        p.office == OfficeWorkstation::kUnassigned,
        office && p.multi_space};
    Counts& counts = units.For(p.organization, p.unit);
    for (int c = 0; c < kDistributionCategories; ++c) counts[c] += in[c];
  }
  const std::map<HrScope, Counts> raw =
      units.RollUp([](Counts& sum, const Counts& add) {
        for (int c = 0; c < kDistributionCategories; ++c) sum[c] += add[c];
      });

  // Cells per scope: the six categories, then the derivable complements
  // not in an office, not at home, and office employees not shared-use,
  // not unassigned, not multi-space.
  constexpr size_t kCells = 11;
  const ScopeIndex<Counts> index(raw);
  std::vector<DisclosureCell> cells(index.scopes.size() * kCells);
  std::vector<AdditiveRelation> relations;
  for (size_t s = 0; s < index.scopes.size(); ++s) {
    const auto& c = raw.at(index.scopes[s]);
    const int64_t total = c[kAllEmployees];
    const int64_t office = c[kInOffices];
    const size_t b = s * kCells;
    const std::array<int64_t, kCells> values = {
        c[0], c[1], c[2], c[3], c[4], c[5],
        total - office, total - c[kAtHome], office - c[kSharedUse],
        office - c[kUnassigned], office - c[kMultiSpace]};
    for (size_t i = 0; i < kCells; ++i) {
      cells[b + i].value = values[i];
      cells[b + i].published = i < kDistributionCategories;
      cells[b + i].sensitive = IsSmallGroup(values[i], total, k);
    }
    relations.push_back({b + kAllEmployees, {b + kInOffices, b + 6}});
    relations.push_back({b + kAllEmployees, {b + kAtHome, b + 7}});
    relations.push_back({b + kInOffices, {b + kSharedUse, b + 8}});
    relations.push_back({b + kInOffices, {b + kUnassigned, b + 9}});
    relations.push_back({b + kInOffices, {b + kMultiSpace, b + 10}});
    if (!index.children[s].empty()) {
      for (int cat = 0; cat < kDistributionCategories; ++cat) {
        AdditiveRelation sum{b + cat, {}};
        for (size_t child : index.children[s]) {
          sum.parts.push_back(child * kCells + cat);
        }
        relations.push_back(std::move(sum));
      }
    }
  }
  const std::vector<bool> withheld = WithholdCells(cells, relations, k);

  DistributionTable table;
  for (size_t s = 0; s < index.scopes.size(); ++s) {
    ScopeDistribution& out = table[index.scopes[s]];
    const size_t b = s * kCells;
    for (int cat = 0; cat < kDistributionCategories; ++cat) {
      out.counts[cat] = Shown(cells[b + cat].value, withheld[b + cat]);
    }
    for (int cat : {kSharedUse, kUnassigned, kMultiSpace}) {
      if (out.counts[cat].withheld || out.counts[kInOffices].withheld) {
        out.share_of_office[cat] = HrPercent{0, true};
      } else {
        out.share_of_office[cat] = HrPercent{
            static_cast<double>(WholePercent(out.counts[cat].value,
                                             out.counts[kInOffices].value)),
            false};
      }
    }
  }
  return table;
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

std::vector<PersonMonth> AttributeMonth(
    std::span<const EmployeePeriod> periods, std::span<const WorkMonth> months,
    absl::CivilMonth month, int64_t* unregistered) {
  const absl::CivilDay first(month);
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  // The period covering the person's last registered day of the month is
  // the overlapping one that starts last (periods of a person never overlap).
  // Employee ids are storage's dense row ids: index vectors by them.
  int64_t max_id = 0;
  for (const EmployeePeriod& p : periods) max_id = std::max(max_id, p.employee_id);
  for (const WorkMonth& m : months) max_id = std::max(max_id, m.employee_id);
  std::vector<const EmployeePeriod*> latest(max_id + 1, nullptr);
  size_t registered = 0;
  for (const EmployeePeriod& p : periods) {
    if (p.valid_from > last || p.valid_to < first || p.employee_id < 0) continue;
    const EmployeePeriod*& best = latest[p.employee_id];
    if (best == nullptr) ++registered;
    if (best == nullptr || p.valid_from > best->valid_from) best = &p;
  }
  std::vector<const WorkMonth*> days(max_id + 1, nullptr);
  for (const WorkMonth& m : months) {
    if (m.year != month.year() || m.month != month.month() || m.employee_id < 0) {
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

OfficeDaysTable ComputeOfficeDays(std::span<const PersonMonth> people, int k) {
  struct Raw {
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
  UnitSums<Raw> units;
  for (const PersonMonth& person : people) {
    int office_days = 0;
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      if (IsOfficeKind(kind)) office_days += person.days[kind];
    }
    Raw& r = units.For(person.organization, person.unit);
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
  std::map<HrScope, Raw> raw = units.RollUp([](Raw& sum, const Raw& add) {
    sum.registered += add.registered;
    sum.shared_use += add.shared_use;
    sum.with_days += add.with_days;
    sum.meeting += add.meeting;
    for (int b = 0; b < kOfficeDayBuckets; ++b) sum.buckets[b] += add.buckets[b];
    for (size_t d = 0; d < sum.office_days.size(); ++d) {
      sum.office_days[d] += add.office_days[d];
    }
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      sum.kind_days[kind] += add.kind_days[kind];
      sum.kind_people[kind] += add.kind_people[kind];
    }
  });

  // Cells per scope: 0 registered, 1 shared-use, 2 not shared-use*,
  // 3 with days, 4 without days*, 5 meeting, 6 below the recommendation,
  // 7–11 buckets (* derivable, not shown).
  constexpr size_t kCells = 12;
  constexpr size_t kBucket0 = 7;
  const ScopeIndex<Raw> index(raw);
  std::vector<DisclosureCell> cells(index.scopes.size() * kCells);
  std::vector<AdditiveRelation> relations;
  for (size_t s = 0; s < index.scopes.size(); ++s) {
    const Raw& r = raw.at(index.scopes[s]);
    const size_t b = s * kCells;
    const std::array<int64_t, kCells> values = {
        r.registered,     r.shared_use,           r.registered - r.shared_use,
        r.with_days,      r.registered - r.with_days, r.meeting,
        r.with_days - r.meeting, r.buckets[0],    r.buckets[1],
        r.buckets[2],     r.buckets[3],           r.buckets[4]};
    for (size_t i = 0; i < kCells; ++i) {
      cells[b + i].value = values[i];
      cells[b + i].published = i != 2 && i != 4;
      const int64_t population = i <= 4 ? r.registered : r.with_days;
      cells[b + i].sensitive = IsSmallGroup(values[i], population, k);
    }
    relations.push_back({b + 0, {b + 1, b + 2}});
    relations.push_back({b + 0, {b + 3, b + 4}});
    relations.push_back({b + 3, {b + 5, b + 6}});
    relations.push_back({b + 6, {b + kBucket0, b + kBucket0 + 1}});
    relations.push_back(
        {b + 5, {b + kBucket0 + 2, b + kBucket0 + 3, b + kBucket0 + 4}});
    if (!index.children[s].empty()) {
      for (size_t cell : {0, 1, 3, 5, 6, 7, 8, 9, 10, 11}) {
        AdditiveRelation sum{b + cell, {}};
        for (size_t child : index.children[s]) {
          sum.parts.push_back(child * kCells + cell);
        }
        relations.push_back(std::move(sum));
      }
    }
  }
  const std::vector<bool> withheld = WithholdCells(cells, relations, k);

  OfficeDaysTable table;
  for (size_t s = 0; s < index.scopes.size(); ++s) {
    Raw& r = raw.at(index.scopes[s]);
    ScopeOfficeDays& out = table[index.scopes[s]];
    const size_t b = s * kCells;
    auto count = [&](size_t i) { return Shown(cells[b + i].value, withheld[b + i]); };
    out.registered = count(0);
    out.shared_use = count(1);
    out.with_days = count(3);
    out.meeting = count(5);
    out.below = count(6);
    for (int bucket = 0; bucket < kOfficeDayBuckets; ++bucket) {
      out.buckets[bucket] = count(kBucket0 + bucket);
    }
    auto share = [](const HrCount& part, const HrCount& of) {
      if (part.withheld || of.withheld) return HrPercent{0, true};
      return HrPercent{static_cast<double>(WholePercent(part.value, of.value)),
                       false};
    };
    out.shared_use_share = share(out.shared_use, out.registered);
    out.meeting_share = share(out.meeting, out.with_days);

    // The median concerns the whole group: shown for groups of at least k.
    if (r.with_days < k) {
      out.median = HrPercent{0, true};
    } else {
      // The k-th smallest (from 1) office-day count, from the histogram.
      auto nth = [&](int64_t k) {
        int64_t seen = 0;
        for (size_t d = 0; d < r.office_days.size(); ++d) {
          seen += r.office_days[d];
          if (seen >= k) return static_cast<double>(d);
        }
        return 31.0;
      };
      const int64_t n = r.with_days;
      out.median.value =
          n % 2 == 1 ? nth(n / 2 + 1) : (nth(n / 2) + nth(n / 2 + 1)) / 2.0;
    }

    // Location mix: the shares add up to 100 %, so a withheld kind needs a
    // second one; a kind is sensitive when fewer than k people worked there.
    int64_t total_days = 0;
    for (int64_t d : r.kind_days) total_days += d;
    std::vector<DisclosureCell> mix(kLocationKinds + 1);
    AdditiveRelation all{kLocationKinds, {}, /*persons=*/false};
    // The 100 % they add up to is known: a published total.
    mix[kLocationKinds] = {total_days, true, r.with_days < k};
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      mix[kind] = {r.kind_days[kind], true,
                   IsSmallGroup(r.kind_people[kind], r.with_days, k)};
      all.parts.push_back(kind);
    }
    const std::vector<bool> mix_withheld = WithholdCells(mix, {all}, k);
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      if (mix_withheld[kind] || total_days == 0) {
        out.location_mix[kind] = HrPercent{0, mix_withheld[kind]};
        continue;
      }
      out.location_mix[kind].value =
          std::round(1000.0 * r.kind_days[kind] / total_days) / 10.0;
    }
  }
  return table;
}

}  // namespace monipaikka
