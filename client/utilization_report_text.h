#pragma once

// The utilization report in the three output formats.
//
// kTable: a header block (scope, window, parameters), the totals and a table
// of the days, for people. kCsv: only the days, one record per local day
// under a header record, for spreadsheets; the window totals are not
// repeated as a row since they are not a sum of the days (use kTable or
// kJson for them). kJson: the whole UtilizationReport message.
//
// Percentages and hours are shown with one decimal.

#include <ostream>

#include "client/output_format.h"
#include "client/table.h"
#include "monipaikka/v1/utilization.pb.h"

namespace monipaikka::client {

// The per-day rows: date, core day (yes/no), observed h, occupied h,
// util %, peak, peak %, observed ws.
Table UtilizationDaysTable(const v1::UtilizationReport& report);

void WriteUtilizationReport(const v1::UtilizationReport& report,
                            OutputFormat format, std::ostream& out);

}  // namespace monipaikka::client
