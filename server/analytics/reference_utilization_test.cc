#include "server/analytics/reference_utilization.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "common/time_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::reference {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int64_t kHourMs = 60 * kMinuteMs;

// Default core hours (Mon–Fri 08–16 Helsinki, minus holidays).
std::vector<LocalDay> CoreDays(absl::CivilDay first, absl::CivilDay last) {
  return LocalDays(first, last, Helsinki(), WeeklyCoreHours{},
                   /*all_hours=*/false);
}

std::vector<LocalDay> AllHoursDays(absl::CivilDay first, absl::CivilDay last) {
  return LocalDays(first, last, Helsinki(), WeeklyCoreHours{},
                   /*all_hours=*/true);
}

StateInterval Occupied(absl::string_view start, absl::string_view end) {
  return {Ms(start), Ms(end), true};
}
StateInterval Free(absl::string_view start, absl::string_view end) {
  return {Ms(start), Ms(end), false};
}

TEST(ComputeUtilizationTest, TimeUtilizationIsOccupiedOverObservedInCoreHours) {
  // Monday 2026-03-23, core hours 08:00–16:00 EET = 06:00–14:00 UTC.
  std::vector<std::vector<StateInterval>> w = {
      // Occupied 06–08 inside core hours (05–06 is outside), free 08–14.
      {Occupied("2026-03-23T05:00:00Z", "2026-03-23T08:00:00Z"),
       Free("2026-03-23T08:00:00Z", "2026-03-23T15:00:00Z")},
      // Known only 10–12, occupied.
      {Occupied("2026-03-23T10:00:00Z", "2026-03-23T12:00:00Z")},
      // Never observed: in W, but only as unknown time.
      {},
  };
  WindowFigures figures = ComputeUtilization(
      w, CoreDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 23)));

  EXPECT_EQ(figures.totals.workstations_measured, 3);
  EXPECT_EQ(figures.totals.observed_ms, 10 * kHourMs);
  EXPECT_EQ(figures.totals.occupied_ms, 4 * kHourMs);
  EXPECT_EQ(figures.totals.unknown_ms, 3 * 8 * kHourMs - 10 * kHourMs);
  EXPECT_DOUBLE_EQ(figures.totals.time_utilization, 0.4);
  ASSERT_EQ(figures.days.size(), 1u);
  EXPECT_EQ(figures.days[0].date, absl::CivilDay(2026, 3, 23));
  EXPECT_TRUE(figures.days[0].measured);
  EXPECT_EQ(figures.days[0].observed_ms, 10 * kHourMs);
  EXPECT_EQ(figures.days[0].occupied_ms, 4 * kHourMs);
  EXPECT_EQ(figures.days[0].observed_workstations, 2);
  EXPECT_EQ(figures.days[0].peak_occupancy, 1);
  EXPECT_EQ(figures.totals.days_counted, 1);
  EXPECT_EQ(figures.totals.peak_occupancy_max, 1);
  EXPECT_EQ(figures.totals.peak_occupancy_p95, 1);
  EXPECT_DOUBLE_EQ(figures.totals.peak_occupancy_mean, 1.0);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_max, 1.0 / 3);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_p95, 1.0 / 3);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_mean, 1.0 / 3);
}

TEST(ComputeUtilizationTest, ChristmasEveContributesNothing) {
  // Wednesday 2026-12-23 is a core day; Thursday 12-24 a public holiday.
  std::vector<std::vector<StateInterval>> w = {
      {Occupied("2026-12-22T00:00:00Z", "2026-12-25T00:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(
      w, CoreDays(absl::CivilDay(2026, 12, 23), absl::CivilDay(2026, 12, 24)));

  EXPECT_EQ(figures.totals.observed_ms, 8 * kHourMs);
  EXPECT_EQ(figures.totals.occupied_ms, 8 * kHourMs);
  EXPECT_EQ(figures.totals.unknown_ms, 0);
  EXPECT_DOUBLE_EQ(figures.totals.time_utilization, 1.0);
  ASSERT_EQ(figures.days.size(), 2u);
  EXPECT_TRUE(figures.days[0].measured);
  EXPECT_EQ(figures.days[1].date, absl::CivilDay(2026, 12, 24));
  EXPECT_FALSE(figures.days[1].measured);
  EXPECT_EQ(figures.days[1].observed_ms, 0);
  EXPECT_EQ(figures.days[1].occupied_ms, 0);
  EXPECT_EQ(figures.days[1].peak_occupancy, 0);
  EXPECT_EQ(figures.totals.days_counted, 1);
}

TEST(ComputeUtilizationTest, MidsummerEveObservationsAreNotCounted) {
  // Thursday 2026-06-18 is a core day (08–16 EEST = 05–13 UTC); Friday
  // 06-19 is Midsummer Eve. The workstation is only seen on the holiday.
  std::vector<std::vector<StateInterval>> w = {
      {Occupied("2026-06-19T05:00:00Z", "2026-06-19T13:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(
      w, CoreDays(absl::CivilDay(2026, 6, 18), absl::CivilDay(2026, 6, 19)));

  EXPECT_EQ(figures.totals.observed_ms, 0);
  EXPECT_EQ(figures.totals.occupied_ms, 0);
  EXPECT_EQ(figures.totals.unknown_ms, 8 * kHourMs);
  EXPECT_DOUBLE_EQ(figures.totals.time_utilization, 0.0);
  EXPECT_EQ(figures.totals.days_counted, 0);
  EXPECT_EQ(figures.totals.peak_occupancy_max, 0);
}

TEST(ComputeUtilizationTest, SpringForwardDayHas23MeasuredHours) {
  // All hours, Saturday 2026-03-28 … Monday 03-30. Local midnights:
  // 03-27T22:00Z, 03-28T22:00Z, 03-29T21:00Z (EEST from 03:00 on 03-29),
  // 03-30T21:00Z.
  std::vector<std::vector<StateInterval>> w = {
      {Free("2026-03-27T00:00:00Z", "2026-04-01T00:00:00Z")},
      // Occupied exactly the whole of Sunday 03-29.
      {Occupied("2026-03-28T22:00:00Z", "2026-03-29T21:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(
      w,
      AllHoursDays(absl::CivilDay(2026, 3, 28), absl::CivilDay(2026, 3, 30)));

  ASSERT_EQ(figures.days.size(), 3u);
  EXPECT_EQ(figures.days[0].observed_ms, 86'400'000);
  EXPECT_EQ(figures.days[1].observed_ms, 2 * 82'800'000);
  EXPECT_EQ(figures.days[1].occupied_ms, 82'800'000);
  EXPECT_EQ(figures.days[2].observed_ms, 86'400'000);
  EXPECT_EQ(figures.totals.observed_ms, 338'400'000);  // 71 h + 23 h
  EXPECT_EQ(figures.totals.occupied_ms, 82'800'000);
  EXPECT_EQ(figures.totals.unknown_ms, 172'800'000);  // 2 · 71 h − 94 h
  EXPECT_DOUBLE_EQ(figures.totals.time_utilization, 23.0 / 94.0);
  EXPECT_EQ(figures.totals.days_counted, 3);
  EXPECT_DOUBLE_EQ(figures.totals.peak_occupancy_mean, 1.0 / 3);
  EXPECT_EQ(figures.totals.peak_occupancy_max, 1);
}

TEST(ComputeUtilizationTest, FallBackDayHas25MeasuredHours) {
  // All hours, Saturday 2026-10-24 … Monday 10-26. Sunday 10-25 runs from
  // 10-24T21:00Z (EEST) to 10-25T22:00Z (EET).
  std::vector<std::vector<StateInterval>> w = {
      {Free("2026-10-20T00:00:00Z", "2026-10-24T21:00:00Z"),
       Occupied("2026-10-24T21:00:00Z", "2026-10-25T22:00:00Z"),
       Free("2026-10-25T22:00:00Z", "2026-10-30T00:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(
      w,
      AllHoursDays(absl::CivilDay(2026, 10, 24), absl::CivilDay(2026, 10, 26)));

  ASSERT_EQ(figures.days.size(), 3u);
  EXPECT_EQ(figures.days[0].occupied_ms, 0);
  EXPECT_EQ(figures.days[1].observed_ms, 90'000'000);
  EXPECT_EQ(figures.days[1].occupied_ms, 90'000'000);
  EXPECT_EQ(figures.days[2].occupied_ms, 0);
  EXPECT_EQ(figures.totals.observed_ms, 262'800'000);  // 24 h + 25 h + 24 h
  EXPECT_EQ(figures.totals.occupied_ms, 90'000'000);
  EXPECT_EQ(figures.totals.unknown_ms, 0);
  EXPECT_DOUBLE_EQ(figures.totals.time_utilization, 25.0 / 73.0);
}

TEST(ComputeUtilizationTest, CoreHoursAcrossTheClockChangeAreElapsedTime) {
  // Sunday core hours 02:00–05:00 local. On 2026-03-29 03:00–04:00 does not
  // exist (00:00Z–02:00Z: 2 h); on 2026-10-25 03:00–04:00 happens twice
  // (10-24T23:00Z–10-25T03:00Z: 4 h).
  absl::StatusOr<WeeklyCoreHours> sundays =
      WeeklyCoreHours::FromSpec({7}, "02:00", "05:00");
  ASSERT_TRUE(sundays.ok()) << sundays.status();
  std::vector<LocalDay> days =
      LocalDays(absl::CivilDay(2026, 3, 29), absl::CivilDay(2026, 3, 29),
                Helsinki(), *sundays, /*all_hours=*/false);
  std::vector<LocalDay> autumn =
      LocalDays(absl::CivilDay(2026, 10, 25), absl::CivilDay(2026, 10, 25),
                Helsinki(), *sundays, /*all_hours=*/false);
  days.insert(days.end(), autumn.begin(), autumn.end());
  std::vector<std::vector<StateInterval>> w = {
      {Occupied("2026-03-01T00:00:00Z", "2026-11-01T00:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(w, days);

  ASSERT_EQ(figures.days.size(), 2u);
  EXPECT_EQ(figures.days[0].occupied_ms, 2 * kHourMs);
  EXPECT_EQ(figures.days[1].occupied_ms, 4 * kHourMs);
  EXPECT_EQ(figures.totals.observed_ms, 6 * kHourMs);
}

TEST(ComputeUtilizationTest, LeavingAsAnotherArrivesIsNotConcurrent) {
  // Core hours 06–14 UTC on Monday 2026-03-23.
  std::vector<LocalDay> days =
      CoreDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 23));
  std::vector<std::vector<StateInterval>> handover = {
      {Occupied("2026-03-23T06:00:00Z", "2026-03-23T10:00:00Z")},
      {Occupied("2026-03-23T10:00:00Z", "2026-03-23T14:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(handover, days);
  EXPECT_EQ(figures.days[0].peak_occupancy, 1);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_max, 0.5);

  // One millisecond of overlap makes two.
  std::vector<std::vector<StateInterval>> overlap = {
      {Occupied("2026-03-23T06:00:00Z", "2026-03-23T10:00:00.001Z")},
      {Occupied("2026-03-23T10:00:00Z", "2026-03-23T14:00:00Z")},
  };
  figures = ComputeUtilization(overlap, days);
  EXPECT_EQ(figures.days[0].peak_occupancy, 2);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_max, 1.0);
}

TEST(ComputeUtilizationTest, UnmergedAdjacentIntervalsOfOneDeskCountOnce) {
  std::vector<std::vector<StateInterval>> w = {
      {Occupied("2026-03-23T06:00:00Z", "2026-03-23T08:00:00Z"),
       Occupied("2026-03-23T08:00:00Z", "2026-03-23T10:00:00Z")},
      {Occupied("2026-03-23T08:00:00Z", "2026-03-23T09:00:00Z")},
  };
  WindowFigures figures = ComputeUtilization(
      w, CoreDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 23)));
  EXPECT_EQ(figures.days[0].peak_occupancy, 2);
  EXPECT_EQ(figures.totals.occupied_ms, 5 * kHourMs);
}

TEST(ComputeUtilizationTest, PeakStatisticsOverTwentyDays) {
  // 20 workstations over the 20 core days 2026-03-02 … 03-27 (no holidays,
  // before the clock change: core hours 06–14 UTC). On core day d, the first
  // peak(d) workstations sit 06:00–07:00 UTC together, where peak(d) runs
  // through 1 … 20 in a scrambled order.
  std::vector<LocalDay> days =
      CoreDays(absl::CivilDay(2026, 3, 2), absl::CivilDay(2026, 3, 27));
  std::vector<std::vector<StateInterval>> w(20);
  int core_day = 0;
  for (const LocalDay& day : days) {
    if (!day.measured) continue;
    const int peak = (core_day * 7) % 20 + 1;
    for (int i = 0; i < peak; ++i) {
      w[i].push_back(
          {day.measured_start_ms, day.measured_start_ms + kHourMs, true});
    }
    ++core_day;
  }
  ASSERT_EQ(core_day, 20);

  WindowFigures figures = ComputeUtilization(w, days);
  EXPECT_EQ(figures.totals.days_counted, 20);
  EXPECT_EQ(figures.totals.peak_occupancy_max, 20);
  EXPECT_EQ(figures.totals.peak_occupancy_p95, 19);  // ceil(0.95 · 20) = 19th
  EXPECT_DOUBLE_EQ(figures.totals.peak_occupancy_mean, 10.5);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_max, 1.0);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_p95, 0.95);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_mean, 0.525);
}

TEST(ComputeUtilizationTest, DaysWithoutObservationAreLeftOutOfPeaks) {
  // Monday: occupied 06–07 UTC (peak 1). Tuesday: nothing known.
  // Wednesday: known and free all day (peak 0).
  std::vector<std::vector<StateInterval>> w = {
      {Occupied("2026-03-23T06:00:00Z", "2026-03-23T07:00:00Z"),
       Free("2026-03-25T06:00:00Z", "2026-03-25T14:00:00Z")},
      {},
  };
  WindowFigures figures = ComputeUtilization(
      w, CoreDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 25)));

  ASSERT_EQ(figures.days.size(), 3u);
  EXPECT_EQ(figures.days[1].observed_workstations, 0);
  EXPECT_EQ(figures.days[2].observed_workstations, 1);
  EXPECT_EQ(figures.days[2].peak_occupancy, 0);
  EXPECT_EQ(figures.totals.days_counted, 2);
  EXPECT_DOUBLE_EQ(figures.totals.peak_occupancy_mean, 0.5);  // not 1/3
  EXPECT_EQ(figures.totals.peak_occupancy_max, 1);
  EXPECT_EQ(figures.totals.peak_occupancy_p95, 1);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_mean, 0.25);
  EXPECT_EQ(figures.totals.observed_ms, 9 * kHourMs);
  EXPECT_EQ(figures.totals.unknown_ms, 2 * 3 * 8 * kHourMs - 9 * kHourMs);
}

TEST(ComputeUtilizationTest, EmptySetHasNoFigures) {
  WindowFigures figures = ComputeUtilization(
      {}, CoreDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 3, 23)));
  EXPECT_EQ(figures.totals.workstations_measured, 0);
  EXPECT_EQ(figures.totals.unknown_ms, 0);
  EXPECT_DOUBLE_EQ(figures.totals.time_utilization, 0.0);
  EXPECT_EQ(figures.totals.days_counted, 0);
  EXPECT_DOUBLE_EQ(figures.totals.peak_utilization_max, 0.0);
  ASSERT_EQ(figures.days.size(), 1u);
  EXPECT_TRUE(figures.days[0].measured);
}

TEST(ComputeUtilizationTest, IntervalSpanningSeveralDaysCountsInEach) {
  std::vector<std::vector<StateInterval>> w = {
      {Occupied("2026-03-20T12:00:00Z", "2026-03-25T10:00:00Z"),
       Free("2026-03-25T10:00:00Z", "2026-03-25T11:00:00Z")},
  };
  // Friday 03-20 12–14 UTC, Monday and Tuesday 8 h each, Wednesday 06–10.
  WindowFigures figures = ComputeUtilization(
      w, CoreDays(absl::CivilDay(2026, 3, 20), absl::CivilDay(2026, 3, 25)));
  ASSERT_EQ(figures.days.size(), 6u);
  EXPECT_EQ(figures.days[0].occupied_ms, 2 * kHourMs);
  EXPECT_EQ(figures.days[3].occupied_ms, 8 * kHourMs);
  EXPECT_EQ(figures.days[4].occupied_ms, 8 * kHourMs);
  EXPECT_EQ(figures.days[5].occupied_ms, 4 * kHourMs);
  EXPECT_EQ(figures.days[5].observed_ms, 5 * kHourMs);
  EXPECT_EQ(figures.totals.occupied_ms, 22 * kHourMs);
  EXPECT_EQ(figures.totals.observed_ms, 23 * kHourMs);
  EXPECT_EQ(figures.totals.days_counted, 4);
}

// The sweep against minute-by-minute counting on random readings over two
// weeks that include the spring clock change and Easter.
TEST(ComputeUtilizationTest, AgreesWithMinuteByMinuteCounting) {
  absl::StatusOr<WeeklyCoreHours> core =
      WeeklyCoreHours::FromSpec({1, 2, 3, 4, 5, 7}, "07:00", "18:30");
  ASSERT_TRUE(core.ok()) << core.status();
  std::vector<LocalDay> days =
      LocalDays(absl::CivilDay(2026, 3, 23), absl::CivilDay(2026, 4, 7),
                Helsinki(), *core, /*all_hours=*/false);
  const int64_t window_start = days.front().day_start_ms;
  const int64_t window_end = days.back().day_end_ms;
  const int64_t window_minutes = (window_end - window_start) / kMinuteMs;

  std::mt19937 random(20260323);
  std::vector<std::vector<StateInterval>> w;
  for (int desk = 0; desk < 5; ++desk) {
    std::vector<PresenceReading> readings;
    std::uniform_int_distribution<int64_t> minute(-120, window_minutes + 120);
    for (int r = 0; r < 400; ++r) {
      readings.push_back(
          {window_start + minute(random) * kMinuteMs, (random() % 3) == 0});
    }
    w.push_back(PresenceIntervals(readings, 45 * kMinuteMs));
  }
  WindowFigures figures = ComputeUtilization(w, days);

  auto state_at = [](const std::vector<StateInterval>& intervals, int64_t t) {
    for (const StateInterval& interval : intervals) {
      if (interval.start_ms <= t && t < interval.end_ms) {
        return interval.occupied ? 1 : 0;
      }
    }
    return -1;  // unknown
  };
  int64_t observed = 0;
  int64_t occupied = 0;
  int64_t unknown = 0;
  std::vector<int32_t> peaks;
  ASSERT_EQ(figures.days.size(), days.size());
  for (size_t d = 0; d < days.size(); ++d) {
    if (!days[d].measured) continue;
    int64_t day_observed = 0;
    int32_t peak = 0;
    std::vector<bool> seen(w.size(), false);
    for (int64_t t = days[d].measured_start_ms; t < days[d].measured_end_ms;
         t += kMinuteMs) {
      int32_t now = 0;
      for (size_t desk = 0; desk < w.size(); ++desk) {
        int state = state_at(w[desk], t);
        if (state < 0) {
          unknown += kMinuteMs;
          continue;
        }
        seen[desk] = true;
        day_observed += kMinuteMs;
        if (state == 1) {
          occupied += kMinuteMs;
          ++now;
        }
      }
      peak = std::max(peak, now);
    }
    observed += day_observed;
    EXPECT_EQ(figures.days[d].observed_ms, day_observed) << d;
    EXPECT_EQ(figures.days[d].peak_occupancy, peak) << d;
    EXPECT_EQ(figures.days[d].observed_workstations,
              std::count(seen.begin(), seen.end(), true))
        << d;
    if (day_observed > 0) peaks.push_back(peak);
  }
  EXPECT_GT(occupied, 0);
  EXPECT_GT(unknown, 0);
  EXPECT_EQ(figures.totals.observed_ms, observed);
  EXPECT_EQ(figures.totals.occupied_ms, occupied);
  EXPECT_EQ(figures.totals.unknown_ms, unknown);
  EXPECT_EQ(figures.totals.days_counted, static_cast<int32_t>(peaks.size()));
  EXPECT_EQ(figures.totals.peak_occupancy_max,
            *std::max_element(peaks.begin(), peaks.end()));
  std::sort(peaks.begin(), peaks.end());
  EXPECT_EQ(figures.totals.peak_occupancy_p95,
            peaks[(95 * peaks.size() + 99) / 100 - 1]);
}

}  // namespace
}  // namespace monipaikka::reference
