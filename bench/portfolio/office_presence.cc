#include "bench/portfolio/office_presence.h"

#include <algorithm>

#include "common/calendar.h"
#include "common/time_format.h"

namespace monipaikka {

std::vector<std::pair<int, int>> OfficePresence(int desk, absl::CivilDay day,
                                                double attendance,
                                                std::mt19937_64& random) {
  std::vector<std::pair<int, int>> periods;
  const int weekday = IsoWeekday(day);
  if (weekday > 5 || IsFinnishPublicHoliday(day)) return periods;
  static const double kByWeekday[5] = {0.55, 0.75, 0.70, 0.60, 0.30};
  double p =
      attendance * kByWeekday[weekday - 1] * (0.6 + 0.1 * ((desk / 50) % 5));
  if (desk % 9 == 0) p *= 0.2;  // rarely used desks
  std::uniform_real_distribution<double> unit(0, 1);
  if (unit(random) >= p) return periods;
  std::normal_distribution<double> arrive(8 * 60, 40);
  std::normal_distribution<double> leave(16 * 60, 50);
  const int a = static_cast<int>(std::clamp(arrive(random), 360.0, 660.0));
  const int l = std::max(
      a + 120, static_cast<int>(std::clamp(leave(random), 720.0, 1140.0)));
  const int lunch = 660 + static_cast<int>(random() % 60);
  if (lunch > a + 30 && lunch + 40 < l) {
    periods.push_back({a, lunch});
    periods.push_back({lunch + 30 + static_cast<int>(random() % 15), l});
  } else {
    periods.push_back({a, l});
  }
  return periods;
}

std::vector<DaySpan> DeskDayStates(
    const std::vector<std::pair<int, int>>& periods, absl::CivilDay day,
    const absl::TimeZone& zone) {
  const int64_t start = LocalToMs(absl::CivilSecond(day), zone);
  const int32_t length =
      static_cast<int32_t>(LocalToMs(absl::CivilSecond(day + 1), zone) - start);
  auto offset = [&](int minute) {
    return static_cast<int32_t>(
        LocalToMs(absl::CivilSecond(day) + 60 * minute, zone) - start);
  };
  std::vector<DaySpan> spans;
  int32_t at = 0;
  for (const auto& [from, to] : periods) {
    const int32_t s = std::clamp(offset(from), at, length);
    const int32_t e = std::clamp(offset(to), s, length);
    if (e <= s) continue;
    if (s > at) spans.push_back({at, s, 0});
    spans.push_back({s, e, 1});
    at = e;
  }
  if (at < length) spans.push_back({at, length, 0});
  return spans;
}

}  // namespace monipaikka
