#include "client/analytics_text.h"

#include <gtest/gtest.h>

#include <sstream>

#include "client/analytics_commands.h"

namespace monipaikka::client {
namespace {

v1::UsageReport Heatmap() {
  v1::UsageReport report;
  report.set_group_by(v1::GROUPING_WEEKDAY_HOUR);
  report.mutable_total()->set_time_utilization(0.5);
  for (int weekday : {1, 2}) {
    for (int hour : {8, 9}) {
      v1::UsageGroup* group = report.add_groups();
      group->set_key(std::to_string(weekday) + "-0" + std::to_string(hour));
      group->set_weekday(weekday);
      group->set_hour(hour);
      if (weekday == 2 && hour == 9) continue;  // nothing observed
      group->mutable_figures()->set_observed_ms(3600000);
      group->mutable_figures()->set_time_utilization(0.25 * weekday +
                                                     0.001 * hour);
    }
  }
  return report;
}

TEST(AnalyticsTextTest, HeatmapIsAWeekdayByHourTable) {
  std::ostringstream out;
  WriteHeatmap(Heatmap(), OutputFormat::kCsv, out);
  EXPECT_EQ(out.str(),
            "weekday,h08_util_pct,h09_util_pct\n"
            "Mon,25.8,25.9\n"
            "Tue,50.8,-\n");
}

TEST(AnalyticsTextTest, UsageCsvStartsWithTheTotal) {
  v1::UsageReport report = Heatmap();
  report.set_group_by(v1::GROUPING_DAY);
  std::ostringstream out;
  WriteUsageReport(report, OutputFormat::kCsv, out);
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("group,name,workstations_measured,observed_h,"
                       "time_utilization_pct,",
                       0),
            0u);
  EXPECT_NE(text.find("\ntotal,,0,0.0,50.0,"), std::string::npos);
  EXPECT_NE(text.find("\n1-08,,0,1.0,25.8,"), std::string::npos);
}

TEST(AnalyticsTextTest, LiveUpdatesAsLines) {
  v1::LiveOccupancyUpdate update;
  v1::LiveOccupancy* live = update.mutable_occupancy();
  live->set_as_of_ms(1774245600000);  // 2026-03-23T06:00:00Z
  v1::LiveWorkstation* ws = live->add_workstations();
  ws->set_workstation("A1");
  ws->set_space("Z");
  ws->set_state(v1::OCCUPANCY_STATE_OCCUPIED);
  v1::LiveSpace* space = live->add_spaces();
  space->set_space("Z");
  space->set_level("zone");
  space->set_workstations(4);
  space->set_free(3);
  std::ostringstream table;
  WriteLiveUpdate(update, OutputFormat::kTable, false, table);
  EXPECT_EQ(table.str(),
            "2026-03-23T06:00:00Z A1 occupied (Z)\n"
            "2026-03-23T06:00:00Z zone Z: 3 free of 4\n");
  std::ostringstream json;
  WriteLiveUpdate(update, OutputFormat::kJson, false, json);
  EXPECT_EQ(json.str().find('\n'), json.str().size() - 1);  // one line
  EXPECT_NE(json.str().find("\"state\":\"OCCUPANCY_STATE_OCCUPIED\""),
            std::string::npos);
  std::ostringstream csv_first;
  std::ostringstream csv_next;
  WriteLiveUpdate(update, OutputFormat::kCsv, true, csv_first);
  WriteLiveUpdate(update, OutputFormat::kCsv, false, csv_next);
  EXPECT_EQ(csv_first.str().rfind("workstation,space,", 0), 0u);
  EXPECT_EQ(csv_next.str().rfind("A1,Z,", 0), 0u);
}

TEST(AnalyticsTextTest, AWithheldFteSaysSuppressedAndWhy) {
  v1::SpaceEfficiencyReport report;
  report.set_as_of("2026-03-23");
  report.set_registry_date("2026-02-28");
  v1::SpaceEfficiencyRow* row = report.add_rows();
  row->set_scope("site");
  row->set_code("SMALL");
  row->set_office_area_m2(200);
  row->set_fte_available(true);
  row->set_fte_withheld(v1::REGISTRY_FIGURE_SMALL_GROUP);
  row->set_fte_withheld_reason("fewer than 5 employees");
  std::ostringstream csv;
  WriteSpaceEfficiency(report, OutputFormat::kCsv, csv);
  EXPECT_NE(csv.str().find("200,suppressed: fewer than 5 employees,"
                           "suppressed: fewer than 5 employees,"),
            std::string::npos)
      << csv.str();
  std::ostringstream table;
  WriteSpaceEfficiency(report, OutputFormat::kTable, table);
  EXPECT_NE(table.str().find("registry of 2026-02-28"), std::string::npos)
      << table.str();

  v1::ConsolidationReport what_if;
  what_if.set_fte_available(true);
  what_if.set_fte_registry_date("2026-02-28");
  what_if.set_candidate_office_area_m2(500);
  v1::ConsolidationGroup* group = what_if.add_groups();
  group->set_kind("site");
  group->set_code("SMALL");
  group->set_fte_withheld(v1::REGISTRY_FIGURE_SMALL_GROUP);
  group->set_fte_withheld_reason("fewer than 5 employees");
  what_if.set_total_fte_withheld(v1::REGISTRY_FIGURE_PROTECTED);
  what_if.set_total_fte_withheld_reason("would reveal another withheld figure");
  std::ostringstream text;
  WriteConsolidation(what_if, OutputFormat::kTable, text);
  EXPECT_NE(text.str().find("FTE suppressed: fewer than 5 employees"),
            std::string::npos)
      << text.str();
  EXPECT_NE(
      text.str().find("FTE suppressed: would reveal another withheld figure"),
      std::string::npos)
      << text.str();
  EXPECT_EQ(text.str().find("0 FTE"), std::string::npos) << text.str();
}

TEST(AnalyticsCommandsTest, FlagsAreCheckedPerCommand) {
  AnalyticsFlags flags;
  EXPECT_EQ(CheckAnalyticsFlags("report", flags), "");
  flags.by = "floors";
  EXPECT_NE(CheckAnalyticsFlags("report", flags).find("--by=floors"),
            std::string::npos);
  flags.by = "floor";
  EXPECT_EQ(CheckAnalyticsFlags("report", flags), "");
  EXPECT_EQ(CheckAnalyticsFlags("coverage", flags),
            "--by does not apply to coverage");
  flags = AnalyticsFlags();
  EXPECT_EQ(CheckAnalyticsFlags("consolidate", flags),
            "consolidate needs --candidate");
  flags.candidate = "NEW";
  EXPECT_EQ(CheckAnalyticsFlags("consolidate", flags),
            "report consolidation needs --organization or --sites (one of "
            "them)");
  flags.orgs = "A,B";
  flags.buffer_pct = "-3";
  EXPECT_EQ(CheckAnalyticsFlags("consolidate", flags),
            "--buffer_pct=-3 is not a whole percent >= 0");
  flags.buffer_pct = "20";
  flags.date = "2026-13-01";
  EXPECT_EQ(CheckAnalyticsFlags("consolidate", flags),
            "--as_of=2026-13-01 is not a date (YYYY-MM-DD)");
  flags = AnalyticsFlags();
  flags.scope = "site";
  flags.metric = "m2_per_fte";
  flags.value = "ten";
  flags.valid_from = "2027-01-01";
  EXPECT_EQ(CheckAnalyticsFlags("set-target", flags),
            "--value=ten is not a number");
  flags.value = "10";
  EXPECT_EQ(CheckAnalyticsFlags("set-target", flags), "");
  EXPECT_EQ(CheckAnalyticsFlags("import-employees", flags),
            "--scope does not apply to import-employees");
  EXPECT_TRUE(IsAnalyticsCommand("watch"));
  EXPECT_FALSE(IsAnalyticsCommand("utilization"));
}

}  // namespace
}  // namespace monipaikka::client
