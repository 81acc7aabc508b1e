#include "client/inventory_commands.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "client/fake_services_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::monipaikka::client::testing::FakeInventoryService;
using ::monipaikka::client::testing::FakeServer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A file in the test's temporary directory, removed afterwards.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_(std::filesystem::path(::testing::TempDir()) / name) {
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

class InventoryCommandsTest : public ::testing::Test {
 protected:
  InventoryCommandsTest()
      : server_({&service_}),
        stub_(v1::InventoryService::NewStub(server_.Channel())) {}

  CommandOptions Options(OutputFormat format) {
    CommandOptions options;
    options.output = format;
    options.deadline = absl::Seconds(10);
    return options;
  }

  FakeInventoryService service_;
  FakeServer server_;
  std::unique_ptr<v1::InventoryService::Stub> stub_;
  std::ostringstream out_;
};

TEST_F(InventoryCommandsTest, ImportInventorySendsTheDocumentAndPrintsCounts) {
  TempFile file("inventory.json",
                R"({"organizations": [{"code": "ELY-UUS", "name": "ELY"}],
                    "sites": [{"code": "HKI-VT", "name": "Virastotalo"}],
                    "spaces": [{"code": "HKI-VT-2", "site": "HKI-VT",
                                "level": "floor"}],
                    "workstations": [{"code": "W1", "space": "HKI-VT-2"},
                                     {"code": "W2", "space": "HKI-VT-2"}],
                    "sensors": [{"external_id": "S1", "workstation": "W1"}]})");
  ASSERT_TRUE(
      ImportInventory(*stub_, file.path(), Options(OutputFormat::kTable), out_)
          .ok());
  EXPECT_EQ(out_.str(), "Imported " + file.path() +
                            ": 1 organizations, 1 sites, 1 spaces, 2 "
                            "workstations, 1 sensors written.\n");
  EXPECT_EQ(service_.last_import().sensors(0).external_id(), "S1");
}

TEST_F(InventoryCommandsTest, ImportInventoryCsvAndJsonCounts) {
  TempFile file("small.json", R"({"organizations": [{"code": "A"}]})");
  ASSERT_TRUE(
      ImportInventory(*stub_, file.path(), Options(OutputFormat::kCsv), out_)
          .ok());
  EXPECT_EQ(out_.str(),
            "organizations,sites,spaces,workstations,sensors\n1,0,0,0,0\n");
  std::ostringstream json;
  ASSERT_TRUE(
      ImportInventory(*stub_, file.path(), Options(OutputFormat::kJson), json)
          .ok());
  EXPECT_THAT(json.str(), HasSubstr("\"organizations\": 1"));
  EXPECT_THAT(json.str(), HasSubstr("\"sensors\": 0"));
}

TEST_F(InventoryCommandsTest,
       ImportInventoryParseErrorNamesFileAndSendsNothing) {
  TempFile file("broken.json", "{\"organizations\": [{\"code\": \"A\",}]\n");
  absl::Status status =
      ImportInventory(*stub_, file.path(), Options(OutputFormat::kTable), out_);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith(file.path() + ":"));
  EXPECT_EQ(service_.last_import().organizations_size(), 0);
  EXPECT_EQ(out_.str(), "");
}

TEST_F(InventoryCommandsTest, ImportInventoryMissingFile) {
  absl::Status status = ImportInventory(*stub_, "/nonexistent/inventory.json",
                                        Options(OutputFormat::kTable), out_);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "cannot open /nonexistent/inventory.json: No such file or "
            "directory");
}

TEST_F(InventoryCommandsTest, ImportInventoryServerRejection) {
  TempFile file("bad.json", R"({"workstations": [{"code": "W9"}]})");
  absl::Status status =
      ImportInventory(*stub_, file.path(), Options(OutputFormat::kTable), out_);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "workstation W9: space is empty");
}

TEST_F(InventoryCommandsTest, SitesTableFillsDefaults) {
  ASSERT_TRUE(ListSites(*stub_, Options(OutputFormat::kTable), out_).ok());
  EXPECT_EQ(out_.str(),
            "code    name                  kind  municipality  "
            "address                      time zone        office m²  "
            "rent €/year  core hours\n"
            "------  --------------------  ----  ------------  "
            "---------------------------  ---------------  ---------  "
            "-----------  -------------------\n"
            "HKI-VT  Virastotalo           D     Helsinki      "
            "Mannerheimintie 1, Helsinki  Europe/Helsinki     1250.5  "
            "     410000  Mon-Fri 08:00-16:00\n"
            "TRE-1   Tampereen toimipiste  B     Tampere       "
            "                             Europe/Helsinki             "
            "             Mon-Wed 07:00-15:00\n");
}

TEST_F(InventoryCommandsTest, SitesCsv) {
  ASSERT_TRUE(ListSites(*stub_, Options(OutputFormat::kCsv), out_).ok());
  EXPECT_EQ(out_.str(),
            "code,name,kind,municipality,address,timezone,office_area_m2,"
            "annual_rent_eur,core_hours\n"
            "HKI-VT,Virastotalo,D,Helsinki,\"Mannerheimintie 1, Helsinki\","
            "Europe/Helsinki,1250.5,410000,Mon-Fri 08:00-16:00\n"
            "TRE-1,Tampereen toimipiste,B,Tampere,,Europe/Helsinki,,,"
            "Mon-Wed 07:00-15:00\n");
}

TEST_F(InventoryCommandsTest, SitesJsonIsTheResponse) {
  ASSERT_TRUE(ListSites(*stub_, Options(OutputFormat::kJson), out_).ok());
  EXPECT_THAT(out_.str(), StartsWith("{\n \"sites\": ["));
  EXPECT_THAT(out_.str(), HasSubstr("\"officeAreaM2\": 1250.5"));
  EXPECT_THAT(out_.str(), HasSubstr("\"timezone\": \"\""));
}

TEST_F(InventoryCommandsTest, OrganizationsTable) {
  ASSERT_TRUE(
      ListOrganizations(*stub_, Options(OutputFormat::kTable), out_).ok());
  EXPECT_EQ(out_.str(),
            "code     name\n"
            "-------  --------------------\n"
            "ELY-UUS  Uudenmaan ELY-keskus\n"
            "VERO     Verohallinto\n");
}

TEST_F(InventoryCommandsTest, SpacesCsvLeavesUnknownAreaAndCapacityEmpty) {
  ASSERT_TRUE(
      ListSpaces(*stub_, "HKI-VT", Options(OutputFormat::kCsv), out_).ok());
  EXPECT_EQ(out_.str(),
            "code,parent,level,kind,name,area_m2,capacity,has_plan_svg\n"
            "HKI-VT-2,,floor,,2. kerros,600,,yes\n"
            "HKI-VT-2-A,HKI-VT-2,room,open_workspace,Avotila A,120.25,14,\n");
}

TEST_F(InventoryCommandsTest, SpacesOfUnknownSiteIsNotFound) {
  absl::Status status =
      ListSpaces(*stub_, "NOPE", Options(OutputFormat::kTable), out_);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no site \"NOPE\"");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(InventoryCommandsTest, WorkstationsPassSpaceAndShowStatus) {
  ASSERT_TRUE(ListWorkstations(*stub_, "HKI-VT", "HKI-VT-2-A",
                               Options(OutputFormat::kCsv), out_)
                  .ok());
  EXPECT_EQ(service_.last_workstations_request().space(), "HKI-VT-2-A");
  EXPECT_EQ(out_.str(),
            "code,space,kind,organization,status,x_m,y_m\n"
            "HKI-VT-2-A-014,HKI-VT-2-A,multi-space,ELY-UUS,active,4.5,0\n"
            "HKI-VT-2-A-015,HKI-VT-2-A,shared,,inactive,,\n");
}

// The export states each floor's plan drawing itself, so that importing it
// back keeps the plan.
TEST_F(InventoryCommandsTest, FetchedInventoryCarriesPlansAndPositions) {
  absl::StatusOr<v1::Inventory> inventory =
      FetchInventory(*stub_, Options(OutputFormat::kTable));
  ASSERT_TRUE(inventory.ok()) << inventory.status();
  const v1::Space* floor = nullptr;
  for (const v1::Space& space : inventory->spaces()) {
    if (space.code() == "HKI-VT-2") floor = &space;
    if (space.level() != "floor") EXPECT_EQ(space.plan_svg(), "");
  }
  ASSERT_NE(floor, nullptr);
  EXPECT_EQ(floor->plan_svg(), testing::kFakePlanSvg);
  EXPECT_FALSE(floor->has_plan_svg());
  ASSERT_GE(inventory->workstations_size(), 1);
  EXPECT_EQ(inventory->workstations(0).x_m(), 4.5);
  EXPECT_TRUE(inventory->workstations(0).has_y_m());
}

TEST_F(InventoryCommandsTest, SensorsPassFilters) {
  ASSERT_TRUE(ListSensors(*stub_, "HKI-VT", "gw-hki-1",
                          Options(OutputFormat::kCsv), out_)
                  .ok());
  EXPECT_EQ(service_.last_sensors_request().site(), "HKI-VT");
  EXPECT_EQ(service_.last_sensors_request().gateway(), "gw-hki-1");
  EXPECT_EQ(out_.str(),
            "external_id,kind,workstation,space,site,gateway,installed,"
            "removed\n"
            "70B3D57ED0001234,desk_presence,HKI-VT-2-A-014,,HKI-VT,gw-hki-1,"
            "2026-01-15,\n");
}

}  // namespace
}  // namespace monipaikka::client
