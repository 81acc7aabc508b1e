#include "server/reports/usage_report.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time_format.h"
#include "server/reports/occupancy_test_util.h"
#include "server/reports/planning_reports.h"
#include "server/reports/utilization_report.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;

// Two sites. HKI: floor 1 with zone A (desks A1 org X unassigned, A2 org Y
// assigned) and a desk F1 on the floor outside zones (shared use); floor 2
// with desk C1 (org X) and an unmeasured desk C2. TRE: desk T1 (org X).
// Every measured desk is occupied 09:00-10:00 local on Monday to Wednesday
// 2026-03-23 … 25 and known 08:00-16:00; A1 also 13:00-15:00 on Monday.
class UsageReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    for (const char* code : {"X", "Y"}) {
      auto* org = inventory.add_organizations();
      org->set_code(code);
      org->set_name(absl::StrCat("Agency ", code));
    }
    AddSite(inventory, "HKI", 1000, 300000);
    AddSite(inventory, "TRE", 200, 40000);
    AddSpace(inventory, "HKI-1", "HKI", "", "floor");
    AddSpace(inventory, "HKI-1-A", "HKI", "HKI-1", "zone");
    AddSpace(inventory, "HKI-2", "HKI", "", "floor")->set_area_m2(250);
    AddSpace(inventory, "TRE-1", "TRE", "", "floor");
    AddDesk(inventory, "A1", "HKI-1-A", "unassigned", "X");
    AddDesk(inventory, "A2", "HKI-1-A", "assigned", "Y");
    AddDesk(inventory, "F1", "HKI-1", "shared", "");
    AddDesk(inventory, "C1", "HKI-2", "unassigned", "X");
    AddDesk(inventory, "C2", "HKI-2", "unassigned", "X", /*sensor=*/false);
    AddDesk(inventory, "T1", "TRE-1", "unassigned", "X");
    f_.Import(inventory);
    for (const char* desk : {"A1", "A2", "F1", "C1", "T1"}) {
      for (int day = 23; day <= 25; ++day) {
        const std::string date = absl::StrCat("2026-03-", day);
        std::vector<std::pair<std::string, int64_t>> readings;
        // 08:00 … 16:00 local is 06:00Z … 14:00Z.
        for (int h = 6; h < 14; ++h) {
          const bool busy = h == 7 || (std::string(desk) == "A1" && day == 23 &&
                                       (h == 11 || h == 12));
          readings.emplace_back(absl::StrFormat("%sT%02d:00:00Z", date, h),
                                busy ? 1 : 0);
        }
        f_.Insert(absl::StrCat(desk, "-DEV"), readings);
      }
    }
    f_.Summarize();
  }

  absl::StatusOr<v1::UsageReport> Report(v1::Grouping grouping,
                                         v1::ReportScope scope = {},
                                         std::string to = "2026-03-29") {
    v1::UsageReportRequest request;
    *request.mutable_scope() = scope;
    request.set_from_date("2026-03-23");
    request.set_to_date(to);
    request.set_group_by(grouping);
    return BuildUsageReport(f_.Context(At("2026-04-01T00:00:00Z")), request);
  }

  static std::vector<std::string> Keys(const v1::UsageReport& report) {
    std::vector<std::string> keys;
    for (const auto& g : report.groups()) keys.push_back(g.key());
    return keys;
  }

  OccupancyFixture f_;
};

TEST_F(UsageReportTest, PortfolioTotalsAndSites) {
  auto report = Report(v1::GROUPING_SITE);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->coverage().workstations_in_scope(), 6);
  EXPECT_EQ(report->coverage().workstations_measured(), 5);
  ASSERT_EQ(report->coverage().unmeasured_workstations_size(), 1);
  EXPECT_EQ(report->coverage().unmeasured_workstations(0), "C2");
  EXPECT_EQ(report->total().observed_ms(), 5 * 3 * 8 * kHour);
  EXPECT_EQ(report->total().occupied_ms(), 5 * 3 * kHour + 2 * kHour);
  EXPECT_EQ(report->total().peak_occupancy_max(), 5);
  EXPECT_EQ(report->total().days_counted(), 3);
  EXPECT_EQ(report->total().desk_days_used(), 15);
  ASSERT_EQ(Keys(*report), (std::vector<std::string>{"HKI", "TRE"}));
  EXPECT_EQ(report->groups(0).workstations_in_scope(), 5);
  EXPECT_EQ(report->groups(0).figures().workstations_measured(), 4);
  EXPECT_EQ(report->groups(0).figures().peak_occupancy_max(), 4);
  EXPECT_EQ(report->groups(1).figures().peak_occupancy_max(), 1);
  EXPECT_EQ(report->groups(1).label(), "TRE office");
  EXPECT_EQ(report->timezones_size(), 1);
}

// A site group is the scope narrowed to the site: the same figures as that
// report's total, for any scope.
TEST_F(UsageReportTest, EachSiteGroupIsTheSitesOwnReport) {
  v1::ReportScope all;
  v1::ReportScope x;
  x.add_organizations("X");
  v1::ReportScope shared;
  shared.add_organizations("-");
  v1::ReportScope floor;
  floor.set_space("HKI-2");
  for (const v1::ReportScope& scope : {all, x, shared, floor}) {
    auto report = Report(v1::GROUPING_SITE, scope);
    ASSERT_TRUE(report.ok()) << report.status();
    ASSERT_GT(report->groups_size(), 0) << scope.ShortDebugString();
    for (const v1::UsageGroup& group : report->groups()) {
      v1::ReportScope narrowed = scope;
      narrowed.set_site(group.key());
      auto site = Report(v1::GROUPING_NONE, narrowed);
      ASSERT_TRUE(site.ok()) << site.status();
      SCOPED_TRACE(absl::StrCat(scope.ShortDebugString(), " ", group.key()));
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
          group.figures(), site->total()))
          << group.figures().ShortDebugString() << " vs "
          << site->total().ShortDebugString();
      EXPECT_EQ(group.workstations_in_scope(),
                site->coverage().workstations_in_scope());
      EXPECT_EQ(group.figures().workstations_measured(),
                site->coverage().workstations_measured());
      EXPECT_EQ(group.rooms_in_scope(), site->coverage().rooms_in_scope());
    }
  }
}

TEST_F(UsageReportTest, FloorsZonesKindsAndOrganizations) {
  v1::ReportScope hki;
  hki.set_site("HKI");
  auto floors = Report(v1::GROUPING_FLOOR, hki);
  ASSERT_TRUE(floors.ok()) << floors.status();
  EXPECT_EQ(Keys(*floors), (std::vector<std::string>{"HKI-1", "HKI-2"}));
  EXPECT_EQ(floors->groups(1).workstations_in_scope(), 2);
  EXPECT_EQ(floors->groups(1).figures().workstations_measured(), 1);
  EXPECT_EQ(floors->groups(1).figures().unknown_ms(),
            2 * 8 * kHour);  // Thu, Fri

  auto zones = Report(v1::GROUPING_ZONE, hki);
  ASSERT_TRUE(zones.ok());
  EXPECT_EQ(Keys(*zones),
            (std::vector<std::string>{"HKI-1-A", "HKI-1/-", "HKI-2/-"}));
  EXPECT_EQ(zones->groups(0).figures().occupied_ms(), 6 * kHour + 2 * kHour);
  EXPECT_EQ(zones->groups(1).workstations_in_scope(), 1);  // F1
  EXPECT_EQ(zones->groups(1).label(), "HKI-1 name (outside zones)");

  auto kinds = Report(v1::GROUPING_WORKSTATION_KIND, hki);
  ASSERT_TRUE(kinds.ok());
  EXPECT_EQ(Keys(*kinds),
            (std::vector<std::string>{"assigned", "shared", "unassigned"}));
  EXPECT_EQ(kinds->groups(2).figures().workstations_measured(), 2);

  auto orgs = Report(v1::GROUPING_ORGANIZATION, hki);
  ASSERT_TRUE(orgs.ok());
  EXPECT_EQ(Keys(*orgs), (std::vector<std::string>{"-", "X", "Y"}));
  EXPECT_EQ(orgs->groups(0).label(), "Shared use");
  EXPECT_EQ(orgs->groups(1).workstations_in_scope(), 3);  // A1, C1, C2
  EXPECT_EQ(orgs->groups(1).figures().peak_occupancy_max(), 2);

  // A scope the lattice does not keep (organization X, unassigned desks, on
  // floor 1): computed from the sensor days.
  v1::ReportScope narrow;
  narrow.set_space("HKI-1");
  narrow.add_organizations("X");
  narrow.add_workstation_kinds("unassigned");
  auto a1 = Report(v1::GROUPING_NONE, narrow);
  ASSERT_TRUE(a1.ok()) << a1.status();
  EXPECT_EQ(a1->coverage().workstations_measured(), 1);
  EXPECT_EQ(a1->total().occupied_ms(), 5 * kHour);
  EXPECT_EQ(a1->coverage().rooms_in_scope(), 0);
}

// Each desk's own figures, by hand: A1 occupied 09-10 on Mon-Wed and 13-15
// on Monday (5 h), A2, C1 and F1 09-10 on Mon-Wed (3 h), each known 08-16
// on those three days (24 h) and unknown on Thursday and Friday.
TEST_F(UsageReportTest, EachWorkstationIsAGroupOfItsOwn) {
  v1::ReportScope hki;
  hki.set_site("HKI");
  auto desks = Report(v1::GROUPING_WORKSTATION, hki);
  ASSERT_TRUE(desks.ok()) << desks.status();
  EXPECT_EQ(Keys(*desks),
            (std::vector<std::string>{"A1", "A2", "C1", "C2", "F1"}));
  const v1::UsageGroup& a1 = desks->groups(0);
  EXPECT_EQ(a1.label(), "A1");
  EXPECT_EQ(a1.hour(), -1);
  EXPECT_EQ(a1.workstations_in_scope(), 1);
  EXPECT_EQ(a1.rooms_in_scope(), 0);
  EXPECT_EQ(a1.figures().workstations_measured(), 1);
  EXPECT_EQ(a1.figures().observed_ms(), 24 * kHour);
  EXPECT_EQ(a1.figures().occupied_ms(), 5 * kHour);
  EXPECT_EQ(a1.figures().unknown_ms(), 2 * 8 * kHour);
  EXPECT_DOUBLE_EQ(a1.figures().time_utilization(), 5.0 / 24);
  EXPECT_EQ(a1.figures().peak_occupancy_max(), 1);
  EXPECT_EQ(a1.figures().desk_days_observed(), 3);
  for (int g : {1, 2, 4}) {
    EXPECT_EQ(desks->groups(g).figures().occupied_ms(), 3 * kHour)
        << desks->groups(g).key();
    EXPECT_DOUBLE_EQ(desks->groups(g).figures().time_utilization(), 3.0 / 24)
        << desks->groups(g).key();
  }
  // C2 has no sensor: a group without data, not one at 0 %.
  const v1::UsageGroup& c2 = desks->groups(3);
  EXPECT_EQ(c2.workstations_in_scope(), 1);
  EXPECT_EQ(c2.figures().workstations_measured(), 0);
  EXPECT_EQ(c2.figures().observed_ms(), 0);
  EXPECT_EQ(c2.figures().time_utilization(), 0);
  // The desks add up to the scope.
  int64_t occupied = 0;
  int64_t observed = 0;
  for (const v1::UsageGroup& g : desks->groups()) {
    occupied += g.figures().occupied_ms();
    observed += g.figures().observed_ms();
  }
  EXPECT_EQ(occupied, desks->total().occupied_ms());
  EXPECT_EQ(observed, desks->total().observed_ms());

  v1::ReportScope zone;
  zone.set_space("HKI-1-A");
  auto in_zone = Report(v1::GROUPING_WORKSTATION, zone);
  ASSERT_TRUE(in_zone.ok()) << in_zone.status();
  EXPECT_EQ(Keys(*in_zone), (std::vector<std::string>{"A1", "A2"}));
  EXPECT_DOUBLE_EQ(in_zone->groups(0).figures().time_utilization(), 5.0 / 24);
}

TEST_F(UsageReportTest, TimeGroupingsAndTheHeatmap) {
  auto weeks = Report(v1::GROUPING_WEEK, {}, "2026-04-05");
  ASSERT_TRUE(weeks.ok());
  EXPECT_EQ(Keys(*weeks), (std::vector<std::string>{"2026-W13", "2026-W14"}));
  EXPECT_EQ(weeks->groups(1).figures().days_counted(), 0);
  auto months = Report(v1::GROUPING_MONTH, {}, "2026-04-05");
  EXPECT_EQ(Keys(*months), (std::vector<std::string>{"2026-03", "2026-04"}));

  auto weekdays = Report(v1::GROUPING_WEEKDAY);
  ASSERT_TRUE(weekdays.ok());
  // Only weekdays with core hours.
  EXPECT_EQ(Keys(*weekdays),
            (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(weekdays->groups(0).label(), "Monday");
  EXPECT_EQ(weekdays->groups(3).figures().days_counted(), 0);

  auto heatmap = Report(v1::GROUPING_WEEKDAY_HOUR);
  ASSERT_TRUE(heatmap.ok());
  ASSERT_EQ(heatmap->groups_size(), 5 * 8);  // core hours 08-16
  const v1::UsageGroup& monday_nine = heatmap->groups(1);
  EXPECT_EQ(monday_nine.key(), "1-09");
  EXPECT_EQ(monday_nine.weekday(), 1);
  EXPECT_EQ(monday_nine.hour(), 9);
  EXPECT_EQ(monday_nine.figures().observed_ms(), 5 * kHour);
  EXPECT_EQ(monday_nine.figures().occupied_ms(), 5 * kHour);
  EXPECT_EQ(monday_nine.figures().peak_occupancy_max(), 5);
  EXPECT_EQ(monday_nine.figures().unknown_ms(), 0);
  const v1::UsageGroup& monday_thirteen = heatmap->groups(5);
  EXPECT_EQ(monday_thirteen.key(), "1-13");
  EXPECT_EQ(monday_thirteen.figures().occupied_ms(), kHour);
  EXPECT_DOUBLE_EQ(monday_thirteen.figures().time_utilization(), 0.2);
  // Thursday was not observed at all.
  EXPECT_EQ(heatmap->groups(24).key(), "4-08");
  EXPECT_EQ(heatmap->groups(24).figures().unknown_ms(), 5 * kHour);
  EXPECT_EQ(heatmap->groups(24).figures().days_counted(), 0);
}

// Desk M is measured throughout; desk N's sensor is installed on Tuesday
// 2026-03-24 and desk R's removed on Wednesday 2026-03-25 (bound Monday and
// Tuesday). Each is occupied 09:00-10:00 local and known 08:00-16:00 on the
// dates its sensor is bound; M also 13:00-14:00 on Wednesday.
class TimeGroupWorkstationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    AddSite(inventory, "HKI", 1000, 300000);
    AddSpace(inventory, "HKI-1", "HKI", "", "floor");
    AddDesk(inventory, "M", "HKI-1", "unassigned", "");
    AddDesk(inventory, "N", "HKI-1", "unassigned", "");
    inventory.mutable_sensors(inventory.sensors_size() - 1)
        ->set_installed("2026-03-24");
    AddDesk(inventory, "R", "HKI-1", "unassigned", "");
    inventory.mutable_sensors(inventory.sensors_size() - 1)
        ->set_removed("2026-03-25");
    f_.Import(inventory);
    const std::map<std::string, std::vector<int>> bound = {
        {"M", {23, 24, 25}}, {"N", {24, 25}}, {"R", {23, 24}}};
    for (const auto& [desk, days] : bound) {
      std::vector<std::pair<std::string, int64_t>> readings;
      for (int day : days) {
        for (int h = 6; h < 14; ++h) {  // 08:00 … 16:00 local
          const bool busy = h == 7 || (desk == "M" && day == 25 && h == 11);
          readings.emplace_back(
              absl::StrFormat("2026-03-%dT%02d:00:00Z", day, h), busy ? 1 : 0);
        }
      }
      f_.Insert(desk + "-DEV", readings);
    }
    f_.Summarize();
  }

  v1::UsageReport Report(v1::Grouping grouping, const std::string& from,
                         const std::string& to) {
    v1::UsageReportRequest request;
    request.set_from_date(from);
    request.set_to_date(to);
    request.set_group_by(grouping);
    auto report =
        BuildUsageReport(f_.Context(At("2026-04-01T00:00:00Z")), request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::UsageReport{};
  }

  OccupancyFixture f_;
};

TEST_F(TimeGroupWorkstationsTest, EachDayCountsTheDesksMeasuredThatDay) {
  const v1::UsageReport by_day =
      Report(v1::GROUPING_DAY, "2026-03-23", "2026-03-25");
  const v1::UsageReport by_weekday =
      Report(v1::GROUPING_WEEKDAY, "2026-03-23", "2026-03-25");
  const v1::UsageReport heatmap =
      Report(v1::GROUPING_WEEKDAY_HOUR, "2026-03-23", "2026-03-25");
  EXPECT_EQ(by_day.total().workstations_measured(), 3);
  ASSERT_EQ(by_day.groups_size(), 3);
  ASSERT_EQ(by_weekday.groups_size(), 3);
  // Hand-computed: W is {M, R}, {M, N, R}, {M, N}; one desk-hour of unknown
  // time is never counted for a desk whose sensor is not bound.
  const int expected_w[] = {2, 3, 2};
  const int64_t expected_occupied[] = {2 * kHour, 3 * kHour, 3 * kHour};
  for (int d = 0; d < 3; ++d) {
    const std::string date = absl::StrFormat("2026-03-%d", 23 + d);
    SCOPED_TRACE(date);
    const v1::UsageReport one_day = Report(v1::GROUPING_NONE, date, date);
    const v1::UsageReport one_day_hours = Report(v1::GROUPING_HOUR, date, date);
    const v1::UsageFigures& day = by_day.groups(d).figures();
    EXPECT_EQ(by_day.groups(d).key(), date);
    EXPECT_EQ(day.workstations_measured(), expected_w[d]);
    EXPECT_EQ(day.unknown_ms(), 0);
    EXPECT_EQ(day.occupied_ms(), expected_occupied[d]);
    EXPECT_EQ(day.peak_occupancy_max(), expected_w[d]);
    EXPECT_DOUBLE_EQ(day.peak_utilization_max(), 1.0);
    EXPECT_EQ(one_day.coverage().workstations_measured(), expected_w[d]);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        day, one_day.total()))
        << day.DebugString() << " vs " << one_day.total().DebugString();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        by_weekday.groups(d).figures(), one_day.total()))
        << by_weekday.groups(d).figures().DebugString();
    // The heatmap's cells of that weekday are the day's hour groups.
    int cells = 0;
    for (const v1::UsageGroup& cell : heatmap.groups()) {
      if (cell.weekday() != d + 1) continue;
      for (const v1::UsageGroup& hour : one_day_hours.groups()) {
        if (hour.hour() != cell.hour()) continue;
        ++cells;
        EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
            cell.figures(), hour.figures()))
            << cell.key() << ": " << cell.figures().DebugString() << " vs "
            << hour.figures().DebugString();
      }
    }
    EXPECT_EQ(cells, 8);
  }

  // The utilization report's days divide each day's peak by that day's W.
  v1::UtilizationRequest request;
  request.set_site("HKI");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-25");
  auto utilization =
      BuildUtilizationReport(f_.Context(At("2026-04-01T00:00:00Z")), request);
  ASSERT_TRUE(utilization.ok()) << utilization.status();
  ASSERT_EQ(utilization->days_size(), 3);
  for (const v1::DailyUtilization& day : utilization->days()) {
    EXPECT_DOUBLE_EQ(day.peak_utilization(), 1.0) << day.date();
  }
}

TEST_F(UsageReportTest, BadRequestsNameTheField) {
  v1::UsageReportRequest request;
  request.set_from_date("2026-02-30");
  request.set_to_date("2026-03-01");
  auto context = f_.Context(0);
  EXPECT_EQ(BuildUsageReport(context, request)
                .status()
                .message()
                .rfind("from_date:", 0),
            0u);
  request.set_from_date("2026-03-02");
  EXPECT_EQ(BuildUsageReport(context, request)
                .status()
                .message()
                .rfind("to_date:", 0),
            0u);
  request.set_to_date("2026-03-03");
  request.mutable_scope()->set_site("NOPE");
  EXPECT_EQ(BuildUsageReport(context, request).status().code(),
            absl::StatusCode::kNotFound);
  request.mutable_scope()->set_site("TRE");
  request.mutable_scope()->set_space("HKI-1");
  EXPECT_EQ(BuildUsageReport(context, request).status().code(),
            absl::StatusCode::kNotFound);
  request.mutable_scope()->clear_space();
  request.mutable_scope()->add_workstation_kinds("sofa");
  auto bad_kind = BuildUsageReport(context, request);
  EXPECT_EQ(bad_kind.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_kind.status().message().rfind("scope.workstation_kinds:", 0),
            0u);
  request.mutable_scope()->clear_workstation_kinds();
  request.mutable_scope()->add_organizations("NOPE");
  EXPECT_EQ(BuildUsageReport(context, request)
                .status()
                .message()
                .rfind("scope.organizations:", 0),
            0u);
}

TEST_F(UsageReportTest, RightSizingPerSiteAndFloor) {
  v1::RightSizingRequest request;
  request.set_site("HKI");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-29");
  auto report =
      BuildRightSizing(f_.Context(At("2026-04-01T00:00:00Z")), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->buffer_pct(), 10);
  ASSERT_EQ(report->rows_size(), 3);
  const v1::RightSizingRow& site = report->rows(0);
  EXPECT_EQ(site.level(), "site");
  EXPECT_EQ(site.workstations_measured(), 4);
  EXPECT_EQ(site.peak_occupancy_p95(), 4);
  EXPECT_EQ(site.needed_workstations(), 5);  // ceil(4.4)
  EXPECT_EQ(site.surplus_workstations(), -1);
  EXPECT_DOUBLE_EQ(site.area_per_workstation_m2(), 250.0);
  EXPECT_DOUBLE_EQ(site.releasable_area_m2(), 0.0);
  EXPECT_DOUBLE_EQ(site.rent_per_m2_eur(), 300.0);
  // Floor 1 has no area of its own: 3 of the site's 5 workstations.
  const v1::RightSizingRow& floor1 = report->rows(1);
  EXPECT_EQ(floor1.area_source(), "site pro rata");
  EXPECT_DOUBLE_EQ(floor1.office_area_m2(), 600.0);
  EXPECT_EQ(floor1.needed_workstations(), 4);  // ceil(3.3)
  EXPECT_EQ(floor1.surplus_workstations(), -1);
  const v1::RightSizingRow& floor2 = report->rows(2);
  EXPECT_EQ(floor2.area_source(), "floor");
  EXPECT_DOUBLE_EQ(floor2.office_area_m2(), 250.0);
  EXPECT_EQ(floor2.workstations_measured(), 1);
  EXPECT_EQ(floor2.needed_workstations(), 2);  // ceil(1.1)
  EXPECT_TRUE(floor2.has_data());

  // With no buffer, and the whole portfolio.
  request.set_buffer_pct(0);
  request.clear_site();
  report = BuildRightSizing(f_.Context(At("2026-04-01T00:00:00Z")), request);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->rows_size(), 2);
  EXPECT_EQ(report->rows(1).code(), "TRE");
  EXPECT_EQ(report->rows(1).needed_workstations(), 1);
  EXPECT_EQ(report->rows(1).surplus_workstations(), 0);
  request.set_buffer_pct(-5);
  EXPECT_EQ(BuildRightSizing(f_.Context(0), request).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(UsageReportTest, SensorCoverageOfASite) {
  v1::SensorCoverageRequest request;
  request.set_site("HKI");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-27");
  auto report =
      BuildSensorCoverage(f_.Context(At("2026-03-25T15:00:00Z")), request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->sensors_size(), 4);
  const v1::SensorCoverageRow& row = report->sensors(0);
  EXPECT_EQ(row.days_bound(), 5);
  EXPECT_EQ(row.days_without_data(), 2);  // Thursday and Friday
  EXPECT_EQ(row.measured_ms(), 5 * 8 * kHour);
  EXPECT_EQ(row.observed_ms(), 3 * 8 * kHour);
  EXPECT_DOUBLE_EQ(row.known_share(), 0.6);
  // The last reading, 13:00Z, is two hours old.
  EXPECT_EQ(row.status(), "stale");
  EXPECT_EQ(row.last_seen(), "2026-03-25T13:00:00Z");
  ASSERT_EQ(report->unmeasured_workstations_size(), 1);
  EXPECT_EQ(report->unmeasured_workstations(0), "C2");
}

}  // namespace
}  // namespace monipaikka::testing
