#include "common/time_format.h"

#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

// 2026-03-23T07:15:00Z in milliseconds since the epoch.
constexpr int64_t kMonday0715Ms = 1774250100000;

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

TEST(ParseInstantMsTest, UtcInstant) {
  absl::StatusOr<int64_t> ms = ParseInstantMs("2026-03-23T07:15:00Z");
  ASSERT_TRUE(ms.ok()) << ms.status();
  EXPECT_EQ(*ms, kMonday0715Ms);
  EXPECT_EQ(*ParseInstantMs("1970-01-01T00:00:00Z"), 0);
}

TEST(ParseInstantMsTest, OffsetsAndFractions) {
  EXPECT_EQ(*ParseInstantMs("2026-03-23T09:15:00.250+02:00"),
            kMonday0715Ms + 250);
  EXPECT_EQ(*ParseInstantMs("2026-03-23T02:15:00-05:00"), kMonday0715Ms);
  EXPECT_EQ(*ParseInstantMs("2026-03-23T07:15:00.5Z"), kMonday0715Ms + 500);
  // Below a millisecond is truncated.
  EXPECT_EQ(*ParseInstantMs("2026-03-23T07:15:00.123999Z"),
            kMonday0715Ms + 123);
}

TEST(ParseInstantMsTest, RejectsGarbageWithAMessage) {
  for (absl::string_view text :
       {"", "yesterday", "2026-03-23", "2026-03-23T07:15:00",
        "2026-03-23 07:15:00Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-03-23T07:15Z", "infinite-future", "infinite-past",
        "99999-03-23T07:15:00Z", "-2026-03-23T07:15:00Z"}) {
    absl::StatusOr<int64_t> ms = ParseInstantMs(text);
    ASSERT_FALSE(ms.ok()) << text << " parsed as " << *ms;
    EXPECT_EQ(ms.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(ms.status().message(), text)) << ms.status();
    EXPECT_TRUE(Contains(ms.status().message(), "2026-03-23T07:15:00Z"))
        << ms.status();
  }
}

TEST(FormatInstantMsTest, MillisecondsOnlyWhenNonZero) {
  EXPECT_EQ(FormatInstantMs(kMonday0715Ms), "2026-03-23T07:15:00Z");
  EXPECT_EQ(FormatInstantMs(kMonday0715Ms + 7), "2026-03-23T07:15:00.007Z");
  EXPECT_EQ(FormatInstantMs(0), "1970-01-01T00:00:00Z");
}

TEST(FormatInstantMsTest, RoundTrips) {
  for (int64_t ms : {kMonday0715Ms, kMonday0715Ms + 999, int64_t{-1}}) {
    absl::StatusOr<int64_t> parsed = ParseInstantMs(FormatInstantMs(ms));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, ms);
  }
}

TEST(ParseDateTest, ParsesAndFormats) {
  absl::StatusOr<absl::CivilDay> day = ParseDate("2026-03-23");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, absl::CivilDay(2026, 3, 23));
  EXPECT_EQ(FormatDate(absl::CivilDay(2026, 1, 6)), "2026-01-06");
  EXPECT_EQ(*ParseDate("2028-02-29"), absl::CivilDay(2028, 2, 29));
}

TEST(ParseDateTest, RejectsNonDates) {
  for (absl::string_view text :
       {"", "2026-02-30", "2026-02-29", "2026-3-23", "23.3.2026",
        "2026-03-23T00:00:00Z", " 2026-3-23", "2026-13-01"}) {
    absl::StatusOr<absl::CivilDay> day = ParseDate(text);
    ASSERT_FALSE(day.ok()) << text;
    EXPECT_TRUE(Contains(day.status().message(), "2026-03-23")) << day.status();
  }
}

TEST(ParseClockMinutesTest, ParsesMinutesAfterMidnight) {
  EXPECT_EQ(*ParseClockMinutes("00:00"), 0);
  EXPECT_EQ(*ParseClockMinutes("08:00"), 480);
  EXPECT_EQ(*ParseClockMinutes("16:45"), 1005);
  EXPECT_EQ(*ParseClockMinutes("24:00"), 1440);
}

TEST(ParseClockMinutesTest, RejectsWhatIsNotHhMm) {
  for (absl::string_view text :
       {"", "8:00", "08:0", "24:01", "25:00", "12:60", "ab:cd", "08-00",
        "+8:00", " 8:00", "08:+5", "08: 5", "-1:00", "08:00:00"}) {
    absl::StatusOr<int> minutes = ParseClockMinutes(text);
    ASSERT_FALSE(minutes.ok()) << text << " parsed as " << *minutes;
    EXPECT_TRUE(Contains(minutes.status().message(), "08:00"))
        << minutes.status();
  }
}

TEST(FormatClockMinutesTest, TwoDigitsEachSide) {
  EXPECT_EQ(FormatClockMinutes(0), "00:00");
  EXPECT_EQ(FormatClockMinutes(485), "08:05");
  EXPECT_EQ(FormatClockMinutes(1440), "24:00");
}

TEST(LoadZoneTest, KnownAndUnknownZones) {
  absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Helsinki");
  ASSERT_TRUE(zone.ok()) << zone.status();
  EXPECT_EQ(zone->name(), "Europe/Helsinki");
  absl::StatusOr<absl::TimeZone> bad = LoadZone("Europe/Atlantis");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(Contains(bad.status().message(), "Europe/Atlantis"));
}

TEST(LocalToMsTest, OrdinarySkippedAndRepeatedLocalTimes) {
  absl::StatusOr<absl::TimeZone> zone = LoadZone("Europe/Helsinki");
  ASSERT_TRUE(zone.ok()) << zone.status();
  EXPECT_EQ(LocalToMs(absl::CivilSecond(2026, 3, 23, 9, 15, 0), *zone),
            kMonday0715Ms);
  // 2026-03-29 03:00–04:00 local does not exist: the jump (01:00Z).
  EXPECT_EQ(LocalToMs(absl::CivilSecond(2026, 3, 29, 3, 30, 0), *zone),
            *ParseInstantMs("2026-03-29T01:00:00Z"));
  // 2026-10-25 03:30 local happens twice: the first (EEST).
  EXPECT_EQ(LocalToMs(absl::CivilSecond(2026, 10, 25, 3, 30, 0), *zone),
            *ParseInstantMs("2026-10-25T00:30:00Z"));
}

}  // namespace
}  // namespace monipaikka
