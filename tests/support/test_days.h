// Days and local times for integration tests that import readings for
// chosen calendar days in Europe/Helsinki.
#ifndef MONIPAIKKA_TESTS_SUPPORT_TEST_DAYS_H_
#define MONIPAIKKA_TESTS_SUPPORT_TEST_DAYS_H_

#include <string>

#include "absl/time/civil_time.h"

namespace monipaikka::testing {

// A Monday at least a week ago such that none of the `days` days from it is
// a Finnish public holiday (5: its working week).
absl::CivilDay QuietMonday(int days = 5);

// The instant of `day` `hour`:`minute` in Europe/Helsinki, as the readings
// CSV writes it (RFC 3339, UTC).
std::string HelsinkiLocal(absl::CivilDay day, int hour, int minute);

}  // namespace monipaikka::testing

#endif  // MONIPAIKKA_TESTS_SUPPORT_TEST_DAYS_H_
