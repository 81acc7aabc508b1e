// The forecast against seasonal naive on the simulator's office days: the
// daily peak occupancy and time utilization of simulated desks, computed
// from the simulator's plans inside core hours, forecast one week ahead over
// the last 8 weeks. The model must beat "same weekday last week" on both
// MAE and MAPE, for five sites (seeds), and its intervals must hold most
// of the following weeks' days.

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "edge/simulator.h"
#include "gtest/gtest.h"
#include "server/analytics/forecast.h"

namespace monipaikka {
namespace {

struct DayFigures {
  absl::CivilDay date;
  double peak = 0;
  double utilization = 0;
};

// Core days first … last of `desks` simulated desks with `seed`.
std::vector<DayFigures> SimulatedDays(int desks, uint64_t seed,
                                      absl::CivilDay first,
                                      absl::CivilDay last) {
  std::vector<edge::SimulatedDesk> specs;
  for (int i = 0; i < desks; ++i) {
    specs.push_back({absl::StrCat("SIM-", seed, "-", i), "Europe/Helsinki",
                     std::nullopt, std::nullopt});
  }
  absl::StatusOr<edge::Simulator> simulator =
      edge::Simulator::Create(specs, seed);
  EXPECT_TRUE(simulator.ok()) << simulator.status();
  const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  std::vector<DayFigures> result;
  for (const LocalDay& day :
       LocalDays(first, last, zone, WeeklyCoreHours{}, false)) {
    if (!day.measured) continue;
    std::vector<std::pair<int64_t, int>> events;
    int64_t occupied_ms = 0;
    for (const edge::SimulatedDesk& desk : specs) {
      for (const edge::OccupiedSpan& span :
           simulator->PlanOf(desk.sensor, day.date)) {
        const int64_t start = std::max(span.start_ms, day.measured_start_ms);
        const int64_t end = std::min(span.end_ms, day.measured_end_ms);
        if (start >= end) continue;
        occupied_ms += end - start;
        events.push_back({start, +1});
        events.push_back({end, -1});
      }
    }
    std::sort(events.begin(), events.end());  // ends before starts at ties
    int now = 0, peak = 0;
    for (const auto& [ts, delta] : events) {
      now += delta;
      peak = std::max(peak, now);
    }
    const int64_t core_ms = day.measured_end_ms - day.measured_start_ms;
    result.push_back({day.date, static_cast<double>(peak),
                      static_cast<double>(occupied_ms) /
                          static_cast<double>(core_ms * desks)});
  }
  return result;
}

TEST(ForecastSimulatorTest, BeatsSeasonalNaiveAndIntervalsHold) {
  // Sixteen weeks of history (with Easter), then four weeks to check the
  // intervals against (with May Day and Ascension Day).
  const absl::CivilDay first(2026, 1, 5);
  const absl::CivilDay last(2026, 4, 26);
  const absl::CivilDay horizon_end(2026, 5, 24);
  int covered80 = 0, covered95 = 0, checked = 0;
  for (uint64_t seed : {11u, 23u, 47u, 71u, 97u}) {
    const std::vector<DayFigures> days =
        SimulatedDays(150, seed, first, horizon_end);
    for (int figure = 0; figure < 2; ++figure) {
      std::vector<SeriesValue> history;
      std::vector<absl::CivilDay> targets;
      std::vector<double> actual;
      for (const DayFigures& day : days) {
        const double value = figure == 0 ? day.peak : day.utilization;
        if (day.date <= last) {
          history.push_back({day.date, value});
        } else {
          targets.push_back(day.date);
          actual.push_back(value);
        }
      }
      ForecastOptions options;
      options.upper = figure == 0 ? 150.0 : 1.0;
      const SeriesForecast forecast =
          ForecastSeries(history, last, targets, options);
      SCOPED_TRACE(
          absl::StrCat("seed ", seed, figure == 0 ? " peak" : " util"));
      std::printf(
          "seed %d %s: MAE %.4f (naive %.4f), MAPE %.2f %% (naive %.2f %%)\n",
          static_cast<int>(seed), figure == 0 ? "peak" : "util",
          forecast.backtest.mae, forecast.backtest.naive_mae,
          forecast.backtest.mape, forecast.backtest.naive_mape);
      // 8 weeks of working days, less Good Friday and Easter Monday.
      EXPECT_EQ(forecast.backtest.days, 38);
      EXPECT_LT(forecast.backtest.mae, forecast.backtest.naive_mae);
      EXPECT_LT(forecast.backtest.mape, forecast.backtest.naive_mape);
      // Not a holiday among the targets.
      EXPECT_EQ(targets.size(), 18u);
      for (size_t i = 0; i < targets.size(); ++i) {
        const ForecastDay& f = forecast.days[i];
        ASSERT_TRUE(f.has_interval);
        EXPECT_LE(f.low95, f.low80);
        EXPECT_GE(f.high95, f.high80);
        ++checked;
        if (f.low80 <= actual[i] && actual[i] <= f.high80) ++covered80;
        if (f.low95 <= actual[i] && actual[i] <= f.high95) ++covered95;
      }
    }
  }
  // Nominal 80 % and 95 %; with residual quantiles from ~38 days each, the
  // coverage over 180 days may fall a little short, not far.
  std::printf("interval coverage: 80 %%: %d of %d, 95 %%: %d of %d\n",
              covered80, checked, covered95, checked);
  EXPECT_GE(covered80, checked * 65 / 100) << covered80 << " of " << checked;
  EXPECT_GE(covered95, checked * 85 / 100) << covered95 << " of " << checked;
}

}  // namespace
}  // namespace monipaikka
