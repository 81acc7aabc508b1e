// The whole path on 127.0.0.1: the real server, the command-line client
// importing the inventory, the edge agent backfilling a deterministic
// simulation, and the utilization report checked against an independent
// computation over the same readings.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/utilization.pb.h"
#include "tests/support/cluster.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kStaleAfterMs = 60 * 60 * 1000;

// The figures of docs/figures.md, computed the plain way: per core window, per
// desk, per reading; the peak by sweeping start and end events.
struct IndependentFigures {
  int64_t observed_ms = 0;
  int64_t occupied_ms = 0;
  int64_t measured_ms = 0;  // per desk
  std::vector<int> daily_peaks;
};

IndependentFigures Compute(const std::vector<StoredRow>& rows, int desks,
                           absl::CivilDay first, absl::CivilDay last) {
  std::map<std::string, std::vector<StoredRow>> by_sensor;
  for (const StoredRow& row : rows) by_sensor[row.sensor].push_back(row);
  absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  IndependentFigures figures;
  for (absl::CivilDay day = first; day <= last; ++day) {
    absl::Weekday weekday = absl::GetWeekday(day);
    if (weekday == absl::Weekday::saturday ||
        weekday == absl::Weekday::sunday || IsFinnishPublicHoliday(day)) {
      continue;
    }
    const int64_t core_start = absl::ToUnixMillis(absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 8, 0, 0), zone));
    const int64_t core_end = absl::ToUnixMillis(absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 16, 0, 0), zone));
    figures.measured_ms += core_end - core_start;
    std::vector<std::pair<int64_t, int>> events;
    bool observed_any = false;
    for (const auto& [sensor, readings] : by_sensor) {
      for (size_t i = 0; i < readings.size(); ++i) {
        int64_t end = readings[i].ts_ms + kStaleAfterMs;
        if (i + 1 < readings.size()) end = std::min(end, readings[i + 1].ts_ms);
        const int64_t lo = std::max(readings[i].ts_ms, core_start);
        const int64_t hi = std::min(end, core_end);
        if (lo >= hi) continue;
        observed_any = true;
        figures.observed_ms += hi - lo;
        if (readings[i].value != 0) {
          figures.occupied_ms += hi - lo;
          events.emplace_back(lo, +1);
          events.emplace_back(hi, -1);
        }
      }
    }
    if (!observed_any) continue;
    std::sort(events.begin(), events.end());  // at one instant, ends first
    int now = 0;
    int peak = 0;
    for (const auto& [ts, delta] : events) {
      now += delta;
      peak = std::max(peak, now);
    }
    figures.daily_peaks.push_back(peak);
  }
  (void)desks;
  return figures;
}

TEST(EndToEndTest,
     BackfillIsStoredExactlyOnceAndReportMatchesIndependentFigures) {
  constexpr int kDesks = 40;
  constexpr uint64_t kSeed = 7;
  TempDir dir;
  ServerProcess server(dir, 0, "server");
  ASSERT_GT(server.port(), 0);

  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << OneSiteInventoryJson(kDesks, "gw-it");
  std::string out;
  std::string err;
  ASSERT_EQ(RunToCompletion(
                ClientBinary(),
                {"--server=" + server.address(), "import-inventory", inventory},
                &out, std::chrono::seconds(60), &err),
            0)
      << out << err;

  const absl::CivilDay today = TodayInHelsinki();
  const absl::CivilDay first = today - 28;
  const absl::CivilDay last = today - 1;
  ASSERT_EQ(
      RunToCompletion(EdgeBinary(),
                      {"--server=" + server.address(), "--gateway=gw-it",
                       "--outbox=" + dir.File("outbox.db"),
                       "--backfill_from=" + FormatDate(first),
                       "--backfill_to=" + FormatDate(last),
                       absl::StrCat("--seed=", kSeed), "--exit_when_drained"},
                      &out, std::chrono::seconds(300), &err),
      0)
      << out << err;

  // Every reading the edge sent is stored, exactly once.
  const std::vector<StoredRow> expected =
      SimulatedRows(OneSiteSensors(kDesks), kSeed, first, last);
  const std::vector<StoredRow> stored = ReadAllReadings(server.db_path());
  ASSERT_GT(expected.size(), 50000u);
  ASSERT_EQ(stored.size(), expected.size());
  EXPECT_TRUE(stored == expected);

  ASSERT_EQ(RunToCompletion(
                ClientBinary(),
                {"--server=" + server.address(), "--output=json", "utilization",
                 "--site=IT-SITE", "--from=" + FormatDate(first),
                 "--to=" + FormatDate(last)},
                &out, std::chrono::seconds(60), &err),
            0)
      << out << err;
  v1::UtilizationReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(out, &report).ok())
      << out;

  const IndependentFigures figures = Compute(stored, kDesks, first, last);
  EXPECT_EQ(report.workstations_measured(), kDesks);
  EXPECT_EQ(report.observed_ms(), figures.observed_ms);
  EXPECT_EQ(report.occupied_ms(), figures.occupied_ms);
  EXPECT_EQ(report.unknown_ms(),
            kDesks * figures.measured_ms - figures.observed_ms);
  EXPECT_DOUBLE_EQ(
      report.time_utilization(),
      static_cast<double>(figures.occupied_ms) / figures.observed_ms);
  ASSERT_EQ(report.days_counted(),
            static_cast<int>(figures.daily_peaks.size()));
  std::vector<int> peaks = figures.daily_peaks;
  std::sort(peaks.begin(), peaks.end());
  const size_t rank = (95 * peaks.size() + 99) / 100;
  EXPECT_EQ(report.peak_occupancy_max(), peaks.back());
  EXPECT_EQ(report.peak_occupancy_p95(), peaks[rank - 1]);
  double sum = 0;
  for (int p : peaks) sum += p;
  EXPECT_NEAR(report.peak_occupancy_mean(), sum / peaks.size(), 1e-9);
  // A working simulation: desks are used, not everywhere all the time.
  EXPECT_GT(report.time_utilization(), 0.05);
  EXPECT_LT(report.time_utilization(), 0.9);
}

}  // namespace
}  // namespace monipaikka::testing
