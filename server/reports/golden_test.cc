// Golden cases: hand-computed figures for the situations the figures are
// most easily got wrong in, through the real path (SQLite, summarizer,
// report builders). Helsinki is UTC+2 in winter (EET) and UTC+3 in summer
// (EEST); default core hours are Monday-Friday 08:00-16:00 local.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"
#include "server/analytics/day_states.h"
#include "server/reports/occupancy_test_util.h"
#include "server/reports/planning_reports.h"
#include "server/reports/usage_report.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;

const v1::UsageGroup* Group(const v1::UsageReport& report,
                            const std::string& key) {
  for (const v1::UsageGroup& group : report.groups()) {
    if (group.key() == key) return &group;
  }
  return nullptr;
}

// Readings of one desk every `step` from `from` (inclusive) to `to`
// (exclusive), occupied inside the given [start, end) instants.
std::vector<std::pair<std::string, int64_t>> Heartbeats(
    int64_t from, int64_t to, int64_t step,
    std::vector<std::pair<int64_t, int64_t>> occupied) {
  std::vector<std::pair<std::string, int64_t>> readings;
  for (int64_t t = from; t < to; t += step) {
    bool busy = false;
    for (auto [start, end] : occupied) busy = busy || (start <= t && t < end);
    readings.emplace_back(FormatInstantMs(t), busy ? 1 : 0);
  }
  return readings;
}

v1::UsageReport Usage(OccupancyFixture& f, const std::string& site,
                      const std::string& from, const std::string& to,
                      bool all_hours, v1::Grouping group_by,
                      const std::string& now = "2027-01-15T12:00:00Z") {
  v1::UsageReportRequest request;
  request.mutable_scope()->set_site(site);
  request.set_from_date(from);
  request.set_to_date(to);
  request.set_all_hours(all_hours);
  request.set_group_by(group_by);
  absl::StatusOr<v1::UsageReport> report =
      BuildUsageReport(f.Context(At(now)), request);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::UsageReport();
}

class GoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    AddSite(inventory, "S", 300, 90000);
    AddSpace(inventory, "S-1", "S", "", "floor");
    AddSpace(inventory, "S-1-A", "S", "S-1", "zone");
    AddSpace(inventory, "S-1-R", "S", "S-1-A", "room", 10);
    AddDesk(inventory, "A", "S-1-A", "unassigned", "");
    AddDesk(inventory, "B", "S-1-A", "unassigned", "");
    AddRoomSensor(inventory, "ROOM-CNT", "S-1-R", "people_counter");
    f_.Import(inventory);
  }

  OccupancyFixture f_;
};

// Sunday 2026-03-29: clocks jump from 03:00 EET (01:00Z) to 04:00 EEST; the
// local day runs 03-28T22:00Z … 03-29T21:00Z, 23 hours. Sunday 2026-10-25:
// clocks fall back from 04:00 EEST (01:00Z) to 03:00 EET; the day runs
// 10-24T21:00Z … 10-25T22:00Z, 25 hours, and 03:00-04:00 happens twice.
TEST_F(GoldenTest, DaysThatCrossADstChange) {
  // Spring: occupied 10:00-12:30 EEST = 07:00Z-09:30Z; known all day
  // (readings every 30 min from 21:30Z the evening before).
  f_.Insert(
      "A-DEV",
      Heartbeats(At("2026-03-28T21:30:00Z"), At("2026-03-29T21:00:00Z"),
                 30 * kMinute,
                 {{At("2026-03-29T07:00:00Z"), At("2026-03-29T09:30:00Z")}}));
  // Autumn: occupied 00:30Z-02:30Z = 03:30 EEST (first 03 hour) … 04:30 EET.
  f_.Insert(
      "A-DEV",
      Heartbeats(At("2026-10-24T20:30:00Z"), At("2026-10-25T22:00:00Z"),
                 30 * kMinute,
                 {{At("2026-10-25T00:30:00Z"), At("2026-10-25T02:30:00Z")}}));
  f_.Summarize();

  v1::UsageReport spring =
      Usage(f_, "S", "2026-03-29", "2026-03-29", true, v1::GROUPING_HOUR);
  EXPECT_EQ(spring.total().workstations_measured(), 2);
  EXPECT_EQ(spring.total().observed_ms(), 23 * kHour);  // A only
  EXPECT_EQ(spring.total().unknown_ms(), 23 * kHour);   // B never reported
  EXPECT_EQ(spring.total().occupied_ms(), 150 * kMinute);
  EXPECT_EQ(spring.total().peak_occupancy_max(), 1);
  EXPECT_EQ(spring.total().desk_days_observed(), 1);
  EXPECT_EQ(spring.total().desk_days_used(), 1);
  // Hour 03 does not exist that day: 23 hour groups.
  ASSERT_EQ(spring.groups_size(), 23);
  EXPECT_EQ(Group(spring, "03"), nullptr);
  EXPECT_EQ(Group(spring, "02")->figures().observed_ms(), kHour);
  EXPECT_EQ(Group(spring, "04")->figures().observed_ms(), kHour);
  EXPECT_EQ(Group(spring, "10")->figures().occupied_ms(), kHour);
  EXPECT_EQ(Group(spring, "11")->figures().occupied_ms(), kHour);
  EXPECT_EQ(Group(spring, "12")->figures().occupied_ms(), 30 * kMinute);
  EXPECT_EQ(Group(spring, "09")->figures().occupied_ms(), 0);
  EXPECT_EQ(Group(spring, "12")->figures().peak_occupancy_max(), 1);
  EXPECT_EQ(Group(spring, "12")->figures().days_counted(), 1);

  v1::UsageReport autumn =
      Usage(f_, "S", "2026-10-25", "2026-10-25", true, v1::GROUPING_HOUR);
  EXPECT_EQ(autumn.total().observed_ms(), 25 * kHour);
  EXPECT_EQ(autumn.total().occupied_ms(), 2 * kHour);
  ASSERT_EQ(autumn.groups_size(), 24);
  // The 03 hour happens twice: two hours long, 1.5 h of them occupied.
  EXPECT_EQ(Group(autumn, "03")->figures().observed_ms(), 2 * kHour);
  EXPECT_EQ(Group(autumn, "03")->figures().occupied_ms(), 90 * kMinute);
  EXPECT_EQ(Group(autumn, "04")->figures().occupied_ms(), 30 * kMinute);
  EXPECT_EQ(Group(autumn, "02")->figures().occupied_ms(), 0);

  // Core hours: Sundays have none; the weekend adds nothing.
  v1::UsageReport core =
      Usage(f_, "S", "2026-10-24", "2026-10-25", false, v1::GROUPING_DAY);
  EXPECT_EQ(core.total().observed_ms(), 0);
  EXPECT_EQ(core.total().days_counted(), 0);
  EXPECT_FALSE(core.groups(1).measured());
}

// Wednesday 2026-12-23 is a core day; Thursday 12-24 (Christmas Eve) and
// Friday 12-25 (Christmas Day) are public holidays.
TEST_F(GoldenTest, PublicHolidaysAreNoCoreDays) {
  for (const std::string day : {"2026-12-23", "2026-12-24", "2026-12-25"}) {
    // 09:00-11:00 local = 07:00Z-09:00Z, known 07:00-17:00 local.
    f_.Insert(
        "A-DEV",
        Heartbeats(At(day + "T05:00:00Z"), At(day + "T14:30:00Z"), 30 * kMinute,
                   {{At(day + "T07:00:00Z"), At(day + "T09:00:00Z")}}));
  }
  f_.Summarize();
  v1::UsageReport report =
      Usage(f_, "S", "2026-12-23", "2026-12-25", false, v1::GROUPING_DAY);
  EXPECT_EQ(report.total().observed_ms(), 8 * kHour);
  EXPECT_EQ(report.total().occupied_ms(), 2 * kHour);
  EXPECT_DOUBLE_EQ(report.total().time_utilization(), 0.25);
  EXPECT_EQ(report.total().unknown_ms(), 8 * kHour);  // B, on the one core day
  EXPECT_EQ(report.total().days_counted(), 1);
  EXPECT_EQ(report.total().desk_days_observed(), 1);
  ASSERT_EQ(report.groups_size(), 3);
  EXPECT_TRUE(report.groups(0).measured());
  EXPECT_FALSE(report.groups(1).measured());
  EXPECT_FALSE(report.groups(2).measured());
  EXPECT_EQ(report.groups(1).figures().observed_ms(), 0);
  EXPECT_EQ(report.groups(1).figures().days_counted(), 0);
  // With all hours the holidays count: 3 × 10 h known, 3 × 2 h occupied.
  v1::UsageReport all =
      Usage(f_, "S", "2026-12-23", "2026-12-25", true, v1::GROUPING_NONE);
  EXPECT_EQ(all.total().observed_ms(), 30 * kHour);
  EXPECT_EQ(all.total().occupied_ms(), 6 * kHour);
  EXPECT_EQ(all.total().days_counted(), 3);
}

// Monday 2026-03-23 … Wednesday 03-25 (EET). B reports every 30 minutes
// until Tuesday 10:00 local and then goes silent.
TEST_F(GoldenTest, ASensorThatGoesSilent) {
  f_.Insert(
      "A-DEV",
      Heartbeats(At("2026-03-23T05:30:00Z"), At("2026-03-26T00:00:00Z"),
                 30 * kMinute,
                 {{At("2026-03-23T08:00:00Z"), At("2026-03-23T10:00:00Z")}}));
  f_.Insert(
      "B-DEV",
      Heartbeats(At("2026-03-23T05:30:00Z"), At("2026-03-24T08:30:00Z"),
                 30 * kMinute,
                 {{At("2026-03-23T09:00:00Z"), At("2026-03-23T11:00:00Z")}}));
  f_.Summarize();
  v1::UsageReport report = Usage(f_, "S", "2026-03-23", "2026-03-25", false,
                                 v1::GROUPING_DAY, "2026-03-26T12:00:00Z");
  // B's last reading (Tuesday 08:00Z = 10:00 local) holds until 11:00
  // local: unknown Tuesday 11:00-16:00 and all Wednesday, 13 h.
  EXPECT_EQ(report.total().unknown_ms(), 13 * kHour);
  EXPECT_EQ(report.total().observed_ms(), 6 * 8 * kHour - 13 * kHour);
  EXPECT_DOUBLE_EQ(report.coverage().unknown_share(), 13.0 / 48.0);
  EXPECT_EQ(report.total().occupied_ms(), 4 * kHour);
  // Both sat 11:00-12:00 local on Monday.
  EXPECT_EQ(report.groups(0).figures().peak_occupancy_max(), 2);
  EXPECT_EQ(report.groups(1).figures().desk_days_observed(), 2);
  EXPECT_EQ(report.groups(2).figures().desk_days_observed(), 1);
  EXPECT_EQ(report.total().desk_days_observed(), 5);
  EXPECT_EQ(report.total().desk_days_used(), 2);
  EXPECT_EQ(report.total().days_counted(), 3);
  EXPECT_DOUBLE_EQ(report.total().peak_occupancy_mean(), 2.0 / 3.0);
  ASSERT_EQ(report.coverage().silent_sensors_size(), 2);
  EXPECT_EQ(report.coverage().silent_sensors(0).sensor(), "B-DEV");
  EXPECT_EQ(report.coverage().silent_sensors(0).status(), "stale");
  EXPECT_EQ(report.coverage().silent_sensors(0).last_seen(),
            "2026-03-24T08:00:00Z");
  EXPECT_EQ(report.coverage().silent_sensors(1).sensor(), "ROOM-CNT");
  EXPECT_EQ(report.coverage().silent_sensors(1).status(), "never");
  // At the end of Monday, B was still reporting.
  v1::UsageReport monday = Usage(f_, "S", "2026-03-23", "2026-03-23", false,
                                 v1::GROUPING_NONE, "2026-03-26T12:00:00Z");
  ASSERT_EQ(monday.coverage().silent_sensors_size(), 1);
  EXPECT_EQ(monday.coverage().silent_sensors(0).sensor(), "ROOM-CNT");
}

// Readings arrive out of order, some twice, one twice with another value:
// the states are those of the readings ordered by their own time, the
// first stored of a repeated (sensor, time) kept.
TEST_F(GoldenTest, ReadingsOutOfOrderAndRepeated) {
  // Monday 2026-03-23, local = UTC+2.
  f_.Insert("A-DEV", {{"2026-03-23T08:30:00Z", 0},    // 10:30 free
                      {"2026-03-23T06:00:00Z", 1}});  // 08:00 occupied
  f_.Summarize();
  f_.Insert("A-DEV", {{"2026-03-23T09:00:00Z", 0},    // 11:00 free
                      {"2026-03-23T07:30:00Z", 1},    // 09:30 occupied
                      {"2026-03-23T06:00:00Z", 1}});  // again
  f_.Summarize();
  f_.Insert("A-DEV",
            {{"2026-03-23T07:00:00Z", 0},    // 09:00 free
             {"2026-03-23T07:30:00Z", 0}});  // 09:30 again, other value
  f_.Summarize();
  v1::UsageReport report =
      Usage(f_, "S", "2026-03-23", "2026-03-23", false, v1::GROUPING_HOUR);
  // 08:00-09:00 and 09:30-10:30 occupied; known 08:00 until 12:00 (the
  // 11:00 reading holds an hour).
  EXPECT_EQ(report.total().occupied_ms(), 2 * kHour);
  EXPECT_EQ(report.total().observed_ms(), 4 * kHour);
  EXPECT_DOUBLE_EQ(report.total().time_utilization(), 0.5);
  EXPECT_EQ(Group(report, "09")->figures().occupied_ms(), 30 * kMinute);
  EXPECT_EQ(Group(report, "10")->figures().occupied_ms(), 30 * kMinute);
  EXPECT_EQ(Group(report, "12")->figures().observed_ms(), 0);

  // The same readings inserted once, in order, give the same report.
  OccupancyFixture ordered;
  v1::Inventory inventory;
  AddSite(inventory, "S", 300, 90000);
  AddSpace(inventory, "S-1", "S", "", "floor");
  AddSpace(inventory, "S-1-A", "S", "S-1", "zone");
  AddSpace(inventory, "S-1-R", "S", "S-1-A", "room", 10);
  AddDesk(inventory, "A", "S-1-A", "unassigned", "");
  AddDesk(inventory, "B", "S-1-A", "unassigned", "");
  AddRoomSensor(inventory, "ROOM-CNT", "S-1-R", "people_counter");
  ordered.Import(inventory);
  ordered.Insert("A-DEV", {{"2026-03-23T06:00:00Z", 1},
                           {"2026-03-23T07:00:00Z", 0},
                           {"2026-03-23T07:30:00Z", 1},
                           {"2026-03-23T08:30:00Z", 0},
                           {"2026-03-23T09:00:00Z", 0}});
  ordered.Summarize();
  v1::UsageReport expected =
      Usage(ordered, "S", "2026-03-23", "2026-03-23", false, v1::GROUPING_HOUR);
  EXPECT_EQ(report.total().SerializeAsString(),
            expected.total().SerializeAsString());
  EXPECT_EQ(report.groups_size(), expected.groups_size());
}

// An in/out counter whose running count would go below zero: it is clamped
// at 0, and the day starts from 0 at local midnight.
TEST_F(GoldenTest, RoomCounterDriftingBelowZero) {
  f_.Insert("ROOM-CNT",
            {{"2026-03-22T21:30:00Z", PackFlow(5, 0)},    // Sunday 23:30
             {"2026-03-23T07:00:00Z", PackFlow(4, 0)},    // 09:00: 4
             {"2026-03-23T07:30:00Z", PackFlow(2, 0)},    // 09:30: 6
             {"2026-03-23T08:00:00Z", PackFlow(0, 9)},    // 10:00: 0, not -3
             {"2026-03-23T08:30:00Z", PackFlow(3, 0)},    // 10:30: 3
             {"2026-03-23T09:00:00Z", PackFlow(0, 3)}});  // 11:00: 0
  f_.Summarize();
  v1::UsageReport report =
      Usage(f_, "S", "2026-03-23", "2026-03-23", false, v1::GROUPING_ROOM);
  const v1::UsageFigures& total = report.total();
  EXPECT_EQ(total.rooms_measured(), 1);
  EXPECT_EQ(total.room_observed_ms(), 3 * kHour);  // 09:00-12:00
  EXPECT_EQ(total.room_occupied_ms(), 90 * kMinute);
  EXPECT_EQ(total.room_unknown_ms(), 5 * kHour);
  EXPECT_DOUBLE_EQ(total.room_time_utilization(), 0.5);
  // 4·30 + 6·30 + 3·30 person-minutes over 90 occupied minutes.
  EXPECT_DOUBLE_EQ(total.room_mean_count_while_occupied(), 390.0 / 90.0);
  EXPECT_DOUBLE_EQ(total.room_seat_utilization(), 390.0 / 900.0);
  const v1::UsageGroup* room = Group(report, "S-1-R");
  ASSERT_NE(room, nullptr);
  EXPECT_EQ(room->rooms_in_scope(), 1);
  EXPECT_DOUBLE_EQ(room->figures().room_seat_utilization(), 390.0 / 900.0);
  // The desks stand outside the room: their own group.
  const v1::UsageGroup* outside = Group(report, "S-1-A/-");
  ASSERT_NE(outside, nullptr);
  EXPECT_EQ(outside->workstations_in_scope(), 2);
  EXPECT_EQ(outside->rooms_in_scope(), 0);
  // Over all hours Sunday's 23:30 count does not carry over midnight: the
  // room is known (free) 00:00-00:30.
  v1::UsageReport all =
      Usage(f_, "S", "2026-03-23", "2026-03-23", true, v1::GROUPING_NONE);
  EXPECT_EQ(all.total().room_observed_ms(), 3 * kHour + 30 * kMinute);
  EXPECT_EQ(all.total().room_occupied_ms(), 90 * kMinute);
}

// A day already summarized changes when a late reading for it arrives.
TEST_F(GoldenTest, LateReadingCorrectsASummarizedDay) {
  // Monday: A occupied 08:00-10:00 local, then free; readings end 12:00.
  f_.Insert(
      "A-DEV",
      Heartbeats(At("2026-03-23T06:00:00Z"), At("2026-03-23T10:30:00Z"),
                 30 * kMinute,
                 {{At("2026-03-23T06:00:00Z"), At("2026-03-23T08:00:00Z")}}));
  f_.Summarize();
  v1::UsageReport before =
      Usage(f_, "S", "2026-03-23", "2026-03-24", false, v1::GROUPING_DAY);
  EXPECT_EQ(before.groups(0).figures().observed_ms(), 5 * kHour);  // to 13:00
  EXPECT_EQ(before.groups(0).figures().occupied_ms(), 2 * kHour);
  EXPECT_EQ(before.groups(0).figures().peak_occupancy_max(), 1);

  // Hours later an edge delivers what it buffered: A occupied again at
  // 14:00 local, and B occupied 09:00-09:30.
  f_.Insert("A-DEV",
            {{"2026-03-23T12:00:00Z", 1}, {"2026-03-23T12:45:00Z", 0}});
  f_.Insert("B-DEV",
            {{"2026-03-23T07:00:00Z", 1}, {"2026-03-23T07:30:00Z", 0}});
  f_.Summarize();
  v1::UsageReport after =
      Usage(f_, "S", "2026-03-23", "2026-03-24", false, v1::GROUPING_DAY);
  // A: 08:00-13:00 and 14:00-15:45 known (6 h 45 min), occupied 2 h 45;
  // B: 09:00-10:30 known, occupied 30 min.
  EXPECT_EQ(after.groups(0).figures().observed_ms(),
            6 * kHour + 45 * kMinute + 90 * kMinute);
  EXPECT_EQ(after.groups(0).figures().occupied_ms(),
            2 * kHour + 45 * kMinute + 30 * kMinute);
  EXPECT_EQ(after.groups(0).figures().peak_occupancy_max(), 2);
  EXPECT_EQ(after.total().desk_days_used(), 2);
  EXPECT_EQ(after.pending_reading_hours(), 0);
  // Tuesday is untouched.
  EXPECT_EQ(after.groups(1).figures().SerializeAsString(),
            before.groups(1).figures().SerializeAsString());
}

// Two organizations in two sites would move into a third. Group A peaks on
// Mondays, group B on Wednesdays: together they need fewer workstations
// than the sum of their own peaks.
TEST(GoldenConsolidationTest, TwoGroupsPeakingOnDifferentWeekdays) {
  OccupancyFixture f;
  v1::Inventory inventory;
  auto* a = inventory.add_organizations();
  a->set_code("ORG-A");
  a->set_name("Agency A");
  auto* b = inventory.add_organizations();
  b->set_code("ORG-B");
  b->set_name("Agency B");
  AddSite(inventory, "SA");
  AddSite(inventory, "SB");
  AddSite(inventory, "NEW", 120, 36000);
  AddSpace(inventory, "SA-1", "SA", "", "floor");
  AddSpace(inventory, "SB-1", "SB", "", "floor");
  AddSpace(inventory, "NEW-1", "NEW", "", "floor");
  for (int i = 0; i < 4; ++i) {
    AddDesk(inventory, absl::StrCat("A", i), "SA-1", "multi-space", "ORG-A");
    AddDesk(inventory, absl::StrCat("B", i), "SB-1", "multi-space", "ORG-B");
  }
  for (int i = 0; i < 6; ++i) {
    AddDesk(inventory, absl::StrCat("N", i), "NEW-1", "multi-space", "", false);
  }
  AddDesk(inventory, "N-HOME", "NEW-1", "home", "", false);  // not capacity
  f.Import(inventory);
  // Monday 2026-03-23 … Friday 03-27, local = UTC+2. Each day, desk 0 of
  // each group sits 09:00-11:00 local; on Monday all of A's desks do, on
  // Wednesday all of B's.
  for (int d = 0; d < 5; ++d) {
    const std::string day = absl::StrCat("2026-03-2", 3 + d);
    for (int i = 0; i < 4; ++i) {
      for (const std::string group : {"A", "B"}) {
        const bool busy =
            i == 0 || (group == "A" && d == 0) || (group == "B" && d == 2);
        f.Insert(
            absl::StrCat(group, i, "-DEV"),
            Heartbeats(
                At(day + "T05:30:00Z"), At(day + "T14:30:00Z"), 30 * kMinute,
                busy
                    ? std::vector<
                          std::pair<int64_t, int64_t>>{{At(day + "T07:00:00Z"),
                                                        At(day + "T09:00:00Z")}}
                    : std::vector<std::pair<int64_t, int64_t>>{}));
      }
    }
  }
  f.Summarize();
  v1::ConsolidationRequest request;
  request.add_organizations("ORG-A");
  request.add_organizations("ORG-B");
  request.set_candidate_site("NEW");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-29");
  absl::StatusOr<v1::ConsolidationReport> report =
      BuildConsolidation(f.Context(At("2026-04-01T00:00:00Z")), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->capacity(), 6);
  EXPECT_EQ(report->days_counted(), 5);  // the weekend has no core hours
  ASSERT_EQ(report->days_size(), 5);
  const int expected[] = {5, 2, 5, 2, 2};
  for (int d = 0; d < 5; ++d) {
    EXPECT_EQ(report->days(d).combined_peak(), expected[d]) << d;
    EXPECT_EQ(report->days(d).peak_time(), "09:00") << d;
  }
  EXPECT_EQ(report->days(0).group_peaks(0), 4);
  EXPECT_EQ(report->days(0).group_peaks(1), 1);
  EXPECT_EQ(report->days(2).group_peaks(1), 4);
  ASSERT_EQ(report->groups_size(), 2);
  EXPECT_EQ(report->groups(0).workstations_measured(), 4);
  EXPECT_EQ(report->groups(0).peak_occupancy_p95(), 4);
  EXPECT_EQ(report->groups(1).peak_occupancy_p95(), 4);
  EXPECT_EQ(report->sum_of_group_p95(), 8);
  // Combined: sorted 2 2 2 5 5, the ceil(0.95·5) = 5th is 5.
  EXPECT_EQ(report->combined_peak_p95(), 5);
  EXPECT_EQ(report->combined_peak_max(), 5);
  EXPECT_DOUBLE_EQ(report->combined_peak_mean(), 16.0 / 5.0);
  // ceil(5 × 1.10) = 6: fits exactly.
  EXPECT_EQ(report->needed_workstations(), 6);
  EXPECT_TRUE(report->fits());
  EXPECT_EQ(report->headroom(), 0);
  EXPECT_TRUE(report->fits_at_max());
  EXPECT_EQ(report->headroom_at_max(), 1);
  EXPECT_EQ(report->candidate_office_area_m2(), 120);

  // With a 20 % buffer: ceil(5 × 1.2) = 6 still; with 21 %: ceil(6.05) = 7.
  request.set_buffer_pct(21);
  report = BuildConsolidation(f.Context(At("2026-04-01T00:00:00Z")), request);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->needed_workstations(), 7);
  EXPECT_FALSE(report->fits());
  EXPECT_EQ(report->headroom(), -1);

  // Moving the sites instead of the organizations gives the same peaks.
  v1::ConsolidationRequest by_site = request;
  by_site.clear_organizations();
  by_site.add_sites("SA");
  by_site.add_sites("SB");
  by_site.clear_buffer_pct();
  report = BuildConsolidation(f.Context(At("2026-04-01T00:00:00Z")), by_site);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->combined_peak_p95(), 5);
  EXPECT_EQ(report->sum_of_group_p95(), 8);
}

}  // namespace
}  // namespace monipaikka::testing
