#pragma once

// The analytics reports in the three output formats. kTable: a header block
// (scope, window, parameters, coverage, totals) and a table, for people.
// kCsv: the table alone, one record per row under a header record, for
// spreadsheets (the usage report's first record is the scope's total, key
// "total"). kJson: the whole API message.
//
// Percentages are shown with one decimal, hours with one decimal, areas and
// money with at most two.

#include <ostream>
#include <string>

#include "client/output_format.h"
#include "client/table.h"
#include "monipaikka/v1/analytics.pb.h"
#include "monipaikka/v1/live.pb.h"

namespace monipaikka::client {

// Usage report: one row per group (after the total).
Table UsageGroupsTable(const v1::UsageReport& report);
void WriteUsageReport(const v1::UsageReport& report, OutputFormat format,
                      std::ostream& out);

// The weekday × hour heatmap of a report grouped by GROUPING_WEEKDAY_HOUR:
// weekdays as rows, hours as columns, time utilization % in the cells
// ("-" where nothing was observed).
Table HeatmapTable(const v1::UsageReport& report);
void WriteHeatmap(const v1::UsageReport& report, OutputFormat format,
                  std::ostream& out);

// `zone` (IANA name) shows the last-seen instants as local times of the
// site in the table format; "" keeps RFC 3339 UTC, as csv and json always do.
Table SensorCoverageTable(const v1::SensorCoverageReport& report,
                          const std::string& zone = "");
void WriteSensorCoverage(const v1::SensorCoverageReport& report,
                         OutputFormat format, std::ostream& out,
                         const std::string& zone = "");

Table RightSizingTable(const v1::RightSizingReport& report);
void WriteRightSizing(const v1::RightSizingReport& report, OutputFormat format,
                      std::ostream& out);

// Consolidation: CSV has the days.
Table ConsolidationDaysTable(const v1::ConsolidationReport& report);
void WriteConsolidation(const v1::ConsolidationReport& report,
                        OutputFormat format, std::ostream& out);

Table SpaceEfficiencyTable(const v1::SpaceEfficiencyReport& report);
void WriteSpaceEfficiency(const v1::SpaceEfficiencyReport& report,
                          OutputFormat format, std::ostream& out);

Table TargetsTable(const v1::ListTargetsResponse& targets);

// Live occupancy: the spaces' counts, then the workstations (CSV: the
// workstations).
Table LiveSpacesTable(const v1::LiveOccupancy& live);
Table LiveWorkstationsTable(const v1::LiveOccupancy& live);
// `zone` as for WriteSensorCoverage: the table's "As of" in the site's
// local time.
void WriteLiveOccupancy(const v1::LiveOccupancy& live, OutputFormat format,
                        std::ostream& out, const std::string& zone = "");
// One update of a watch: kTable prints one line per changed workstation,
// room and space (a snapshot prints the spaces); kCsv one record per
// workstation (`header` first when asked); kJson one line of compact JSON.
// `zone` as for WriteLiveOccupancy: the times of the table's lines.
void WriteLiveUpdate(const v1::LiveOccupancyUpdate& update, OutputFormat format,
                     bool header, std::ostream& out,
                     const std::string& zone = "");

// "occupied", "free", "unknown".
const char* StateName(v1::OccupancyState state);

}  // namespace monipaikka::client
