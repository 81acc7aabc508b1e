#include "server/storage/sqlite_analytics.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "common/sqlite.h"
#include "common/vocabulary.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

class SqliteAnalyticsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("a.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    session_ = std::move(*storage_->OpenSession());
    v1::Inventory inventory;
    auto* site = inventory.add_sites();
    site->set_code("S");
    site->set_name("Site");
    site->set_kind("B");
    auto* floor = inventory.add_spaces();
    floor->set_code("F");
    floor->set_site("S");
    floor->set_level("floor");
    auto* ws = inventory.add_workstations();
    ws->set_code("W");
    ws->set_space("F");
    ws->set_kind("unassigned");
    auto* sensor = inventory.add_sensors();
    sensor->set_external_id("D");
    sensor->set_kind("desk_presence");
    sensor->set_workstation("W");
    sensor->set_gateway("gw");
    ASSERT_TRUE(session_->ImportInventory(inventory).ok());
    sensor_id_ = (*session_->LoadSensorBindings()).front().sensor_id;
  }

  void Insert(std::vector<int64_t> ts) {
    std::vector<StoredReading> rows;
    for (int64_t t : ts) rows.push_back({sensor_id_, t, 0, 1});
    std::vector<InsertOutcome> outcomes;
    ASSERT_TRUE(session_->InsertReadings(rows, &outcomes).ok());
  }

  AnalyticsStorage& analytics() { return session_->Analytics(); }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  int64_t sensor_id_ = 0;
};

TEST_F(SqliteAnalyticsTest, StoredReadingsMarkTheirHoursAndDuplicatesDoNot) {
  const int64_t base = 490000 * kHourMs;
  Insert({base + 10, base + kHourMs + 5, base + 20});
  auto hours = analytics().ListDirtyHours();
  ASSERT_TRUE(hours.ok());
  ASSERT_EQ(hours->size(), 2u);
  EXPECT_EQ((*hours)[0].hour, 490000);
  EXPECT_EQ((*hours)[1].hour, 490001);
  const int64_t generation = (*hours)[0].generation;

  // A duplicate stores nothing and leaves the mark alone.
  Insert({base + 10});
  EXPECT_EQ((*analytics().ListDirtyHours())[0].generation, generation);
  EXPECT_EQ(*analytics().CountDirtyHours(base, base + 1), 1);
  EXPECT_EQ(*analytics().CountDirtyHours(base, base + 2 * kHourMs), 2);
  EXPECT_EQ(
      *analytics().CountDirtyHours(base + 2 * kHourMs, base + 9 * kHourMs), 0);

  // A new reading in an hour renews its mark: clearing what was listed
  // before keeps the renewed mark.
  Insert({base + 30});
  ASSERT_TRUE(analytics().ClearDirtyHours(*hours).ok());
  auto left = analytics().ListDirtyHours();
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].hour, 490000);
  EXPECT_GT((*left)[0].generation, generation);
  ASSERT_TRUE(analytics().ClearDirtyHours(*left).ok());
  EXPECT_TRUE(analytics().ListDirtyHours()->empty());

  ASSERT_TRUE(analytics().MarkEveryReadingHourDirty().ok());
  EXPECT_EQ(analytics().ListDirtyHours()->size(), 2u);
}

// Marking every hour with readings (after a stale_after change) finds each
// such hour, at its first and last millisecond too, and no other.
TEST_F(SqliteAnalyticsTest, EveryHourWithReadingsIsMarkedAndNoOther) {
  const int64_t base = 490000 * kHourMs;
  Insert({base, base + kHourMs - 1, base + kHourMs, base + 5 * kHourMs + 7,
          base + 5 * kHourMs + 8, base + 100 * kHourMs - 1});
  auto listed = analytics().ListDirtyHours();
  ASSERT_TRUE(listed.ok());
  ASSERT_TRUE(analytics().ClearDirtyHours(*listed).ok());
  ASSERT_TRUE(analytics().ListDirtyHours()->empty());

  ASSERT_TRUE(analytics().MarkEveryReadingHourDirty().ok());
  auto hours = analytics().ListDirtyHours();
  ASSERT_TRUE(hours.ok());
  std::vector<int64_t> marked;
  for (const DirtyHour& hour : *hours) marked.push_back(hour.hour);
  EXPECT_EQ(marked, (std::vector<int64_t>{490000, 490001, 490005, 490099}));
  // Marking again renews each mark.
  ASSERT_TRUE(analytics().MarkEveryReadingHourDirty().ok());
  auto renewed = analytics().ListDirtyHours();
  ASSERT_EQ(renewed->size(), 4u);
  for (size_t i = 0; i < renewed->size(); ++i) {
    EXPECT_GT((*renewed)[i].generation, (*hours)[i].generation);
  }
}

TEST_F(SqliteAnalyticsTest, SummariesAreWrittenAndScannedByKeyRanges) {
  SummaryWrite write;
  for (int32_t date : {20000, 20001, 20002}) {
    for (int64_t sensor : {1, 2, 3}) {
      write.sensor_days.push_back(
          {date, sensor,
           std::string("\0x", 2) + std::to_string(date + sensor)});
    }
  }
  auto node = analytics().AddNode("site/S");
  ASSERT_TRUE(node.ok());
  EXPECT_EQ(*analytics().AddNode("site/S"), *node);
  write.node_days.push_back({*node, 20001, "figures"});
  write.last_readings.push_back({1, 500, 1});
  ASSERT_TRUE(analytics().WriteSummaries(write).ok());

  std::vector<std::string> seen;
  ASSERT_TRUE(
      analytics()
          .ScanSensorDays(
              20001, 20002, 2, 3,
              [&](int32_t date, int64_t sensor, absl::string_view states) {
                seen.push_back(
                    absl::StrCat(date, "/", sensor, "/", states.substr(2)));
                EXPECT_EQ(states[0], '\0');
              })
          .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"20001/2/20003", "20001/3/20004",
                                            "20002/2/20004", "20002/3/20005"}));
  EXPECT_EQ(*analytics().ListSensorDayDates(),
            (std::vector<int32_t>{20000, 20001, 20002}));

  SummaryWrite update;
  update.deleted_sensor_days.push_back({20000, 1});
  update.node_days.push_back({*node, 20001, "changed"});
  update.last_readings.push_back({1, 400, 0});  // older: ignored
  update.last_readings.push_back({2, 100, 3});
  ASSERT_TRUE(analytics().WriteSummaries(update).ok());
  std::map<int32_t, std::string> days;
  ASSERT_TRUE(analytics()
                  .ScanNodeDays(*node, 20000, 20010,
                                [&](int32_t date, absl::string_view figures) {
                                  days[date] = std::string(figures);
                                })
                  .ok());
  EXPECT_EQ(days, (std::map<int32_t, std::string>{{20001, "changed"}}));
  std::map<int64_t, std::pair<int64_t, int64_t>> last;
  ASSERT_TRUE(analytics()
                  .ScanLastReadings([&](const LastReading& r) {
                    last[r.sensor_id] = {r.ts_ms, r.value};
                  })
                  .ok());
  EXPECT_EQ(last[1], (std::pair<int64_t, int64_t>{500, 1}));
  EXPECT_EQ(last[2], (std::pair<int64_t, int64_t>{100, 3}));

  int count = 0;
  ASSERT_TRUE(
      analytics()
          .ScanSensorDays(20000, 20000, 0, 10,
                          [&](int32_t, int64_t, absl::string_view) { ++count; })
          .ok());
  EXPECT_EQ(count, 2);

  ASSERT_TRUE(analytics().DeleteSummaries(/*sensor_days_too=*/false).ok());
  EXPECT_TRUE(analytics().ListNodes()->empty());
  EXPECT_EQ(analytics().ListSensorDayDates()->size(), 3u);
  ASSERT_TRUE(analytics().DeleteSummaries(/*sensor_days_too=*/true).ok());
  EXPECT_TRUE(analytics().ListSensorDayDates()->empty());
}

TEST_F(SqliteAnalyticsTest, MetaValuesAreKept) {
  EXPECT_EQ(*analytics().GetSummaryMeta("lattice"), "");
  ASSERT_TRUE(analytics().SetSummaryMeta("lattice", "abc").ok());
  ASSERT_TRUE(analytics().SetSummaryMeta("lattice", "def").ok());
  EXPECT_EQ(*analytics().GetSummaryMeta("lattice"), "def");
}

TEST_F(SqliteAnalyticsTest, DefaultTargetsAndTheirChanges) {
  auto targets = analytics().ListTargets();
  ASSERT_TRUE(targets.ok());
  std::vector<std::string> seen;
  for (const TargetRow& t : *targets) {
    seen.push_back(absl::StrCat(t.scope, " ", t.metric, " ", t.value, " ",
                                t.valid_from, "..", t.valid_to));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "portfolio m2_per_fte 18 2014-01-01..",
                      "portfolio m2_per_fte_new 15 2014-01-01..2021-12-15",
                      "portfolio m2_per_fte_new 10 2021-12-16..",
                      "portfolio shared_premises_share_pct 25 2021-12-16.."}));

  TargetRow site{0, "site", "S", "m2_per_fte", 12.5, "2027-01-01", "", "x"};
  auto id = analytics().PutTarget(site);
  ASSERT_TRUE(id.ok());
  site.id = *id;
  site.value = 11;
  EXPECT_EQ(*analytics().PutTarget(site), *id);
  EXPECT_EQ(analytics().ListTargets()->back().value, 11);
  site.id = 9999;
  EXPECT_EQ(analytics().PutTarget(site).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(analytics().DeleteTarget(*id).ok());
  EXPECT_EQ(analytics().DeleteTarget(*id).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(analytics().ListTargets()->size(), 4u);
}

TEST_F(SqliteAnalyticsTest, InventoryRowsCarryIdsAndBindings) {
  auto rows = analytics().LoadInventoryRows();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->sites.size(), 1u);
  EXPECT_EQ(rows->sites[0].timezone, "Europe/Helsinki");
  EXPECT_EQ(rows->sites[0].core_weekdays, "12345");
  ASSERT_EQ(rows->workstations.size(), 1u);
  EXPECT_EQ(rows->workstations[0].organization_id, 0);
  ASSERT_EQ(rows->sensors.size(), 1u);
  EXPECT_EQ(rows->sensors[0].workstation_id, rows->workstations[0].id);
  EXPECT_EQ(rows->sensors[0].space_id, 0);
}

// Rows carry the vocabulary as enums; an empty workstation status was
// stored as the default.
TEST_F(SqliteAnalyticsTest, InventoryRowsCarryTheVocabulary) {
  auto rows = analytics().LoadInventoryRows();
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->spaces.size(), 1u);
  EXPECT_EQ(rows->spaces[0].level, SpaceLevel::kFloor);
  ASSERT_EQ(rows->workstations.size(), 1u);
  EXPECT_EQ(rows->workstations[0].kind, WorkstationKind::kUnassigned);
  EXPECT_EQ(rows->workstations[0].status, kDefaultWorkstationStatus);
  ASSERT_EQ(rows->sensors.size(), 1u);
  EXPECT_EQ(rows->sensors[0].kind, SensorKind::kDeskPresence);
  auto bindings = session_->LoadSensorBindings();
  ASSERT_TRUE(bindings.ok()) << bindings.status();
  ASSERT_EQ(bindings->size(), 1u);
  EXPECT_EQ(bindings->front().kind, SensorKind::kDeskPresence);

  v1::Inventory more;
  auto* room = more.add_spaces();
  room->set_code("R");
  room->set_site("S");
  room->set_parent("F");
  room->set_level("room");
  room->set_kind("meeting_room");
  auto* home = more.add_workstations();
  home->set_code("H");
  home->set_space("F");
  home->set_kind("multi-space");
  home->set_status("inactive");
  auto* counter = more.add_sensors();
  counter->set_external_id("C");
  counter->set_kind("people_counter");
  counter->set_space("R");
  counter->set_gateway("gw");
  ASSERT_TRUE(session_->ImportInventory(more).ok());
  rows = analytics().LoadInventoryRows();
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->spaces.size(), 2u);
  EXPECT_EQ(rows->spaces[1].level, SpaceLevel::kRoom);
  EXPECT_EQ(rows->spaces[1].kind, "meeting_room");
  ASSERT_EQ(rows->workstations.size(), 2u);
  EXPECT_EQ(rows->workstations[1].kind, WorkstationKind::kMultiSpace);
  EXPECT_EQ(rows->workstations[1].status, WorkstationStatus::kInactive);
  ASSERT_EQ(rows->sensors.size(), 2u);
  EXPECT_EQ(rows->sensors[1].kind, SensorKind::kPeopleCounter);
}

// Import never writes text outside the vocabulary; text written by anything
// else fails the load, naming the column and row, instead of turning into a
// value no code expects.
TEST_F(SqliteAnalyticsTest, StoredTextOutsideTheVocabularyFailsTheLoad) {
  {
    auto db = Database::Open(dir_.File("a.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Execute("UPDATE sensors SET kind = 'thermometer'").ok());
  }
  auto rows = analytics().LoadInventoryRows();
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(rows.status().message(),
            absl::StrCat("sensors.kind of row ", sensor_id_,
                         ": \"thermometer\" is not one of desk_presence, "
                         "room_presence, people_counter, area_count"));
  auto bindings = session_->LoadSensorBindings();
  ASSERT_FALSE(bindings.ok());
  EXPECT_EQ(bindings.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(bindings.status().message().find("thermometer"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace monipaikka
