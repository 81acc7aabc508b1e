#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time_format.h"
#include "server/reports/floor_plan_report.h"
#include "server/reports/forecast_report.h"
#include "server/reports/occupancy_test_util.h"

namespace monipaikka::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Readings =
    std::map<std::string, std::vector<std::pair<std::string, int64_t>>>;

// Occupies `desks` from 09:00 to 09:30 local (Helsinki, UTC+2 in winter,
// UTC+3 in summer) on `date`: adds the readings to `readings`.
void Occupy(Readings& readings, absl::CivilDay date,
            const std::vector<std::string>& desks) {
  const absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  const int64_t nine = LocalToMs(
      absl::CivilSecond(date.year(), date.month(), date.day(), 9, 0, 0), zone);
  for (const std::string& desk : desks) {
    auto& r = readings[absl::StrCat(desk, "-DEV")];
    r.emplace_back(FormatInstantMs(nine), 1);
    r.emplace_back(FormatInstantMs(nine + 30 * 60 * 1000), 0);
  }
}

void Store(OccupancyFixture& f, const Readings& readings) {
  for (const auto& [sensor, r] : readings) f.Insert(sensor, r);
}

std::vector<std::string> Desks(const std::string& prefix, int from, int to) {
  std::vector<std::string> desks;
  for (int i = from; i <= to; ++i) desks.push_back(absl::StrCat(prefix, i));
  return desks;
}

// Floors A (90 m², desks A1–A10 of X), B and C (60 m², six desks of Y
// each). Monday 2026-03-02 ten desks are occupied at once, Tuesday three.
// Monday's demand is ceil(10 × 1.1) = 11: largest-first (A, then B) would
// keep 150 m² open; the least area is B + C, 120 m² for 12 desks.
// Tuesday's demand is ceil(3 × 1.1) = 4: B or C alone (equal), B by floor
// order. Wednesday to Friday have no data: nothing closes.
class FloorPlanReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    for (const char* code : {"X", "Y"}) {
      auto* org = inventory.add_organizations();
      org->set_code(code);
      org->set_name(absl::StrCat("Agency ", code));
    }
    AddSite(inventory, "HKI", 300, 90000);
    AddSpace(inventory, "A", "HKI", "", "floor")->set_area_m2(90);
    AddSpace(inventory, "B", "HKI", "", "floor")->set_area_m2(60);
    AddSpace(inventory, "C", "HKI", "", "floor")->set_area_m2(60);
    for (const std::string& d : Desks("A", 1, 10)) {
      AddDesk(inventory, d, "A", "unassigned", "X");
    }
    for (const std::string& d : Desks("B", 1, 6)) {
      AddDesk(inventory, d, "B", "unassigned", "Y");
    }
    for (const std::string& d : Desks("C", 1, 6)) {
      AddDesk(inventory, d, "C", "unassigned", "Y");
    }
    // A home workstation is no office capacity.
    AddDesk(inventory, "H1", "C", "home", "Y", /*sensor=*/false);
    f_.Import(inventory);
    Readings readings;
    Occupy(readings, absl::CivilDay(2026, 3, 2), Desks("A", 1, 10));
    Occupy(readings, absl::CivilDay(2026, 3, 3), {"B1", "C1", "C2"});
    Store(f_, readings);
    f_.Summarize();
  }

  absl::StatusOr<v1::FloorPlanReport> Plan(v1::FloorPlanRequest request) {
    request.set_site("HKI");
    request.set_from_date("2026-03-02");
    if (request.to_date().empty()) request.set_to_date("2026-03-06");
    return BuildFloorPlan(f_.Context(At("2026-03-10T00:00:00Z")), request);
  }

  OccupancyFixture f_;
};

TEST_F(FloorPlanReportTest, LeastAreaPerWeekday) {
  absl::StatusOr<v1::FloorPlanReport> report = Plan({});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->unit(), "floor");
  EXPECT_EQ(report->workstations_measured(), 22);
  ASSERT_EQ(report->units_size(), 3);
  EXPECT_EQ(report->units(2).capacity(), 6);
  EXPECT_THAT(report->units(0).home_of(), ElementsAre("X"));
  EXPECT_THAT(report->units(1).home_of(), ElementsAre("Y"));  // tie: B first
  EXPECT_THAT(report->units(2).home_of(), IsEmpty());
  ASSERT_EQ(report->weekdays_size(), 5);

  const v1::FloorPlanWeekday& monday = report->weekdays(0);
  EXPECT_EQ(monday.weekday(), "Monday");
  EXPECT_EQ(monday.days_counted(), 1);
  EXPECT_EQ(monday.peak_occupancy_p95(), 10);
  EXPECT_EQ(monday.demand(), 11);
  EXPECT_TRUE(monday.demand_met());
  EXPECT_THAT(monday.open_units(), ElementsAre("B", "C"));
  EXPECT_THAT(monday.closed_units(), ElementsAre("A"));
  EXPECT_DOUBLE_EQ(monday.open_area_m2(), 120);
  EXPECT_DOUBLE_EQ(monday.closed_area_m2(), 90);
  EXPECT_EQ(monday.open_capacity(), 12);
  // Mondays 2026-03-09 … 2027-03-01, less Easter Monday.
  EXPECT_EQ(monday.core_days_per_year(), 51);
  EXPECT_DOUBLE_EQ(monday.closed_m2_days_per_year(), 90 * 51);

  const v1::FloorPlanWeekday& tuesday = report->weekdays(1);
  EXPECT_EQ(tuesday.demand(), 4);
  EXPECT_THAT(tuesday.open_units(), ElementsAre("B"));
  EXPECT_THAT(tuesday.closed_units(), ElementsAre("A", "C"));
  EXPECT_EQ(tuesday.core_days_per_year(), 52);
  EXPECT_DOUBLE_EQ(tuesday.closed_m2_days_per_year(), 150 * 52);

  for (int w = 2; w < 5; ++w) {
    EXPECT_FALSE(report->weekdays(w).has_data());
    EXPECT_THAT(report->weekdays(w).closed_units(), IsEmpty());
  }
  EXPECT_EQ(report->year_from(), "2026-03-07");
  EXPECT_EQ(report->year_to(), "2027-03-06");
  EXPECT_DOUBLE_EQ(report->closed_m2_days_per_year(), 90 * 51 + 150 * 52);
  EXPECT_DOUBLE_EQ(report->energy_saved_kwh_per_year(), 12390 * 0.25);
  EXPECT_NEAR(report->co2_saved_kg_per_year(), 12390 * 0.25 * 0.08, 1e-9);
  EXPECT_DOUBLE_EQ(report->assumptions().kwh_per_m2_closed_day(), 0.25);
  EXPECT_FALSE(report->assumptions().kwh_source().empty());
  EXPECT_FALSE(report->assumptions().co2_source().empty());
  EXPECT_FALSE(report->assumptions().kwh_from_request());
  EXPECT_FALSE(report->assumptions().co2_from_request());
}

// Home floors: A (X's) and B (Y's: six desks like C, and first) stay open.
TEST_F(FloorPlanReportTest, KeepHomeFloors) {
  v1::FloorPlanRequest request;
  request.set_keep_home_units(true);
  request.set_kwh_per_m2_closed_day(1.0);
  request.set_kg_co2_per_kwh(0.5);
  absl::StatusOr<v1::FloorPlanReport> report = Plan(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->weekdays(0).open_units(), ElementsAre("A", "B"));
  EXPECT_THAT(report->weekdays(1).open_units(), ElementsAre("A", "B"));
  EXPECT_DOUBLE_EQ(report->closed_m2_days_per_year(), 60 * 51 + 60 * 52);
  EXPECT_DOUBLE_EQ(report->energy_saved_kwh_per_year(), 6180);
  EXPECT_DOUBLE_EQ(report->co2_saved_kg_per_year(), 3090);
  EXPECT_EQ(report->assumptions().kwh_source(), "given in the request");
  EXPECT_TRUE(report->assumptions().kwh_from_request());
  EXPECT_TRUE(report->assumptions().co2_from_request());
}

TEST_F(FloorPlanReportTest, BufferChangesTheDemand) {
  v1::FloorPlanRequest request;
  request.set_buffer_pct(0);
  absl::StatusOr<v1::FloorPlanReport> report = Plan(request);
  ASSERT_TRUE(report.ok()) << report.status();
  // Demand 10: A alone (90 m²) beats B + C.
  EXPECT_EQ(report->weekdays(0).demand(), 10);
  EXPECT_THAT(report->weekdays(0).open_units(), ElementsAre("A"));
}

TEST_F(FloorPlanReportTest, ZonesAndBadRequests) {
  v1::FloorPlanRequest request;
  request.set_unit("zone");
  absl::StatusOr<v1::FloorPlanReport> report = Plan(request);
  ASSERT_TRUE(report.ok()) << report.status();
  // No zones: each floor is one unit, the part outside zones.
  ASSERT_EQ(report->units_size(), 3);
  EXPECT_EQ(report->units(0).code(), "A/-");
  EXPECT_EQ(report->units(0).area_source(), "floor less zones");
  EXPECT_THAT(report->weekdays(0).open_units(), ElementsAre("B/-", "C/-"));

  request.set_unit("room");
  EXPECT_EQ(Plan(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.set_unit("");
  request.set_kg_co2_per_kwh(-1);
  EXPECT_THAT(std::string(Plan(request).status().message()),
              ::testing::HasSubstr("kg_co2_per_kwh"));
  v1::FloorPlanRequest unknown;
  unknown.set_site("NOPE");
  unknown.set_from_date("2026-03-02");
  unknown.set_to_date("2026-03-06");
  EXPECT_EQ(BuildFloorPlan(f_.Context(At("2026-03-10T00:00:00Z")), unknown)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// Zone mode: floor F (100 m²) with zones Z1 (30 m², three desks) and Z2
// (20 m², three desks); the rest of the floor has no workstations and is no
// unit. Monday two desks of Z1: demand ceil(2 × 1.1) = 3, which Z2 holds in
// less area.
TEST(FloorPlanZonesTest, ZonesCloseAndTheRestOfTheFloorIsNoUnit) {
  OccupancyFixture f;
  v1::Inventory inventory;
  AddSite(inventory, "TRE", 100, 10000);
  AddSpace(inventory, "F", "TRE", "", "floor")->set_area_m2(100);
  AddSpace(inventory, "Z1", "TRE", "F", "zone")->set_area_m2(30);
  AddSpace(inventory, "Z2", "TRE", "F", "zone")->set_area_m2(20);
  for (const std::string& d : Desks("P", 1, 3)) {
    AddDesk(inventory, d, "Z1", "multi-space", "");
  }
  for (const std::string& d : Desks("Q", 1, 3)) {
    AddDesk(inventory, d, "Z2", "multi-space", "");
  }
  f.Import(inventory);
  Readings readings;
  Occupy(readings, absl::CivilDay(2026, 3, 2), {"P1", "P2"});
  Store(f, readings);
  f.Summarize();
  v1::FloorPlanRequest request;
  request.set_site("TRE");
  request.set_from_date("2026-03-02");
  request.set_to_date("2026-03-02");
  request.set_unit("zone");
  absl::StatusOr<v1::FloorPlanReport> report =
      BuildFloorPlan(f.Context(At("2026-03-10T00:00:00Z")), request);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->units_size(), 2);
  EXPECT_EQ(report->units(0).code(), "Z1");
  EXPECT_EQ(report->units(0).floor(), "F");
  EXPECT_EQ(report->units(1).area_source(), "zone");
  const v1::FloorPlanWeekday& monday = report->weekdays(0);
  EXPECT_EQ(monday.demand(), 3);
  EXPECT_THAT(monday.open_units(), ElementsAre("Z2"));
  EXPECT_THAT(monday.closed_units(), ElementsAre("Z1"));
  EXPECT_DOUBLE_EQ(monday.closed_area_m2(), 30);
}

// Sixteen weeks to 2026-04-26 (a Sunday) with the same desks every week:
// Monday 4, Tuesday 8, Wednesday 9, Thursday 7, Friday 3, each 09:00-09:30.
// Epiphany, Good Friday and Easter Monday have readings but are no working
// days.
class ForecastReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    auto* org = inventory.add_organizations();
    org->set_code("X");
    org->set_name("Agency X");
    AddSite(inventory, "HKI", 300, 90000);
    AddSpace(inventory, "A", "HKI", "", "floor");
    AddSpace(inventory, "B", "HKI", "", "floor");
    for (const std::string& d : Desks("A", 1, 10)) {
      AddDesk(inventory, d, "A", "unassigned", "X");
    }
    AddDesk(inventory, "B1", "B", "unassigned", "");
    f_.Import(inventory);
    const int per_weekday[] = {4, 8, 9, 7, 3};
    Readings readings;
    for (absl::CivilDay day(2026, 1, 5); day <= absl::CivilDay(2026, 4, 26);
         ++day) {
      const int weekday = static_cast<int>(absl::GetWeekday(day));  // Mon 0
      if (weekday >= 5) continue;
      Occupy(readings, day, Desks("A", 1, per_weekday[weekday]));
    }
    Store(f_, readings);
    f_.Summarize();
  }

  absl::StatusOr<v1::ForecastReport> Forecast(v1::ForecastRequest request) {
    request.set_site("HKI");
    if (request.last_date().empty()) request.set_last_date("2026-04-26");
    return BuildForecast(f_.Context(At("2026-04-27T06:00:00Z")), request);
  }

  OccupancyFixture f_;
};

TEST_F(ForecastReportTest, SteadyWeeksForecastThemselves) {
  absl::StatusOr<v1::ForecastReport> report = Forecast({});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->from_date(), "2026-01-05");
  EXPECT_EQ(report->weeks(), 4);
  EXPECT_EQ(report->workstations_measured(), 11);
  // 80 weekdays less Epiphany, Good Friday and Easter Monday.
  EXPECT_EQ(report->history_days(), 77);
  EXPECT_EQ(report->peak_accuracy().days(), 38);
  EXPECT_DOUBLE_EQ(report->peak_accuracy().mae(), 0);
  EXPECT_DOUBLE_EQ(report->peak_trend_per_week(), 0);
  // 20 weekdays ahead: May Day (Friday) and Ascension Day (Thursday 14th)
  // are holidays.
  ASSERT_EQ(report->days_size(), 20);
  int holidays = 0;
  const double expected[] = {4, 8, 9, 7, 3};
  for (const v1::ForecastDay& day : report->days()) {
    if (day.holiday()) {
      ++holidays;
      EXPECT_TRUE(day.date() == "2026-05-01" || day.date() == "2026-05-14")
          << day.date();
      EXPECT_DOUBLE_EQ(day.peak_occupancy().value(), 0);
      EXPECT_FALSE(day.peak_occupancy().has_interval());
      continue;
    }
    const v1::ForecastValue& peak = day.peak_occupancy();
    ASSERT_TRUE(peak.has_value()) << day.date();
    EXPECT_DOUBLE_EQ(peak.value(), expected[day.iso_weekday() - 1]);
    ASSERT_TRUE(peak.has_interval());
    EXPECT_DOUBLE_EQ(peak.low95(), peak.value());
    EXPECT_DOUBLE_EQ(peak.high95(), peak.value());
    // Occupied 30 of 90 observed minutes (a reading holds 60 minutes).
    EXPECT_NEAR(day.time_utilization().value(), 1.0 / 3.0, 1e-12);
  }
  EXPECT_EQ(holidays, 2);
  EXPECT_EQ(report->days(0).date(), "2026-04-27");
  EXPECT_EQ(report->days(0).horizon_weeks(), 1);
  EXPECT_EQ(report->days(19).horizon_weeks(), 4);
}

TEST_F(ForecastReportTest, ScopesAndBadRequests) {
  v1::ForecastRequest request;
  request.set_floor("B");
  absl::StatusOr<v1::ForecastReport> report = Forecast(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->workstations_measured(), 1);
  EXPECT_EQ(report->history_days(), 0);
  EXPECT_FALSE(report->days(0).peak_occupancy().has_value());

  request.set_floor("");
  request.set_organization("X");
  report = Forecast(request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->workstations_measured(), 10);
  EXPECT_DOUBLE_EQ(report->days(1).peak_occupancy().value(), 8);

  request.set_floor("A");
  EXPECT_EQ(Forecast(request).status().code(),
            absl::StatusCode::kInvalidArgument);
  request.set_floor("");
  request.set_organization("Z");
  EXPECT_EQ(Forecast(request).status().code(), absl::StatusCode::kNotFound);
  request.set_organization("");
  request.set_weeks(9);
  EXPECT_THAT(std::string(Forecast(request).status().message()),
              ::testing::HasSubstr("weeks"));
  request.set_weeks(0);
  request.set_last_date("2026-13-01");
  EXPECT_THAT(std::string(Forecast(request).status().message()),
              ::testing::HasSubstr("last_date"));
}

}  // namespace
}  // namespace monipaikka::testing
