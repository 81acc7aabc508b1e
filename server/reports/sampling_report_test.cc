#include "server/reports/sampling_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/reports/observation_report.h"
#include "server/reports/occupancy_test_util.h"

namespace monipaikka::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// HKI floor 1: zone A with desks A1, A2 measured and A3, A4 not; zone B
// with B1 measured and B2 not; F1 on the floor outside zones, measured.
// Floor 2: C1 measured. Zone Z on floor 3 with one unmeasured desk Z1.
// Monday 2026-03-23, sensors known 08:00-16:00 local: A1 occupied
// 08:00-10:00, A2 08:00-12:00, B1 all day, F1 and C1 never.
class SamplingReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    auto* org = inventory.add_organizations();
    org->set_code("X");
    org->set_name("Agency X");
    AddSite(inventory, "HKI", 1000, 300000);
    AddSpace(inventory, "HKI-1", "HKI", "", "floor");
    AddSpace(inventory, "HKI-1-A", "HKI", "HKI-1", "zone");
    AddSpace(inventory, "HKI-1-B", "HKI", "HKI-1", "zone");
    AddSpace(inventory, "HKI-2", "HKI", "", "floor");
    AddSpace(inventory, "HKI-3", "HKI", "", "floor");
    AddSpace(inventory, "HKI-3-Z", "HKI", "HKI-3", "zone");
    AddDesk(inventory, "A1", "HKI-1-A", "unassigned", "X");
    AddDesk(inventory, "A2", "HKI-1-A", "unassigned", "X");
    AddDesk(inventory, "A3", "HKI-1-A", "unassigned", "X", false);
    AddDesk(inventory, "A4", "HKI-1-A", "assigned", "X", false);
    AddDesk(inventory, "B1", "HKI-1-B", "assigned", "X");
    AddDesk(inventory, "B2", "HKI-1-B", "assigned", "X", false);
    AddDesk(inventory, "F1", "HKI-1", "shared", "");
    AddDesk(inventory, "C1", "HKI-2", "unassigned", "X");
    AddDesk(inventory, "Z1", "HKI-3-Z", "unassigned", "X", false);
    f_.Import(inventory);
    // 08:00 … 16:00 local is 06:00Z … 14:00Z; each reading holds an hour.
    auto day = [&](const std::string& desk, int busy_from, int busy_to) {
      std::vector<std::pair<std::string, int64_t>> readings;
      for (int h = 6; h < 14; ++h) {
        readings.emplace_back(absl::StrFormat("2026-03-23T%02d:00:00Z", h),
                              h >= busy_from && h < busy_to ? 1 : 0);
      }
      f_.Insert(absl::StrCat(desk, "-DEV"), readings);
    };
    day("A1", 6, 8);
    day("A2", 6, 10);
    day("B1", 6, 14);
    day("F1", 0, 0);
    day("C1", 0, 0);
    f_.Summarize();
  }

  absl::StatusOr<v1::SampleEstimateReport> Report(
      v1::ReportScope scope,
      v1::SamplingStrata strata = v1::SAMPLING_STRATA_ZONE) {
    v1::SampleEstimateRequest request;
    *request.mutable_scope() = scope;
    request.set_from_date("2026-03-23");
    request.set_to_date("2026-03-27");
    request.set_strata(strata);
    return BuildSampleEstimateReport(f_.Context(At("2026-04-01T00:00:00Z")),
                                     request);
  }

  OccupancyFixture f_;
};

TEST_F(SamplingReportTest, RatioEstimateWithinZones) {
  v1::ReportScope scope;
  scope.set_space("HKI-1");
  auto report = Report(scope);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->available());
  EXPECT_FALSE(report->exact());
  EXPECT_EQ(report->workstations(), 7);
  EXPECT_EQ(report->workstations_measured(), 4);
  // Occupied: A 2/2 · (2 + 4) h, B 2/1 · 8 h, F 0; observable: A 2/2 ·
  // 16 h, B 2/1 · 8 h, F 8 h: 28 / 56.
  EXPECT_DOUBLE_EQ(report->time_utilization().value(), 0.5);
  EXPECT_LE(report->time_utilization().lower(), 0.5);
  EXPECT_GE(report->time_utilization().upper(), 0.5);
  // At 08:00-10:00 all of A's and B's measured desks are occupied: 4 + 2.
  EXPECT_EQ(report->days_counted(), 1);
  EXPECT_GT(report->peak_occupancy_p95().upper(), 0);
  EXPECT_GE(report->needed_workstations(), 1);
  EXPECT_THAT(report->single_measured_strata(), ElementsAre("HKI-1-B"));
  ASSERT_EQ(report->stratum_figures_size(), 3);
  EXPECT_EQ(report->stratum_figures(0).name(), "HKI-1 (outside zones)");
  EXPECT_EQ(report->stratum_figures(1).name(), "HKI-1-A");
  EXPECT_EQ(report->stratum_figures(1).workstations(), 4);
  EXPECT_EQ(report->stratum_figures(1).workstations_measured(), 2);
  EXPECT_DOUBLE_EQ(report->stratum_figures(1).time_utilization(), 6.0 / 16);
  EXPECT_EQ(report->replicates(), 1000);
  EXPECT_THAT(report->unmeasured_workstations(), ElementsAre("A3", "A4", "B2"));
}

TEST_F(SamplingReportTest, EveryWorkstationMeasuredIsExact) {
  v1::ReportScope scope;
  scope.set_space("HKI-2");
  auto report = Report(scope);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->available());
  EXPECT_TRUE(report->exact());
  EXPECT_EQ(report->replicates(), 0);
  EXPECT_EQ(report->time_utilization().value(), 0);
  EXPECT_EQ(report->time_utilization().lower(),
            report->time_utilization().upper());
  EXPECT_EQ(report->additional_sensors(), 0);
}

TEST_F(SamplingReportTest, ZoneWithoutSensorsMakesTheEstimateNotAvailable) {
  v1::ReportScope scope;
  scope.set_site("HKI");
  auto report = Report(scope);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_FALSE(report->available());
  EXPECT_THAT(report->unmeasured_strata(), ElementsAre("HKI-3-Z"));
  EXPECT_FALSE(report->has_time_utilization());
  // The plan still says what the zone needs.
  EXPECT_GT(report->additional_sensors(), 0);
}

TEST_F(SamplingReportTest, StrataByWorkstationKind) {
  v1::ReportScope scope;
  scope.set_space("HKI-1");
  auto report = Report(scope, v1::SAMPLING_STRATA_WORKSTATION_KIND);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(report->available());
  ASSERT_EQ(report->stratum_figures_size(), 3);
  EXPECT_EQ(report->stratum_figures(0).name(), "assigned");
  EXPECT_EQ(report->stratum_figures(0).workstations(), 3);  // A4, B1, B2
  EXPECT_EQ(report->stratum_figures(0).workstations_measured(), 1);
  EXPECT_EQ(report->stratum_figures(1).name(), "shared");
  EXPECT_EQ(report->stratum_figures(2).name(), "unassigned");
  // assigned 3/1 · 8 h, shared 0, unassigned 3/2 · 6 h, of
  // 3 · 8 + 8 + 3 · 8 h.
  EXPECT_DOUBLE_EQ(report->time_utilization().value(), 33.0 / 56.0);
}

TEST_F(SamplingReportTest, BadOptionsAreNamed) {
  v1::SampleEstimateRequest request;
  request.mutable_scope()->set_site("HKI");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-27");
  request.set_replicates(5);
  auto report = BuildSampleEstimateReport(
      f_.Context(At("2026-04-01T00:00:00Z")), request);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(report.status().message(), HasSubstr("replicates"));
  request.set_replicates(0);
  request.set_target_margin_pp(-1);
  report = BuildSampleEstimateReport(f_.Context(At("2026-04-01T00:00:00Z")),
                                     request);
  EXPECT_THAT(report.status().message(), HasSubstr("target_margin_pp"));
  request.set_target_margin_pp(0);
  request.mutable_scope()->set_site("NOPE");
  report = BuildSampleEstimateReport(f_.Context(At("2026-04-01T00:00:00Z")),
                                     request);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
}

v1::ObservationRoundRow Row(int line, const std::string& time,
                            const std::string& workstation,
                            const std::string& state,
                            const std::string& observer = "") {
  v1::ObservationRoundRow row;
  row.set_line(line);
  row.set_round_time(time);
  row.set_workstation(workstation);
  row.set_state(state);
  row.set_observer(observer);
  return row;
}

// Two rounds on Monday 2026-03-23 at 09:00 and 11:00 local over floor 1
// (A4 and B2 not observed).
v1::ImportObservationRoundsRequest Study() {
  v1::ImportObservationRoundsRequest request;
  const char* nine = "2026-03-23T09:00";
  const char* eleven = "2026-03-23T09:00:00Z";  // 11:00 local
  int line = 2;
  for (const auto& [time, desk, state] :
       std::vector<std::tuple<const char*, const char*, const char*>>{
           {nine, "A1", "occupied"},
           {nine, "A2", "signs_of_life"},
           {nine, "A3", "vacant"},
           {nine, "B1", "occupied"},
           {nine, "F1", "vacant"},
           {eleven, "A1", "vacant"},
           {eleven, "A2", "occupied"},
           {eleven, "A3", "occupied"},
           {eleven, "B1", "signs_of_life"},
           {eleven, "F1", "occupied"}}) {
    *request.add_rows() = Row(line++, time, desk, state, "Observer One");
  }
  return request;
}

TEST_F(SamplingReportTest, ObservationImportChecksRowsAndIsIdempotent) {
  const ReportContext context = f_.Context(At("2026-04-01T00:00:00Z"));
  v1::ImportObservationRoundsRequest request = Study();
  *request.add_rows() = Row(20, "2026-03-23T09:00", "X9", "vacant");
  *request.add_rows() = Row(21, "2026-03-23T09:00", "A4", "asleep");
  *request.add_rows() = Row(22, "23.3.2026 9:00", "A4", "vacant");
  *request.add_rows() = Row(23, "2026-05-01T09:00", "A4", "vacant");
  *request.add_rows() = Row(24, "2026-03-23T07:00:00Z", "A1", "vacant");
  *request.add_rows() = Row(25, "2026-03-23T09:00", "A1", "occupied");
  auto first = ImportObservationRounds(context, request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->received(), 16);
  EXPECT_EQ(first->inserted(), 10);
  EXPECT_EQ(first->unchanged(), 1);  // line 25 repeats line 2
  EXPECT_EQ(first->observers_not_stored(), 10);
  ASSERT_EQ(first->rejected_size(), 5);
  EXPECT_EQ(first->rejected(0).line(), 20);
  EXPECT_EQ(first->rejected(0).reason(), "workstation: no workstation \"X9\"");
  EXPECT_THAT(first->rejected(1).reason(), HasSubstr("state: \"asleep\""));
  EXPECT_THAT(first->rejected(2).reason(), HasSubstr("round_time: "));
  EXPECT_THAT(first->rejected(3).reason(), HasSubstr("in the future"));
  EXPECT_THAT(first->rejected(4).reason(),
              HasSubstr("marked otherwise in the same round at line 2"));

  auto again = ImportObservationRounds(context, Study());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->inserted(), 0);
  EXPECT_EQ(again->changed(), 0);
  EXPECT_EQ(again->unchanged(), 10);

  v1::ImportObservationRoundsRequest fix;
  *fix.add_rows() = Row(2, "2026-03-23T09:00", "A3", "occupied");
  auto fixed = ImportObservationRounds(context, fix);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->changed(), 1);

  v1::ImportObservationRoundsRequest too_many;
  for (int i = 0; i <= kMaxObservationRowsPerRequest; ++i) {
    *too_many.add_rows() = Row(i, "2026-03-23T09:00", "A1", "vacant");
  }
  EXPECT_EQ(ImportObservationRounds(context, too_many).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SamplingReportTest, ObservationStudyFiguresEstimateAndCalibration) {
  const ReportContext context = f_.Context(At("2026-04-01T00:00:00Z"));
  ASSERT_TRUE(ImportObservationRounds(context, Study()).ok());
  v1::ObservationStudyRequest request;
  request.mutable_scope()->set_space("HKI-1");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-27");
  auto report = BuildObservationStudyReport(context, request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->workstations(), 7);
  const v1::ObservationFigures& total = report->total();
  EXPECT_EQ(total.rounds(), 2);
  EXPECT_EQ(total.workstations_observed(), 5);
  // 09:00: 3 of 5 used (1 by signs of life); 11:00: 4 of 5 (1).
  EXPECT_DOUBLE_EQ(total.mean_utilization(), 0.7);
  EXPECT_DOUBLE_EQ(total.mean_signs_of_life_share(), 0.2);
  EXPECT_DOUBLE_EQ(total.mean_occupied_share(), 0.5);
  EXPECT_EQ(total.peak_round(), "2026-03-23T09:00:00Z");
  EXPECT_DOUBLE_EQ(total.peak().utilization(), 0.8);
  ASSERT_EQ(report->by_hour_size(), 2);
  EXPECT_EQ(report->by_hour(0).hour(), 9);
  EXPECT_EQ(report->by_hour(1).hour(), 11);
  EXPECT_DOUBLE_EQ(report->by_hour(1).shares().utilization(), 0.8);
  ASSERT_EQ(report->groups_size(), 3);
  EXPECT_EQ(report->groups(1).name(), "HKI-1-A");
  EXPECT_EQ(report->groups(1).figures().workstations_observed(), 3);

  // A4 and B2 were not observed: an estimate within zones.
  const v1::SampleEstimateReport& estimate = report->estimate();
  EXPECT_TRUE(estimate.available());
  EXPECT_FALSE(estimate.exact());
  EXPECT_EQ(estimate.workstations_measured(), 5);
  // Used observations: A 4 of 6 (× 4/3), B 2 of 2 (× 2), outside 1 of 2:
  // (16/3 + 4 + 1) / (8 + 4 + 2).
  EXPECT_NEAR(estimate.time_utilization().value(), (16.0 / 3 + 5) / 14, 1e-12);
  EXPECT_LE(estimate.time_utilization().lower(),
            estimate.time_utilization().value());
  EXPECT_THAT(estimate.unmeasured_workstations(), ElementsAre("A4", "B2"));

  // Sensors known for A1, A2, B1, F1 in both rounds: they agree but for F1
  // at 11:00 (occupied, sensor free). Rounds 6 of 8 used, sensors 5 of 8.
  const v1::ObservationCalibration& c = report->calibration();
  EXPECT_EQ(c.pairs(), 8);
  EXPECT_EQ(c.occupied_sensor_free(), 1);
  EXPECT_EQ(c.signs_of_life_sensor_occupied(), 2);
  EXPECT_DOUBLE_EQ(c.agreement(), 7.0 / 8);
  EXPECT_DOUBLE_EQ(c.bias_pp(), 12.5);
  // Signs of life as vacant: A2 at 09:00 and B1 at 11:00 now disagree.
  EXPECT_DOUBLE_EQ(c.agreement_signs_as_vacant(), 5.0 / 8);
  EXPECT_DOUBLE_EQ(c.bias_signs_as_vacant_pp(), -12.5);
}

}  // namespace
}  // namespace monipaikka::testing
