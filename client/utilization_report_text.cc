#include "client/utilization_report_text.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/core_hours_text.h"
#include "client/number_format.h"

namespace monipaikka::client {
namespace {

// Unmeasured workstations named in the header block; JSON lists them all.
constexpr int kUnmeasuredShown = 10;

std::string FormatStaleAfter(int64_t seconds) {
  if (seconds % 3600 == 0 && seconds > 0)
    return absl::StrCat(seconds / 3600, " h");
  if (seconds % 60 == 0 && seconds > 0)
    return absl::StrCat(seconds / 60, " min");
  return absl::StrCat(seconds, " s");
}

std::string UnmeasuredText(const v1::UtilizationReport& report) {
  const int count = report.unmeasured_workstations_size();
  if (count == 0) return "none";
  std::vector<std::string> shown;
  for (int i = 0; i < count && i < kUnmeasuredShown; ++i) {
    shown.push_back(report.unmeasured_workstations(i));
  }
  std::string text = absl::StrCat(count, " without a sensor, not guessed (",
                                  absl::StrJoin(shown, ", "));
  if (count > kUnmeasuredShown) {
    absl::StrAppend(&text, ", ... ", count - kUnmeasuredShown,
                    " more in --output=json");
  }
  return text + ")";
}

void WriteHeaderAndTotals(const v1::UtilizationReport& report,
                          std::ostream& out) {
  const std::string measured_hours =
      report.all_hours()
          ? std::string("all hours of every day")
          : absl::StrCat("core hours ", FormatCoreHours(report.core_hours()),
                         ", Finnish public holidays excluded");
  const std::vector<std::pair<std::string, std::string>> lines = {
      {"Site", report.site()},
      {"Space",
       report.space().empty() ? std::string("whole site") : report.space()},
      {"Window", absl::StrCat(report.from_date(), " to ", report.to_date(),
                              " (", report.days_size(), " days)")},
      {"Time zone", report.timezone()},
      {"Measured hours", measured_hours},
      {"Stale after", FormatStaleAfter(report.stale_after_s())},
      {"Workstations",
       absl::StrCat(report.workstations_in_scope(), " in scope, ",
                    report.workstations_measured(), " measured")},
      {"Unmeasured", UnmeasuredText(report)},
      {"", ""},
      {"Time utilization",
       absl::StrCat(FormatPercent(report.time_utilization()), " %")},
      {"Observed", absl::StrCat(FormatHours(report.observed_ms()), " h")},
      {"Occupied", absl::StrCat(FormatHours(report.occupied_ms()), " h")},
      {"Unknown", absl::StrCat(FormatHours(report.unknown_ms()), " h")},
      {"Days counted", absl::StrCat(report.days_counted())},
      {"Peak occupancy",
       absl::StrCat("mean ", FormatOneDecimal(report.peak_occupancy_mean()),
                    ", max ", report.peak_occupancy_max(), ", P95 ",
                    report.peak_occupancy_p95())},
      {"Peak utilization",
       absl::StrCat("mean ", FormatPercent(report.peak_utilization_mean()),
                    " %, max ", FormatPercent(report.peak_utilization_max()),
                    " %, P95 ", FormatPercent(report.peak_utilization_p95()),
                    " %")},
  };
  constexpr size_t kLabelWidth = 18;  // "Peak utilization: " and a space
  for (const auto& [label, value] : lines) {
    if (label.empty()) {
      out << '\n';
      continue;
    }
    std::string text = label + ":";
    text.resize(kLabelWidth, ' ');
    out << text << value << '\n';
  }
}

}  // namespace

Table UtilizationDaysTable(const v1::UtilizationReport& report) {
  Table table({{"date", "date"},
               {"core day", "core_day"},
               {"observed h", "observed_h", Align::kRight},
               {"occupied h", "occupied_h", Align::kRight},
               {"util %", "time_utilization_pct", Align::kRight},
               {"peak", "peak_occupancy", Align::kRight},
               {"peak %", "peak_utilization_pct", Align::kRight},
               {"observed ws", "observed_workstations", Align::kRight}});
  for (const v1::DailyUtilization& day : report.days()) {
    table.AddRow({day.date(), day.core_day() ? "yes" : "no",
                  FormatHours(day.observed_ms()),
                  FormatHours(day.occupied_ms()),
                  FormatPercent(day.time_utilization()),
                  absl::StrCat(day.peak_occupancy()),
                  FormatPercent(day.peak_utilization()),
                  absl::StrCat(day.observed_workstations())});
  }
  return table;
}

void WriteUtilizationReport(const v1::UtilizationReport& report,
                            OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kJson:
      WriteMessageJson(report, out);
      return;
    case OutputFormat::kCsv:
      WriteCsvTable(UtilizationDaysTable(report), out);
      return;
    case OutputFormat::kTable:
      WriteHeaderAndTotals(report, out);
      out << '\n';
      WriteAlignedTable(UtilizationDaysTable(report), out);
      return;
  }
}

}  // namespace monipaikka::client
