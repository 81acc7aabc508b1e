#include "client/planning_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace monipaikka::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::FloorPlanReport Plan() {
  v1::FloorPlanReport report;
  report.set_site("HKI");
  report.set_unit("floor");
  for (const char* code : {"A", "B"}) {
    v1::FloorPlanUnit* unit = report.add_units();
    unit->set_code(code);
    unit->set_area_m2(90.5);
    unit->set_capacity(10);
  }
  report.mutable_units(0)->add_home_of("X");
  v1::FloorPlanWeekday* monday = report.add_weekdays();
  monday->set_weekday("Monday");
  monday->set_has_data(true);
  monday->set_days_counted(12);
  monday->set_peak_occupancy_p95(7);
  monday->set_demand(8);
  monday->set_demand_met(true);
  monday->add_open_units("A");
  monday->add_closed_units("B");
  monday->set_open_capacity(10);
  monday->set_open_area_m2(90.5);
  monday->set_closed_area_m2(90.5);
  monday->set_core_days_per_year(51);
  monday->set_closed_m2_days_per_year(4615.5);
  monday->set_energy_saved_kwh_per_year(1153.875);
  monday->set_co2_saved_kg_per_year(92.31);
  v1::FloorPlanWeekday* tuesday = report.add_weekdays();
  tuesday->set_weekday("Tuesday");
  tuesday->add_open_units("A");
  tuesday->add_open_units("B");
  return report;
}

TEST(FloorPlanTextTest, GridShowsEachFloorOnEachWeekday) {
  const Table grid = FloorPlanGridTable(Plan());
  ASSERT_EQ(grid.rows().size(), 2u);
  EXPECT_THAT(grid.rows()[0],
              ElementsAre("A", "90.5", "10", "X", "open", "open"));
  EXPECT_THAT(grid.rows()[1],
              ElementsAre("B", "90.5", "10", "-", "closed", "open"));
  EXPECT_EQ(grid.columns()[4].title, "Mon");
}

TEST(FloorPlanTextTest, CsvHasOneRecordPerWeekday) {
  std::ostringstream out;
  WriteFloorPlan(Plan(), OutputFormat::kCsv, out);
  EXPECT_EQ(out.str(),
            "weekday,days_counted,peak_occupancy_p95,demand,open_units,"
            "closed_units,open_capacity,open_area_m2,closed_area_m2,"
            "core_days_per_year,closed_m2_days_per_year,"
            "energy_saved_kwh_per_year,co2_saved_kg_per_year\n"
            "Monday,12,7,8,A,B,10,90.5,90.5,51,4615.5,1153.88,92.31\n"
            "Tuesday,0,-,-,A B,-,0,0,0,0,0,0,0\n");
}

TEST(ForecastTextTest, HolidaysAndIntervals) {
  v1::ForecastReport report;
  report.set_site("HKI");
  v1::ForecastDay* day = report.add_days();
  day->set_date("2026-04-30");
  day->set_weekday("Thursday");
  day->set_horizon_weeks(1);
  v1::ForecastValue* peak = day->mutable_peak_occupancy();
  peak->set_has_value(true);
  peak->set_value(12.34);
  peak->set_has_interval(true);
  peak->set_low80(10);
  peak->set_high80(14.5);
  peak->set_low95(8);
  peak->set_high95(16);
  v1::ForecastValue* util = day->mutable_time_utilization();
  util->set_has_value(true);
  util->set_value(0.4);
  v1::ForecastDay* may_day = report.add_days();
  may_day->set_date("2026-05-01");
  may_day->set_weekday("Friday");
  may_day->set_horizon_weeks(1);
  may_day->set_holiday(true);
  may_day->mutable_peak_occupancy()->set_has_value(true);

  const Table table = ForecastTable(report);
  EXPECT_THAT(table.rows()[0],
              ElementsAre("2026-04-30", "Thu", "1", "12.3", "10.0-14.5",
                          "8.0-16.0", "40.0", "-", "-"));
  EXPECT_EQ(table.rows()[1][3], "holiday");

  std::ostringstream csv;
  WriteForecast(report, OutputFormat::kCsv, csv);
  EXPECT_THAT(csv.str(),
              HasSubstr("\n2026-04-30,Thursday,1,false,12.3,10.0,14.5,8.0,"
                        "16.0,40.0,,,,\n2026-05-01,Friday,1,true,0.0,"));
}

}  // namespace
}  // namespace monipaikka::client
