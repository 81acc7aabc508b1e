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

namespace {

// ceil((target − last) / 7): the week ahead a day falls in.
int32_t HorizonWeeks(absl::CivilDay last, absl::CivilDay target) {
  return static_cast<int32_t>((target - last + 6) / 7);
}

// What a forecast adds for the ends of its intervals at one horizon.
struct HorizonOffsets {
  double low80 = 0, high80 = 0, low95 = 0, high95 = 0;
  int32_t residuals = 0;
  int32_t from_horizon = 0;

  void WidenTo(const HorizonOffsets& nearer) {
    low80 = std::min(low80, nearer.low80);
    high80 = std::max(high80, nearer.high80);
    low95 = std::min(low95, nearer.low95);
    high95 = std::max(high95, nearer.high95);
  }
};

// The offsets of horizon h from its own residuals or, with fewer than
// min_residuals, from the nearest shorter horizon with enough, widened by
// sqrt(h / h'); nullopt when no horizon has enough.
std::optional<HorizonOffsets> OwnOffsets(
    const std::array<std::vector<double>, kMaxHorizonWeeks + 1>& residuals,
    int32_t h, int min_residuals) {
  int32_t from = std::min(h, kMaxHorizonWeeks);
  while (from >= 1 &&
         static_cast<int>(residuals[from].size()) < min_residuals) {
    --from;
  }
  if (from < 1) return std::nullopt;
  const std::vector<double>& r = residuals[from];
  const double widen =
      std::sqrt(static_cast<double>(h) / static_cast<double>(from));
  HorizonOffsets o;
  o.low80 = widen * Quantile(r, 0.10);
  o.high80 = widen * Quantile(r, 0.90);
  o.low95 = widen * Quantile(r, 0.025);
  o.high95 = widen * Quantile(r, 0.975);
  o.residuals = static_cast<int32_t>(r.size());
  o.from_horizon = from;
  return o;
}

}  // namespace

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

  // The interval offsets of each horizon ahead, from its own residuals or,
  // when it has too few, the nearest shorter horizon's widened by
  // sqrt(h / h'); then each end at least as wide as at every nearer
  // horizon, so that the uncertainty never shrinks farther ahead (with few
  // backtest days, a horizon's residuals may happen to spread less than a
  // nearer one's).
  int32_t farthest = 0;
  for (const absl::CivilDay target : targets) {
    farthest = std::max(farthest, HorizonWeeks(last, target));
  }
  std::vector<std::optional<HorizonOffsets>> offsets(farthest + 1);
  for (int32_t h = 1; h <= farthest; ++h) {
    offsets[h] = OwnOffsets(residuals, h, options.min_residuals);
    if (offsets[h].has_value() && offsets[h - 1].has_value()) {
      offsets[h]->WidenTo(*offsets[h - 1]);
    }
  }

  for (const absl::CivilDay target : targets) {
    ForecastDay day;
    day.date = target;
    day.horizon_weeks = HorizonWeeks(last, target);
    const std::optional<double> f =
        PointForecast(history, last, target, options);
    if (f.has_value()) {
      day.has_value = true;
      day.value = *f;
      if (day.horizon_weeks >= 1 && offsets[day.horizon_weeks].has_value()) {
        const HorizonOffsets& o = *offsets[day.horizon_weeks];
        day.has_interval = true;
        day.residuals = o.residuals;
        day.residual_horizon_weeks = o.from_horizon;
        day.low80 = Clamp(*f + o.low80, options);
        day.high80 = Clamp(*f + o.high80, options);
        day.low95 = Clamp(*f + o.low95, options);
        day.high95 = Clamp(*f + o.high95, options);
      }
    }
    result.days.push_back(day);
  }
  return result;
}

}  // namespace monipaikka
