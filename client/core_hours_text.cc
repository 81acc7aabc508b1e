#include "client/core_hours_text.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace monipaikka::client {
namespace {

std::string WeekdayName(int iso_weekday) {
  static constexpr const char* kNames[] = {"Mon", "Tue", "Wed", "Thu",
                                           "Fri", "Sat", "Sun"};
  if (iso_weekday < 1 || iso_weekday > 7) {
    return absl::StrCat("day ", iso_weekday);
  }
  return kNames[iso_weekday - 1];
}

}  // namespace

std::string FormatCoreHours(const v1::CoreHours& core_hours) {
  std::vector<int> days(core_hours.weekdays().begin(),
                        core_hours.weekdays().end());
  if (days.empty()) days = {1, 2, 3, 4, 5};
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());

  std::vector<std::string> runs;
  for (size_t i = 0; i < days.size();) {
    size_t j = i;
    while (j + 1 < days.size() && days[j + 1] == days[j] + 1 &&
           days[j + 1] <= 7 && days[i] >= 1) {
      ++j;
    }
    if (j == i) {
      runs.push_back(WeekdayName(days[i]));
    } else if (j == i + 1) {
      runs.push_back(
          absl::StrCat(WeekdayName(days[i]), ",", WeekdayName(days[j])));
    } else {
      runs.push_back(
          absl::StrCat(WeekdayName(days[i]), "-", WeekdayName(days[j])));
    }
    i = j + 1;
  }
  const std::string start =
      core_hours.start().empty() ? std::string("08:00") : core_hours.start();
  const std::string end =
      core_hours.end().empty() ? std::string("16:00") : core_hours.end();
  return absl::StrCat(absl::StrJoin(runs, ","), " ", start, "-", end);
}

}  // namespace monipaikka::client
