// Occupancy analytics through the real binaries on 127.0.0.1: readings
// imported with the client, reports as JSON and CSV, a late reading
// correcting a reported day, live occupancy and its watch stream.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "monipaikka/v1/analytics.pb.h"
#include "monipaikka/v1/live.pb.h"
#include "monipaikka/v1/utilization.pb.h"
#include "tests/support/client_server_test.h"
#include "tests/support/test_days.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

class AnalyticsIntegrationTest : public ClientServerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        StartServerWithInventory(OneSiteInventoryJson(4, "gw-it")));
  }
};

TEST_F(AnalyticsIntegrationTest, ReportsFromImportedReadingsAndALateOne) {
  const absl::CivilDay monday = QuietMonday();
  const absl::CivilDay friday = monday + 4;
  // Monday: every desk known 08:00-16:00 (readings each half hour); desk i
  // occupied from 08:00 for 1 h + i × 30 min.
  std::ostringstream csv;
  for (int desk = 0; desk < 4; ++desk) {
    for (int slot = 0; slot < 16; ++slot) {
      const int minutes = 8 * 60 + slot * 30;
      const bool busy = minutes < 9 * 60 + desk * 30;
      csv << "IT-DEV-" << desk << ","
          << HelsinkiLocal(monday, minutes / 60, minutes % 60) << ","
          << (busy ? 1 : 0) << "\n";
    }
  }
  ImportReadings("monday.csv", csv.str());
  const std::vector<std::string> window = {"--site=IT-SITE",
                                           "--from=" + FormatDate(monday),
                                           "--to=" + FormatDate(friday)};
  auto args = [&](std::vector<std::string> more) {
    more.insert(more.end(), window.begin(), window.end());
    return more;
  };

  v1::UsageReport report =
      Json<v1::UsageReport>(args({"report", "usage", "--by=day"}));
  EXPECT_EQ(err_.find("deprecated"), std::string::npos) << err_;
  EXPECT_EQ(report.coverage().workstations_measured(), 4);
  EXPECT_EQ(report.pending_reading_hours(), 0);
  EXPECT_EQ(report.total().observed_ms(), 32 * kHourMs);
  EXPECT_EQ(report.total().occupied_ms(), 7 * kHourMs);
  EXPECT_EQ(report.total().unknown_ms(), 4 * 4 * 8 * kHourMs);
  EXPECT_EQ(report.total().days_counted(), 1);
  EXPECT_EQ(report.total().peak_occupancy_max(), 4);
  ASSERT_EQ(report.groups_size(), 5);
  EXPECT_EQ(report.groups(0).key(), FormatDate(monday));
  // The first report, from the same summaries, agrees.
  v1::UtilizationReport legacy =
      Json<v1::UtilizationReport>(args({"report", "utilization"}));
  EXPECT_EQ(legacy.observed_ms(), report.total().observed_ms());
  EXPECT_EQ(legacy.occupied_ms(), report.total().occupied_ms());
  EXPECT_EQ(legacy.unknown_ms(), report.total().unknown_ms());
  EXPECT_EQ(legacy.peak_occupancy_p95(), report.total().peak_occupancy_p95());

  // A late reading for Tuesday: desk 3 occupied 09:00-10:00.
  ImportReadings("late.csv",
                 "IT-DEV-3," + HelsinkiLocal(monday + 1, 9, 0) + ",1\n");
  report = Json<v1::UsageReport>(args({"report", "usage"}));
  EXPECT_EQ(report.total().observed_ms(), 33 * kHourMs);
  EXPECT_EQ(report.total().occupied_ms(), 8 * kHourMs);
  EXPECT_EQ(report.total().days_counted(), 2);
  EXPECT_EQ(report.total().peak_occupancy_p95(), 4);  // of [1, 4]

  v1::RightSizingReport sizing =
      Json<v1::RightSizingReport>(args({"report", "right-size"}));
  ASSERT_EQ(sizing.rows_size(), 2);                    // the site and its floor
  EXPECT_EQ(sizing.rows(0).needed_workstations(), 5);  // ceil(4 × 1.1)
  EXPECT_EQ(sizing.rows(0).surplus_workstations(), -1);

  v1::ConsolidationReport what_if = Json<v1::ConsolidationReport>(
      {"report", "consolidation", "--sites=IT-SITE", "--candidate=IT-SITE",
       "--from=" + FormatDate(monday), "--to=" + FormatDate(friday)});
  EXPECT_EQ(what_if.capacity(), 4);
  EXPECT_EQ(what_if.combined_peak_max(), 4);
  EXPECT_FALSE(what_if.fits());
  EXPECT_TRUE(what_if.fits_at_max());

  Run(args({"-o", "csv", "report", "heatmap"}));
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_EQ(out_.rfind("weekday,h08_util_pct,", 0), 0u) << out_;
  EXPECT_NE(out_.find("\nMon,100.0,"), std::string::npos) << out_;

  Run(args({"-o", "csv", "report", "coverage"}));
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_EQ(std::count(out_.begin(), out_.end(), '\n'), 5);  // header + 4

  Run(args({"report", "usage", "--by=floors"}));
  EXPECT_EQ(exit_code_, 2);
  EXPECT_NE(err_.find("--by=floors"), std::string::npos);
  Run({"report", "usage", "--site=NOPE", "--from=" + FormatDate(monday),
       "--to=" + FormatDate(friday)});
  EXPECT_EQ(exit_code_, 1);
  EXPECT_NE(err_.find("NOT_FOUND: scope.site"), std::string::npos) << err_;
}

TEST_F(AnalyticsIntegrationTest, WatchStreamsChangesAsReadingsArrive) {
  Process watch(ClientBinary(),
                {"--server=" + server_->address(), "--output=json", "live",
                 "watch", "--site=IT-SITE", "--updates=2"},
                dir_.File("watch.log"), dir_.File("watch.err"));
  // Wait for the snapshot.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (watch.Log().find('\n') == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int64_t now = absl::ToUnixMillis(absl::Now());
  ImportReadings("now.csv", "IT-DEV-1," + FormatInstantMs(now - 1000) + ",1\n");
  ASSERT_EQ(watch.Wait(std::chrono::seconds(30)), 0) << watch.Log();
  std::vector<std::string> lines =
      absl::StrSplit(watch.Log(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << watch.Log();
  v1::LiveOccupancyUpdate snapshot;
  v1::LiveOccupancyUpdate change;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(lines[0], &snapshot).ok());
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(lines[1], &change).ok());
  EXPECT_TRUE(snapshot.snapshot());
  EXPECT_EQ(snapshot.occupancy().unknown(), 4);
  EXPECT_FALSE(change.snapshot());
  ASSERT_EQ(change.occupancy().workstations_size(), 1);
  EXPECT_EQ(change.occupancy().workstations(0).workstation(), "IT-WS-1");
  EXPECT_EQ(change.occupancy().workstations(0).state(),
            v1::OCCUPANCY_STATE_OCCUPIED);
  EXPECT_EQ(change.occupancy().occupied(), 1);

  v1::LiveOccupancy live =
      Json<v1::LiveOccupancy>({"live", "show", "--site=IT-SITE"});
  EXPECT_EQ(live.occupied(), 1);
  EXPECT_EQ(live.unknown(), 3);
  ASSERT_EQ(live.spaces_size(), 1);
  EXPECT_EQ(live.spaces(0).space(), "IT-F1");
  EXPECT_EQ(live.spaces(0).occupied(), 1);

  // The table shows the time in the site's zone (Europe/Helsinki).
  Run({"live", "show", "--site=IT-SITE"});
  ASSERT_EQ(exit_code_, 0) << err_;
  EXPECT_TRUE(out_.find(" EET\n") != std::string::npos ||
              out_.find(" EEST\n") != std::string::npos)
      << out_;
}

TEST_F(AnalyticsIntegrationTest, TargetsAndSpaceEfficiency) {
  Run({"targets", "set", "--scope=site", "--code=IT-SITE",
       "--metric=m2_per_fte", "--value=12", "--valid_from=2020-01-01",
       "--note=new premises"});
  ASSERT_EQ(exit_code_, 0) << err_;
  v1::ListTargetsResponse targets =
      Json<v1::ListTargetsResponse>({"targets", "list"});
  ASSERT_EQ(targets.targets_size(), 5);  // 4 defaults + ours
  Run({"targets", "set", "--scope=site", "--code=NOPE", "--metric=m2_per_fte",
       "--value=12", "--valid_from=2020-01-01"});
  EXPECT_EQ(exit_code_, 1);
  EXPECT_NE(err_.find("target.scope_code"), std::string::npos) << err_;
  v1::SpaceEfficiencyReport efficiency = Json<v1::SpaceEfficiencyReport>(
      {"report", "efficiency", "--site=IT-SITE",
       "--as_of=" + FormatDate(TodayInHelsinki())});
  ASSERT_EQ(efficiency.rows_size(), 1);
  EXPECT_DOUBLE_EQ(efficiency.rows(0).office_area_m2(), 1000);
  EXPECT_DOUBLE_EQ(efficiency.rows(0).target_m2_per_fte(), 12);
  EXPECT_EQ(efficiency.rows(0).target_scope(), "site");
  EXPECT_TRUE(efficiency.rows(0).fte_available());
}

}  // namespace
}  // namespace monipaikka::testing
