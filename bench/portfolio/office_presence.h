#pragma once

// Generated office days of desks, shared by the benchmarks: who sits at a
// desk on a day, and the states a desk sensor reporting every 15 minutes
// (and at each change) gives the summarizer for that day.

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/analytics/day_states.h"

namespace monipaikka {

// The occupied periods of desk `desk` (its index within its site) on `day`,
// in local minutes since midnight, at most two (morning and afternoon around
// lunch). Nobody comes on weekends and Finnish public holidays. On working
// days the chance depends on the weekday (Tuesday busiest, Friday quietest),
// on the desk's group of 50 (0.6–1.0) and on `attendance` (1: the base
// rates; a site's or a week's own factor otherwise); every ninth desk is
// rarely used. People arrive around 8, lunch around 11–12, leave around 16.
std::vector<std::pair<int, int>> OfficePresence(int desk, absl::CivilDay day,
                                                double attendance,
                                                std::mt19937_64& random);

// The known states of a desk sensor on local day `day` of `zone`, as the
// summarizer keeps them (spans in ms since local midnight, value 1 when
// occupied): a sensor that heartbeats every 15 minutes is known all day,
// occupied in `periods` (local minutes, as OfficePresence gives them; on
// the days of a DST change the local clock is followed).
std::vector<DaySpan> DeskDayStates(
    const std::vector<std::pair<int, int>>& periods, absl::CivilDay day,
    const absl::TimeZone& zone);

}  // namespace monipaikka
