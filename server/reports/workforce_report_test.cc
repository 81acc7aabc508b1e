// The HR reports over a real SQLite registry: the 2020 workstation
// distribution of the state (docs/domain.md) from a generated registry of
// 71 200 people, and the attribution of days to months and organizations.

#include "server/reports/workforce_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

std::string Pseudonym(int n) {
  std::string text = absl::StrCat(n);
  return std::string(64 - text.size(), 'a') + text;
}

// One organization of `people` employees in two units (the first
// `first_unit` in `units[0]`), every `shared_every`-th in shared use, each
// with 1 … `max_days` office days from the 2nd of `month`.
struct OrganizationMonth {
  int first_pseudonym = 0;
  int people = 0;
  std::string organization;
  std::array<std::string, 2> units;
  int first_unit = 0;
  int shared_every = 1;
  int max_days = 1;
  absl::CivilMonth month;
};

class WorkforceReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("hr.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    auto session = storage_->OpenSession();
    ASSERT_TRUE(session.ok());
    session_ = std::move(*session);
    v1::Inventory inventory;
    for (const char* code : {"AVI", "DVV", "MML", "VERO", "A", "B"}) {
      auto* org = inventory.add_organizations();
      org->set_code(code);
      org->set_name(code);
    }
    ASSERT_TRUE(session_->ImportInventory(inventory).ok());
    settings_.today = [] { return absl::CivilDay(2024, 6, 30); };
  }

  void StoreOrganizationMonth(const OrganizationMonth& shape) {
    std::vector<EmployeePeriodInput> rows;
    std::vector<WorkDayInput> days;
    for (int i = 0; i < shape.people; ++i) {
      EmployeePeriodInput row;
      row.pseudonym = Pseudonym(shape.first_pseudonym + i);
      row.period.valid_from = absl::CivilDay(2024, 1, 1);
      row.period.organization = shape.organization;
      row.period.unit = shape.units[i < shape.first_unit ? 0 : 1];
      row.period.fte = 1;
      row.period.office = OfficeWorkstation::kAssigned;
      row.period.shared_use = i % shape.shared_every == 0;
      rows.push_back(row);
      for (int d = 0; d < 1 + i % shape.max_days; ++d) {
        WorkDayInput input;
        input.pseudonym = row.pseudonym;
        input.day =
            absl::CivilDay(shape.month.year(), shape.month.month(), 2 + d);
        input.kind = 1;
        days.push_back(input);
      }
    }
    Store(rows);
    auto stored = session_->Workforce().UpsertWorkDays(days);
    ASSERT_TRUE(stored.ok()) << stored.status();
  }

  void Store(const std::vector<EmployeePeriodInput>& rows) {
    auto result = session_->Workforce().UpsertEmployeePeriods(rows);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_TRUE(result->rejected.empty());
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  WorkforceSettings settings_;
};

// docs/domain.md, "Työpistejakauma valtiolla 2020": 71 200 employees, 56 800 in
// offices, 38 600 at home, 1 350 (2 %, +150) in shared-use premises,
// 15 500 (27 %, +3 500) at unassigned workstations, 24 600 (43 %) in
// multi-space environments. The registry is generated so that exactly those
// people hold each attribute on 2020-11-30, and on 2019-11-30 150 fewer were
// in shared-use premises and 3 500 fewer at unassigned workstations (they
// changed on 2020-06-01).
TEST_F(WorkforceReportTest, ReproducesTheStateWorkstationDistributionOf2020) {
  constexpr int kPeople = 71200;
  const char* kOrgs[] = {"AVI", "DVV", "MML", "VERO"};
  const absl::CivilDay kChange(2020, 6, 1);
  std::vector<EmployeePeriodInput> rows;
  for (int i = 0; i < kPeople; ++i) {
    EmployeePeriodInput row;
    row.pseudonym = Pseudonym(i);
    EmployeePeriod& p = row.period;
    p.valid_from = absl::CivilDay(2019, 1, 1);
    p.organization = kOrgs[i % 4];
    p.unit = absl::StrCat("U", (i / 4) % 7);
    p.fte = 1;
    const bool office = i < 56800;
    p.office = !office                    ? OfficeWorkstation::kNone
               : (i >= 1000 && i < 16500) ? OfficeWorkstation::kUnassigned
                                          : OfficeWorkstation::kAssigned;
    p.home_workstation = i >= 32600;
    p.shared_use = i < 1350;
    p.multi_space = i >= 20000 && i < 44600;
    const bool changed = (i >= 1200 && i < 1350) || (i >= 13000 && i < 16500);
    if (changed) {
      // Before the change: not shared-use (1200 … 1349), assigned desk
      // (13000 … 16499).
      EmployeePeriodInput before = row;
      before.period.valid_to = kChange - 1;
      if (i < 1350) before.period.shared_use = false;
      if (i >= 13000) before.period.office = OfficeWorkstation::kAssigned;
      rows.push_back(before);
      row.period.valid_from = kChange;
    }
    rows.push_back(row);
  }
  Store(rows);

  v1::WorkstationDistributionRequest request;
  request.set_as_of("2020-11-30");
  request.set_compare_to("2019-11-30");
  auto report = BuildWorkstationDistribution(*session_, request, settings_);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->categories_size(), 6);
  struct Expected {
    const char* category;
    int64_t employees;
    int share;  // -1: no share
    int64_t change;
  };
  const Expected expected[] = {
      {"employees", 71200, -1, 0},     {"in_offices", 56800, -1, 0},
      {"at_home", 38600, -1, 0},       {"shared_use", 1350, 2, 150},
      {"unassigned", 15500, 27, 3500}, {"multi_space", 24600, 43, 0},
  };
  for (int c = 0; c < 6; ++c) {
    const v1::DistributionCategory& got = report->categories(c);
    SCOPED_TRACE(got.category());
    EXPECT_EQ(got.category(), expected[c].category);
    EXPECT_FALSE(got.employees().withheld());
    EXPECT_EQ(got.employees().value(), expected[c].employees);
    EXPECT_EQ(got.has_share_of_office_pct(), expected[c].share >= 0);
    if (expected[c].share >= 0) {
      EXPECT_FALSE(got.share_of_office_pct().withheld());
      EXPECT_EQ(got.share_of_office_pct().value(), expected[c].share);
    }
    ASSERT_TRUE(got.has_change());
    EXPECT_FALSE(got.change().withheld());
    EXPECT_EQ(got.change().value(), expected[c].change);
  }
  // An organization's quarter of it.
  request.set_organization("VERO");
  auto vero = BuildWorkstationDistribution(*session_, request, settings_);
  ASSERT_TRUE(vero.ok());
  EXPECT_EQ(vero->categories(0).employees().value(), 71200 / 4);
}

TEST_F(WorkforceReportTest, UnknownOrganizationAndBadDateAreErrors) {
  v1::WorkstationDistributionRequest request;
  request.set_as_of("2020-13-01");
  EXPECT_EQ(BuildWorkstationDistribution(*session_, request, settings_)
                .status()
                .message(),
            "as_of: \"2020-13-01\" is not a date (YYYY-MM-DD)");
  request.set_as_of("2020-12-31");
  request.set_organization("NOPE");
  EXPECT_EQ(BuildWorkstationDistribution(*session_, request, settings_)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// Registry snapshots are published only on the publication calendar, and
// only once the day has passed (today is 2024-06-30 here).
TEST_F(WorkforceReportTest, SnapshotsOnlyOnPassedPublicationDates) {
  v1::WorkstationDistributionRequest request;
  request.set_as_of("2024-03-15");
  EXPECT_EQ(BuildWorkstationDistribution(*session_, request, settings_)
                .status()
                .message(),
            "as_of: 2024-03-15 is not a publication date of the HR registry "
            "(month_end); the nearest are 2024-02-29 and 2024-03-31");
  request.set_as_of("2024-06-30");
  EXPECT_EQ(BuildWorkstationDistribution(*session_, request, settings_)
                .status()
                .message(),
            "as_of: 2024-06-30 has not passed yet; the latest publication "
            "date is 2024-05-31");
  request.set_as_of("2024-05-31");
  request.set_compare_to("2024-05-30");
  EXPECT_EQ(BuildWorkstationDistribution(*session_, request, settings_)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  request.set_compare_to("2024-04-30");
  EXPECT_TRUE(BuildWorkstationDistribution(*session_, request, settings_).ok());
  settings_.publication = PublicationCalendar::kQuarterEnd;
  auto quarterly = BuildWorkstationDistribution(*session_, request, settings_);
  EXPECT_EQ(quarterly.status().message(),
            "as_of: 2024-05-31 is not a publication date of the HR registry "
            "(quarter_end); the nearest are 2024-03-31 and 2024-06-30");
  request.set_as_of("2024-03-31");
  request.set_compare_to("2023-12-31");
  EXPECT_TRUE(BuildWorkstationDistribution(*session_, request, settings_).ok());
}

// 10 people in each of A/a1, A/a2 and B/b1; person 0 moves from A/a1 to
// B/b1 on 15 March. The A people have 6 office days in March, the B people
// 3; person 0 has 5 before the move and 3 after. A day on 29 February and
// one on 1 April fall in their own months.
TEST_F(WorkforceReportTest, MonthBoundaryAndAMoveInTheMiddleOfTheMonth) {
  std::vector<EmployeePeriodInput> rows;
  auto person = [&](int id, const std::string& org, const std::string& unit,
                    absl::CivilDay from, absl::CivilDay to) {
    EmployeePeriodInput row;
    row.pseudonym = Pseudonym(id);
    row.period.valid_from = from;
    row.period.valid_to = to;
    row.period.organization = org;
    row.period.unit = unit;
    row.period.fte = 1;
    row.period.office = OfficeWorkstation::kAssigned;
    row.period.shared_use = org == "B";
    rows.push_back(row);
  };
  const absl::CivilDay start(2024, 1, 1);
  person(0, "A", "a1", start, absl::CivilDay(2024, 3, 14));
  person(0, "B", "b1", absl::CivilDay(2024, 3, 15), kOpenEndDay);
  for (int i = 1; i < 10; ++i) person(i, "A", "a1", start, kOpenEndDay);
  for (int i = 10; i < 20; ++i) person(i, "A", "a2", start, kOpenEndDay);
  for (int i = 20; i < 30; ++i) person(i, "B", "b1", start, kOpenEndDay);
  Store(rows);

  std::vector<WorkDayInput> days;
  auto day = [&](int id, absl::CivilDay d, int kind) {
    WorkDayInput input;
    input.pseudonym = Pseudonym(id);
    input.day = d;
    input.kind = kind;
    days.push_back(input);
  };
  for (int i = 1; i < 30; ++i) {
    const int office = i < 20 ? 6 : 3;
    for (int d = 0; d < 12; ++d) {
      day(i, absl::CivilDay(2024, 3, 4 + d), d < office ? 1 : 0);
    }
  }
  for (int d = 4; d <= 8; ++d) day(0, absl::CivilDay(2024, 3, d), 1);
  for (int d = 18; d <= 20; ++d) day(0, absl::CivilDay(2024, 3, d), 3);
  day(0, absl::CivilDay(2024, 2, 29), 1);
  day(0, absl::CivilDay(2024, 4, 1), 1);
  auto stored = session_->Workforce().UpsertWorkDays(days);
  ASSERT_TRUE(stored.ok()) << stored.status();
  ASSERT_TRUE(stored->rejected.empty());

  settings_.anonymity_k = 3;
  v1::OfficeDaysRequest request;
  request.set_from_month("2024-02");
  request.set_to_month("2024-04");
  request.set_group_by(v1::HR_GROUPING_ORGANIZATION);
  auto report = BuildOfficeDays(*session_, request, settings_);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows_size(), 6);  // 3 months × 2 organizations
  auto row = [&](const std::string& month, const std::string& org) {
    for (const v1::OfficeDaysRow& r : report->rows()) {
      if (r.month() == month && r.organization() == org) return r;
    }
    ADD_FAILURE() << "no row " << month << " " << org;
    return v1::OfficeDaysRow();
  };
  // March: person 0 belongs to B (registered there at the month's end) with
  // all 8 office days.
  const v1::OfficeDaysRow a_march = row("2024-03", "A");
  const v1::OfficeDaysRow b_march = row("2024-03", "B");
  EXPECT_EQ(a_march.registered().value(), 19);
  EXPECT_EQ(b_march.registered().value(), 11);
  EXPECT_EQ(a_march.with_days().value(), 19);
  EXPECT_EQ(a_march.office_day_buckets(1).value(), 0);
  EXPECT_DOUBLE_EQ(a_march.median_office_days().value(), 6);
  // B: ten with 3 days, and person 0 with 8: the lone "5-8" is withheld,
  // and so is enough beside it that it cannot be worked out.
  EXPECT_TRUE(b_march.office_day_buckets(2).withheld());
  EXPECT_EQ(b_march.office_day_buckets(2).value(), 0);
  EXPECT_DOUBLE_EQ(b_march.median_office_days().value(), 3);
  // B's shared-use count went 10 → 11 at the month end with person 0's
  // move: one person's change, so the month end's 11 is withheld, and with
  // it March's 11 (nobody left B in March: the two are equal).
  EXPECT_TRUE(b_march.shared_use().withheld());
  EXPECT_TRUE(b_march.shared_use_pct().withheld());
  EXPECT_FALSE(b_march.shared_use_target_met());
  EXPECT_EQ(a_march.shared_use_pct().value(), 0);
  EXPECT_FALSE(a_march.shared_use_target_met());
  // February: only person 0 (in A) has a day; a group of one is withheld.
  const v1::OfficeDaysRow a_feb = row("2024-02", "A");
  EXPECT_EQ(a_feb.registered().value(), 20);
  EXPECT_TRUE(a_feb.with_days().withheld());
  EXPECT_TRUE(a_feb.median_office_days().withheld());
  EXPECT_TRUE(row("2024-04", "B").with_days().withheld());
  EXPECT_EQ(row("2024-04", "A").with_days().value(), 0);

  // The state total with k = 1 shows what lies under the suppression.
  settings_.anonymity_k = 1;
  request.set_group_by(v1::HR_GROUPING_UNSPECIFIED);
  report = BuildOfficeDays(*session_, request, settings_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->rows_size(), 3);
  EXPECT_EQ(report->rows(0).with_days().value(), 1);  // February
  EXPECT_EQ(report->rows(1).with_days().value(), 30);
  EXPECT_EQ(report->rows(1).office_day_buckets(1).value(), 10);  // 1-4
  EXPECT_EQ(report->rows(1).office_day_buckets(2).value(), 20);  // 5-8
  EXPECT_EQ(report->rows(2).with_days().value(), 1);             // April
  EXPECT_EQ(report->retained_from(), "2022-06-30");
  EXPECT_FALSE(report->rows(0).partial());
}

// The disclosure audit is CPU-bound; it observes the session's query
// deadline (--max_query_seconds or the call's), and the session works again
// afterwards.
TEST_F(WorkforceReportTest, AnHrReportPastItsQueryDeadlineStopsCleanly) {
  // 2 in d1 in shared use: a small count.
  StoreOrganizationMonth({.first_pseudonym = 500,
                          .people = 23,
                          .organization = "A",
                          .units = {"d1", "d2"},
                          .first_unit = 9,
                          .shared_every = 7,
                          .max_days = 9,
                          .month = absl::CivilMonth(2024, 4)});
  v1::OfficeDaysRequest request;
  request.set_from_month("2024-04");
  request.set_to_month("2024-04");
  request.set_group_by(v1::HR_GROUPING_UNIT);
  session_->SetDeadline(absl::Now() - absl::Seconds(1));
  auto late = BuildOfficeDays(*session_, request, settings_);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded)
      << late.status();
  // The audit stopped it, not a statement.
  EXPECT_FALSE(session_->DeadlineExceeded());
  session_->SetDeadline(absl::InfiniteFuture());
  auto report = BuildOfficeDays(*session_, request, settings_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows_size(), 2);  // its two units
}

// A month prepared in the background (PrepareHrPeriod) is answered from its
// audited pattern: even a request with no time left for an audit gets it.
TEST_F(WorkforceReportTest, APreparedMonthIsAnsweredWithoutAnAudit) {
  StoreOrganizationMonth({.first_pseudonym = 700,
                          .people = 31,
                          .organization = "B",
                          .units = {"e1", "e2"},
                          .first_unit = 12,
                          .shared_every = 5,
                          .max_days = 11,
                          .month = absl::CivilMonth(2024, 5)});
  v1::OfficeDaysRequest request;
  request.set_from_month("2024-05");
  request.set_to_month("2024-05");
  request.set_group_by(v1::HR_GROUPING_UNIT);
  session_->SetDeadline(absl::Now() - absl::Seconds(1));
  EXPECT_EQ(BuildOfficeDays(*session_, request, settings_).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  session_->SetDeadline(absl::InfiniteFuture());
  ASSERT_TRUE(
      PrepareHrPeriod(*session_, absl::CivilMonth(2024, 5), settings_).ok());
  session_->SetDeadline(absl::Now() - absl::Seconds(1));
  auto report = BuildOfficeDays(*session_, request, settings_);
  session_->SetDeadline(absl::InfiniteFuture());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows_size(), 2);
}

// Stands in for the server's preparation task: remembers what was queued.
class QueuedMonths : public HrPeriodPreparation {
 public:
  bool Pending(absl::CivilMonth month) const override {
    return std::find(queued.begin(), queued.end(), month) != queued.end();
  }
  void Request(absl::CivilMonth month) override { queued.push_back(month); }
  std::vector<absl::CivilMonth> queued;
};

// A month too large to audit within the request is queued for the
// background task, and the request says so at once (UNAVAILABLE) instead of
// running into its deadline; once prepared, it is answered.
TEST_F(WorkforceReportTest,
       AMonthTooLargeToAuditInlineIsPreparedInTheBackground) {
  StoreOrganizationMonth({.first_pseudonym = 900,
                          .people = 29,
                          .organization = "A",
                          .units = {"f1", "f2"},
                          .first_unit = 11,
                          .shared_every = 4,
                          .max_days = 9,
                          .month = absl::CivilMonth(2024, 4)});
  v1::OfficeDaysRequest request;
  request.set_from_month("2024-04");
  request.set_to_month("2024-04");
  request.set_group_by(v1::HR_GROUPING_UNIT);
  QueuedMonths preparation;
  WorkforceSettings settings = settings_;
  settings.preparation = &preparation;
  settings.inline_audit = absl::ZeroDuration();  // no month fits inline
  auto first = BuildOfficeDays(*session_, request, settings);
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable)
      << first.status();
  EXPECT_NE(first.status().message().find("2024-04 are being prepared"),
            std::string::npos)
      << first.status();
  ASSERT_EQ(preparation.queued.size(), 1u);
  EXPECT_EQ(preparation.queued[0], absl::CivilMonth(2024, 4));

  // While it is queued, a request with all the time it needs still does not
  // audit it again.
  settings.inline_audit = absl::InfiniteDuration();
  EXPECT_EQ(BuildOfficeDays(*session_, request, settings).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(preparation.queued.size(), 1u);

  // The background task's audit; then the month is answered at once.
  ASSERT_TRUE(
      PrepareHrPeriod(*session_, absl::CivilMonth(2024, 4), settings_).ok());
  preparation.queued.clear();
  settings.inline_audit = absl::ZeroDuration();
  auto report = BuildOfficeDays(*session_, request, settings);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->rows_size(), 2);
}

}  // namespace
}  // namespace monipaikka
