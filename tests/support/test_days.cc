#include "tests/support/test_days.h"

#include "common/calendar.h"
#include "common/time_format.h"
#include "tests/support/cluster.h"

namespace monipaikka::testing {

absl::CivilDay QuietMonday(int days) {
  absl::CivilDay monday = TodayInHelsinki() - 7;
  monday -= IsoWeekday(monday) - 1;
  while (true) {
    bool holiday = false;
    for (int d = 0; d < days; ++d)
      holiday = holiday || IsFinnishPublicHoliday(monday + d);
    if (!holiday) return monday;
    monday -= 7;
  }
}

std::string HelsinkiLocal(absl::CivilDay day, int hour, int minute) {
  static const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  return FormatInstantMs(LocalToMs(
      absl::CivilSecond(day.year(), day.month(), day.day(), hour, minute, 0),
      zone));
}

}  // namespace monipaikka::testing
