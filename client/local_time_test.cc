#include "client/local_time.h"

#include <sstream>

#include "client/analytics_text.h"
#include "client/sensor_health_command.h"
#include "client/table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 2026-03-23T07:15:00Z: 09:15 in Helsinki (EET, +02:00).
constexpr int64_t kWinterMs = 1'774'250'100'000;
// 2026-07-01T06:00:00Z: 09:00 in Helsinki (EEST, +03:00).
constexpr int64_t kSummerMs = 1'782'885'600'000;

TEST(LocalTimeTest, FormatsInTheSitesZone) {
  EXPECT_EQ(FormatLocalInstant(kWinterMs, "Europe/Helsinki"),
            "2026-03-23 09:15:00 EET");
  EXPECT_EQ(FormatLocalInstant(kSummerMs, "Europe/Helsinki"),
            "2026-07-01 09:00:00 EEST");
  EXPECT_EQ(FormatLocalInstant(kWinterMs, "Europe/Stockholm"),
            "2026-03-23 08:15:00 CET");
}

TEST(LocalTimeTest, WithoutAZoneKeepsRfc3339) {
  EXPECT_EQ(FormatLocalInstant(kWinterMs, ""), "2026-03-23T07:15:00Z");
  EXPECT_EQ(FormatLocalInstant(kWinterMs, "Mars/Olympus"),
            "2026-03-23T07:15:00Z");
  EXPECT_EQ(FormatLocalInstant("2026-03-23T07:15:00Z", "Europe/Helsinki"),
            "2026-03-23 09:15:00 EET");
  EXPECT_EQ(FormatLocalInstant("never", "Europe/Helsinki"), "never");
}

TEST(LocalTimeTest, TablesShowLocalTimesCsvAndJsonKeepRfc3339) {
  v1::LiveOccupancy live;
  live.set_site("HKI-VT");
  live.set_as_of_ms(kWinterMs);
  std::ostringstream table;
  WriteLiveOccupancy(live, OutputFormat::kTable, table, "Europe/Helsinki");
  EXPECT_THAT(table.str(), HasSubstr("2026-03-23 09:15:00 EET"));
  std::ostringstream json;
  WriteLiveOccupancy(live, OutputFormat::kJson, json, "Europe/Helsinki");
  EXPECT_THAT(json.str(), HasSubstr("\"asOfMs\": \"1774250100000\""));

  v1::ListSensorHealthResponse health;
  v1::SensorHealthEntry* entry = health.add_sensors();
  entry->set_sensor("S-1");
  entry->set_site("HKI-VT");
  entry->set_last_seen_ms(kWinterMs);
  std::ostringstream local;
  WriteAlignedTable(SensorHealthTable(health, {{"HKI-VT", "Europe/Helsinki"}}),
                    local);
  EXPECT_THAT(local.str(), HasSubstr("2026-03-23 09:15:00 EET"));
  std::ostringstream csv;
  WriteCsvTable(SensorHealthTable(health), csv);
  EXPECT_THAT(csv.str(), HasSubstr("2026-03-23T07:15:00Z"));
  EXPECT_THAT(csv.str(), Not(HasSubstr("EET")));

  v1::SensorCoverageReport coverage;
  coverage.add_sensors()->set_last_seen("2026-03-23T07:15:00Z");
  std::ostringstream coverage_table, coverage_csv;
  WriteSensorCoverage(coverage, OutputFormat::kTable, coverage_table,
                      "Europe/Helsinki");
  WriteSensorCoverage(coverage, OutputFormat::kCsv, coverage_csv,
                      "Europe/Helsinki");
  EXPECT_THAT(coverage_table.str(), HasSubstr("2026-03-23 09:15:00 EET"));
  EXPECT_THAT(coverage_csv.str(), HasSubstr("2026-03-23T07:15:00Z"));
}

}  // namespace
}  // namespace monipaikka::client
