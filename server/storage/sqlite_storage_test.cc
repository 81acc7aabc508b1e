#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/sqlite.h"
#include "server/storage/schema.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

v1::Inventory SmallInventory() {
  v1::Inventory inventory;
  auto* org = inventory.add_organizations();
  org->set_code("VERO");
  org->set_name("Verohallinto");
  auto* site = inventory.add_sites();
  site->set_code("S1");
  site->set_name("Virastotalo");
  site->set_kind("D");
  site->set_office_area_m2(1000);
  // Room listed before its floor: the import orders by level.
  auto* room = inventory.add_spaces();
  room->set_code("S1-2-R");
  room->set_site("S1");
  room->set_parent("S1-2");
  room->set_level("room");
  room->set_kind("meeting_room");
  room->set_capacity(8);
  auto* floor = inventory.add_spaces();
  floor->set_code("S1-2");
  floor->set_site("S1");
  floor->set_level("floor");
  auto* zone = inventory.add_spaces();
  zone->set_code("S1-2-A");
  zone->set_site("S1");
  zone->set_parent("S1-2");
  zone->set_level("zone");
  auto* floor3 = inventory.add_spaces();
  floor3->set_code("S1-3");
  floor3->set_site("S1");
  floor3->set_level("floor");
  for (const char* code : {"S1-2-A-1", "S1-2-A-2"}) {
    auto* ws = inventory.add_workstations();
    ws->set_code(code);
    ws->set_space("S1-2-A");
    ws->set_kind("multi-space");
    ws->set_organization("VERO");
  }
  auto* ws3 = inventory.add_workstations();
  ws3->set_code("S1-3-1");
  ws3->set_space("S1-3");
  ws3->set_kind("shared");
  auto* sensor = inventory.add_sensors();
  sensor->set_external_id("DEV-1");
  sensor->set_kind("desk_presence");
  sensor->set_workstation("S1-2-A-1");
  sensor->set_gateway("gw-1");
  auto* sensor3 = inventory.add_sensors();
  sensor3->set_external_id("DEV-3");
  sensor3->set_kind("desk_presence");
  sensor3->set_workstation("S1-3-1");
  sensor3->set_gateway("gw-2");
  sensor3->set_installed("2026-03-02");
  return inventory;
}

class SqliteStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Storage>> storage =
        Storage::OpenSqlite(dir_.File("m.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    absl::StatusOr<std::unique_ptr<StorageSession>> session =
        storage_->OpenSession();
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = std::move(*session);
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
};

TEST_F(SqliteStorageTest, ImportsAndListsInventory) {
  absl::StatusOr<v1::ImportInventoryResponse> imported =
      session_->ImportInventory(SmallInventory());
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->spaces(), 4);

  auto sites = session_->ListSites();
  ASSERT_TRUE(sites.ok());
  ASSERT_EQ(sites->size(), 1u);
  EXPECT_EQ((*sites)[0].timezone(), "Europe/Helsinki");  // the default
  EXPECT_EQ((*sites)[0].core_hours().start(), "08:00");
  EXPECT_EQ((*sites)[0].core_hours().weekdays_size(), 5);

  auto spaces = session_->ListSpaces("S1");
  ASSERT_TRUE(spaces.ok());
  ASSERT_EQ(spaces->size(), 4u);
  EXPECT_EQ((*spaces)[2].code(), "S1-2-R");
  EXPECT_EQ((*spaces)[2].parent(), "S1-2");

  auto in_zone = session_->ListWorkstations("S1", "S1-2-A");
  ASSERT_TRUE(in_zone.ok());
  EXPECT_EQ(in_zone->size(), 2u);
  auto in_floor = session_->ListWorkstations("S1", "S1-2");
  ASSERT_TRUE(in_floor.ok());
  EXPECT_EQ(in_floor->size(), 2u);
  auto all = session_->ListWorkstations("S1", "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);

  auto by_gateway = session_->ListSensors("", "gw-2");
  ASSERT_TRUE(by_gateway.ok());
  ASSERT_EQ(by_gateway->size(), 1u);
  EXPECT_EQ((*by_gateway)[0].external_id(), "DEV-3");
  EXPECT_EQ((*by_gateway)[0].site(), "S1");
}

TEST_F(SqliteStorageTest, ReimportUpdatesInsteadOfDuplicating) {
  ASSERT_TRUE(session_->ImportInventory(SmallInventory()).ok());
  v1::Inventory changed = SmallInventory();
  changed.mutable_sites(0)->set_name("Uusi nimi");
  ASSERT_TRUE(session_->ImportInventory(changed).ok());
  auto sites = session_->ListSites();
  ASSERT_TRUE(sites.ok());
  ASSERT_EQ(sites->size(), 1u);
  EXPECT_EQ((*sites)[0].name(), "Uusi nimi");
  EXPECT_EQ(session_->ListWorkstations("S1", "")->size(), 3u);
}

TEST_F(SqliteStorageTest, BadEntityNamesFieldAndWritesNothing) {
  v1::Inventory bad = SmallInventory();
  bad.mutable_sites(0)->set_kind("X");
  absl::StatusOr<v1::ImportInventoryResponse> result =
      session_->ImportInventory(bad);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("sites[0].kind"), std::string::npos)
      << result.status();
  EXPECT_TRUE(session_->ListOrganizations()->empty());

  v1::Inventory dangling = SmallInventory();
  dangling.mutable_workstations(1)->set_space("NOWHERE");
  result = session_->ImportInventory(dangling);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("workstations[1].space: no space "
                                           "\"NOWHERE\""),
            std::string::npos)
      << result.status();
  // The transaction rolled back: not even the organizations are there.
  EXPECT_TRUE(session_->ListOrganizations()->empty());

  v1::Inventory zone_in_room = SmallInventory();
  zone_in_room.mutable_spaces(2)->set_parent("S1-2-R");
  result = session_->ImportInventory(zone_in_room);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("spaces[2].parent"),
            std::string::npos)
      << result.status();
}

// Each vocabulary field names the bad value and the allowed ones.
TEST_F(SqliteStorageTest, ImportRejectsTextOutsideTheVocabulary) {
  struct Case {
    std::function<void(v1::Inventory&)> spoil;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](v1::Inventory& i) { i.mutable_spaces(2)->set_level("wing"); },
       "spaces[2].level: \"wing\" is not one of floor, zone, room"},
      {[](v1::Inventory& i) { i.mutable_spaces(0)->set_kind("kitchen"); },
       "spaces[0].kind: \"kitchen\" is not one of open_workspace, "
       "meeting_room, quiet_room, customer_service, special"},
      {[](v1::Inventory& i) {
         i.mutable_workstations(2)->set_kind("multi_space");
       },
       "workstations[2].kind: \"multi_space\" is not one of home, assigned, "
       "unassigned, multi-space, shared"},
      {[](v1::Inventory& i) {
         i.mutable_workstations(0)->set_status("Active");
       },
       "workstations[0].status: \"Active\" is not one of active, inactive"},
      {[](v1::Inventory& i) { i.mutable_sensors(1)->set_kind("co2"); },
       "sensors[1].kind: \"co2\" is not one of desk_presence, "
       "room_presence, people_counter, area_count"},
  };
  for (const Case& c : cases) {
    v1::Inventory bad = SmallInventory();
    c.spoil(bad);
    absl::StatusOr<v1::ImportInventoryResponse> result =
        session_->ImportInventory(bad);
    ASSERT_FALSE(result.ok()) << c.message;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().message(), c.message);
  }
  EXPECT_TRUE(session_->ListOrganizations()->empty());
}

// An empty workstation status is stored as the default, active.
TEST_F(SqliteStorageTest, EmptyWorkstationStatusIsActive) {
  v1::Inventory inventory = SmallInventory();
  inventory.mutable_workstations(2)->set_status("inactive");
  ASSERT_TRUE(session_->ImportInventory(inventory).ok());
  auto all = session_->ListWorkstations("S1", "");
  ASSERT_TRUE(all.ok()) << all.status();
  std::map<std::string, std::string> status;
  for (const v1::Workstation& ws : *all) status[ws.code()] = ws.status();
  EXPECT_EQ(status["S1-2-A-1"], "active");
  EXPECT_EQ(status["S1-3-1"], "inactive");
}

// Positions and plan drawings are stored, listed, updated and removed by
// re-import like every other field.
TEST_F(SqliteStorageTest, PositionsAndPlanDrawingsRoundTrip) {
  const std::string plan =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 20\">"
      "<path d=\"M0 0H40V20H0Z\"/></svg>";
  v1::Inventory inventory = SmallInventory();
  inventory.mutable_spaces(1)->set_plan_svg(plan);  // floor S1-2
  inventory.mutable_workstations(0)->set_x_m(3.25);
  inventory.mutable_workstations(0)->set_y_m(0);
  ASSERT_TRUE(session_->ImportInventory(inventory).ok());

  auto spaces = session_->ListSpaces("S1");
  ASSERT_TRUE(spaces.ok()) << spaces.status();
  std::map<std::string, v1::Space> by_code;
  for (const v1::Space& space : *spaces) by_code[space.code()] = space;
  EXPECT_TRUE(by_code["S1-2"].has_plan_svg());
  EXPECT_TRUE(by_code["S1-2"].plan_svg().empty());  // GetPlanSvg has it
  EXPECT_FALSE(by_code["S1-3"].has_plan_svg());
  auto got = session_->GetPlanSvg("S1-2");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->space(), "S1-2");
  EXPECT_EQ(got->svg(), plan);
  EXPECT_EQ(session_->GetPlanSvg("S1-3")->svg(), "");
  EXPECT_EQ(session_->GetPlanSvg("NOPE").status().code(),
            absl::StatusCode::kNotFound);

  auto desks = session_->ListWorkstations("S1", "");
  ASSERT_TRUE(desks.ok()) << desks.status();
  std::map<std::string, v1::Workstation> desk;
  for (const v1::Workstation& ws : *desks) desk[ws.code()] = ws;
  ASSERT_TRUE(desk["S1-2-A-1"].has_x_m());
  EXPECT_EQ(desk["S1-2-A-1"].x_m(), 3.25);
  ASSERT_TRUE(desk["S1-2-A-1"].has_y_m());  // 0 is a position
  EXPECT_EQ(desk["S1-2-A-1"].y_m(), 0);
  EXPECT_FALSE(desk["S1-2-A-2"].has_x_m());
  EXPECT_FALSE(desk["S1-2-A-2"].has_y_m());

  // A document without them removes them.
  ASSERT_TRUE(session_->ImportInventory(SmallInventory()).ok());
  EXPECT_EQ(session_->GetPlanSvg("S1-2")->svg(), "");
  absl::StatusOr<std::vector<v1::Space>> spaces_after =
      session_->ListSpaces("S1");
  ASSERT_TRUE(spaces_after.ok()) << spaces_after.status();
  for (const v1::Space& space : *spaces_after) {
    EXPECT_FALSE(space.has_plan_svg()) << space.code();
  }
  absl::StatusOr<std::vector<v1::Workstation>> desks_after =
      session_->ListWorkstations("S1", "");
  ASSERT_TRUE(desks_after.ok()) << desks_after.status();
  for (const v1::Workstation& ws : *desks_after) {
    EXPECT_FALSE(ws.has_x_m()) << ws.code();
  }
}

TEST_F(SqliteStorageTest, BadPositionOrPlanNamesTheFieldAndWritesNothing) {
  v1::Inventory negative = SmallInventory();
  negative.mutable_workstations(1)->set_x_m(-0.5);
  negative.mutable_workstations(1)->set_y_m(1);
  auto result = session_->ImportInventory(negative);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "workstations[1].x_m: -0.5 is not a position in metres within 0 "
            "… 10000");
  v1::Inventory not_svg = SmallInventory();
  not_svg.mutable_spaces(1)->set_plan_svg("<script>alert(1)</script>");
  result = session_->ImportInventory(not_svg);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "spaces[1].plan_svg: is not an SVG document: its root element is "
            "not <svg>");
  EXPECT_TRUE(session_->ListOrganizations()->empty());
}

TEST_F(SqliteStorageTest, UnknownSiteIsNotFound) {
  EXPECT_EQ(session_->GetSite("NOPE").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(session_->ListSpaces("NOPE").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(session_->ListWorkstations("NOPE", "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SqliteStorageTest, ImportRolledBackLeavesNoCodeBehind) {
  ASSERT_TRUE(session_->ImportInventory(SmallInventory()).ok());
  // A new site whose space names a parent that does not exist: the site row
  // is written, its id looked up for the space, then all is rolled back.
  v1::Inventory bad;
  auto* site = bad.add_sites();
  site->set_code("S9");
  site->set_name("Puolivalmis");
  site->set_kind("D");
  auto* space = bad.add_spaces();
  space->set_code("S9-1");
  space->set_site("S9");
  space->set_parent("NOPE");
  space->set_level("zone");
  auto result = session_->ImportInventory(bad);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("spaces[0].parent"),
            std::string::npos)
      << result.status();
  // The session does not answer from an id of the rolled-back row.
  EXPECT_EQ(session_->ListSpaces("S9").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(session_->ListWorkstations("S9", "").status().code(),
            absl::StatusCode::kNotFound);
  // The codes it knew before still resolve.
  auto spaces = session_->ListSpaces("S1");
  ASSERT_TRUE(spaces.ok()) << spaces.status();
  EXPECT_EQ(spaces->size(), 4u);
}

TEST_F(SqliteStorageTest, CodeUnknownToOneSessionIsFoundOnceAnotherAddsIt) {
  EXPECT_EQ(session_->ListSpaces("S1").status().code(),
            absl::StatusCode::kNotFound);
  auto other = storage_->OpenSession();
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE((*other)->ImportInventory(SmallInventory()).ok());
  auto spaces = session_->ListSpaces("S1");
  ASSERT_TRUE(spaces.ok()) << spaces.status();
  EXPECT_EQ(spaces->size(), 4u);
  auto in_zone = session_->ListWorkstations("S1", "S1-2-A");
  ASSERT_TRUE(in_zone.ok()) << in_zone.status();
  EXPECT_EQ(in_zone->size(), 2u);
}

TEST_F(SqliteStorageTest, InsertIgnoresSameSensorAndTimestamp) {
  std::vector<StoredReading> first = {
      {1, 1000, 1, 1}, {2, 1000, 1, 0}, {1, 2000, 2, 0}};
  std::vector<InsertOutcome> outcomes;
  ASSERT_TRUE(session_->InsertReadings(first, &outcomes).ok());
  EXPECT_EQ(outcomes, std::vector<InsertOutcome>(3, InsertOutcome::kInserted));

  std::vector<StoredReading> again = {
      {1, 2000, 2, 0}, {1, 3000, 3, 1}, {1, 3000, 3, 1}};
  ASSERT_TRUE(session_->InsertReadings(again, &outcomes).ok());
  EXPECT_EQ(outcomes, (std::vector<InsertOutcome>{InsertOutcome::kDuplicate,
                                                  InsertOutcome::kInserted,
                                                  InsertOutcome::kDuplicate}));
  EXPECT_EQ(*session_->CountReadings(), 4);

  std::vector<StoredReading> seen;
  ASSERT_TRUE(session_
                  ->ScanRecentReadings(
                      2000, [&](const StoredReading& r) { seen.push_back(r); })
                  .ok());
  EXPECT_EQ(seen,
            (std::vector<StoredReading>{{1, 2000, 2, 0}, {1, 3000, 3, 1}}));
}

TEST_F(SqliteStorageTest, ReadingsSurviveReopen) {
  std::vector<InsertOutcome> outcomes;
  ASSERT_TRUE(session_->InsertReadings({{{7, 5000, 1, 1}}}, &outcomes).ok());
  session_.reset();
  storage_.reset();
  auto storage = Storage::OpenSqlite(dir_.File("m.db"));
  ASSERT_TRUE(storage.ok());
  auto session = (*storage)->OpenSession();
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(*(*session)->CountReadings(), 1);
}

TEST_F(SqliteStorageTest, SessionsCommitInFullUnlessNormalIsAsked) {
  absl::StatusOr<int> by_default = session_->SynchronousPragma();
  ASSERT_TRUE(by_default.ok()) << by_default.status();
  EXPECT_EQ(*by_default, 2);  // FULL: an ack survives power loss

  SqliteStorageOptions normal;
  normal.synchronous = SqliteSynchronous::kNormal;
  auto storage = Storage::OpenSqlite(dir_.File("m.db"), normal);
  ASSERT_TRUE(storage.ok()) << storage.status();
  for (int i = 0; i < 2; ++i) {  // every session, not only the first
    auto session = (*storage)->OpenSession();
    ASSERT_TRUE(session.ok()) << session.status();
    absl::StatusOr<int> level = (*session)->SynchronousPragma();
    ASSERT_TRUE(level.ok()) << level.status();
    EXPECT_EQ(*level, 1);  // NORMAL
  }
}

TEST_F(SqliteStorageTest, RefusesDatabaseFromNewerVersion) {
  session_.reset();
  storage_.reset();
  {
    auto db = Database::Open(dir_.File("m.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Execute("PRAGMA user_version = 999").ok());
  }
  auto storage = Storage::OpenSqlite(dir_.File("m.db"));
  ASSERT_FALSE(storage.ok());
  EXPECT_NE(storage.status().message().find("schema version 999"),
            std::string::npos);
}

}  // namespace
}  // namespace monipaikka
