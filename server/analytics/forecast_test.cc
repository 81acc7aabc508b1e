#include "server/analytics/forecast.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

// 2026-01-05 is a Monday.
const absl::CivilDay kMonday(2026, 1, 5);

TEST(PointForecastTest, LevelWithDampedTrend) {
  // Mondays: four weeks at 10, then four at 14. Trend: (14 − 10) / 4 = 1 a
  // week. Level: 14, aged 1, 2, 3 and 4 weeks before the next Monday: 2.5.
  std::vector<SeriesValue> history;
  for (int week = 0; week < 8; ++week) {
    history.push_back({kMonday + 7 * week, week < 4 ? 10.0 : 14.0});
  }
  const absl::CivilDay last = kMonday + 49;
  ForecastOptions options;
  options.level_weeks = 4;
  // 14 + 1 · 0.8 · (1 − 0.8^2.5) / 0.2 = 14 + 4 · (1 − 0.64 · √0.8)
  //   = 14 + 4 · (1 − 0.5724334) = 15.7102664
  EXPECT_NEAR(*PointForecast(history, last, last + 7, options), 15.7102664,
              1e-6);
  options.damping = 1.0;
  EXPECT_NEAR(*PointForecast(history, last, last + 7, options), 16.5, 1e-9);
  // Clamped to the upper bound.
  options.upper = 15;
  EXPECT_DOUBLE_EQ(*PointForecast(history, last, last + 7, options), 15);
  // No Tuesday yet.
  EXPECT_FALSE(PointForecast(history, last, last + 1, options).has_value());
}

TEST(PointForecastTest, EachWeekdayHasItsOwnLevel) {
  std::vector<SeriesValue> history;
  for (int week = 0; week < 6; ++week) {
    for (int d = 0; d < 5; ++d) {
      history.push_back({kMonday + 7 * week + d, 10.0 * (d + 1)});
    }
  }
  const absl::CivilDay last = kMonday + 7 * 5 + 4;  // a Friday
  for (int d = 0; d < 5; ++d) {
    EXPECT_DOUBLE_EQ(*PointForecast(history, last, last + 3 + d, {}),
                     10.0 * (d + 1));
  }
}

TEST(SeasonalNaiveTest, LastValueOfTheWeekday) {
  // Mondays 1, 2, (none: a holiday), 4 → "same weekday last week" for the
  // Monday after the holiday is the one before it.
  std::vector<SeriesValue> history = {
      {kMonday, 1}, {kMonday + 7, 2}, {kMonday + 21, 4}};
  EXPECT_DOUBLE_EQ(*SeasonalNaive(history, kMonday + 20, kMonday + 21), 2);
  EXPECT_DOUBLE_EQ(*SeasonalNaive(history, kMonday + 21, kMonday + 28), 4);
  EXPECT_FALSE(SeasonalNaive(history, kMonday + 6, kMonday + 1).has_value());
  // The model's level skips the missing Monday too: (1 + 2 + 4) / 3, with
  // no trend (no earlier four weeks).
  EXPECT_DOUBLE_EQ(*PointForecast(history, kMonday + 21, kMonday + 28, {}),
                   7.0 / 3.0);
}

// Mondays alternate 10, 14, 10, 14 … for 16 weeks. The model says 12 (no
// trend) and misses by 2; seasonal naive always misses by 4.
TEST(ForecastSeriesTest, BacktestAgainstSeasonalNaive) {
  std::vector<SeriesValue> history;
  for (int week = 0; week < 16; ++week) {
    history.push_back({kMonday + 7 * week, week % 2 == 0 ? 10.0 : 14.0});
  }
  const absl::CivilDay last = kMonday + 7 * 15;
  ForecastOptions options;
  options.min_residuals = 4;
  const std::vector<absl::CivilDay> targets = {last + 7, last + 14, last + 21};
  const SeriesForecast forecast =
      ForecastSeries(history, last, targets, options);
  EXPECT_EQ(forecast.backtest.days, 8);
  EXPECT_DOUBLE_EQ(forecast.backtest.mae, 2);
  EXPECT_DOUBLE_EQ(forecast.backtest.naive_mae, 4);
  EXPECT_EQ(forecast.backtest.mape_days, 8);
  // (2/10 + 2/14) / 2 and (4/10 + 4/14) / 2, in percent.
  EXPECT_NEAR(forecast.backtest.mape, 100.0 * (0.2 + 2.0 / 14) / 2, 1e-9);
  EXPECT_NEAR(forecast.backtest.naive_mape, 100.0 * (0.4 + 4.0 / 14) / 2, 1e-9);
  EXPECT_DOUBLE_EQ(forecast.trend_per_week, 0);
  ASSERT_EQ(forecast.days.size(), 3u);
  const ForecastDay& next = forecast.days[0];
  EXPECT_EQ(next.horizon_weeks, 1);
  EXPECT_DOUBLE_EQ(next.value, 12);
  // Residuals −2 (four) and +2 (four): the 10th percentile is the first,
  // the 90th the eighth.
  ASSERT_TRUE(next.has_interval);
  EXPECT_EQ(next.residuals, 8);
  EXPECT_EQ(next.residual_horizon_weeks, 1);
  EXPECT_DOUBLE_EQ(next.low80, 10);
  EXPECT_DOUBLE_EQ(next.high80, 14);
  EXPECT_DOUBLE_EQ(next.low95, 10);
  EXPECT_DOUBLE_EQ(next.high95, 14);
  EXPECT_EQ(forecast.days[2].horizon_weeks, 3);
}

// A horizon with too few residuals borrows the nearest shorter one, widened
// by sqrt(h / h'); none at all: no interval.
TEST(ForecastSeriesTest, IntervalsOfLongHorizonsWiden) {
  std::vector<SeriesValue> history;
  for (int week = 0; week < 16; ++week) {
    history.push_back({kMonday + 7 * week, week % 2 == 0 ? 10.0 : 14.0});
  }
  const absl::CivilDay last = kMonday + 7 * 15;
  ForecastOptions options;
  options.min_residuals = 8;
  const std::vector<absl::CivilDay> targets = {last + 7, last + 56};
  // Each of the 8 backtest Mondays has a Monday 8 weeks before it: horizon 8
  // keeps its own 8 residuals.
  SeriesForecast forecast = ForecastSeries(history, last, targets, options);
  EXPECT_EQ(forecast.days[1].horizon_weeks, 8);
  EXPECT_EQ(forecast.days[1].residual_horizon_weeks, 8);
  // With only 10 weeks of history, horizon 8 has fewer than 8 residuals.
  history.resize(10);
  const absl::CivilDay short_last = kMonday + 7 * 9;
  const std::vector<absl::CivilDay> short_targets = {short_last + 56};
  options.min_residuals = 3;
  forecast = ForecastSeries(history, short_last, short_targets, options);
  const ForecastDay& far = forecast.days[0];
  ASSERT_TRUE(far.has_interval);
  EXPECT_LT(far.residual_horizon_weeks, 8);
  EXPECT_GE(far.residuals, 3);
  options.min_residuals = 100;
  forecast = ForecastSeries(history, short_last, short_targets, options);
  EXPECT_TRUE(forecast.days[0].has_value);
  EXPECT_FALSE(forecast.days[0].has_interval);
}

// Uncertainty does not shrink with the horizon: on a noisy series whose
// few backtest residuals happen to spread less two weeks ahead than one
// week ahead, every end of a day's interval is at least as far from its
// forecast as at any nearer horizon.
TEST(ForecastSeriesTest, IntervalsNeverNarrowFartherAhead) {
  // Ten weeks of five working days, a level of 100 with noise.
  std::vector<SeriesValue> history;
  uint32_t state = 12345;
  auto noise = [&] {
    state = state * 1103515245u + 12345u;
    return static_cast<double>((state >> 16) % 41) - 20.0;
  };
  for (int week = 0; week < 10; ++week) {
    for (int d = 0; d < 5; ++d) {
      history.push_back({kMonday + 7 * week + d, 100.0 + noise()});
    }
  }
  const absl::CivilDay last = kMonday + 7 * 9 + 4;  // a Friday
  std::vector<absl::CivilDay> targets;
  for (int week = 0; week < 8; ++week) {
    for (int d = 0; d < 5; ++d) targets.push_back(last + 3 + 7 * week + d);
  }
  ForecastOptions options;
  const SeriesForecast forecast =
      ForecastSeries(history, last, targets, options);
  struct Widths {
    double low80 = 0, high80 = 0, low95 = 0, high95 = 0;
  };
  std::vector<Widths> widest(9);
  int compared = 0;
  for (const ForecastDay& day : forecast.days) {
    ASSERT_TRUE(day.has_interval) << absl::FormatCivilTime(day.date);
    const Widths w{day.value - day.low80, day.high80 - day.value,
                   day.value - day.low95, day.high95 - day.value};
    for (int h = 1; h < day.horizon_weeks; ++h) {
      EXPECT_GE(w.low80, widest[h].low80 - 1e-9) << day.horizon_weeks;
      EXPECT_GE(w.high80, widest[h].high80 - 1e-9) << day.horizon_weeks;
      EXPECT_GE(w.low95, widest[h].low95 - 1e-9) << day.horizon_weeks;
      EXPECT_GE(w.high95, widest[h].high95 - 1e-9) << day.horizon_weeks;
      ++compared;
    }
    Widths& mine = widest[day.horizon_weeks];
    mine.low80 = std::max(mine.low80, w.low80);
    mine.high80 = std::max(mine.high80, w.high80);
    mine.low95 = std::max(mine.low95, w.low95);
    mine.high95 = std::max(mine.high95, w.high95);
  }
  EXPECT_GT(compared, 0);
}

}  // namespace
}  // namespace monipaikka
