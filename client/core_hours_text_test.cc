#include "client/core_hours_text.h"

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

v1::CoreHours Hours(std::initializer_list<int> days, const char* start,
                    const char* end) {
  v1::CoreHours hours;
  for (int day : days) hours.add_weekdays(day);
  hours.set_start(start);
  hours.set_end(end);
  return hours;
}

TEST(CoreHoursTextTest, EmptyMeansTheDefaults) {
  EXPECT_EQ(FormatCoreHours(v1::CoreHours()), "Mon-Fri 08:00-16:00");
}

TEST(CoreHoursTextTest, JoinsRunsOfWeekdays) {
  EXPECT_EQ(FormatCoreHours(Hours({1, 2, 3, 5}, "07:30", "15:15")),
            "Mon-Wed,Fri 07:30-15:15");
  EXPECT_EQ(FormatCoreHours(Hours({6, 7}, "", "")), "Sat,Sun 08:00-16:00");
  EXPECT_EQ(FormatCoreHours(Hours({3}, "", "")), "Wed 08:00-16:00");
  EXPECT_EQ(FormatCoreHours(Hours({5, 1, 2, 1}, "", "")),
            "Mon,Tue,Fri 08:00-16:00");
}

TEST(CoreHoursTextTest, ShowsOutOfRangeDaysAsNumbers) {
  EXPECT_EQ(FormatCoreHours(Hours({0, 1}, "", "")), "day 0,Mon 08:00-16:00");
}

}  // namespace
}  // namespace monipaikka::client
