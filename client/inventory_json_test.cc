#include "client/inventory_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::HasSubstr;

TEST(InventoryJsonTest, AcceptsCamelCaseAndOriginalNames) {
  absl::StatusOr<v1::Inventory> inventory = ParseInventoryJson(
      R"({"organizations": [{"code": "ELY-UUS", "name": "Uudenmaan ELY-keskus"}],
          "sites": [{"code": "HKI-VT", "officeAreaM2": 1250.5,
                     "annual_rent_eur": 400000,
                     "coreHours": {"weekdays": [1, 2, 3], "start": "07:00"}}],
          "sensors": [{"externalId": "70B3D57ED0001234", "kind": "desk_presence",
                       "workstation": "HKI-VT-2-A-014", "gateway": "gw-1"}]})",
      "inventory.json");
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  ASSERT_EQ(inventory->organizations_size(), 1);
  EXPECT_EQ(inventory->organizations(0).name(), "Uudenmaan ELY-keskus");
  ASSERT_EQ(inventory->sites_size(), 1);
  EXPECT_EQ(inventory->sites(0).office_area_m2(), 1250.5);
  EXPECT_EQ(inventory->sites(0).annual_rent_eur(), 400000);
  EXPECT_EQ(inventory->sites(0).core_hours().weekdays_size(), 3);
  EXPECT_EQ(inventory->sensors(0).external_id(), "70B3D57ED0001234");
}

TEST(InventoryJsonTest, SyntaxErrorNamesFileLineAndColumn) {
  absl::StatusOr<v1::Inventory> inventory = ParseInventoryJson(
      "{\n"
      "  \"organizations\": [\n"
      "    {\"code\" \"ELY-UUS\"}\n"
      "  ]\n"
      "}\n",
      "inventory.json");
  ASSERT_FALSE(inventory.ok());
  EXPECT_EQ(inventory.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(inventory.status().message(),
            "inventory.json:3:13: Expected : between key:value pair.");
}

TEST(InventoryJsonTest, UnknownFieldIsNamedWithItsPlace) {
  absl::StatusOr<v1::Inventory> inventory = ParseInventoryJson(
      R"({"organizations": [{"code": "A"}, {"code": "B", "nmae": "x"}]})",
      "inv.json");
  ASSERT_FALSE(inventory.ok());
  EXPECT_EQ(inventory.status().message(),
            "inv.json: organizations[1]: unknown field \"nmae\"");
}

TEST(InventoryJsonTest, UnknownTopLevelField) {
  absl::StatusOr<v1::Inventory> inventory =
      ParseInventoryJson(R"({"site": []})", "inv.json");
  ASSERT_FALSE(inventory.ok());
  EXPECT_EQ(inventory.status().message(), "inv.json: unknown field \"site\"");
}

TEST(InventoryJsonTest, WrongValueTypeNamesField) {
  absl::StatusOr<v1::Inventory> inventory = ParseInventoryJson(
      R"({"sites": [{"code": "S", "officeAreaM2": "big"}]})", "inv.json");
  ASSERT_FALSE(inventory.ok());
  EXPECT_THAT(inventory.status().message(),
              HasSubstr("inv.json: sites[0].office_area_m2: invalid value "
                        "\"big\""));
}

TEST(InventoryJsonTest, EmptyFileAndNonObject) {
  absl::StatusOr<v1::Inventory> empty = ParseInventoryJson(" \n", "inv.json");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(),
              HasSubstr("inv.json: the file is empty"));
  absl::StatusOr<v1::Inventory> array = ParseInventoryJson("[1]", "inv.json");
  ASSERT_FALSE(array.ok());
  EXPECT_THAT(array.status().message(),
              HasSubstr("inv.json: the document must be a JSON object"));
}

TEST(InventoryJsonTest, TruncatedDocumentNamesFile) {
  absl::StatusOr<v1::Inventory> inventory =
      ParseInventoryJson(R"({"organizations": [{"code": "A"})", "inv.json");
  ASSERT_FALSE(inventory.ok());
  EXPECT_THAT(inventory.status().message(), HasSubstr("inv.json"));
  EXPECT_THAT(inventory.status().message(), HasSubstr("Unexpected end"));
}

}  // namespace
}  // namespace monipaikka::client
