#include "server/workforce/workforce_records.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

v1::EmployeeRecord GoodEmployee() {
  v1::EmployeeRecord r;
  r.set_row(2);
  r.set_employee_id("E1");
  r.set_organization("VERO");
  r.set_unit("U1");
  r.set_fte(0.8);
  r.set_office_workstation("unassigned");
  r.set_valid_from("2024-01-01");
  return r;
}

TEST(CheckEmployeeRecordTest, GoodRecord) {
  auto period = CheckEmployeeRecord(GoodEmployee());
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_EQ(period->office, OfficeWorkstation::kUnassigned);
  EXPECT_EQ(period->valid_from, absl::CivilDay(2024, 1, 1));
  EXPECT_EQ(period->valid_to, kOpenEndDay);
}

TEST(CheckEmployeeRecordTest, ErrorsNameTheField) {
  v1::EmployeeRecord r = GoodEmployee();
  r.set_valid_from("2024-02-30");
  EXPECT_EQ(CheckEmployeeRecord(r).status().message(),
            "valid_from: \"2024-02-30\" is not a date (YYYY-MM-DD)");
  r = GoodEmployee();
  r.set_valid_to("2023-12-31");
  EXPECT_NE(CheckEmployeeRecord(r).status().message().find("before valid_from"),
            std::string::npos);
  r = GoodEmployee();
  r.set_office_workstation("corner");
  EXPECT_EQ(
      CheckEmployeeRecord(r).status().message(),
      "office_workstation: \"corner\" is not none, assigned or unassigned");
  r = GoodEmployee();
  r.set_fte(3);
  EXPECT_NE(CheckEmployeeRecord(r).status().message().find("fte"),
            std::string::npos);
  r = GoodEmployee();
  r.set_employee_id(" ");
  EXPECT_EQ(CheckEmployeeRecord(r).status().message(), "employee_id: missing");
}

TEST(CheckWorkDayRecordTest, WindowKindAndSource) {
  const WorkDayWindow window{absl::CivilDay(2024, 1, 15),
                             absl::CivilDay(2024, 6, 30)};
  v1::WorkDayRecord r;
  r.set_employee_id("E1");
  r.set_date("2024-03-04");
  r.set_location_kind("d");
  r.set_source("badge");
  auto day = CheckWorkDayRecord(r, window);
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(day->kind, 3);
  EXPECT_EQ(day->source, WorkDaySource::kBadge);
  r.set_date("2024-01-14");
  EXPECT_NE(
      CheckWorkDayRecord(r, window).status().message().find(
          "older than the retention period (days are kept from 2024-01-15)"),
      std::string::npos);
  r.set_date("2024-07-01");
  EXPECT_EQ(CheckWorkDayRecord(r, window).status().message(),
            "date: \"2024-07-01\" is in the future");
  r.set_date("2024-3-4");
  EXPECT_EQ(CheckWorkDayRecord(r, window).status().message(),
            "date: \"2024-3-4\" is not a date (YYYY-MM-DD)");
  r.set_date("2024-03-04");
  r.set_location_kind("H");
  EXPECT_EQ(CheckWorkDayRecord(r, window).status().message(),
            "location_kind: \"H\" is not A-G");
}

TEST(RetainedFromTest, SameDayMonthsBackClampedToMonthEnd) {
  EXPECT_EQ(RetainedFrom(absl::CivilDay(2026, 11, 22), 24),
            absl::CivilDay(2024, 11, 22));
  EXPECT_EQ(RetainedFrom(absl::CivilDay(2026, 3, 31), 1),
            absl::CivilDay(2026, 2, 28));
}

}  // namespace
}  // namespace monipaikka
