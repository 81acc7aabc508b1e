#pragma once

// The planning commands: the floor-closing plan ("report floor-plan") and
// the forecast ("report forecast"), in the three output formats. kTable: a
// header block with the parameters and assumptions, then tables; kCsv: one
// record per weekday (plan) or per day ahead (forecast); kJson: the whole
// API message.

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "client/command_options.h"
#include "client/output_format.h"
#include "client/table.h"
#include "monipaikka/v1/planning.grpc.pb.h"

namespace monipaikka::client {

// The flags of the planning commands (empty = not given).
struct PlanningFlags {
  std::string site;
  std::string from;
  std::string to;
  std::string buffer_pct;
  std::string unit;  // floor plan: floor or zone
  bool keep_home = false;
  std::string kwh_per_m2_day;
  std::string kg_co2_per_kwh;
  std::string space;         // forecast: a floor
  std::string organization;  // forecast
  std::string weeks;
  std::string history_weeks;
};

// One row per weekday.
Table FloorPlanWeekdaysTable(const v1::FloorPlanReport& report);
// One row per unit, one column per weekday: "open" or "closed".
Table FloorPlanGridTable(const v1::FloorPlanReport& report);
void WriteFloorPlan(const v1::FloorPlanReport& report, OutputFormat format,
                    std::ostream& out);

// One row per day ahead.
Table ForecastTable(const v1::ForecastReport& report);
void WriteForecast(const v1::ForecastReport& report, OutputFormat format,
                   std::ostream& out);

// INVALID_ARGUMENT naming the flag for a malformed number.
absl::Status RunFloorPlanCommand(v1::PlanningService::StubInterface& stub,
                                 const PlanningFlags& flags,
                                 const CommandOptions& options,
                                 std::ostream& out);
absl::Status RunForecastCommand(v1::PlanningService::StubInterface& stub,
                                const PlanningFlags& flags,
                                const CommandOptions& options,
                                std::ostream& out);

}  // namespace monipaikka::client
