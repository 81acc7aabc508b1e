#include "server/privacy/hr_disclosure.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "server/analytics/workforce_anonymity.h"
#include "server/privacy/disclosure_audit.h"

namespace monipaikka {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// Cell indexes of one scope's office-days row.
struct OfficeCells {
  size_t registered = kNone;
  size_t shared_use = kNone;
  size_t with_days = kNone;
  std::array<size_t, kOfficeDayBuckets> buckets{};
  size_t meeting = kNone;
  size_t below = kNone;
  bool median_shown = false;
};

// Cell indexes of one scope's snapshot and its change.
struct SnapshotCells {
  std::array<size_t, kDistributionCategories> counts{};
  std::array<size_t, kDistributionCategories> change{};  // kNone: no cell
};

HrScope ParentOf(const HrScope& scope) {
  if (scope.level == 2) return HrScope{1, scope.organization, ""};
  return HrScope{0, "", ""};
}

// The deepest scope level (units): their cells are the most detailed.
constexpr int kDetailLevel = 2;

class SystemBuilder {
 public:
  // `margin_price`: what each level above the units adds to a cell's cost;
  // more than any cell's value, so that secondary suppression takes unit
  // cells before organization cells, and those before state cells, and
  // within a level the smaller counts (statistical offices keep the
  // margins whenever the detail can protect a cell).
  SystemBuilder(int k, double margin_price)
      : k_(k), margin_price_(margin_price) {}

  // The secondary-suppression cost of a cell of `level` worth `value`.
  double Cost(int level, double value) const {
    return std::max(0, kDetailLevel - level) * margin_price_ + std::abs(value);
  }

  // A count of `value` people out of a group of `group` (known size) of a
  // scope at `level`.
  size_t Count(int64_t value, int64_t group, int level, bool shown,
               bool known = false) {
    AuditCell cell;
    cell.value = static_cast<double>(value);
    cell.upper_bound = static_cast<double>(std::max<int64_t>(group, value));
    cell.shown = shown;
    cell.known = known;
    cell.sensitive = group < k_ || (value >= 1 && value < k_);
    cell.protect_low = 0;
    cell.protect_high = std::min<double>(k_, cell.upper_bound);
    cell.cost = Cost(level, static_cast<double>(value));
    cells_.push_back(cell);
    return cells_.size() - 1;
  }

  size_t Hidden(double value, double low, double high) {
    AuditCell cell;
    cell.value = value;
    cell.lower_bound = low;
    cell.upper_bound = high;
    cell.shown = false;
    cells_.push_back(cell);
    return cells_.size() - 1;
  }

  size_t Add(const AuditCell& cell) {
    cells_.push_back(cell);
    return cells_.size() - 1;
  }

  void Constrain(std::vector<std::pair<size_t, double>> terms,
                 LinearConstraint::Sense sense = LinearConstraint::kEqual,
                 double rhs = 0) {
    LinearConstraint constraint;
    constraint.terms = std::move(terms);
    constraint.sense = sense;
    constraint.rhs = rhs;
    constraints_.push_back(std::move(constraint));
  }

  // total = Σ parts
  void Sum(size_t total, const std::vector<size_t>& parts) {
    std::vector<std::pair<size_t, double>> terms{{total, -1}};
    for (size_t part : parts) terms.push_back({part, 1});
    Constrain(std::move(terms));
  }

  std::vector<AuditCell>& cells() { return cells_; }
  std::vector<LinearConstraint>& constraints() { return constraints_; }

 private:
  const int k_;
  const double margin_price_;
  std::vector<AuditCell> cells_;
  std::vector<LinearConstraint> constraints_;
};

// The exact content of an audit, for the cache: every field of every cell
// and constraint, as bytes.
std::string Fingerprint(const std::vector<AuditCell>& cells,
                        const std::vector<LinearConstraint>& constraints) {
  std::string out;
  auto put = [&](const auto& value) {
    char bytes[sizeof(value)];
    std::memcpy(bytes, &value, sizeof(value));
    out.append(bytes, sizeof(value));
  };
  put(cells.size());
  for (const AuditCell& c : cells) {
    put(c.value);
    put(c.lower_bound);
    put(c.upper_bound);
    put(c.protect_low);
    put(c.protect_high);
    put(c.cost);
    const uint8_t flags =
        c.integer | c.shown << 1 | c.known << 2 | c.sensitive << 3;
    put(flags);
  }
  put(constraints.size());
  for (const LinearConstraint& r : constraints) {
    put(r.terms.size());
    for (const auto& [cell, coefficient] : r.terms) {
      put(cell);
      put(coefficient);
    }
    put(static_cast<int>(r.sense));
    put(r.rhs);
  }
  return out;
}

// The patterns of the last few periods audited, by exact content (a state
// registry's period is a few MB of fingerprint; requests for the same
// period repeat).
class PatternCache {
 public:
  std::optional<std::vector<bool>> Find(const std::string& fingerprint) {
    absl::MutexLock lock(&mutex_);
    for (const auto& [key, pattern] : entries_) {
      if (key == fingerprint) return pattern;
    }
    return std::nullopt;
  }
  void Put(std::string fingerprint, std::vector<bool> pattern) {
    absl::MutexLock lock(&mutex_);
    entries_.emplace_back(std::move(fingerprint), std::move(pattern));
    if (entries_.size() > kEntries) entries_.pop_front();
  }

 private:
  static constexpr size_t kEntries = 8;
  absl::Mutex mutex_;
  std::deque<std::pair<std::string, std::vector<bool>>> entries_
      ABSL_GUARDED_BY(mutex_);
};

PatternCache& Cache() {
  static PatternCache* cache = new PatternCache();
  return *cache;
}

// Which location kinds of a shown mix to withhold: those used by 1 … k−1
// people, and then, when only one is, the next smallest used kind too (the
// shares add up to 100 %).
std::array<bool, kLocationKinds> WithheldKinds(const OfficeDayCounts& counts,
                                               int k) {
  std::array<bool, kLocationKinds> withheld{};
  int count = 0;
  for (int kind = 0; kind < kLocationKinds; ++kind) {
    withheld[kind] =
        IsSmallGroup(counts.kind_people[kind], counts.with_days, k) &&
        counts.kind_people[kind] > 0;
    count += withheld[kind];
  }
  if (count == 1) {
    int best = -1;
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      if (withheld[kind] || counts.kind_days[kind] == 0) continue;
      if (best < 0 || counts.kind_days[kind] < counts.kind_days[best])
        best = kind;
    }
    if (best >= 0) {
      withheld[best] = true;
    } else {
      withheld.fill(true);
    }
  }
  return withheld;
}

}  // namespace

absl::StatusOr<HrPeriodTables> AuditHrPeriod(const HrPeriodCounts& counts,
                                             int k,
                                             const AuditOptions& options) {
  // Every count is at most the largest headcount of the period.
  int64_t largest_group = 0;
  for (const auto& [scope, r] : counts.office_days)
    largest_group = std::max(largest_group, r.registered);
  for (const auto& [scope, x] : counts.snapshot)
    largest_group = std::max(largest_group, x[kAllEmployees]);
  for (const auto& [scope, x] : counts.previous)
    largest_group = std::max(largest_group, x[kAllEmployees]);
  SystemBuilder system(k, static_cast<double>(largest_group + 1));
  const int64_t side_group = static_cast<int64_t>(kSideFigureGroupFactor) * k;

  // ---- Office days ----
  std::map<HrScope, OfficeCells> office;
  for (const auto& [scope, r] : counts.office_days) {
    OfficeCells& c = office[scope];
    const int64_t group = r.registered;
    const int level = scope.level;
    c.registered =
        system.Count(r.registered, group, level, true, /*known=*/true);
    c.shared_use = system.Count(r.shared_use, group, level, true);
    const size_t not_shared =
        system.Count(r.registered - r.shared_use, group, level, false);
    c.with_days = system.Count(r.with_days, group, level, true);
    const size_t without_days =
        system.Count(r.registered - r.with_days, group, level, false);
    for (int b = 0; b < kOfficeDayBuckets; ++b) {
      c.buckets[b] = system.Count(r.buckets[b], group, level, true);
    }
    c.meeting = system.Count(r.meeting, group, level, true);
    c.below = system.Count(r.with_days - r.meeting, group, level, true);
    system.Sum(c.registered, {c.shared_use, not_shared});
    system.Sum(c.registered, {c.with_days, without_days});
    system.Sum(c.with_days, {c.meeting, c.below});
    system.Sum(c.below, {c.buckets[0], c.buckets[1]});
    system.Sum(c.meeting, {c.buckets[2], c.buckets[3], c.buckets[4]});
    // The median: decided by the 2k rule on the known headcount, then on
    // the people with days; either way the attacker learns where with_days
    // lies, and a shown median bounds the buckets.
    if (r.registered >= side_group) {
      c.median_shown = r.with_days >= side_group;
      if (c.median_shown) {
        const double median = MedianOfficeDays(r);
        static constexpr double kLow[kOfficeDayBuckets] = {0, 1, 5, 9, 13};
        static constexpr double kHigh[kOfficeDayBuckets] = {0, 4, 8, 12, 31};
        std::vector<std::pair<size_t, double>> at_most{{c.with_days, -1}};
        std::vector<std::pair<size_t, double>> at_least{{c.with_days, -1}};
        for (int b = 0; b < kOfficeDayBuckets; ++b) {
          if (kLow[b] <= median) at_most.push_back({c.buckets[b], 2});
          if (kHigh[b] >= median) at_least.push_back({c.buckets[b], 2});
        }
        system.Constrain(std::move(at_most), LinearConstraint::kAtLeast, 0);
        system.Constrain(std::move(at_least), LinearConstraint::kAtLeast, 0);
        system.Constrain({{c.with_days, 1}}, LinearConstraint::kAtLeast,
                         static_cast<double>(side_group));
        if (median != std::floor(median)) {
          // Half a day: an even number of people with days.
          const size_t half = system.Hidden(r.with_days / 2, 0, r.registered);
          system.Constrain({{c.with_days, 1}, {half, -2}});
        }
      } else {
        system.Constrain({{c.with_days, 1}}, LinearConstraint::kAtMost,
                         static_cast<double>(side_group - 1));
      }
    }
  }
  // Margins: a parent is the sum of its children.
  {
    std::map<HrScope, std::vector<HrScope>> children;
    for (const auto& [scope, cells] : office) {
      if (scope.level > 0) children[ParentOf(scope)].push_back(scope);
    }
    for (const auto& entry : children) {
      // Named, not a structured binding: the lambda below captures it.
      const std::vector<HrScope>& kids = entry.second;
      auto it = office.find(entry.first);
      if (it == office.end()) continue;
      const OfficeCells& p = it->second;
      auto sum = [&](auto member) {
        std::vector<size_t> parts;
        for (const HrScope& kid : kids) parts.push_back(office.at(kid).*member);
        system.Sum(p.*member, parts);
      };
      sum(&OfficeCells::shared_use);
      sum(&OfficeCells::with_days);
      sum(&OfficeCells::meeting);
      sum(&OfficeCells::below);
      for (int b = 0; b < kOfficeDayBuckets; ++b) {
        std::vector<size_t> parts;
        for (const HrScope& kid : kids)
          parts.push_back(office.at(kid).buckets[b]);
        system.Sum(p.buckets[b], parts);
      }
    }
  }

  // ---- The snapshot, its link to the month, its change ----
  std::map<HrScope, SnapshotCells> snapshot;
  if (counts.has_snapshot) {
    for (const auto& [scope, x] : counts.snapshot) {
      SnapshotCells& c = snapshot[scope];
      const int64_t group = x[kAllEmployees];
      const int level = scope.level;
      c.counts[kAllEmployees] =
          system.Count(group, group, level, true, /*known=*/true);
      for (int cat = 1; cat < kDistributionCategories; ++cat) {
        c.counts[cat] = system.Count(x[cat], group, level, true);
      }
      const size_t all = c.counts[kAllEmployees];
      const size_t offices = c.counts[kInOffices];
      system.Sum(all, {offices, system.Count(group - x[kInOffices], group,
                                             level, false)});
      system.Sum(all, {c.counts[kAtHome],
                       system.Count(group - x[kAtHome], group, level, false)});
      for (int cat : {kSharedUse, kUnassigned, kMultiSpace}) {
        system.Sum(offices, {c.counts[cat], system.Count(x[kInOffices] - x[cat],
                                                         group, level, false)});
      }
      // The month's shared-use count is the date's plus the leavers'.
      if (auto it = office.find(scope); it != office.end()) {
        const OfficeDayCounts& month = counts.office_days.at(scope);
        const double leavers = static_cast<double>(month.registered - group);
        const double leaving_shared =
            static_cast<double>(month.shared_use - x[kSharedUse]);
        if (leavers >= 0 && leaving_shared >= 0 && leaving_shared <= leavers) {
          const size_t link = system.Hidden(leaving_shared, 0, leavers);
          system.Constrain({{it->second.shared_use, 1},
                            {c.counts[kSharedUse], -1},
                            {link, -1}});
        }
      }
      // The change since the previous publication date, whose counts are
      // taken as known.
      DistributionCounts before{};
      if (auto it = counts.previous.find(scope); it != counts.previous.end()) {
        before = it->second;
      }
      DistributionCounts moved{};
      if (auto it = counts.changes.find(scope); it != counts.changes.end()) {
        moved = it->second;
      }
      c.change.fill(kNone);
      for (int cat = 1; cat < kDistributionCategories; ++cat) {
        AuditCell change;
        change.value = static_cast<double>(x[cat] - before[cat]);
        change.lower_bound = -static_cast<double>(before[cat]);
        change.upper_bound = static_cast<double>(group - before[cat]);
        change.sensitive = moved[cat] >= 1 && moved[cat] < k;
        change.protect_low = std::max(change.lower_bound, change.value - k);
        change.protect_high = std::min(change.upper_bound, change.value + k);
        change.cost = system.Cost(level, change.value);
        c.change[cat] = system.Add(change);
        system.Constrain({{c.counts[cat], 1}, {c.change[cat], -1}},
                         LinearConstraint::kEqual,
                         static_cast<double>(before[cat]));
      }
    }
    std::map<HrScope, std::vector<HrScope>> children;
    for (const auto& [scope, cells] : snapshot) {
      if (scope.level > 0) children[ParentOf(scope)].push_back(scope);
    }
    for (const auto& [parent, kids] : children) {
      auto it = snapshot.find(parent);
      if (it == snapshot.end()) continue;
      for (int cat = 1; cat < kDistributionCategories; ++cat) {
        std::vector<size_t> parts;
        for (const HrScope& kid : kids)
          parts.push_back(snapshot.at(kid).counts[cat]);
        system.Sum(it->second.counts[cat], parts);
      }
    }
  }

  // ---- Audit (or the cached pattern of the same content) ----
  HrPeriodTables tables;
  tables.cells = system.cells().size();
  tables.constraints = system.constraints().size();
  std::string fingerprint = Fingerprint(system.cells(), system.constraints());
  fingerprint.append(reinterpret_cast<const char*>(&k), sizeof(k));
  std::vector<bool> withheld;
  if (std::optional<std::vector<bool>> cached = Cache().Find(fingerprint)) {
    withheld = std::move(*cached);
  } else {
    ASSIGN_OR_RETURN(
        AuditOutcome outcome,
        AuditDisclosure(system.cells(), system.constraints(), options));
    tables.solves = outcome.solves;
    tables.stats = std::move(outcome.stats);
    withheld = outcome.withheld;
    Cache().Put(std::move(fingerprint), std::move(outcome.withheld));
  }
  const std::vector<AuditCell>& cells = system.cells();
  auto count = [&](size_t cell) {
    if (!withheld[cell]) {
      return HrCount{static_cast<int64_t>(std::llround(cells[cell].value)),
                     false, HrWithheld::kShown};
    }
    // A Count cell's upper bound is its group's size.
    const HrWithheld reason =
        !cells[cell].sensitive        ? HrWithheld::kProtectsAnother
        : cells[cell].upper_bound < k ? HrWithheld::kSmallGroup
                                      : HrWithheld::kSmallCount;
    return HrCount{0, true, reason};
  };
  auto side = [](bool shown, double value) {
    return shown ? HrPercent{value, false, HrWithheld::kShown}
                 : HrPercent{0, true, HrWithheld::kSideFigure};
  };
  auto share = [&](const HrCount& part, const HrCount& of) {
    return side(!part.withheld && !of.withheld,
                static_cast<double>(WholePercent(part.value, of.value)));
  };

  for (const auto& [scope, c] : office) {
    const OfficeDayCounts& r = counts.office_days.at(scope);
    ScopeOfficeDays& out = tables.office_days[scope];
    out.registered = count(c.registered);
    out.shared_use = count(c.shared_use);
    out.with_days = count(c.with_days);
    for (int b = 0; b < kOfficeDayBuckets; ++b)
      out.buckets[b] = count(c.buckets[b]);
    out.meeting = count(c.meeting);
    out.below = count(c.below);
    out.shared_use_share = share(out.shared_use, out.registered);
    out.meeting_share = share(out.meeting, out.with_days);
    out.median = side(c.median_shown, c.median_shown ? MedianOfficeDays(r) : 0);
    bool row_whole = r.registered >= side_group;
    for (const HrCount* shown : {&out.registered, &out.shared_use,
                                 &out.with_days, &out.meeting, &out.below}) {
      row_whole = row_whole && !shown->withheld;
    }
    for (const HrCount& bucket : out.buckets)
      row_whole = row_whole && !bucket.withheld;
    const std::array<double, kLocationKinds> mix = LocationMix(r);
    const std::array<bool, kLocationKinds> kinds = WithheldKinds(r, k);
    for (int kind = 0; kind < kLocationKinds; ++kind) {
      out.location_mix[kind] = side(row_whole && !kinds[kind], mix[kind]);
    }
  }
  for (const auto& [scope, c] : snapshot) {
    ScopeDistribution& out = tables.snapshot[scope];
    for (int cat = 0; cat < kDistributionCategories; ++cat) {
      out.counts[cat] = count(c.counts[cat]);
    }
    for (int cat : {kSharedUse, kUnassigned, kMultiSpace}) {
      out.share_of_office[cat] = share(out.counts[cat], out.counts[kInOffices]);
    }
    std::array<HrCount, kDistributionCategories>& change = tables.change[scope];
    const DistributionCounts* before = nullptr;
    if (auto it = counts.previous.find(scope); it != counts.previous.end()) {
      before = &it->second;
    }
    for (int cat = 0; cat < kDistributionCategories; ++cat) {
      const HrCount& now = out.counts[cat];
      const int64_t then = before == nullptr ? 0 : (*before)[cat];
      if (cat == kAllEmployees) {
        change[cat] = now.withheld ? now : HrCount{now.value - then, false};
        continue;
      }
      const size_t cell = c.change[cat];
      if (withheld[cell] || now.withheld) {
        // The count's own reason first: a change in a group under k would
        // otherwise read apart from a zero change.
        change[cat] =
            HrCount{0, true,
                    now.withheld            ? now.reason
                    : cells[cell].sensitive ? HrWithheld::kFewChanged
                                            : HrWithheld::kProtectsAnother};
      } else {
        change[cat] = HrCount{now.value - then, false};
      }
    }
  }
  return tables;
}

}  // namespace monipaikka
