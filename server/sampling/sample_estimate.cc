#include "server/sampling/sample_estimate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>

namespace monipaikka {
namespace {

// The normal quantile of a two-sided 95 % interval.
constexpr double kZ95 = 1.959963984540054;
constexpr double kMsPerHour = 3600.0 * 1000.0;

// SplitMix64: small, fast, and the same sequence on every platform (the
// standard library's distributions are not), so a seed fixes the interval.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0, without modulo bias (Lemire's method).
  uint32_t Below(uint32_t n) {
    uint64_t x = Next() >> 32;
    uint64_t m = x * n;
    uint32_t low = static_cast<uint32_t>(m);
    if (low < n) {
      const uint32_t threshold = static_cast<uint32_t>(-n) % n;
      while (low < threshold) {
        x = Next() >> 32;
        m = x * n;
        low = static_cast<uint32_t>(m);
      }
    }
    return static_cast<uint32_t>(m >> 32);
  }

 private:
  uint64_t state_;
};

// A change of one desk's state at an instant of a day.
struct DeskEvent {
  int32_t at_ms = 0;
  int32_t desk = 0;
  int16_t stratum = 0;
  int8_t occupied_delta = 0;
  int8_t observed_delta = 0;
};

// Per desk, its totals over the window.
struct DeskTotals {
  double occupied_ms = 0;
  double observed_ms = 0;
  double used_days = 0;
  double observed_days = 0;
};

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}

double Mean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

// The nearest-rank percentile of doubles: the ceil(p/100 · n)-th smallest.
double NearestRankOf(std::vector<double> values, int percent) {
  if (values.empty()) return 0;
  const int64_t n = static_cast<int64_t>(values.size());
  const int64_t rank = std::clamp<int64_t>((percent * n + 99) / 100, 1, n);
  auto nth = values.begin() + (rank - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

// The days' events, sorted by time, with a desk's own opposite changes at
// one instant cancelled (adjacent spans of different values).
std::vector<std::vector<DeskEvent>> DayEvents(
    const std::vector<SampledDesk>& desks, int32_t days) {
  std::vector<std::vector<DeskEvent>> events(days);
  std::vector<DeskEvent> own;
  for (size_t d = 0; d < desks.size(); ++d) {
    for (const SampledDeskDay& day : desks[d].days) {
      if (day.day < 0 || day.day >= days || day.spans.empty()) continue;
      own.clear();
      for (const DaySpan& span : day.spans) {
        if (span.end_ms <= span.start_ms) continue;
        const int8_t occupied = span.value > 0 ? 1 : 0;
        const int16_t stratum = static_cast<int16_t>(desks[d].stratum);
        own.push_back(
            {span.start_ms, static_cast<int32_t>(d), stratum, occupied, 1});
        own.push_back({span.end_ms, static_cast<int32_t>(d), stratum,
                       static_cast<int8_t>(-occupied), -1});
      }
      std::stable_sort(own.begin(), own.end(),
                       [](const DeskEvent& a, const DeskEvent& b) {
                         return a.at_ms < b.at_ms;
                       });
      std::vector<DeskEvent>& out = events[day.day];
      for (size_t i = 0; i < own.size();) {
        DeskEvent merged = own[i];
        merged.occupied_delta = 0;
        merged.observed_delta = 0;
        for (; i < own.size() && own[i].at_ms == merged.at_ms; ++i) {
          merged.occupied_delta += own[i].occupied_delta;
          merged.observed_delta += own[i].observed_delta;
        }
        if (merged.occupied_delta != 0 || merged.observed_delta != 0) {
          out.push_back(merged);
        }
      }
    }
  }
  for (auto& day : events) {
    std::sort(day.begin(), day.end(),
              [](const DeskEvent& a, const DeskEvent& b) {
                return a.at_ms < b.at_ms;
              });
  }
  return events;
}

// Computes the daily peaks for one set of desk weights.
class PeakSweep {
 public:
  PeakSweep(const std::vector<SamplingStratum>& strata,
            const std::vector<std::vector<DeskEvent>>& events,
            const std::vector<bool>& counted)
      : strata_(strata),
        events_(events),
        counted_(counted),
        dirty_(strata.size()) {}

  static constexpr int kLanes = 8;

  // The peak of each counted day, in day order. With `exact` the scope's
  // count is the plain number of occupied desks (every desk measured);
  // otherwise Σ_h N_h · occupied_h / observed_h over the strata with a
  // known desk, each desk weighted by `weight`.
  std::vector<double> Peaks(const std::vector<double>& weight, bool exact) {
    std::vector<double> lanes(weight.size() * kLanes);
    for (size_t d = 0; d < weight.size(); ++d) {
      std::fill_n(lanes.begin() + d * kLanes, kLanes, weight[d]);
    }
    std::array<std::vector<double>, kLanes> peaks;
    PeaksOfLanes(lanes, exact, &peaks);
    return std::move(peaks[0]);
  }

  // The peaks of each counted day for kLanes sets of desk weights at once
  // (`weights` desk-major: desk d's weight in lane k at d · kLanes + k),
  // into `peaks[k]`: one pass over the events serves all lanes, and each
  // lane's arithmetic is that of a sweep of its own.
  void PeaksOfLanes(const std::vector<double>& weights, bool exact,
                    std::array<std::vector<double>, kLanes>* peaks) {
    if (exact) {
      SweepLanes<true>(weights, peaks);
    } else {
      SweepLanes<false>(weights, peaks);
    }
  }

 private:
  // PeaksOfLanes, with `kExact` fixed so that the lanes' loops carry no
  // branch.
  template <bool kExact>
  void SweepLanes(const std::vector<double>& weights,
                  std::array<std::vector<double>, kLanes>* peaks) {
    lane_occupied_.assign(strata_.size() * kLanes, 0.0);
    lane_observed_.assign(strata_.size() * kLanes, 0.0);
    lane_term_.assign(strata_.size() * kLanes, 0.0);
    for (auto& lane : *peaks) lane.clear();
    for (size_t day = 0; day < events_.size(); ++day) {
      if (!counted_[day]) continue;
      std::fill(lane_occupied_.begin(), lane_occupied_.end(), 0.0);
      std::fill(lane_observed_.begin(), lane_observed_.end(), 0.0);
      std::fill(lane_term_.begin(), lane_term_.end(), 0.0);
      double total[kLanes] = {};
      double peak[kLanes] = {};
      const std::vector<DeskEvent>& day_events = events_[day];
      for (size_t i = 0; i < day_events.size();) {
        const int32_t at = day_events[i].at_ms;
        dirty_list_.clear();
        for (; i < day_events.size() && day_events[i].at_ms == at; ++i) {
          const DeskEvent& e = day_events[i];
          const int32_t h = e.stratum;
          const double* w = &weights[static_cast<size_t>(e.desk) * kLanes];
          double* occupied = &lane_occupied_[h * kLanes];
          double* observed = &lane_observed_[h * kLanes];
          const double occupied_delta = e.occupied_delta;
          const double observed_delta = e.observed_delta;
          for (int k = 0; k < kLanes; ++k) {
            occupied[k] += w[k] * occupied_delta;
            observed[k] += w[k] * observed_delta;
          }
          if (!dirty_[h]) {
            dirty_[h] = true;
            dirty_list_.push_back(h);
          }
        }
        for (int32_t h : dirty_list_) {
          dirty_[h] = false;
          const double population = strata_[h].population;
          const double* occupied = &lane_occupied_[h * kLanes];
          const double* observed = &lane_observed_[h * kLanes];
          double* term = &lane_term_[h * kLanes];
          for (int k = 0; k < kLanes; ++k) {
            double now = 0;
            if constexpr (kExact) {
              now = occupied[k];
            } else if (observed[k] > 1e-9) {
              now = population * occupied[k] / observed[k];
            }
            total[k] += now - term[k];
            term[k] = now;
          }
        }
        for (int k = 0; k < kLanes; ++k) peak[k] = std::max(peak[k], total[k]);
      }
      for (int k = 0; k < kLanes; ++k) {
        (*peaks)[k].push_back(kExact ? std::round(peak[k]) : peak[k]);
      }
    }
  }

  const std::vector<SamplingStratum>& strata_;
  const std::vector<std::vector<DeskEvent>>& events_;
  const std::vector<bool>& counted_;
  std::vector<bool> dirty_;
  std::vector<int32_t> dirty_list_;
  std::vector<double> lane_occupied_;
  std::vector<double> lane_observed_;
  std::vector<double> lane_term_;
};

// Collects weight sets of peak replicates and sweeps them PeakSweep::kLanes
// at a time; each set's mean and P95 of the daily peaks go where it says.
class PeakReplicateBatch {
 public:
  PeakReplicateBatch(PeakSweep* sweep, size_t desks)
      : sweep_(sweep),
        desks_(desks),
        weights_(desks * PeakSweep::kLanes, 1.0) {}

  void Add(const std::vector<double>& weight, double* mean, double* p95) {
    for (size_t d = 0; d < desks_; ++d) {
      weights_[d * PeakSweep::kLanes + filled_] = weight[d];
    }
    targets_[filled_] = {mean, p95};
    if (++filled_ == PeakSweep::kLanes) Flush();
  }

  // Sweeps what has been added (unfilled lanes keep their old weights and
  // their results are dropped).
  void Flush() {
    if (filled_ == 0) return;
    sweep_->PeaksOfLanes(weights_, /*exact=*/false, &peaks_);
    for (int k = 0; k < filled_; ++k) {
      if (targets_[k].mean != nullptr) *targets_[k].mean = Mean(peaks_[k]);
      if (targets_[k].p95 != nullptr) {
        *targets_[k].p95 = NearestRankOf(peaks_[k], 95);
      }
    }
    filled_ = 0;
  }

 private:
  struct Target {
    double* mean = nullptr;
    double* p95 = nullptr;
  };
  PeakSweep* sweep_;
  size_t desks_;
  std::vector<double> weights_;
  std::array<Target, PeakSweep::kLanes> targets_;
  std::array<std::vector<double>, PeakSweep::kLanes> peaks_;
  int filled_ = 0;
};

// The percentile interval of the replicates: the ceil(2.5 % · B)-th and
// ceil(97.5 % · B)-th smallest.
void SetInterval(std::vector<double> replicates, EstimatedFigure* figure) {
  if (replicates.empty()) return;
  std::sort(replicates.begin(), replicates.end());
  const int64_t b = static_cast<int64_t>(replicates.size());
  const int64_t low = std::clamp<int64_t>((25 * b + 999) / 1000, 1, b);
  const int64_t high = std::clamp<int64_t>((975 * b + 999) / 1000, 1, b);
  figure->lower = replicates[low - 1];
  figure->upper = replicates[high - 1];
}

double SampleVariance(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  const double mean = Mean(values);
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  return ss / static_cast<double>(values.size() - 1);
}

// A daily peak is the largest of many estimated counts, which the sampling
// noise pushes up (and the replicates, maxima of noisier curves, further
// up); the P95 of the peaks, an order statistic of such maxima, even more.
// The estimate is therefore the bias-corrected 2θ − mean(θ*). That
// correction is itself noisy and moves against θ, so the first-level
// replicates understate the spread of the corrected estimate.
// A double bootstrap measures it: each of the first outer replicates b has
// two second-level replicates (a_b, c_b) drawn from its own resample, and
// d_b = 2θ*_b − (a_b + c_b)/2 is the corrected estimate in the bootstrap
// world. Its variance, less the noise of averaging two draws
// (mean (a_b − c_b)² / 4), is the variance V of the corrected estimate;
// the interval is 2θ − mean(θ*) ± z·sqrt(V), never narrower than the
// first-level spread, clamped at 0.
void SetDoubleBootstrap(const std::vector<double>& replicates,
                        const std::vector<double>& inner_a,
                        const std::vector<double>& inner_c,
                        EstimatedFigure* figure) {
  if (replicates.empty()) return;
  const double corrected = 2 * figure->value - Mean(replicates);
  std::vector<double> corrected_replicates(inner_a.size());
  double inner_noise = 0;
  for (size_t b = 0; b < inner_a.size(); ++b) {
    corrected_replicates[b] = 2 * replicates[b] - (inner_a[b] + inner_c[b]) / 2;
    inner_noise += (inner_a[b] - inner_c[b]) * (inner_a[b] - inner_c[b]) / 4;
  }
  if (!inner_a.empty()) inner_noise /= static_cast<double>(inner_a.size());
  const double variance =
      std::max(SampleVariance(corrected_replicates) - inner_noise,
               SampleVariance(replicates));
  const double half_width = kZ95 * std::sqrt(variance);
  figure->value = std::max(0.0, corrected);
  figure->lower = std::max(0.0, corrected - half_width);
  figure->upper = std::max(0.0, corrected + half_width);
}

// A second-level replicate of a first-level one that drew each desk
// `drawn_count` times: in each stratum, draw m_h of the m_h desks the
// first level drew (with their multiplicity), weighted as at the first
// level, so that its weights average to the first-level replicate's.
void DrawSecondLevel(const std::vector<std::vector<int32_t>>& members,
                     const std::vector<double>& lambda,
                     const std::vector<uint32_t>& drawn_count,
                     SeededRandom* random, std::vector<uint32_t>* pool,
                     std::vector<uint32_t>* drawn,
                     std::vector<double>* weight) {
  for (size_t h = 0; h < members.size(); ++h) {
    const std::vector<int32_t>& in = members[h];
    if (lambda[h] <= 0) continue;  // weights stay 1
    const uint32_t n = static_cast<uint32_t>(in.size());
    const uint32_t m = n - 1;
    pool->clear();
    for (uint32_t k = 0; k < n; ++k) {
      pool->insert(pool->end(), drawn_count[in[k]], k);
    }
    drawn->assign(n, 0);
    for (uint32_t k = 0; k < m; ++k) ++(*drawn)[(*pool)[random->Below(m)]];
    const double scale = lambda[h] * static_cast<double>(n) / m;
    for (uint32_t k = 0; k < n; ++k) {
      (*weight)[in[k]] = 1.0 - lambda[h] + scale * (*drawn)[k];
    }
  }
}

}  // namespace

int32_t NeededFromPeak(double peak_p95, int32_t buffer_pct) {
  if (peak_p95 <= 0) return 0;
  const double scaled = peak_p95 * (100.0 + std::max(0, buffer_pct)) / 100.0;
  // Whole-number products (20 × 110 % = 22) must not round up through
  // binary fractions.
  const double nearest = std::round(scaled);
  if (std::abs(scaled - nearest) < 1e-9) return static_cast<int32_t>(nearest);
  return static_cast<int32_t>(std::ceil(scaled));
}

SampleEstimate EstimateFromSample(const std::vector<SamplingStratum>& strata,
                                  const std::vector<SampledDesk>& desks,
                                  int32_t days,
                                  const SampleEstimateOptions& options) {
  SampleEstimate result;
  const size_t strata_count = strata.size();
  std::vector<std::vector<int32_t>> members(strata_count);
  for (size_t d = 0; d < desks.size(); ++d) {
    members[desks[d].stratum].push_back(static_cast<int32_t>(d));
  }
  result.target_margin_pp = options.target_margin_pp;
  for (size_t h = 0; h < strata_count; ++h) {
    result.population += strata[h].population;
    result.measured += static_cast<int32_t>(members[h].size());
    if (strata[h].population > 0 && members[h].empty()) {
      result.unmeasured_strata.push_back(strata[h].name);
    }
    if (members[h].size() == 1 && strata[h].population > 1) {
      result.single_measured_strata.push_back(strata[h].name);
    }
  }
  result.exact = result.measured == result.population;
  result.available = result.unmeasured_strata.empty() && result.measured > 0;

  // Each desk's totals, and the dates that count for the peaks.
  std::vector<DeskTotals> totals(desks.size());
  std::vector<bool> counted(std::max(days, 0), false);
  for (size_t d = 0; d < desks.size(); ++d) {
    for (const SampledDeskDay& day : desks[d].days) {
      if (day.observed_ms <= 0) continue;
      totals[d].occupied_ms += static_cast<double>(day.occupied_ms);
      totals[d].observed_ms += static_cast<double>(day.observed_ms);
      totals[d].observed_days += 1;
      if (day.used) totals[d].used_days += 1;
      if (day.day >= 0 && day.day < days) counted[day.day] = true;
    }
  }
  result.days_counted =
      static_cast<int32_t>(std::count(counted.begin(), counted.end(), true));
  // Nothing observed (a window of weekends, or before the sensors): no
  // figure rather than zeros.
  if (result.days_counted == 0) result.available = false;

  // Per stratum: its ratios and the between-desk variance of the residual
  // of time utilization.
  double estimated_occupied = 0;
  double estimated_observed = 0;
  std::vector<double> residual_var(strata_count, 0.0);
  for (size_t h = 0; h < strata_count; ++h) {
    StratumEstimate stratum;
    stratum.name = strata[h].name;
    stratum.population = strata[h].population;
    stratum.measured = static_cast<int32_t>(members[h].size());
    double y = 0, x = 0, u = 0, v = 0;
    for (int32_t d : members[h]) {
      y += totals[d].occupied_ms;
      x += totals[d].observed_ms;
      u += totals[d].used_days;
      v += totals[d].observed_days;
    }
    stratum.time_utilization = Ratio(y, x);
    stratum.desk_day_usage = Ratio(u, v);
    if (!members[h].empty()) {
      const double expansion =
          static_cast<double>(strata[h].population) / members[h].size();
      estimated_occupied += expansion * y;
      estimated_observed += expansion * x;
    }
    result.strata.push_back(std::move(stratum));
  }
  const double ratio = Ratio(estimated_occupied, estimated_observed);
  for (size_t h = 0; h < strata_count; ++h) {
    const size_t n = members[h].size();
    if (n < 2) continue;
    double mean = 0;
    for (int32_t d : members[h]) {
      mean += totals[d].occupied_ms - ratio * totals[d].observed_ms;
    }
    mean /= static_cast<double>(n);
    double ss = 0;
    for (int32_t d : members[h]) {
      const double r =
          totals[d].occupied_ms - ratio * totals[d].observed_ms - mean;
      ss += r * r;
    }
    residual_var[h] = ss / static_cast<double>(n - 1);
    result.strata[h].residual_sd_h = std::sqrt(residual_var[h]) / kMsPerHour;
  }

  // Sample size for the target margin: Neyman allocation of the
  // linearized variance V(R) = Σ_h N_h² (1 − n_h/N_h) S_h² / n_h / X²,
  // measured strata capped at their size. Strata with fewer than 2
  // measured desks borrow the pooled S.
  {
    double pooled_ss = 0, pooled_df = 0;
    for (size_t h = 0; h < strata_count; ++h) {
      const size_t n = members[h].size();
      if (n >= 2) {
        pooled_ss += residual_var[h] * static_cast<double>(n - 1);
        pooled_df += static_cast<double>(n - 1);
      }
    }
    const double pooled_sd =
        pooled_df > 0 ? std::sqrt(pooled_ss / pooled_df) : 0.0;
    std::vector<double> sd(strata_count);
    double variance = 0;
    for (size_t h = 0; h < strata_count; ++h) {
      sd[h] = members[h].size() >= 2 ? std::sqrt(residual_var[h]) : pooled_sd;
      const double n = static_cast<double>(members[h].size());
      const double big_n = strata[h].population;
      if (n > 0)
        variance += big_n * big_n * (1 - n / big_n) * residual_var[h] / n;
    }
    if (estimated_observed > 0) {
      result.taylor_margin_pp =
          100.0 * kZ95 * std::sqrt(variance) / estimated_observed;
    }
    const double e = std::max(options.target_margin_pp, 1e-6) / 100.0;
    const double x2v0 =
        estimated_observed * estimated_observed * (e / kZ95) * (e / kZ95);
    std::vector<double> allocation(strata_count, 0.0);
    std::vector<bool> capped(strata_count, false);
    for (bool changed = true; changed;) {
      changed = false;
      double sum_ns = 0, sum_ns2 = 0;
      for (size_t h = 0; h < strata_count; ++h) {
        if (capped[h]) continue;
        sum_ns += strata[h].population * sd[h];
        sum_ns2 += strata[h].population * sd[h] * sd[h];
      }
      const double denominator = x2v0 + sum_ns2;
      const double n_total =
          denominator > 0 ? sum_ns * sum_ns / denominator : 0.0;
      for (size_t h = 0; h < strata_count; ++h) {
        if (capped[h]) continue;
        allocation[h] =
            sum_ns > 0 ? n_total * strata[h].population * sd[h] / sum_ns : 0;
        if (allocation[h] >= strata[h].population) {
          allocation[h] = strata[h].population;
          capped[h] = true;
          changed = true;
        }
      }
    }
    for (size_t h = 0; h < strata_count; ++h) {
      StratumEstimate& stratum = result.strata[h];
      const int32_t at_least = std::min(2, strata[h].population);
      stratum.needed_measured =
          std::clamp(static_cast<int32_t>(std::ceil(allocation[h] - 1e-9)),
                     at_least, strata[h].population);
      stratum.additional_sensors =
          std::max(0, stratum.needed_measured - stratum.measured);
      result.needed_measured += stratum.needed_measured;
      result.additional_sensors += stratum.additional_sensors;
    }
  }

  if (!result.available) return result;

  // Point estimates (exact when every desk is measured: the ratio estimate
  // then is the plain ratio).
  auto ratios = [&](const std::vector<double>& weight, double* time_util,
                    double* desk_day) {
    double y = 0, x = 0, u = 0, v = 0;
    for (size_t h = 0; h < strata_count; ++h) {
      if (members[h].empty()) continue;
      const double expansion =
          static_cast<double>(strata[h].population) / members[h].size();
      for (int32_t d : members[h]) {
        const double w = expansion * weight[d];
        y += w * totals[d].occupied_ms;
        x += w * totals[d].observed_ms;
        u += w * totals[d].used_days;
        v += w * totals[d].observed_days;
      }
    }
    *time_util = Ratio(y, x);
    *desk_day = Ratio(u, v);
  };
  std::vector<double> ones(desks.size(), 1.0);
  ratios(ones, &result.time_utilization.value, &result.desk_day_usage.value);

  std::vector<std::vector<DeskEvent>> events;
  std::unique_ptr<PeakSweep> sweep;
  if (options.peaks) {
    result.peaks = true;
    events = DayEvents(desks, days);
    sweep = std::make_unique<PeakSweep>(strata, events, counted);
    const std::vector<double> peaks = sweep->Peaks(ones, result.exact);
    result.peak_occupancy_mean.value = Mean(peaks);
    result.peak_occupancy_p95.value = NearestRankOf(peaks, 95);
  }

  auto point_only = [](EstimatedFigure* f) { f->lower = f->upper = f->value; };
  point_only(&result.time_utilization);
  point_only(&result.desk_day_usage);
  point_only(&result.peak_occupancy_mean);
  point_only(&result.peak_occupancy_p95);
  if (result.exact) {
    result.needed_workstations =
        NeededFromPeak(result.peak_occupancy_p95.value, options.buffer_pct);
    return result;
  }

  // The stratified rescaling bootstrap: in each stratum draw m_h = n_h − 1
  // of its n_h desks with replacement; a desk drawn k times gets the weight
  // 1 − λ_h + λ_h · (n_h / m_h) · k with λ_h = sqrt(1 − n_h / N_h), which
  // is never negative and makes the replicates' variance of a linear
  // estimate the unbiased stratified one with the finite population
  // correction.
  const int32_t replicates = std::max(100, options.replicates);
  result.replicates = replicates;
  result.seed = options.seed;
  SeededRandom random(options.seed);
  std::vector<double> weight(desks.size(), 1.0);
  std::vector<double> lambda(strata_count, 0.0);
  for (size_t h = 0; h < strata_count; ++h) {
    const double n = static_cast<double>(members[h].size());
    if (members[h].size() >= 2) {
      lambda[h] = std::sqrt(std::max(0.0, 1.0 - n / strata[h].population));
    }
  }
  std::vector<double> time_util(replicates), desk_day(replicates);
  std::vector<double> peak_mean, peak_p95;
  const int32_t peak_replicates =
      options.peaks ? std::clamp(options.peak_replicates,
                                 std::min(100, replicates), replicates)
                    : 0;
  result.peak_replicates = peak_replicates;
  peak_mean.resize(peak_replicates);
  peak_p95.resize(peak_replicates);
  // The P95's second-level replicates: two for each of the first half of
  // the peak replicates, from a generator of their own (so the first-level
  // replicates are the same with or without them).
  const int32_t double_replicates = peak_replicates / 2;
  result.peak_double_replicates = double_replicates;
  std::vector<double> inner_a(double_replicates), inner_c(double_replicates);
  std::vector<double> inner_mean_a(double_replicates),
      inner_mean_c(double_replicates);
  SeededRandom inner_random(options.seed ^ 0x5deece66dULL);
  std::vector<double> inner_weight(desks.size(), 1.0);
  std::vector<uint32_t> drawn_count(desks.size(), 0);
  std::vector<uint32_t> pool;
  std::vector<uint32_t> drawn;
  std::unique_ptr<PeakReplicateBatch> batch;
  if (options.peaks) {
    batch = std::make_unique<PeakReplicateBatch>(sweep.get(), desks.size());
  }
  for (int32_t b = 0; b < replicates; ++b) {
    for (size_t h = 0; h < strata_count; ++h) {
      const std::vector<int32_t>& in = members[h];
      if (lambda[h] <= 0) continue;  // weights stay 1
      const uint32_t n = static_cast<uint32_t>(in.size());
      const uint32_t m = n - 1;
      drawn.assign(n, 0);
      for (uint32_t k = 0; k < m; ++k) ++drawn[random.Below(n)];
      const double scale = lambda[h] * static_cast<double>(n) / m;
      for (uint32_t k = 0; k < n; ++k) {
        weight[in[k]] = 1.0 - lambda[h] + scale * drawn[k];
        drawn_count[in[k]] = drawn[k];
      }
    }
    ratios(weight, &time_util[b], &desk_day[b]);
    if (b < peak_replicates) batch->Add(weight, &peak_mean[b], &peak_p95[b]);
    if (b < double_replicates) {
      DrawSecondLevel(members, lambda, drawn_count, &inner_random, &pool,
                      &drawn, &inner_weight);
      batch->Add(inner_weight, &inner_mean_a[b], &inner_a[b]);
      DrawSecondLevel(members, lambda, drawn_count, &inner_random, &pool,
                      &drawn, &inner_weight);
      batch->Add(inner_weight, &inner_mean_c[b], &inner_c[b]);
    }
  }
  if (batch) batch->Flush();
  SetInterval(std::move(time_util), &result.time_utilization);
  SetInterval(std::move(desk_day), &result.desk_day_usage);
  if (options.peaks) {
    SetDoubleBootstrap(peak_mean, inner_mean_a, inner_mean_c,
                       &result.peak_occupancy_mean);
    SetDoubleBootstrap(peak_p95, inner_a, inner_c, &result.peak_occupancy_p95);
    result.needed_workstations =
        NeededFromPeak(result.peak_occupancy_p95.upper, options.buffer_pct);
  }
  return result;
}

}  // namespace monipaikka
