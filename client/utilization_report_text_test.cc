#include "client/utilization_report_text.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kHourMs = 3'600'000;

v1::UtilizationReport SampleReport() {
  v1::UtilizationReport report;
  report.set_site("HKI-VT");
  report.set_from_date("2026-03-20");
  report.set_to_date("2026-03-22");
  report.set_timezone("Europe/Helsinki");
  report.set_stale_after_s(3600);
  report.set_workstations_in_scope(12);
  report.set_workstations_measured(10);
  report.add_unmeasured_workstations("HKI-VT-2-A-011");
  report.add_unmeasured_workstations("HKI-VT-2-A-012");
  report.set_observed_ms(78 * kHourMs);
  report.set_occupied_ms(29'250 * kHourMs / 1000);  // 29.25 h
  report.set_unknown_ms(2 * kHourMs);
  report.set_time_utilization(0.375);
  report.set_days_counted(1);
  report.set_peak_occupancy_mean(6);
  report.set_peak_occupancy_max(6);
  report.set_peak_occupancy_p95(6);
  report.set_peak_utilization_mean(0.6);
  report.set_peak_utilization_max(0.6);
  report.set_peak_utilization_p95(0.6);

  v1::DailyUtilization* friday = report.add_days();
  friday->set_date("2026-03-20");
  friday->set_core_day(true);
  friday->set_observed_ms(78 * kHourMs);
  friday->set_occupied_ms(29'250 * kHourMs / 1000);
  friday->set_time_utilization(0.375);
  friday->set_peak_occupancy(6);
  friday->set_peak_utilization(0.6);
  friday->set_observed_workstations(10);
  for (const char* date : {"2026-03-21", "2026-03-22"}) {
    v1::DailyUtilization* weekend = report.add_days();
    weekend->set_date(date);
  }
  return report;
}

TEST(UtilizationReportTextTest, TableHasHeaderTotalsAndDays) {
  std::ostringstream out;
  WriteUtilizationReport(SampleReport(), OutputFormat::kTable, out);
  EXPECT_EQ(out.str(),
            "Site:             HKI-VT\n"
            "Space:            whole site\n"
            "Window:           2026-03-20 to 2026-03-22 (3 days)\n"
            "Time zone:        Europe/Helsinki\n"
            "Measured hours:   core hours Mon-Fri 08:00-16:00, Finnish public "
            "holidays excluded\n"
            "Stale after:      1 h\n"
            "Workstations:     12 in scope, 10 measured\n"
            "Unmeasured:       2 without a sensor, not guessed "
            "(HKI-VT-2-A-011, HKI-VT-2-A-012)\n"
            "\n"
            "Time utilization: 37.5 %\n"
            "Observed:         78.0 h\n"
            "Occupied:         29.3 h\n"
            "Unknown:          2.0 h\n"
            "Days counted:     1\n"
            "Peak occupancy:   mean 6.0, max 6, P95 6\n"
            "Peak utilization: mean 60.0 %, max 60.0 %, P95 60.0 %\n"
            "\n"
            "date        core day  observed h  occupied h  util %  peak  "
            "peak %  observed ws\n"
            "----------  --------  ----------  ----------  ------  ----  "
            "------  -----------\n"
            "2026-03-20  yes             78.0        29.3    37.5     6  "
            "  60.0           10\n"
            "2026-03-21  no               0.0         0.0     0.0     0  "
            "   0.0            0\n"
            "2026-03-22  no               0.0         0.0     0.0     0  "
            "   0.0            0\n");
}

TEST(UtilizationReportTextTest, CsvIsOnlyTheDays) {
  std::ostringstream out;
  WriteUtilizationReport(SampleReport(), OutputFormat::kCsv, out);
  EXPECT_EQ(out.str(),
            "date,core_day,observed_h,occupied_h,time_utilization_pct,"
            "peak_occupancy,peak_utilization_pct,observed_workstations\n"
            "2026-03-20,yes,78.0,29.3,37.5,6,60.0,10\n"
            "2026-03-21,no,0.0,0.0,0.0,0,0.0,0\n"
            "2026-03-22,no,0.0,0.0,0.0,0,0.0,0\n");
}

TEST(UtilizationReportTextTest, JsonIsTheWholeReportWithDefaults) {
  std::ostringstream out;
  WriteUtilizationReport(SampleReport(), OutputFormat::kJson, out);
  const std::string json = out.str();
  EXPECT_THAT(json, StartsWith("{"));
  EXPECT_THAT(json, HasSubstr("\"site\": \"HKI-VT\""));
  EXPECT_THAT(json, HasSubstr("\"timeUtilization\": 0.375"));
  EXPECT_THAT(json, HasSubstr("\"observedMs\": \"280800000\""));
  // Fields at their default values are printed too.
  EXPECT_THAT(json, HasSubstr("\"space\": \"\""));
  EXPECT_THAT(json, HasSubstr("\"allHours\": false"));
  EXPECT_THAT(json, HasSubstr("\"coreDay\": false"));
  EXPECT_THAT(json, HasSubstr("\"unmeasuredWorkstations\": ["));
}

TEST(UtilizationReportTextTest, SpaceAllHoursAndManyUnmeasured) {
  v1::UtilizationReport report = SampleReport();
  report.set_space("HKI-VT-2");
  report.set_all_hours(true);
  report.set_stale_after_s(90);
  report.clear_unmeasured_workstations();
  for (int i = 1; i <= 12; ++i) {
    report.add_unmeasured_workstations("W" + std::to_string(i));
  }
  std::ostringstream out;
  WriteUtilizationReport(report, OutputFormat::kTable, out);
  EXPECT_THAT(out.str(), HasSubstr("Space:            HKI-VT-2\n"));
  EXPECT_THAT(out.str(),
              HasSubstr("Measured hours:   all hours of every day\n"));
  EXPECT_THAT(out.str(), HasSubstr("Stale after:      90 s\n"));
  EXPECT_THAT(out.str(),
              HasSubstr("Unmeasured:       12 without a sensor, not guessed "
                        "(W1, W2, W3, W4, W5, W6, W7, W8, W9, W10, ... 2 more "
                        "in --output=json)\n"));
}

}  // namespace
}  // namespace monipaikka::client
