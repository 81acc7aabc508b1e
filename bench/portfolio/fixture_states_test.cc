// The portfolio fixture writes each desk sensor's day states instead of
// its readings: they must be the states the summarizer computes from the
// readings of the same office days (a heartbeat every 15 minutes and a
// reading at each change), on working days, on weekends and on the
// 25-hour day of a DST change.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "bench/portfolio/office_presence.h"
#include "bench/portfolio/portfolio_layout.h"
#include "common/time_format.h"
#include "server/storage/storage.h"
#include "server/summary/codec.h"
#include "server/summary/occupancy_inventory.h"
#include "server/summary/summarizer.h"

namespace monipaikka {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;

TEST(FixtureStatesTest, AreTheSummarizersStatesOfTheSameReadings) {
  const std::string path =
      absl::StrCat(testing::TempDir(), "/fixture_states_test.db");
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  auto storage = Storage::OpenSqlite(path);
  ASSERT_TRUE(storage.ok()) << storage.status();
  auto session = (*storage)->OpenSession();
  ASSERT_TRUE(session.ok()) << session.status();
  StorageSession& s = **session;
  // 100 desks of the partly measured site: 26 sensors.
  const Portfolio portfolio = MakePortfolio(100, 25);
  ASSERT_TRUE(s.ImportInventory(portfolio.inventory).ok());
  auto rows = s.Analytics().LoadInventoryRows();
  ASSERT_TRUE(rows.ok());
  auto built = OccupancyInventory::Build(*rows, SummarySettings{});
  ASSERT_TRUE(built.ok()) << built.status();
  const OccupancyInventory& inventory = **built;
  ASSERT_EQ(inventory.sensors().size(), 26u);

  // Thursday 2026-10-22 .. Tuesday 10-27; clocks go back on Sunday 10-25.
  const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  const absl::CivilDay first(2026, 10, 22);
  const absl::CivilDay last(2026, 10, 27);
  std::mt19937_64 random(5);
  std::map<std::pair<int32_t, int64_t>, std::vector<DaySpan>> expected;
  std::vector<StoredReading> readings;
  for (absl::CivilDay day = first; day <= last; ++day) {
    const int64_t start = LocalToMs(absl::CivilSecond(day), zone);
    const int64_t end = LocalToMs(absl::CivilSecond(day + 1), zone);
    for (size_t i = 0; i < inventory.sensors().size(); ++i) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[i];
      const int desk = std::stoi(sensor.external_id.substr(1));
      const auto periods = OfficePresence(desk, day, 1.0, random);
      expected[{DateIndex(day), sensor.id}] = DeskDayStates(periods, day, zone);
      std::vector<std::pair<int64_t, int64_t>> busy;  // UTC ms
      for (const auto& [from, to] : periods) {
        busy.push_back({LocalToMs(absl::CivilSecond(day) + 60 * from, zone),
                        LocalToMs(absl::CivilSecond(day) + 60 * to, zone)});
        readings.push_back({sensor.id, busy.back().first, 0, 1});
        readings.push_back({sensor.id, busy.back().second, 0, 0});
      }
      for (int64_t ts = start + static_cast<int64_t>(i % 15) * kMinuteMs;
           ts < end; ts += 15 * kMinuteMs) {
        bool occupied = false;
        for (const auto& [a, b] : busy) occupied |= ts >= a && ts < b;
        readings.push_back({sensor.id, ts, 0, occupied ? 1 : 0});
      }
    }
  }
  std::sort(readings.begin(), readings.end(),
            [](const StoredReading& a, const StoredReading& b) {
              return std::tie(a.sensor_id, a.ts_ms) <
                     std::tie(b.sensor_id, b.ts_ms);
            });
  for (size_t r = 0; r < readings.size(); ++r) {
    readings[r].seq =
        r > 0 && readings[r - 1].sensor_id == readings[r].sensor_id
            ? readings[r - 1].seq + 1
            : 1;
  }
  std::vector<InsertOutcome> outcomes;
  ASSERT_TRUE(s.InsertReadings(readings, &outcomes).ok());
  ASSERT_TRUE(SummarizePending(s, inventory).ok());

  // The first day is known only from each sensor's first heartbeat; the
  // others from midnight, as the fixture writes them.
  int compared = 0;
  ASSERT_TRUE(
      s.Analytics()
          .ScanSensorDays(
              DateIndex(first + 1), DateIndex(last), 0,
              std::numeric_limits<int64_t>::max(),
              [&](int32_t date, int64_t sensor_id, absl::string_view bytes) {
                auto states = DecodeDaySpans(bytes);
                ASSERT_TRUE(states.ok());
                EXPECT_EQ(*states, (expected[{date, sensor_id}]))
                    << "sensor " << sensor_id << " on "
                    << FormatDate(DateOf(date));
                ++compared;
              })
          .ok());
  EXPECT_EQ(compared, 5 * 26);
}

}  // namespace
}  // namespace monipaikka
