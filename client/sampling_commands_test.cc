#include "client/sampling_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace monipaikka::client {
namespace {

using ::testing::HasSubstr;

v1::SampleEstimateReport Estimate() {
  v1::SampleEstimateReport report;
  report.set_from_date("2026-03-02");
  report.set_to_date("2026-03-27");
  report.set_available(true);
  report.set_workstations(200);
  report.set_workstations_measured(50);
  auto set = [](v1::EstimatedValue* v, double value, double lower,
                double upper) {
    v->set_value(value);
    v->set_lower(lower);
    v->set_upper(upper);
  };
  set(report.mutable_time_utilization(), 0.4237, 0.401, 0.452);
  set(report.mutable_desk_day_usage(), 0.61, 0.58, 0.64);
  set(report.mutable_peak_occupancy_mean(), 101.25, 97.5, 104.04);
  set(report.mutable_peak_occupancy_p95(), 115, 110.2, 121.3);
  report.set_needed_workstations(134);
  report.set_buffer_pct(10);
  report.set_current_margin_pp(2.6);
  report.set_target_margin_pp(2);
  report.set_needed_measured(80);
  report.set_additional_sensors(30);
  report.set_replicates(1000);
  report.set_seed(20260415);
  v1::SamplingStratumFigures* s = report.add_stratum_figures();
  s->set_name("Z1");
  s->set_workstations(100);
  s->set_workstations_measured(25);
  s->set_time_utilization(0.3);
  s->set_desk_day_usage(0.5);
  s->set_residual_sd_hours(12.34);
  s->set_needed_measured(40);
  s->set_additional_sensors(15);
  return report;
}

TEST(SamplingCommandsTest, CsvOfTheFiguresAndOfTheStrata) {
  std::ostringstream figures;
  WriteSampleEstimate(Estimate(), OutputFormat::kCsv, false, figures);
  EXPECT_EQ(figures.str(),
            "figure,value,lower,upper,unit\n"
            "time_utilization,42.4,40.1,45.2,%\n"
            "desk_day_usage,61.0,58.0,64.0,%\n"
            "peak_occupancy_mean,101.3,97.5,104.0,workstations\n"
            "peak_occupancy_p95,115.0,110.2,121.3,workstations\n"
            "needed_workstations,134,,,workstations\n");
  std::ostringstream strata;
  WriteSampleEstimate(Estimate(), OutputFormat::kCsv, true, strata);
  EXPECT_EQ(strata.str(),
            "stratum,workstations,measured,time_utilization_pct,"
            "desk_day_usage_pct,residual_sd_h,needed_measured,"
            "additional_sensors\n"
            "Z1,100,25,30.0,50.0,12.3,40,15\n");
}

TEST(SamplingCommandsTest, TableSaysWhatIsEstimatedAndWhatIsMissing) {
  std::ostringstream out;
  WriteSampleEstimate(Estimate(), OutputFormat::kTable, false, out);
  EXPECT_THAT(out.str(), HasSubstr("50 of 200 workstations measured"));
  EXPECT_THAT(out.str(), HasSubstr("1000 replicates, seed 20260415"));
  EXPECT_THAT(out.str(), HasSubstr("30 more sensors"));
  v1::SampleEstimateReport missing = Estimate();
  missing.set_available(false);
  missing.add_unmeasured_strata("Z9");
  std::ostringstream not_available;
  WriteSampleEstimate(missing, OutputFormat::kTable, false, not_available);
  EXPECT_THAT(not_available.str(),
              HasSubstr("Not available: no measured workstation in Z9"));
  EXPECT_THAT(not_available.str(), ::testing::Not(HasSubstr("42.4")));
  // Every stratum measured, but nothing observed in the window.
  v1::SampleEstimateReport unobserved;
  unobserved.set_workstations(10);
  unobserved.set_workstations_measured(4);
  std::ostringstream no_days;
  WriteSampleEstimate(unobserved, OutputFormat::kTable, false, no_days);
  EXPECT_THAT(no_days.str(),
              HasSubstr("Not available: no measured workstation was observed "
                        "on any day of the window"));
}

TEST(SamplingCommandsTest, FlagsBecomeTheRequest) {
  SampleEstimateArgs args;
  args.site = "HKI";
  args.orgs = "X,-";
  args.from = "2026-03-02";
  args.to = "2026-03-27";
  args.strata = "kind";
  args.buffer_pct = "0";
  args.margin_pp = "2.5";
  args.seed = "7";
  auto request = ToSampleEstimateRequest(args);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->scope().organizations_size(), 2);
  EXPECT_EQ(request->strata(), v1::SAMPLING_STRATA_WORKSTATION_KIND);
  EXPECT_TRUE(request->has_buffer_pct());
  EXPECT_EQ(request->buffer_pct(), 0);
  EXPECT_EQ(request->target_margin_pp(), 2.5);
  EXPECT_EQ(request->seed(), 7u);

  args.strata = "floor";
  EXPECT_THAT(ToSampleEstimateRequest(args).status().message(),
              HasSubstr("--strata=floor"));
  args.strata = "";
  args.margin_pp = "0";
  EXPECT_THAT(ToSampleEstimateRequest(args).status().message(),
              HasSubstr("--margin_pp"));
  args.margin_pp = "";
  args.replicates = "50";
  EXPECT_THAT(ToSampleEstimateRequest(args).status().message(),
              HasSubstr("--replicates"));
}

}  // namespace
}  // namespace monipaikka::client
