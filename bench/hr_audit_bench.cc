// HR disclosure audit benchmark: the time of one audited period (a month of
// office days, the registry snapshot at its end and the change since the
// previous month end, audited as one system) for a state-sized registry,
// first solved, then from the pattern cache.
//
//   employees:     76 000 in ~100 organizations and ~1 000 units
//                  (unit sizes 3 … ~250, many small)
//   registry:      ~2 % of people change a workstation attribute, move or
//                  leave between the two month ends
//   office days:   three quarters of the people record days in the month
//
// Usage: hr_audit_bench [--employees=76000] [--organizations=100]
//                       [--units=1000] [--k=5] [--seed=1]

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <random>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "server/privacy/hr_disclosure.h"

ABSL_FLAG(int, employees, 76000, "employees in the registry");
ABSL_FLAG(int, organizations, 100, "organizations");
ABSL_FLAG(int, units, 1000, "units in all");
ABSL_FLAG(int, k, 5, "anonymity threshold");
ABSL_FLAG(int, seed, 1, "random seed of the registry");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds of this process: the figure to compare on a shared machine.
double CpuSeconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

int Run() {
  const int employees = absl::GetFlag(FLAGS_employees);
  const int organizations = absl::GetFlag(FLAGS_organizations);
  const int units = absl::GetFlag(FLAGS_units);
  const int k = absl::GetFlag(FLAGS_k);
  std::mt19937 random(absl::GetFlag(FLAGS_seed));
  std::uniform_real_distribution<double> unit_draw(0, 1);
  auto chance = [&](double p) { return unit_draw(random) < p; };

  // Unit weights: a long tail, so that there are many small units.
  std::vector<double> weight(units);
  double total_weight = 0;
  for (double& w : weight) {
    w = std::exp(std::normal_distribution<double>(0, 1.2)(random));
    total_weight += w;
  }
  const absl::CivilDay previous(2024, 2, 29);
  const absl::CivilDay date(2024, 3, 31);
  std::vector<EmployeePeriod> periods;
  std::vector<PersonMonth> month;
  int64_t id = 0;
  auto attributes = [&](EmployeePeriod& p) {
    const double office = unit_draw(random);
    p.office = office < 0.2   ? OfficeWorkstation::kNone
               : office < 0.7 ? OfficeWorkstation::kAssigned
                              : OfficeWorkstation::kUnassigned;
    p.home_workstation = chance(0.55);
    p.shared_use = chance(0.03);
    p.multi_space = chance(0.4);
  };
  for (int u = 0; u < units; ++u) {
    const int size =
        std::max(3, static_cast<int>(employees * weight[u] / total_weight));
    const std::string organization = absl::StrCat("ORG", u % organizations);
    const std::string unit = absl::StrCat("U", u);
    for (int i = 0; i < size; ++i, ++id) {
      EmployeePeriod p;
      p.employee_id = id;
      p.valid_from = absl::CivilDay(2023, 1, 1);
      p.organization = organization;
      p.unit = unit;
      p.fte = 1;
      attributes(p);
      const EmployeePeriod* last = nullptr;
      if (chance(0.02)) {
        EmployeePeriod before = p;
        before.valid_to = absl::CivilDay(2024, 3, 15);
        periods.push_back(before);
        if (chance(0.7)) {
          p.valid_from = absl::CivilDay(2024, 3, 16);
          attributes(p);
          periods.push_back(p);
        }
      } else {
        periods.push_back(p);
      }
      last = &periods.back();
      PersonMonth m;
      m.employee_id = id;
      m.organization = last->organization;
      m.unit = last->unit;
      m.shared_use =
          last->shared_use && last->office != OfficeWorkstation::kNone;
      if (chance(0.75)) {
        const int days = std::uniform_int_distribution<int>(1, 20)(random);
        const double office_share = unit_draw(random);
        for (int d = 0; d < days; ++d) ++m.days[chance(office_share) ? 1 : 0];
        m.has_days = true;
      }
      month.push_back(m);
    }
  }

  Clock::time_point start = Clock::now();
  HrPeriodCounts counts;
  counts.office_days = CountOfficeDays(month);
  counts.has_snapshot = true;
  counts.snapshot = CountDistribution(periods, date);
  counts.previous = CountDistribution(periods, previous);
  counts.changes = CountDistributionChanges(periods, previous, date);
  const double count_seconds = Seconds(start);

  // A server that shuts down cancels an audit under way: how long until it
  // has stopped (the audit checks the flag before every solve).
  double cancel_seconds = 0;
  {
    std::atomic<bool> cancelled{false};
    absl::StatusOr<HrPeriodTables> stopped;
    Clock::time_point cancel_time;
    std::thread audit(
        [&] { stopped = AuditHrPeriod(counts, k, {.cancelled = &cancelled}); });
    std::this_thread::sleep_for(std::chrono::seconds(1));
    cancel_time = Clock::now();
    cancelled.store(true);
    audit.join();
    cancel_seconds = Seconds(cancel_time);
    if (!absl::IsCancelled(stopped.status())) {
      std::fprintf(stderr, "cancelled audit: expected CANCELLED, got %s\n",
                   stopped.status().ToString().c_str());
      return 1;
    }
  }

  start = Clock::now();
  const double cpu_start = CpuSeconds();
  absl::StatusOr<HrPeriodTables> audited = AuditHrPeriod(counts, k);
  const double audit_seconds = Seconds(start);
  const double audit_cpu_seconds = CpuSeconds() - cpu_start;
  if (!audited.ok()) {
    std::fprintf(stderr, "audit failed: %s\n",
                 audited.status().ToString().c_str());
    return 1;
  }
  start = Clock::now();
  absl::StatusOr<HrPeriodTables> cached = AuditHrPeriod(counts, k);
  const double cached_seconds = Seconds(start);

  int64_t shown = 0;
  int64_t withheld = 0;
  int64_t secondary = 0;
  auto tally = [&](const HrCount& c) {
    ++(c.withheld ? withheld : shown);
    secondary += c.reason == HrWithheld::kProtectsAnother;
  };
  for (const auto& [scope, row] : audited->office_days) {
    for (const HrCount* c : {&row.registered, &row.shared_use, &row.with_days,
                             &row.meeting, &row.below}) {
      tally(*c);
    }
    for (const HrCount& c : row.buckets) tally(c);
  }
  for (const auto& [scope, row] : audited->snapshot) {
    for (const HrCount& c : row.counts) tally(c);
  }
  for (const auto& [scope, row] : audited->change) {
    for (const HrCount& c : row) tally(c);
  }
  const AuditStats& stats = audited->stats;
  std::printf(
      "registry: %lld employees, %zu periods, %d organizations, %d units, "
      "k=%d\n"
      "system:            %zu cells, %zu constraints\n"
      "counting:          %.3f s\n"
      "cancelled audit:   stopped %.3f s after its cancel flag was set\n"
      "audited period:    %.3f s (%.3f s CPU; %d LP/MIP solves)\n"
      "  protection checks %.3f s, secondary choice %.3f s, final bounds "
      "%.3f s\n"
      "cached period:     %.3f s\n"
      "counts: %lld shown, %lld withheld (%lld to protect another)\n",
      static_cast<long long>(id), periods.size(), organizations, units, k,
      audited->cells, audited->constraints, count_seconds, cancel_seconds,
      audit_seconds, audit_cpu_seconds, audited->solves, stats.check_seconds,
      stats.secondary_seconds, stats.final_seconds, cached_seconds,
      static_cast<long long>(shown), static_cast<long long>(withheld),
      static_cast<long long>(secondary));
  // Unknown cells per block of the final pattern, by powers of two: one
  // large block is what makes the audit slow.
  std::map<size_t, int> histogram;
  for (size_t size : stats.block_sizes) {
    size_t bucket = 1;
    while (bucket * 2 <= size) bucket *= 2;
    ++histogram[bucket];
  }
  std::printf("blocks (unknown cells: blocks):");
  for (const auto& [bucket, blocks] : histogram) {
    std::printf(" %zu-%zu: %d,", bucket, bucket * 2 - 1, blocks);
  }
  std::printf(" largest %zu\n",
              stats.block_sizes.empty() ? size_t{0} : stats.block_sizes[0]);
  return cached.ok() ? 0 : 1;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Run();
}
