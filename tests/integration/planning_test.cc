// The floor-closing plan and the forecast through the real server and
// client: readings imported with the client, both reports as JSON, CSV and
// tables.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/planning.pb.h"
#include "tests/support/client_server_test.h"
#include "tests/support/test_days.h"

namespace monipaikka::testing {
namespace {

class PlanningIntegrationTest : public ClientServerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        StartServerWithInventory(OneSiteInventoryJson(4, "gw-it")));
    // Monday: three desks occupied 09:00-10:00; Tuesday: one.
    std::ostringstream csv;
    for (int desk = 0; desk < 3; ++desk) {
      csv << "IT-DEV-" << desk << "," << HelsinkiLocal(monday_, 9, 0) << ",1\n"
          << "IT-DEV-" << desk << "," << HelsinkiLocal(monday_, 10, 0)
          << ",0\n";
    }
    csv << "IT-DEV-3," << HelsinkiLocal(monday_ + 1, 9, 0) << ",1\n"
        << "IT-DEV-3," << HelsinkiLocal(monday_ + 1, 10, 0) << ",0\n";
    ASSERT_NO_FATAL_FAILURE(ImportReadings("readings.csv", csv.str()));
  }

  const absl::CivilDay monday_ = QuietMonday(12);
};

TEST_F(PlanningIntegrationTest, FloorPlanAndForecast) {
  const std::string from = "--from=" + FormatDate(monday_);
  const std::string to = "--to=" + FormatDate(monday_ + 4);
  v1::FloorPlanReport plan = Json<v1::FloorPlanReport>(
      {"report", "floor-plan", "--site=IT-SITE", from, to});
  ASSERT_EQ(plan.units_size(), 1);
  EXPECT_EQ(plan.units(0).capacity(), 4);
  EXPECT_EQ(plan.units(0).area_source(), "site pro rata");
  ASSERT_EQ(plan.weekdays_size(), 5);
  EXPECT_EQ(plan.weekdays(0).demand(), 4);  // ceil(3 × 1.1)
  EXPECT_TRUE(plan.weekdays(0).demand_met());
  EXPECT_EQ(plan.weekdays(1).demand(), 2);       // ceil(1 × 1.1)
  EXPECT_EQ(plan.closed_m2_days_per_year(), 0);  // one floor: it stays open
  EXPECT_DOUBLE_EQ(plan.assumptions().kwh_per_m2_closed_day(), 0.25);

  Run({"report", "floor-plan", "--site=IT-SITE", from, to, "--keep_home",
       "--kwh_per_m2_day=0.5"});
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_NE(out_.find("Assumption:"), std::string::npos) << out_;
  EXPECT_NE(out_.find("0.5 kWh per closed m2 a day (given in the request)"),
            std::string::npos)
      << out_;
  EXPECT_NE(out_.find("IT-F1"), std::string::npos) << out_;

  Run({"-o", "csv", "report", "floor-plan", "--site=IT-SITE", from, to});
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_EQ(out_.rfind("weekday,days_counted,peak_occupancy_p95,demand,", 0),
            0u)
      << out_;

  Run({"report", "floor-plan", "--site=IT-SITE", from, to, "--unit=wing"});
  EXPECT_EQ(exit_code_, 1);
  EXPECT_NE(err_.find("unit"), std::string::npos) << err_;

  const std::string last = "--to=" + FormatDate(monday_ + 6);
  v1::ForecastReport forecast = Json<v1::ForecastReport>(
      {"report", "forecast", "--site=IT-SITE", last, "--weeks=1"});
  EXPECT_EQ(forecast.history_days(), 2);
  ASSERT_EQ(forecast.days_size(), 5);
  EXPECT_EQ(forecast.days(0).date(), FormatDate(monday_ + 7));
  EXPECT_DOUBLE_EQ(forecast.days(0).peak_occupancy().value(), 3);
  EXPECT_DOUBLE_EQ(forecast.days(1).peak_occupancy().value(), 1);
  EXPECT_FALSE(forecast.days(2).peak_occupancy().has_value());

  Run({"-o", "csv", "report", "forecast", "--site=IT-SITE", last});
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_EQ(out_.rfind("date,weekday,horizon_weeks,holiday,peak_occupancy,", 0),
            0u)
      << out_;
  Run({"report", "forecast", "--site=IT-SITE", last, "--weeks=9"});
  EXPECT_EQ(exit_code_, 1);
  EXPECT_NE(err_.find("weeks"), std::string::npos) << err_;
}

}  // namespace
}  // namespace monipaikka::testing
