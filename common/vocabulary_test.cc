#include "common/vocabulary.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

// Every value's name parses back to the value, and no two values share a
// name: the API and database text is a faithful encoding of the enum.
template <typename Enum, size_t N, typename Parse>
void ExpectRoundTrip(const std::array<Enum, N>& values, Parse parse) {
  std::set<absl::string_view> names;
  for (Enum value : values) {
    const absl::string_view name = Name(value);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    std::optional<Enum> parsed = parse(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, value) << name;
  }
}

TEST(VocabularyTest, NamesRoundTrip) {
  ExpectRoundTrip(kSensorKinds, ParseSensorKind);
  ExpectRoundTrip(kSpaceLevels, ParseSpaceLevel);
  ExpectRoundTrip(kSpaceKinds, ParseSpaceKind);
  ExpectRoundTrip(kWorkstationKinds, ParseWorkstationKind);
  ExpectRoundTrip(kWorkstationStatuses, ParseWorkstationStatus);
}

// The text is the API's and the database's: it must never change.
TEST(VocabularyTest, NamesAreTheApiText) {
  EXPECT_EQ(JoinNames(kSensorKinds),
            "desk_presence, room_presence, people_counter, area_count");
  EXPECT_EQ(JoinNames(kSpaceLevels), "floor, zone, room");
  EXPECT_EQ(JoinNames(kSpaceKinds),
            "open_workspace, meeting_room, quiet_room, customer_service, "
            "special");
  EXPECT_EQ(JoinNames(kWorkstationKinds),
            "home, assigned, unassigned, multi-space, shared");
  EXPECT_EQ(JoinNames(kWorkstationStatuses), "active, inactive");
}

TEST(VocabularyTest, ParseRejectsOtherText) {
  EXPECT_FALSE(ParseSensorKind("").has_value());
  EXPECT_FALSE(ParseSensorKind("Desk_Presence").has_value());
  EXPECT_FALSE(ParseSensorKind("desk_presence ").has_value());
  EXPECT_FALSE(ParseSpaceLevel("building").has_value());
  EXPECT_FALSE(ParseSpaceKind("").has_value());
  EXPECT_FALSE(ParseWorkstationKind("multi_space").has_value());
  EXPECT_FALSE(ParseWorkstationStatus("").has_value());
}

TEST(VocabularyTest, RequireNamesTheBadValueAndTheAllowedOnes) {
  absl::StatusOr<SpaceLevel> level = RequireSpaceLevel("building");
  ASSERT_FALSE(level.ok());
  EXPECT_EQ(level.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(level.status().message(),
            "\"building\" is not one of floor, zone, room");

  absl::StatusOr<SensorKind> kind = RequireSensorKind("thermometer");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.status().message(),
            "\"thermometer\" is not one of desk_presence, room_presence, "
            "people_counter, area_count");
  EXPECT_FALSE(RequireSpaceKind("kitchen").ok());
  EXPECT_FALSE(RequireWorkstationKind("").ok());
  EXPECT_FALSE(RequireWorkstationStatus("retired").ok());

  absl::StatusOr<WorkstationKind> multi = RequireWorkstationKind("multi-space");
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(*multi, WorkstationKind::kMultiSpace);
}

TEST(VocabularyTest, SpaceLevelsOrderOutermostFirst) {
  EXPECT_LT(SpaceLevel::kFloor, SpaceLevel::kZone);
  EXPECT_LT(SpaceLevel::kZone, SpaceLevel::kRoom);
}

TEST(VocabularyTest, Facts) {
  EXPECT_TRUE(ReportsPresence(SensorKind::kDeskPresence));
  EXPECT_TRUE(ReportsPresence(SensorKind::kRoomPresence));
  EXPECT_FALSE(ReportsPresence(SensorKind::kPeopleCounter));
  EXPECT_FALSE(ReportsPresence(SensorKind::kAreaCount));
  EXPECT_FALSE(InOffice(WorkstationKind::kHome));
  for (WorkstationKind kind : kWorkstationKinds) {
    if (kind != WorkstationKind::kHome) {
      EXPECT_TRUE(InOffice(kind)) << Name(kind);
    }
  }
}

TEST(VocabularyTest, Defaults) {
  EXPECT_EQ(Name(kDefaultWorkstationStatus), "active");
  EXPECT_STREQ(kDefaultTimeZone, "Europe/Helsinki");
}

}  // namespace
}  // namespace monipaikka
