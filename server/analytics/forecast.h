#pragma once

// The forecast of a daily figure (peak occupancy, time utilization) for the
// next working days, with prediction intervals from backtest residuals, and
// its accuracy against the seasonal-naive forecast
// (docs/planning-floors-forecast.md). Pure functions.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "absl/time/civil_time.h"

namespace monipaikka {

// The figure of one working day that has one.
struct SeriesValue {
  absl::CivilDay date;
  double value = 0;
};

struct ForecastOptions {
  // The level of a weekday: the mean of its last `level_weeks` values.
  // Eight rather than four: on day-to-day noise around a steady level, the
  // mean of eight values errs by √(1/8) of one day's noise, of four by
  // √(1/4); the damped trend follows slower changes.
  int level_weeks = 8;
  // The trend per week: per weekday, the mean of its values in the last
  // `trend_weeks` weeks minus the mean in the `trend_weeks` weeks before,
  // averaged over the weekdays that have both, divided by trend_weeks.
  int trend_weeks = 4;
  // Damping of the trend per week ahead, 0 < damping <= 1.
  double damping = 0.8;
  // Weeks before the last date whose days are backtested.
  int backtest_weeks = 8;
  // Fewest residuals an interval is taken from.
  int min_residuals = 10;
  // Forecasts and interval ends are clamped to [lower, upper].
  double lower = 0;
  double upper = std::numeric_limits<double>::infinity();
};

// The model's forecast for `target` from the values dated on or before
// `origin` (history sorted by date, one value a date):
//   level + trend · damping · (1 − damping^age) / (1 − damping)
// where level is the mean of the target weekday's last level_weeks values
// and age the mean of their distances to the target in weeks (trend · age
// when damping is 1); clamped to [lower, upper]. nullopt when the weekday
// has no value by then.
std::optional<double> PointForecast(std::span<const SeriesValue> history,
                                    absl::CivilDay origin,
                                    absl::CivilDay target,
                                    const ForecastOptions& options);

// The seasonal-naive forecast: the last value of the target's weekday dated
// on or before `origin` ("same weekday last week", or the last one before
// that when that day had none).
std::optional<double> SeasonalNaive(std::span<const SeriesValue> history,
                                    absl::CivilDay origin,
                                    absl::CivilDay target);

struct ForecastDay {
  absl::CivilDay date;
  // ceil((date − last) / 7): the week ahead the day falls in.
  int32_t horizon_weeks = 0;
  bool has_value = false;
  double value = 0;
  // Prediction intervals: value + the 10th and 90th (2.5th and 97.5th)
  // percentile of the backtest residuals of its horizon, each end at least
  // as far from the value as at any nearer horizon, clamped.
  bool has_interval = false;
  double low80 = 0, high80 = 0, low95 = 0, high95 = 0;
  // Residuals the interval comes from, and their horizon (an earlier one,
  // widened by sqrt(horizon / their horizon), when the day's own horizon
  // has fewer than min_residuals).
  int32_t residuals = 0;
  int32_t residual_horizon_weeks = 0;
};

struct BacktestFigures {
  // One week ahead: each day of the backtest weeks that has a value,
  // forecast from the values up to the same weekday a week before, by the
  // model and by the seasonal-naive forecast (days where both exist).
  int32_t days = 0;
  double mae = 0;
  double naive_mae = 0;
  // Mean absolute percentage error (%), over the days with a value > 0.
  int32_t mape_days = 0;
  double mape = 0;
  double naive_mape = 0;
};

struct SeriesForecast {
  std::vector<ForecastDay> days;
  BacktestFigures backtest;
  // The trend at the last date, per week (0 without enough history).
  double trend_per_week = 0;
};

// Forecasts `targets` (dates after `last`) from `history` (sorted by date,
// one value a date, none after `last`).
//
// Backtest residuals: for each horizon h = 1 … 8 weeks and each day d of the
// backtest weeks ((last − 7·backtest_weeks, last]) with a value, actual −
// PointForecast(history, d − 7h, d).
SeriesForecast ForecastSeries(std::span<const SeriesValue> history,
                              absl::CivilDay last,
                              std::span<const absl::CivilDay> targets,
                              const ForecastOptions& options);

}  // namespace monipaikka
