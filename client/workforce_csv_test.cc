#include "client/workforce_csv.h"

#include <gtest/gtest.h>

namespace monipaikka::client {
namespace {

const std::vector<std::string> kHeader = {
    "employee_id",      "organization",       "unit",        "FTE",
    "home_workstation", "office_workstation", "multi_space", "shared_use",
    "valid_from",       "valid_to",           "site"};

TEST(WorkforceCsvTest, EmployeeRowInAnyColumnOrder) {
  std::vector<std::string> header = kHeader;
  std::swap(header[0], header[2]);
  header.push_back("comment");
  auto columns = ParseEmployeeHeader(header);
  ASSERT_TRUE(columns.ok()) << columns.status();
  EXPECT_EQ(columns->ignored, std::vector<std::string>({"comment"}));
  auto record = ParseEmployeeRow(
      *columns, {"U1", "VERO", "E1", "0,8", "yes", "unassigned", "Kyllä", "no",
                 "2024-01-01", "", "HKI", "x"});
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->employee_id(), "E1");
  EXPECT_EQ(record->unit(), "U1");
  EXPECT_DOUBLE_EQ(record->fte(), 0.8);
  EXPECT_TRUE(record->home_workstation());
  EXPECT_TRUE(record->multi_space());
  EXPECT_FALSE(record->shared_use());
  EXPECT_EQ(record->valid_to(), "");
  EXPECT_EQ(record->site(), "HKI");
}

TEST(WorkforceCsvTest, HeaderWithoutARequiredColumnIsRefused) {
  std::vector<std::string> header(kHeader.begin(), kHeader.begin() + 8);
  auto columns = ParseEmployeeHeader(header);
  ASSERT_FALSE(columns.ok());
  EXPECT_NE(columns.status().message().find("header lacks column valid_from"),
            std::string::npos);
  // valid_to and site may be left out.
  header.push_back("valid_from");
  EXPECT_TRUE(ParseEmployeeHeader(header).ok());
}

TEST(WorkforceCsvTest, BadRowsNameTheColumn) {
  auto columns = ParseEmployeeHeader(kHeader);
  ASSERT_TRUE(columns.ok());
  std::vector<std::string> row = {"E1",       "VERO", "U1", "1",         "yes",
                                  "assigned", "no",   "no", "2024-01-01"};
  EXPECT_EQ(ParseEmployeeRow(*columns, row).status().message(),
            "missing column valid_to (the row has 9 fields, the header 11)");
  row.push_back("");
  row.push_back("");
  row[4] = "maybe";
  EXPECT_EQ(ParseEmployeeRow(*columns, row).status().message(),
            "home_workstation is \"maybe\"; expected yes or no");
  row[4] = "no";
  row[3] = "full";
  EXPECT_EQ(ParseEmployeeRow(*columns, row).status().message(),
            "fte is \"full\"; expected a number like 0.8");
  row[3] = "1";
  row.push_back("extra");
  EXPECT_EQ(ParseEmployeeRow(*columns, row).status().message(),
            "the row has 12 fields, the header 11");
}

TEST(WorkforceCsvTest, WorkDayRows) {
  auto columns = ParseWorkDayHeader({"employee_id", "date", "location_kind"});
  ASSERT_TRUE(columns.ok());
  auto record = ParseWorkDayRow(*columns, {"E1", "2024-03-04", "B"});
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->location_kind(), "B");
  EXPECT_EQ(record->site(), "");
  EXPECT_EQ(
      ParseWorkDayRow(*columns, {"E1", "2024-03-04"}).status().message(),
      "missing column location_kind (the row has 2 fields, the header 3)");
  EXPECT_FALSE(ParseWorkDayHeader({"employee_id", "date"}).ok());
}

}  // namespace
}  // namespace monipaikka::client
