// Sample estimates and observation rounds through the real binaries on
// 127.0.0.1: readings and a study imported with the client, the estimate
// and the study report as JSON, CSV and tables.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/sampling.pb.h"
#include "tests/support/client_server_test.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"
#include "tests/support/test_days.h"

namespace monipaikka::testing {
namespace {

// Floor F1: zone Z1 with desks W0-W5 (sensors on W0-W2), zone Z2 with
// W6-W9 (sensors on W6, W7). Floor F2: zone Z3 with W10, no sensor.
std::string Inventory() {
  std::string workstations;
  std::string sensors;
  for (int i = 0; i <= 10; ++i) {
    const char* zone = i <= 5 ? "Z1" : i <= 9 ? "Z2" : "Z3";
    absl::StrAppend(&workstations, i > 0 ? "," : "", R"({"code":"W)", i,
                    R"(","space":")", zone, R"(","kind":"unassigned"})");
    if (i <= 2 || i == 6 || i == 7) {
      absl::StrAppend(&sensors, sensors.empty() ? "" : ",",
                      R"({"external_id":"D)", i,
                      R"(","kind":"desk_presence","workstation":"W)", i,
                      R"(","gateway":"gw"})");
    }
  }
  return absl::StrCat(
      R"({"sites":[{"code":"S","name":"Talo","kind":"B",)"
      R"("timezone":"Europe/Helsinki"}],)"
      R"("spaces":[{"code":"F1","site":"S","level":"floor"},)"
      R"({"code":"F2","site":"S","level":"floor"},)"
      R"({"code":"Z1","site":"S","parent":"F1","level":"zone"},)"
      R"({"code":"Z2","site":"S","parent":"F1","level":"zone"},)"
      R"({"code":"Z3","site":"S","parent":"F2","level":"zone"}],)"
      R"("workstations":[)",
      workstations, R"(],"sensors":[)", sensors, "]}");
}

class SamplingIntegrationTest : public ClientServerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServerWithInventory(Inventory()));
    // Monday, sensors known 08:00-16:00: D0 occupied 08-12, D1 08-16, D6
    // 09-11, D2 and D7 never.
    std::ostringstream csv;
    const std::vector<std::pair<int, std::pair<int, int>>> busy = {
        {0, {8, 12}}, {1, {8, 16}}, {2, {0, 0}}, {6, {9, 11}}, {7, {0, 0}}};
    for (const auto& [desk, hours] : busy) {
      for (int slot = 0; slot < 16; ++slot) {
        const int minutes = 8 * 60 + slot * 30;
        const bool on =
            minutes >= hours.first * 60 && minutes < hours.second * 60;
        csv << "D" << desk << ","
            << HelsinkiLocal(monday_, minutes / 60, minutes % 60) << ","
            << (on ? 1 : 0) << "\n";
      }
    }
    ASSERT_NO_FATAL_FAILURE(ImportReadings("readings.csv", csv.str()));
  }

  std::vector<std::string> Window(std::vector<std::string> args) {
    args.push_back("--from=" + FormatDate(monday_));
    args.push_back("--to=" + FormatDate(monday_ + 4));
    return args;
  }

  const absl::CivilDay monday_ = QuietMonday();
};

TEST_F(SamplingIntegrationTest, EstimateOfAFloorAndANamedUnmeasuredZone) {
  auto report = Json<v1::SampleEstimateReport>(
      Window({"report", "estimate", "--space=F1"}));
  EXPECT_TRUE(report.available());
  EXPECT_FALSE(report.exact());
  EXPECT_EQ(report.workstations(), 10);
  EXPECT_EQ(report.workstations_measured(), 5);
  // Z1: 6/3 · (4 + 8 + 0) h of 6/3 · 24 h; Z2: 4/2 · 2 h of 4/2 · 16 h.
  EXPECT_DOUBLE_EQ(report.time_utilization().value(), 28.0 / 80.0);
  EXPECT_LT(report.time_utilization().lower(), 0.35);
  EXPECT_GT(report.time_utilization().upper(), 0.35);
  EXPECT_EQ(report.replicates(), 1000);
  ASSERT_EQ(report.stratum_figures_size(), 2);

  // The same request, the same interval.
  auto again = Json<v1::SampleEstimateReport>(
      Window({"report", "estimate", "--space=F1"}));
  EXPECT_EQ(again.time_utilization().lower(),
            report.time_utilization().lower());

  Run(Window({"report", "estimate", "--space=F1", "--output=csv"}));
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_EQ(out_.rfind("figure,value,lower,upper,unit\n"
                       "time_utilization,35.0,",
                       0),
            0u)
      << out_;

  auto site = Json<v1::SampleEstimateReport>(
      Window({"report", "estimate", "--site=S"}));
  EXPECT_FALSE(site.available());
  ASSERT_EQ(site.unmeasured_strata_size(), 1);
  EXPECT_EQ(site.unmeasured_strata(0), "Z3");
  Run(Window({"report", "estimate", "--site=S"}));
  EXPECT_NE(out_.find("Not available: no measured workstation in Z3"),
            std::string::npos)
      << out_;
}

TEST_F(SamplingIntegrationTest, ObservationStudyImportedTwiceAndReported) {
  std::ostringstream csv;
  csv << "round_time,workstation,state,observer\n";
  const std::string nine = FormatDate(monday_) + "T09:00";
  const std::string two = FormatDate(monday_) + " 14:00";
  for (int i = 0; i <= 9; ++i) {
    // 09:00: W0, W1, W6 occupied, W3 signs of life; 14:00: W1 occupied.
    const bool at_nine = i == 0 || i == 1 || i == 6;
    csv << nine << ",W" << i << ","
        << (at_nine  ? "occupied"
            : i == 3 ? "signs_of_life"
                     : "vacant")
        << ",Observer A\n";
    csv << two << ",W" << i << "," << (i == 1 ? "occupied" : "vacant") << ",\n";
  }
  csv << nine << ",W99,vacant,\n";  // line 22
  const std::string path = dir_.File("study.csv");
  std::ofstream(path) << csv.str();
  Run({"observations", "import", path});
  EXPECT_EQ(exit_code_, 1) << out_ << err_;
  EXPECT_NE(err_.find("study.csv:22: workstation: no workstation \"W99\""),
            std::string::npos)
      << err_;
  EXPECT_NE(out_.find("inserted 20"), std::string::npos) << out_;
  EXPECT_NE(out_.find("observer names not stored: 10"), std::string::npos)
      << out_;
  Run({"observations", "import", path});
  EXPECT_NE(out_.find("inserted 0, changed 0, unchanged 20"), std::string::npos)
      << out_;
  // The refused row, in each of the two imports, is counted.
  absl::StatusOr<HttpResponse> metrics =
      HttpGet(server_->metrics_port(), "/metrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_EQ(SampleValue(metrics->body,
                        "monipaikka_import_rows_refused_total{import="
                        "\"observations\"}"),
            2.0)
      << metrics->body;

  auto study = Json<v1::ObservationStudyReport>(
      Window({"report", "observations", "--space=F1"}));
  EXPECT_EQ(study.total().rounds(), 2);
  EXPECT_EQ(study.total().workstations_observed(), 10);
  // 09:00: 4 of 10 used (1 signs of life); 14:00: 1 of 10.
  EXPECT_DOUBLE_EQ(study.total().mean_utilization(), 0.25);
  EXPECT_DOUBLE_EQ(study.total().mean_signs_of_life_share(), 0.05);
  EXPECT_DOUBLE_EQ(study.total().peak().utilization(), 0.4);
  ASSERT_EQ(study.by_hour_size(), 2);
  EXPECT_EQ(study.by_hour(0).hour(), 9);
  EXPECT_EQ(study.by_hour(1).hour(), 14);
  // Every workstation of the floor observed: exact.
  EXPECT_TRUE(study.estimate().exact());
  EXPECT_DOUBLE_EQ(study.estimate().time_utilization().value(), 5.0 / 20);
  // Sensors at the rounds: D0 occupied at 09 (agree), free at 14 (agree);
  // D1 occupied both (agree); D2 free (agree); D6 occupied at 09 (agree),
  // free at 14 (agree); D7 free (agree).
  EXPECT_EQ(study.calibration().pairs(), 10);
  EXPECT_DOUBLE_EQ(study.calibration().agreement(), 1.0);
  EXPECT_DOUBLE_EQ(study.calibration().bias_pp(), 0.0);

  Run(Window({"report", "observations", "--space=F1", "--output=csv"}));
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_EQ(out_.rfind("group,key,rounds,observed,utilization_pct,", 0), 0u)
      << out_;
  EXPECT_NE(out_.find("\nhour,09,1,10,40.0,30.0,10.0,,\n"), std::string::npos)
      << out_;
}

}  // namespace
}  // namespace monipaikka::testing
