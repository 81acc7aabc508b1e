#include "server/sampling/sample_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

using ::testing::ElementsAre;

constexpr int32_t kHour = 3600 * 1000;
constexpr int32_t kMinute = 60 * 1000;
constexpr int32_t kCoreStart = 8 * kHour;
constexpr int32_t kCoreEnd = 16 * kHour;

SampledDeskDay Day(int32_t day, std::vector<DaySpan> spans,
                   int64_t min_used_ms = 15 * kMinute) {
  SampledDeskDay out;
  out.day = day;
  for (const DaySpan& s : spans) {
    out.observed_ms += s.end_ms - s.start_ms;
    if (s.value > 0) out.occupied_ms += s.end_ms - s.start_ms;
  }
  out.used = out.occupied_ms >= min_used_ms;
  out.spans = std::move(spans);
  return out;
}

// A generated site: zones of desks whose people come on a share of the
// working days that differs between desks (and between zones), arrive
// between 7:30 and 9:30, take lunch, and leave between 15:00 and 17:00. The
// sensors know the whole core day (heartbeats). Every desk is measured.
struct GeneratedSite {
  std::vector<SamplingStratum> strata;
  std::vector<SampledDesk> desks;
  int32_t days = 0;
};

GeneratedSite Generate(int zones, int desks_per_zone, int days, uint32_t seed) {
  GeneratedSite site;
  site.days = days;
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int z = 0; z < zones; ++z) {
    site.strata.push_back({"Z" + std::to_string(z + 1), desks_per_zone});
    const double zone_level = 0.25 + 0.12 * z;
    for (int k = 0; k < desks_per_zone; ++k) {
      SampledDesk desk;
      desk.stratum = z;
      const double propensity =
          std::clamp(zone_level + 0.35 * (unit(random) - 0.5), 0.02, 0.98);
      for (int d = 0; d < days; ++d) {
        std::vector<DaySpan> spans;
        if (unit(random) < propensity) {
          const int32_t arrive = 7 * kHour + 30 * kMinute +
                                 static_cast<int32_t>(unit(random) * 2 * kHour);
          const int32_t leave =
              15 * kHour + static_cast<int32_t>(unit(random) * 2 * kHour);
          const int32_t lunch =
              11 * kHour + static_cast<int32_t>(unit(random) * kHour);
          int32_t at = kCoreStart;
          auto add = [&](int32_t end, int32_t value) {
            end = std::clamp(end, kCoreStart, kCoreEnd);
            if (end > at) {
              if (!spans.empty() && spans.back().value == value) {
                spans.back().end_ms = end;
              } else {
                spans.push_back({at, end, value});
              }
              at = end;
            }
          };
          add(arrive, 0);
          add(lunch, 1);
          add(lunch + 30 * kMinute, 0);
          add(leave, 1);
          add(kCoreEnd, 0);
        } else {
          spans.push_back({kCoreStart, kCoreEnd, 0});
        }
        desk.days.push_back(Day(d, std::move(spans)));
      }
      site.desks.push_back(std::move(desk));
    }
  }
  return site;
}

// The site with only a stratified sample of `fraction` of each zone's
// desks measured (at least one per zone), drawn with `seed`.
GeneratedSite Sample(const GeneratedSite& full, double fraction,
                     uint32_t seed) {
  GeneratedSite sample;
  sample.strata = full.strata;
  sample.days = full.days;
  std::mt19937 random(seed);
  for (size_t h = 0; h < full.strata.size(); ++h) {
    std::vector<int32_t> in;
    for (size_t d = 0; d < full.desks.size(); ++d) {
      if (full.desks[d].stratum == static_cast<int32_t>(h)) {
        in.push_back(static_cast<int32_t>(d));
      }
    }
    std::shuffle(in.begin(), in.end(), random);
    const size_t take = std::max<size_t>(
        1, static_cast<size_t>(std::lround(fraction * in.size())));
    for (size_t k = 0; k < take; ++k) sample.desks.push_back(full.desks[in[k]]);
  }
  return sample;
}

// The full-measurement figures, computed directly from their definitions.
struct FullFigures {
  double time_utilization = 0;
  double desk_day_usage = 0;
  double peak_mean = 0;
  double peak_p95 = 0;
};

FullFigures Direct(const GeneratedSite& site) {
  FullFigures f;
  double occupied = 0, observed = 0, used = 0, observed_days = 0;
  std::vector<double> peaks;
  for (int d = 0; d < site.days; ++d) {
    // Occupied count per minute (spans start and end on whole minutes
    // here only approximately, so count at every span boundary instead).
    std::vector<int32_t> instants;
    for (const SampledDesk& desk : site.desks) {
      for (const DaySpan& s : desk.days[d].spans)
        instants.push_back(s.start_ms);
    }
    int32_t peak = 0;
    for (int32_t t : instants) {
      int32_t count = 0;
      for (const SampledDesk& desk : site.desks) {
        for (const DaySpan& s : desk.days[d].spans) {
          if (s.value > 0 && s.start_ms <= t && t < s.end_ms) ++count;
        }
      }
      peak = std::max(peak, count);
    }
    peaks.push_back(peak);
  }
  for (const SampledDesk& desk : site.desks) {
    for (const SampledDeskDay& day : desk.days) {
      occupied += day.occupied_ms;
      observed += day.observed_ms;
      observed_days += 1;
      if (day.used) used += 1;
    }
  }
  f.time_utilization = occupied / observed;
  f.desk_day_usage = used / observed_days;
  double sum = 0;
  for (double p : peaks) sum += p;
  f.peak_mean = sum / peaks.size();
  std::sort(peaks.begin(), peaks.end());
  f.peak_p95 = peaks[(95 * peaks.size() + 99) / 100 - 1];
  return f;
}

TEST(SampleEstimate, HandComputedExactScope) {
  // Two desks, one zone, both measured. Day 0: A occupied 9-11, B 10-12;
  // peak 2. Day 1: A occupied 8-16, B free; peak 1.
  std::vector<SamplingStratum> strata = {{"Z1", 2}};
  std::vector<SampledDesk> desks(2);
  desks[0].days.push_back(Day(0, {{kCoreStart, 9 * kHour, 0},
                                  {9 * kHour, 11 * kHour, 1},
                                  {11 * kHour, kCoreEnd, 0}}));
  desks[0].days.push_back(Day(1, {{kCoreStart, kCoreEnd, 1}}));
  desks[1].days.push_back(Day(0, {{kCoreStart, 10 * kHour, 0},
                                  {10 * kHour, 12 * kHour, 1},
                                  {12 * kHour, kCoreEnd, 0}}));
  desks[1].days.push_back(Day(1, {{kCoreStart, kCoreEnd, 0}}));
  const SampleEstimate e = EstimateFromSample(strata, desks, 2, {});
  ASSERT_TRUE(e.available);
  EXPECT_TRUE(e.exact);
  EXPECT_EQ(e.replicates, 0);
  // Occupied 2 + 2 + 8 h of 32 h observed.
  EXPECT_DOUBLE_EQ(e.time_utilization.value, 12.0 / 32.0);
  EXPECT_DOUBLE_EQ(e.time_utilization.lower, e.time_utilization.value);
  EXPECT_DOUBLE_EQ(e.time_utilization.upper, e.time_utilization.value);
  EXPECT_DOUBLE_EQ(e.desk_day_usage.value, 3.0 / 4.0);
  EXPECT_EQ(e.days_counted, 2);
  EXPECT_DOUBLE_EQ(e.peak_occupancy_mean.value, 1.5);
  EXPECT_DOUBLE_EQ(e.peak_occupancy_p95.value, 2.0);
  EXPECT_EQ(e.needed_workstations, 3);  // ceil(2 × 1.1)
  EXPECT_EQ(e.additional_sensors, 0);
}

TEST(SampleEstimate, HandComputedRatioWithinStrata) {
  // Zone A: 4 desks, 2 measured (occupied 2 h and 4 h of 8 h); zone B: 2
  // desks, 1 measured (occupied 8 h of 8 h). Estimated occupied time
  // 4/2 · 6 + 2/1 · 8 = 28 h of 4/2 · 16 + 2/1 · 8 = 48 h observable.
  std::vector<SamplingStratum> strata = {{"A", 4}, {"B", 2}};
  std::vector<SampledDesk> desks(3);
  desks[0].stratum = 0;
  desks[0].days.push_back(
      Day(0, {{kCoreStart, 10 * kHour, 1}, {10 * kHour, kCoreEnd, 0}}));
  desks[1].stratum = 0;
  desks[1].days.push_back(
      Day(0, {{kCoreStart, 12 * kHour, 1}, {12 * kHour, kCoreEnd, 0}}));
  desks[2].stratum = 1;
  desks[2].days.push_back(Day(0, {{kCoreStart, kCoreEnd, 1}}));
  const SampleEstimate e = EstimateFromSample(strata, desks, 1, {});
  ASSERT_TRUE(e.available);
  EXPECT_FALSE(e.exact);
  EXPECT_DOUBLE_EQ(e.time_utilization.value, 28.0 / 48.0);
  EXPECT_THAT(e.single_measured_strata, ElementsAre("B"));
  // 8:00-10:00: A has both of its measured desks occupied (4 of 4), B 1 of
  // 1 (2 of 2): 6. The interval is a bootstrap one around it.
  EXPECT_DOUBLE_EQ(e.peak_occupancy_mean.value, 6.0);
  EXPECT_LE(e.time_utilization.lower, e.time_utilization.value);
  EXPECT_GE(e.time_utilization.upper, e.time_utilization.value);
  EXPECT_EQ(e.replicates, 1000);
}

TEST(SampleEstimate, StratumWithoutMeasuredDeskIsNamedAndNothingEstimated) {
  GeneratedSite full = Generate(3, 10, 5, 7);
  GeneratedSite sample;
  sample.strata = full.strata;
  sample.days = full.days;
  for (const SampledDesk& desk : full.desks) {
    if (desk.stratum != 1) sample.desks.push_back(desk);
  }
  const SampleEstimate e =
      EstimateFromSample(sample.strata, sample.desks, sample.days, {});
  EXPECT_FALSE(e.available);
  EXPECT_THAT(e.unmeasured_strata, ElementsAre("Z2"));
  EXPECT_EQ(e.time_utilization.value, 0);
  EXPECT_EQ(e.replicates, 0);
}

// Measured workstations that were observed on no day of the window (a
// weekend, or before the sensors came): no figure, never zeros.
TEST(SampleEstimate, NothingObservedInTheWindowIsNotAvailable) {
  GeneratedSite sample = Sample(Generate(2, 10, 5, 7), 0.5, 3);
  for (SampledDesk& desk : sample.desks) desk.days.clear();
  const SampleEstimate e =
      EstimateFromSample(sample.strata, sample.desks, sample.days, {});
  EXPECT_FALSE(e.available);
  EXPECT_TRUE(e.unmeasured_strata.empty());
  EXPECT_EQ(e.days_counted, 0);
  EXPECT_EQ(e.replicates, 0);
}

TEST(SampleEstimate, GeneratedSiteAllMeasuredIsExact) {
  const GeneratedSite full = Generate(4, 30, 15, 11);
  const FullFigures direct = Direct(full);
  const SampleEstimate e =
      EstimateFromSample(full.strata, full.desks, full.days, {});
  ASSERT_TRUE(e.available);
  EXPECT_TRUE(e.exact);
  EXPECT_NEAR(e.time_utilization.value, direct.time_utilization, 1e-12);
  EXPECT_NEAR(e.desk_day_usage.value, direct.desk_day_usage, 1e-12);
  EXPECT_NEAR(e.peak_occupancy_mean.value, direct.peak_mean, 1e-9);
  EXPECT_DOUBLE_EQ(e.peak_occupancy_p95.value, direct.peak_p95);
  EXPECT_EQ(e.peak_occupancy_p95.lower, e.peak_occupancy_p95.upper);
}

// 10 %, 25 % and 50 % samples of a 240-desk site: the intervals of time
// utilization, desk-day usage and mean daily peak hold the full-measurement
// figure, and the intervals narrow as the sample
// grows.
TEST(SampleEstimate, GeneratedSiteSampledAtTenTwentyFiveFiftyPercent) {
  const GeneratedSite full = Generate(4, 60, 20, 3);
  const FullFigures direct = Direct(full);
  double previous_width = 1.0;
  double previous_peak_width = 1e9;
  for (double fraction : {0.10, 0.25, 0.50}) {
    SCOPED_TRACE(fraction);
    const GeneratedSite sample = Sample(full, fraction, 42);
    const SampleEstimate e =
        EstimateFromSample(sample.strata, sample.desks, sample.days, {});
    ASSERT_TRUE(e.available);
    EXPECT_FALSE(e.exact);
    EXPECT_EQ(e.population, 240);
    EXPECT_EQ(e.measured, static_cast<int32_t>(sample.desks.size()));
    EXPECT_LE(e.time_utilization.lower, direct.time_utilization);
    EXPECT_GE(e.time_utilization.upper, direct.time_utilization);
    EXPECT_LE(e.desk_day_usage.lower, direct.desk_day_usage);
    EXPECT_GE(e.desk_day_usage.upper, direct.desk_day_usage);
    EXPECT_LE(e.peak_occupancy_mean.lower, direct.peak_mean);
    EXPECT_GE(e.peak_occupancy_mean.upper, direct.peak_mean);
    // The P95 of 20 days is nearly their largest peak: one sample's
    // estimate may miss by much, and its interval covers the full figure
    // less often (see IntervalCoverageOfDailyPeaks for both on average).
    EXPECT_LE(e.peak_occupancy_p95.lower, e.peak_occupancy_p95.value);
    EXPECT_GE(e.peak_occupancy_p95.upper, e.peak_occupancy_p95.value);
    const double width = e.time_utilization.upper - e.time_utilization.lower;
    EXPECT_LT(width, previous_width);
    previous_width = width;
    const double peak_width =
        e.peak_occupancy_mean.upper - e.peak_occupancy_mean.lower;
    EXPECT_LT(peak_width, previous_peak_width);
    previous_peak_width = peak_width;
    EXPECT_GE(e.needed_workstations,
              NeededFromPeak(e.peak_occupancy_p95.value, 10));
    // The linearized margin and the bootstrap interval agree roughly.
    EXPECT_NEAR(e.taylor_margin_pp / 100.0, width / 2, width / 4);
  }
}

TEST(SampleEstimate, SameRequestSameInterval) {
  const GeneratedSite sample = Sample(Generate(3, 40, 10, 5), 0.25, 9);
  const SampleEstimate a =
      EstimateFromSample(sample.strata, sample.desks, sample.days, {});
  const SampleEstimate b =
      EstimateFromSample(sample.strata, sample.desks, sample.days, {});
  EXPECT_EQ(a.time_utilization.lower, b.time_utilization.lower);
  EXPECT_EQ(a.time_utilization.upper, b.time_utilization.upper);
  EXPECT_EQ(a.peak_occupancy_p95.upper, b.peak_occupancy_p95.upper);
  SampleEstimateOptions other;
  other.seed = 1;
  const SampleEstimate c =
      EstimateFromSample(sample.strata, sample.desks, sample.days, other);
  EXPECT_NE(a.time_utilization.lower, c.time_utilization.lower);
}

// The daily peaks' second-level replicates draw from a generator of their
// own: the ratios' intervals are the same with or without the peaks.
TEST(SampleEstimate, PeakReplicatesLeaveTheRatioIntervalsAlone) {
  const GeneratedSite sample = Sample(Generate(3, 40, 10, 5), 0.25, 9);
  SampleEstimateOptions with_peaks;
  SampleEstimateOptions without = with_peaks;
  without.peaks = false;
  const SampleEstimate a =
      EstimateFromSample(sample.strata, sample.desks, sample.days, with_peaks);
  const SampleEstimate b =
      EstimateFromSample(sample.strata, sample.desks, sample.days, without);
  EXPECT_EQ(a.peak_double_replicates, 100);
  EXPECT_EQ(b.peak_double_replicates, 0);
  EXPECT_EQ(a.time_utilization.lower, b.time_utilization.lower);
  EXPECT_EQ(a.time_utilization.upper, b.time_utilization.upper);
  EXPECT_EQ(a.desk_day_usage.lower, b.desk_day_usage.lower);
  EXPECT_EQ(a.desk_day_usage.upper, b.desk_day_usage.upper);
  // The P95's interval holds its (bias-corrected) value.
  EXPECT_LT(a.peak_occupancy_p95.lower, a.peak_occupancy_p95.value);
  EXPECT_GT(a.peak_occupancy_p95.upper, a.peak_occupancy_p95.value);
}

TEST(SampleEstimate, SampleSizeForTargetPrecision) {
  const GeneratedSite full = Generate(4, 60, 20, 3);
  const GeneratedSite sample = Sample(full, 0.10, 42);
  SampleEstimateOptions loose;
  loose.peaks = false;
  loose.target_margin_pp = 10;
  SampleEstimateOptions tight = loose;
  tight.target_margin_pp = 1;
  const SampleEstimate a =
      EstimateFromSample(sample.strata, sample.desks, sample.days, loose);
  const SampleEstimate b =
      EstimateFromSample(sample.strata, sample.desks, sample.days, tight);
  EXPECT_GT(a.taylor_margin_pp, 0);
  EXPECT_LT(a.needed_measured, b.needed_measured);
  EXPECT_LE(b.needed_measured, 240);
  int32_t additional = 0;
  for (const StratumEstimate& s : b.strata) {
    EXPECT_GE(s.needed_measured, 2);
    EXPECT_LE(s.needed_measured, s.population);
    EXPECT_EQ(s.additional_sensors,
              std::max(0, s.needed_measured - s.measured));
    EXPECT_GT(s.residual_sd_h, 0);
    additional += s.additional_sensors;
  }
  EXPECT_EQ(additional, b.additional_sensors);
  EXPECT_GT(b.additional_sensors, 0);
  // Planned for the current margin, the plan needs about the sensors there
  // are now.
  SampleEstimateOptions current = loose;
  current.target_margin_pp = a.taylor_margin_pp;
  const SampleEstimate c =
      EstimateFromSample(sample.strata, sample.desks, sample.days, current);
  EXPECT_NEAR(c.needed_measured, a.measured, 0.35 * a.measured);
  // With the precision already reached, no more sensors.
  SampleEstimateOptions reached = loose;
  reached.target_margin_pp = 2 * a.taylor_margin_pp;
  const SampleEstimate d =
      EstimateFromSample(sample.strata, sample.desks, sample.days, reached);
  EXPECT_EQ(d.additional_sensors, 0);
}

TEST(SampleEstimate, NeededFromPeakIsExactForWholeNumbers) {
  EXPECT_EQ(NeededFromPeak(20, 10), 22);
  EXPECT_EQ(NeededFromPeak(20.5, 10), 23);  // 22.55
  EXPECT_EQ(NeededFromPeak(0, 10), 0);
  EXPECT_EQ(NeededFromPeak(7, 0), 7);
}

// Over a fixed set of 1000 sampling seeds, the 95 % interval of time
// utilization (and of desk-day usage) from a 25 % sample covers the
// full-measurement figure in 93-97 % of the samples.
TEST(SampleEstimate, IntervalCoverageOverManySamples) {
  const GeneratedSite full = Generate(4, 60, 20, 3);
  const FullFigures direct = Direct(full);
  SampleEstimateOptions options;
  options.peaks = false;
  int covered_time = 0;
  int covered_days = 0;
  constexpr int kSamples = 1000;
  for (int s = 0; s < kSamples; ++s) {
    const GeneratedSite sample = Sample(full, 0.25, 1000 + s);
    const SampleEstimate e =
        EstimateFromSample(sample.strata, sample.desks, sample.days, options);
    if (e.time_utilization.lower <= direct.time_utilization &&
        direct.time_utilization <= e.time_utilization.upper) {
      ++covered_time;
    }
    if (e.desk_day_usage.lower <= direct.desk_day_usage &&
        direct.desk_day_usage <= e.desk_day_usage.upper) {
      ++covered_days;
    }
  }
  const double time_coverage = static_cast<double>(covered_time) / kSamples;
  const double day_coverage = static_cast<double>(covered_days) / kSamples;
  RecordProperty("time_utilization_coverage", std::to_string(time_coverage));
  RecordProperty("desk_day_usage_coverage", std::to_string(day_coverage));
  EXPECT_GE(time_coverage, 0.93);
  EXPECT_LE(time_coverage, 0.97);
  EXPECT_GE(day_coverage, 0.93);
  EXPECT_LE(day_coverage, 0.97);
}

// The daily peaks over a fixed set of 200 samples (200 replicates each) at
// 10 %, 25 % and 50 %: the bias-corrected estimates are right on average,
// and the 95 % intervals of the mean daily peak and of its P95 (a
// near-maximum of 20 days) cover the full-measurement figure in 93-97 % of
// the samples.
class DailyPeakCoverage : public ::testing::TestWithParam<double> {};

TEST_P(DailyPeakCoverage, IntervalsCoverTheFullFigure) {
  const double fraction = GetParam();
  const GeneratedSite full = Generate(4, 60, 20, 3);
  const FullFigures direct = Direct(full);
  SampleEstimateOptions options;
  options.replicates = 200;
  int covered_mean = 0;
  int covered_p95 = 0;
  double sum_mean = 0;
  double sum_p95 = 0;
  double sum_mean_half_width = 0;
  double sum_p95_half_width = 0;
  constexpr int kSamples = 200;
  for (int s = 0; s < kSamples; ++s) {
    const GeneratedSite sample = Sample(full, fraction, 5000 + s);
    const SampleEstimate e =
        EstimateFromSample(sample.strata, sample.desks, sample.days, options);
    ASSERT_EQ(e.peak_double_replicates, 100);
    sum_mean += e.peak_occupancy_mean.value;
    sum_p95 += e.peak_occupancy_p95.value;
    sum_mean_half_width +=
        (e.peak_occupancy_mean.upper - e.peak_occupancy_mean.lower) / 2;
    sum_p95_half_width +=
        (e.peak_occupancy_p95.upper - e.peak_occupancy_p95.lower) / 2;
    if (e.peak_occupancy_mean.lower <= direct.peak_mean &&
        direct.peak_mean <= e.peak_occupancy_mean.upper) {
      ++covered_mean;
    }
    if (e.peak_occupancy_p95.lower <= direct.peak_p95 &&
        direct.peak_p95 <= e.peak_occupancy_p95.upper) {
      ++covered_p95;
    }
  }
  const double mean_coverage = static_cast<double>(covered_mean) / kSamples;
  const double p95_coverage = static_cast<double>(covered_p95) / kSamples;
  RecordProperty("peak_mean_coverage", std::to_string(mean_coverage));
  RecordProperty("peak_p95_coverage", std::to_string(p95_coverage));
  const double mean_error = sum_mean / kSamples - direct.peak_mean;
  const double p95_error = sum_p95 / kSamples - direct.peak_p95;
  std::printf(
      "%.0f %% samples: mean daily peak covered in %.1f %% (average error "
      "%+.2f), P95 in %.1f %% (%+.2f)\n",
      100 * fraction, 100 * mean_coverage, mean_error, 100 * p95_coverage,
      p95_error);
  EXPECT_GE(mean_coverage, 0.93);
  EXPECT_LE(mean_coverage, 0.97);
  EXPECT_GE(p95_coverage, 0.93);
  EXPECT_LE(p95_coverage, 0.97);
  // Bias-corrected: the average error is small beside the intervals.
  EXPECT_LT(std::abs(mean_error), 0.25 * sum_mean_half_width / kSamples);
  EXPECT_LT(std::abs(p95_error), 0.25 * sum_p95_half_width / kSamples);
}

INSTANTIATE_TEST_SUITE_P(TenTwentyFiveFiftyPercent, DailyPeakCoverage,
                         ::testing::Values(0.10, 0.25, 0.50));

}  // namespace
}  // namespace monipaikka
