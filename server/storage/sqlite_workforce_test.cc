#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

std::string Pseudonym(int n) {
  // Storage treats pseudonyms as opaque 64-hex-digit keys.
  std::string text = absl::StrCat(n);
  return std::string(64 - text.size(), '0') + text;
}

EmployeePeriodInput Period(int person, const std::string& org,
                           absl::CivilDay from, absl::CivilDay to,
                           double fte = 1.0, const std::string& site = "") {
  EmployeePeriodInput input;
  input.pseudonym = Pseudonym(person);
  input.period.valid_from = from;
  input.period.valid_to = to;
  input.period.organization = org;
  input.period.unit = "U1";
  input.period.fte = fte;
  input.period.office = OfficeWorkstation::kAssigned;
  input.period.site = site;
  return input;
}

WorkDayInput Day(int person, absl::CivilDay day, int kind) {
  WorkDayInput input;
  input.pseudonym = Pseudonym(person);
  input.day = day;
  input.kind = kind;
  input.source = WorkDaySource::kBadge;
  return input;
}

class SqliteWorkforceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("w.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    auto session = storage_->OpenSession();
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = std::move(*session);
    v1::Inventory inventory;
    for (const char* code : {"VERO", "MML"}) {
      auto* org = inventory.add_organizations();
      org->set_code(code);
      org->set_name(code);
    }
    for (const char* code : {"S1", "S2"}) {
      auto* site = inventory.add_sites();
      site->set_code(code);
      site->set_name(code);
      site->set_kind("B");
    }
    ASSERT_TRUE(session_->ImportInventory(inventory).ok());
  }

  std::vector<EmployeePeriod> Periods(int person) {
    std::vector<EmployeePeriod> periods;
    EXPECT_TRUE(session_->Workforce()
                    .ScanEmployeePeriods(
                        absl::CivilDay(1900, 1, 1), kOpenEndDay,
                        [&](const EmployeePeriod& p) { periods.push_back(p); })
                    .ok());
    std::vector<EmployeePeriod> mine;
    // Employee ids follow insertion order; person n was inserted n-th here.
    for (const EmployeePeriod& p : periods) {
      if (p.employee_id == person) mine.push_back(p);
    }
    return mine;
  }

  std::map<std::pair<int, int64_t>, std::array<int32_t, 7>> Months() {
    std::map<std::pair<int, int64_t>, std::array<int32_t, 7>> months;
    EXPECT_TRUE(
        session_->Workforce()
            .ScanWorkMonths(
                absl::CivilMonth(2000, 1), absl::CivilMonth(2100, 1),
                [&](const WorkMonth& m) {
                  months[{m.year * 100 + m.month, m.employee_id}] = m.days;
                })
            .ok());
    return months;
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
};

TEST_F(SqliteWorkforceTest, ReimportUpdatesAndANewPeriodSplitsTheOldOne) {
  std::vector<EmployeePeriodInput> first = {
      Period(1, "VERO", absl::CivilDay(2024, 1, 1), kOpenEndDay)};
  auto r1 = session_->Workforce().UpsertEmployeePeriods(first);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->new_employees, 1);
  EXPECT_EQ(r1->stored, 1);
  // The same row again changes nothing.
  auto r2 = session_->Workforce().UpsertEmployeePeriods(first);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->new_employees, 0);
  EXPECT_EQ(r2->unchanged, 1);
  EXPECT_EQ(*session_->Workforce().CountEmployees(), 1);

  // A move to MML for March only: January–February and April on stay VERO.
  std::vector<EmployeePeriodInput> move = {Period(
      1, "MML", absl::CivilDay(2024, 3, 1), absl::CivilDay(2024, 3, 31))};
  ASSERT_TRUE(session_->Workforce().UpsertEmployeePeriods(move).ok());
  std::vector<EmployeePeriod> periods = Periods(1);
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[0].organization, "VERO");
  EXPECT_EQ(periods[0].valid_to, absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(periods[1].organization, "MML");
  EXPECT_EQ(periods[1].valid_from, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(periods[1].valid_to, absl::CivilDay(2024, 3, 31));
  EXPECT_EQ(periods[2].organization, "VERO");
  EXPECT_EQ(periods[2].valid_from, absl::CivilDay(2024, 4, 1));
  EXPECT_EQ(periods[2].valid_to, kOpenEndDay);
  EXPECT_EQ(*session_->Workforce().CountEmployees(), 1);
}

TEST_F(SqliteWorkforceTest,
       UnknownOrganizationSiteOrEmployeeRejectsOnlyThatRow) {
  std::vector<EmployeePeriodInput> rows = {
      Period(1, "VERO", absl::CivilDay(2024, 1, 1), kOpenEndDay),
      Period(2, "XYZ", absl::CivilDay(2024, 1, 1), kOpenEndDay),
      Period(3, "VERO", absl::CivilDay(2024, 1, 1), kOpenEndDay, 1.0, "NOSITE"),
  };
  auto result = session_->Workforce().UpsertEmployeePeriods(rows);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->stored, 1);
  ASSERT_EQ(result->rejected.size(), 2u);
  EXPECT_EQ(result->rejected[0].index, 1u);
  EXPECT_EQ(result->rejected[0].message,
            "organization: no organization \"XYZ\" in the inventory");
  EXPECT_EQ(result->rejected[1].index, 2u);
  EXPECT_EQ(*session_->Workforce().CountEmployees(), 1);

  std::vector<WorkDayInput> days = {Day(1, absl::CivilDay(2024, 3, 4), 1),
                                    Day(9, absl::CivilDay(2024, 3, 4), 1)};
  days[0].site = "S1";
  auto stored = session_->Workforce().UpsertWorkDays(days);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->inserted, 1);
  ASSERT_EQ(stored->rejected.size(), 1u);
  EXPECT_EQ(stored->rejected[0].index, 1u);
}

TEST_F(SqliteWorkforceTest, DaysRollUpByMonthAndAReplacedDayMovesItsCount) {
  std::vector<EmployeePeriodInput> rows = {
      Period(1, "VERO", absl::CivilDay(2024, 1, 1), kOpenEndDay)};
  ASSERT_TRUE(session_->Workforce().UpsertEmployeePeriods(rows).ok());
  std::vector<WorkDayInput> days = {
      Day(1, absl::CivilDay(2024, 1, 31), 1),  // B, January
      Day(1, absl::CivilDay(2024, 2, 1), 1),   // B, February
      Day(1, absl::CivilDay(2024, 2, 2), 0),   // A
  };
  ASSERT_TRUE(session_->Workforce().UpsertWorkDays(days).ok());
  auto months = Months();
  ASSERT_EQ(months.size(), 2u);
  EXPECT_EQ((months[{202401, 1}][1]), 1);
  EXPECT_EQ((months[{202402, 1}][1]), 1);
  EXPECT_EQ((months[{202402, 1}][0]), 1);

  // 2 February was at the agency building (D) after all; the same again is
  // unchanged.
  std::vector<WorkDayInput> fix = {Day(1, absl::CivilDay(2024, 2, 2), 3),
                                   Day(1, absl::CivilDay(2024, 2, 1), 1)};
  auto result = session_->Workforce().UpsertWorkDays(fix);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->replaced, 1);
  EXPECT_EQ(result->unchanged, 1);
  months = Months();
  EXPECT_EQ((months[{202402, 1}][0]), 0);
  EXPECT_EQ((months[{202402, 1}][3]), 1);
  EXPECT_EQ(*session_->Workforce().CountWorkDays(), 3);
}

TEST_F(SqliteWorkforceTest, RetentionDeletesOldDaysAndRebuildsTheCutMonth) {
  std::vector<EmployeePeriodInput> rows = {
      Period(1, "VERO", absl::CivilDay(2020, 1, 1), kOpenEndDay)};
  ASSERT_TRUE(session_->Workforce().UpsertEmployeePeriods(rows).ok());
  std::vector<WorkDayInput> days;
  for (absl::CivilDay d(2024, 1, 1); d < absl::CivilDay(2024, 4, 1); ++d) {
    days.push_back(Day(1, d, d.day() % 2));
  }
  ASSERT_TRUE(session_->Workforce().UpsertWorkDays(days).ok());
  auto deleted =
      session_->Workforce().DeleteWorkDaysBefore(absl::CivilDay(2024, 2, 11));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 31 + 10);
  EXPECT_EQ(*session_->Workforce().CountWorkDays(), 91 - 41);
  auto months = Months();
  EXPECT_EQ(months.count({202401, 1}), 0u);
  // 11–29 February: 19 days, 10 odd (kind 1) and 9 even (kind 0).
  EXPECT_EQ((months[{202402, 1}][1]), 10);
  EXPECT_EQ((months[{202402, 1}][0]), 9);
  EXPECT_EQ((months[{202403, 1}][0] + months[{202403, 1}][1]), 31);
}

}  // namespace
}  // namespace monipaikka
