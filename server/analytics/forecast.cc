#include "server/analytics/forecast.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace monipaikka {
namespace {

constexpr int kMaxHorizonWeeks = 8;

int WeekdayIndex(absl::CivilDay day) {
  return static_cast<int>(absl::GetWeekday(day));
}

// The values dated on or before `origin`: history[0 … end).
size_t EndAt(std::span<const SeriesValue> history, absl::CivilDay origin) {
  return static_cast<size_t>(
      std::upper_bound(history.begin(), history.end(), origin,
                       [](absl::CivilDay day, const SeriesValue& v) {
                         return day < v.date;
                       }) -
      history.begin());
}

// The trend per week from the values before `end` (see ForecastOptions).
double TrendPerWeek(std::span<const SeriesValue> history, size_t end,
                    absl::CivilDay origin, int weeks) {
  if (weeks <= 0) return 0;
  std::array<double, 7> recent_sum{}, earlier_sum{};
  std::array<int, 7> recent_n{}, earlier_n{};
  const absl::CivilDay recent_from = origin - 7 * weeks;    // exclusive
  const absl::CivilDay earlier_from = origin - 14 * weeks;  // exclusive
  for (size_t i = end; i-- > 0;) {
    const SeriesValue& v = history[i];
    if (v.date <= earlier_from) break;
    const int w = WeekdayIndex(v.date);
    if (v.date > recent_from) {
      recent_sum[w] += v.value;
      ++recent_n[w];
    } else {
      earlier_sum[w] += v.value;
      ++earlier_n[w];
    }
  }
  double sum = 0;
  int n = 0;
  for (int w = 0; w < 7; ++w) {
    if (recent_n[w] == 0 || earlier_n[w] == 0) continue;
    sum += recent_sum[w] / recent_n[w] - earlier_sum[w] / earlier_n[w];
    ++n;
  }
  return n > 0 ? sum / n / weeks : 0;
}

double Clamp(double value, const ForecastOptions& options) {
  return std::min(std::max(value, options.lower), options.upper);
}

// The nearest-rank quantile of sorted values: the ceil(p · n)-th smallest.
double Quantile(const std::vector<double>& sorted, double p) {
  const size_t n = sorted.size();
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  return sorted[rank - 1];
}

}  // namespace

std::optional<double> PointForecast(std::span<const SeriesValue> history,
                                    absl::CivilDay origin,
                                    absl::CivilDay target,
                                    const ForecastOptions& options) {
  const size_t end = EndAt(history, origin);
  const int weekday = WeekdayIndex(target);
  double sum = 0, age_days = 0;
  int n = 0;
  for (size_t i = end; i-- > 0 && n < options.level_weeks;) {
    if (WeekdayIndex(history[i].date) != weekday) continue;
    sum += history[i].value;
    age_days += static_cast<double>(target - history[i].date);
    ++n;
  }
  if (n == 0) return std::nullopt;
  const double level = sum / n;
  const double age_weeks = age_days / n / 7.0;
  const double trend = TrendPerWeek(history, end, origin, options.trend_weeks);
  const double phi = options.damping;
  const double reach =
      phi >= 1.0 ? age_weeks
                 : phi * (1.0 - std::pow(phi, age_weeks)) / (1.0 - phi);
  return Clamp(level + trend * reach, options);
}

std::optional<double> SeasonalNaive(std::span<const SeriesValue> history,
                                    absl::CivilDay origin,
                                    absl::CivilDay target) {
  const int weekday = WeekdayIndex(target);
  for (size_t i = EndAt(history, origin); i-- > 0;) {
    if (WeekdayIndex(history[i].date) == weekday) return history[i].value;
  }
  return std::nullopt;
}

SeriesForecast ForecastSeries(std::span<const SeriesValue> history,
                              absl::CivilDay last,
                              std::span<const absl::CivilDay> targets,
                              const ForecastOptions& options) {
  SeriesForecast result;
  const size_t end = EndAt(history, last);
  history = history.first(end);
  result.trend_per_week =
      TrendPerWeek(history, history.size(), last, options.trend_weeks);

  // Residuals by horizon over the backtest weeks, and the one-week-ahead
  // accuracy against seasonal naive.
  const absl::CivilDay backtest_from = last - 7 * options.backtest_weeks;
  std::array<std::vector<double>, kMaxHorizonWeeks + 1> residuals;
  double abs_error = 0, naive_abs_error = 0, pct = 0, naive_pct = 0;
  for (const SeriesValue& actual : history) {
    if (actual.date <= backtest_from) continue;
    for (int h = 1; h <= kMaxHorizonWeeks; ++h) {
      const absl::CivilDay origin = actual.date - 7 * h;
      const std::optional<double> f =
          PointForecast(history, origin, actual.date, options);
      if (!f.has_value()) continue;
      residuals[h].push_back(actual.value - *f);
      if (h != 1) continue;
      const std::optional<double> naive =
          SeasonalNaive(history, origin, actual.date);
      if (!naive.has_value()) continue;
      ++result.backtest.days;
      abs_error += std::abs(actual.value - *f);
      naive_abs_error += std::abs(actual.value - *naive);
      if (actual.value > 0) {
        ++result.backtest.mape_days;
        pct += std::abs(actual.value - *f) / actual.value;
        naive_pct += std::abs(actual.value - *naive) / actual.value;
      }
    }
  }
  BacktestFigures& backtest = result.backtest;
  if (backtest.days > 0) {
    backtest.mae = abs_error / backtest.days;
    backtest.naive_mae = naive_abs_error / backtest.days;
  }
  if (backtest.mape_days > 0) {
    backtest.mape = 100.0 * pct / backtest.mape_days;
    backtest.naive_mape = 100.0 * naive_pct / backtest.mape_days;
  }
  for (std::vector<double>& r : residuals) std::sort(r.begin(), r.end());

  for (const absl::CivilDay target : targets) {
    ForecastDay day;
    day.date = target;
    day.horizon_weeks = static_cast<int32_t>((target - last + 6) / 7);
    const std::optional<double> f =
        PointForecast(history, last, target, options);
    if (f.has_value()) {
      day.has_value = true;
      day.value = *f;
      int from = std::min(day.horizon_weeks, kMaxHorizonWeeks);
      while (from >= 1 &&
             static_cast<int>(residuals[from].size()) < options.min_residuals) {
        --from;
      }
      if (from >= 1) {
        const std::vector<double>& r = residuals[from];
        const double widen = std::sqrt(static_cast<double>(day.horizon_weeks) /
                                       static_cast<double>(from));
        day.has_interval = true;
        day.residuals = static_cast<int32_t>(r.size());
        day.residual_horizon_weeks = from;
        day.low80 = Clamp(*f + widen * Quantile(r, 0.10), options);
        day.high80 = Clamp(*f + widen * Quantile(r, 0.90), options);
        day.low95 = Clamp(*f + widen * Quantile(r, 0.025), options);
        day.high95 = Clamp(*f + widen * Quantile(r, 0.975), options);
      }
    }
    result.days.push_back(day);
  }
  return result;
}

}  // namespace monipaikka
