#include "client/inventory_csv.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::HasSubstr;

// Sheets as a spreadsheet user would keep them: every column, a quoted
// address with a comma, decimals, core hours and an empty cell.
InventorySheets SampleSheets() {
  return {
      {"organizations.csv", "code,name\nVM,Valtiovarainministeriö\nOM,\n"},
      {"sites.csv",
       "code,name,kind,address,municipality,timezone,office_area_m2,"
       "annual_rent_eur,core_weekdays,core_start,core_end\n"
       "HKI-VT,Virastotalo,D,\"Snellmaninkatu 1, Helsinki\",Helsinki,"
       "Europe/Helsinki,1234.5,456789.25,1 2 3 4 5,08:00,16:00\n"},
      {"spaces.csv",
       "code,site,parent,level,kind,name,area_m2,capacity,email,plan_svg\n"
       "HKI-VT-2,HKI-VT,,floor,office,2. kerros,812.75,,,"
       "\"<svg xmlns=\"\"http://www.w3.org/2000/svg\"\" "
       "viewBox=\"\"0 0 40 20\"\">\n<path d=\"\"M0 0H40\"\"/></svg>\"\n"
       "HKI-VT-2-R1,HKI-VT,HKI-VT-2,room,meeting,Neuvotteluhuone,18,8,"
       "neuvotteluhuone@vm.fi,\n"},
      {"workstations.csv",
       "code,space,kind,organization,status,x_m,y_m\n"
       "HKI-VT-2-001,HKI-VT-2,desk,VM,active,12.5,0\n"
       "HKI-VT-2-002,HKI-VT-2,desk,VM,active,,\n"},
      {"sensors.csv",
       "external_id,kind,workstation,space,gateway,installed,removed,site\n"
       "S-1,desk_presence,HKI-VT-2-001,,gw-1,2026-01-05,,HKI-VT\n"},
  };
}

TEST(InventoryCsvTest, SheetsRoundTripByteForByte) {
  const absl::StatusOr<v1::Inventory> inventory =
      ParseInventorySheets(SampleSheets(), "inv");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  EXPECT_EQ(inventory->organizations_size(), 2);
  EXPECT_EQ(inventory->sites(0).address(), "Snellmaninkatu 1, Helsinki");
  EXPECT_EQ(inventory->sites(0).office_area_m2(), 1234.5);
  EXPECT_THAT(inventory->sites(0).core_hours().weekdays(),
              ::testing::ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(inventory->spaces(1).capacity(), 8);
  EXPECT_EQ(inventory->spaces(1).email(), "neuvotteluhuone@vm.fi");
  EXPECT_EQ(inventory->sensors(0).workstation(), "HKI-VT-2-001");
  EXPECT_EQ(inventory->spaces(0).plan_svg(),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 "
            "20\">\n<path d=\"M0 0H40\"/></svg>");
  // A position of 0 is a position; empty cells are none.
  ASSERT_TRUE(inventory->workstations(0).has_y_m());
  EXPECT_EQ(inventory->workstations(0).x_m(), 12.5);
  EXPECT_EQ(inventory->workstations(0).y_m(), 0);
  EXPECT_FALSE(inventory->workstations(1).has_x_m());
  EXPECT_FALSE(inventory->workstations(1).has_y_m());
  EXPECT_EQ(WriteInventorySheets(*inventory), SampleSheets());
}

TEST(InventoryCsvTest, ColumnsInAnyOrderAndMissingOnesAreEmpty) {
  const absl::StatusOr<v1::Inventory> inventory = ParseInventorySheets(
      {{"workstations.csv", "space,code\nHKI-VT-2,W1\n"}}, "inv");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->workstations_size(), 1);
  EXPECT_EQ(inventory->workstations(0).code(), "W1");
  EXPECT_EQ(inventory->workstations(0).space(), "HKI-VT-2");
  EXPECT_EQ(inventory->workstations(0).kind(), "");
}

TEST(InventoryCsvTest, ErrorsNameFileLineAndProblem) {
  EXPECT_EQ(
      ParseInventorySheets({{"spaces.csv", "code,area_m2\nA,12,5\n"}}, "inv")
          .status()
          .message(),
      "inv/spaces.csv:2: 3 cells, the header has 2");
  EXPECT_EQ(ParseInventorySheets({{"spaces.csv", "code,area_m2\nA,\"12,5\"\n"}},
                                 "inv")
                .status()
                .message(),
            "inv/spaces.csv:2: area_m2 \"12,5\" is not a number");
  EXPECT_EQ(
      ParseInventorySheets({{"workstations.csv", "code,x_m\nA,3 m\n"}}, "inv")
          .status()
          .message(),
      "inv/workstations.csv:2: x_m \"3 m\" is not a number");
  EXPECT_THAT(
      std::string(ParseInventorySheets({{"sites.csv", "code,adress\n"}}, "inv")
                      .status()
                      .message()),
      HasSubstr("inv/sites.csv:1: unknown column \"adress\""));
}

TEST(InventoryCsvTest, DirectoryRoundTrip) {
  const std::string directory =
      (std::filesystem::path(::testing::TempDir()) / "inventory_sheets")
          .string();
  std::filesystem::remove_all(directory);
  EXPECT_EQ(ReadInventoryDirectory(directory).status().code(),
            absl::StatusCode::kNotFound);
  const v1::Inventory inventory = *ParseInventorySheets(SampleSheets(), "inv");
  ASSERT_TRUE(WriteInventoryDirectory(inventory, directory).ok());
  const absl::StatusOr<v1::Inventory> read = ReadInventoryDirectory(directory);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(*read, inventory));
}

}  // namespace
}  // namespace monipaikka::client
