#include "server/reports/utilization_report.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "server/summary/summarizer.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kHour = 3600 * 1000;

int64_t At(const char* iso) { return *ParseInstantMs(iso); }

class UtilizationReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("r.db"));
    ASSERT_TRUE(storage.ok());
    storage_ = std::move(*storage);
    session_ = std::move(*storage_->OpenSession());
    v1::Inventory inventory;
    auto* site = inventory.add_sites();
    site->set_code("S1");
    site->set_name("Virasto");
    site->set_kind("B");
    auto* floor = inventory.add_spaces();
    floor->set_code("F1");
    floor->set_site("S1");
    floor->set_level("floor");
    for (const char* code : {"A", "B", "C"}) {
      auto* ws = inventory.add_workstations();
      ws->set_code(code);
      ws->set_space("F1");
      ws->set_kind("unassigned");
    }
    for (const char* code : {"A", "B"}) {
      auto* sensor = inventory.add_sensors();
      sensor->set_external_id(std::string("DEV-") + code);
      sensor->set_kind("desk_presence");
      sensor->set_workstation(code);
      sensor->set_gateway("gw");
    }
    ASSERT_TRUE(session_->ImportInventory(inventory).ok());
    absl::StatusOr<std::vector<SensorBinding>> bindings =
        session_->LoadSensorBindings();
    ASSERT_TRUE(bindings.ok());
    for (const SensorBinding& b : *bindings) {
      ids_[b.external_id] = b.sensor_id;
    }
  }

  void Insert(const std::string& sensor,
              std::vector<std::pair<const char*, bool>> readings) {
    std::vector<StoredReading> rows;
    for (auto& [ts, occupied] : readings) {
      rows.push_back({ids_[sensor], At(ts), 0, occupied ? 1 : 0});
    }
    std::vector<InsertOutcome> outcomes;
    ASSERT_TRUE(session_->InsertReadings(rows, &outcomes).ok());
  }

  // Summarizes what was stored (as the server's summarizer does) and builds
  // the report from the summaries.
  absl::StatusOr<v1::UtilizationReport> Report(
      const v1::UtilizationRequest& request) {
    auto rows = session_->Analytics().LoadInventoryRows();
    if (!rows.ok()) return rows.status();
    auto inventory = OccupancyInventory::Build(*rows, SummarySettings{});
    if (!inventory.ok()) return inventory.status();
    if (absl::Status s = SummarizePending(*session_, **inventory); !s.ok()) {
      return s;
    }
    ReportContext context{*session_, **inventory, At("2026-04-01T00:00:00Z")};
    return BuildUtilizationReport(context, request);
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  std::map<std::string, int64_t> ids_;
};

TEST_F(UtilizationReportTest, FiguresMatchHandComputation) {
  // Monday 2026-03-23, Helsinki is UTC+2: core hours are 06:00-14:00 UTC.
  // A: known all core day (readings every 45 min < 60 min stale_after),
  //    occupied 06:00-07:30 and 12:00-14:00 (clipped): 3.5 h.
  Insert("DEV-A", {{"2026-03-23T06:00:00Z", true},
                   {"2026-03-23T06:45:00Z", true},
                   {"2026-03-23T07:30:00Z", false},
                   {"2026-03-23T08:15:00Z", false},
                   {"2026-03-23T09:00:00Z", false},
                   {"2026-03-23T09:45:00Z", false},
                   {"2026-03-23T10:30:00Z", false},
                   {"2026-03-23T11:15:00Z", false},
                   {"2026-03-23T12:00:00Z", true},
                   {"2026-03-23T12:45:00Z", true},
                   {"2026-03-23T13:30:00Z", true}});
  // B: occupied 07:00-08:00 (then stale), unknown 08:00-10:00, free
  //    10:00-11:00: observed 2 h, occupied 1 h.
  Insert("DEV-B",
         {{"2026-03-23T07:00:00Z", true}, {"2026-03-23T10:00:00Z", false}});

  v1::UtilizationRequest request;
  request.set_site("S1");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-24");
  absl::StatusOr<v1::UtilizationReport> report = Report(request);
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_EQ(report->workstations_in_scope(), 3);
  EXPECT_EQ(report->workstations_measured(), 2);
  ASSERT_EQ(report->unmeasured_workstations_size(), 1);
  EXPECT_EQ(report->unmeasured_workstations(0), "C");
  EXPECT_EQ(report->observed_ms(), 10 * kHour);
  EXPECT_EQ(report->occupied_ms(), 9 * kHour / 2);
  EXPECT_EQ(report->unknown_ms(), 2 * 2 * 8 * kHour - 10 * kHour);
  EXPECT_DOUBLE_EQ(report->time_utilization(), 0.45);
  // Tuesday has no observation: only Monday counts for the peaks. A and B
  // are both occupied 07:00-07:30.
  EXPECT_EQ(report->days_counted(), 1);
  EXPECT_EQ(report->peak_occupancy_max(), 2);
  EXPECT_EQ(report->peak_occupancy_p95(), 2);
  EXPECT_DOUBLE_EQ(report->peak_occupancy_mean(), 2.0);
  EXPECT_DOUBLE_EQ(report->peak_utilization_max(), 1.0);
  ASSERT_EQ(report->days_size(), 2);
  EXPECT_EQ(report->days(0).date(), "2026-03-23");
  EXPECT_EQ(report->days(0).observed_workstations(), 2);
  EXPECT_EQ(report->days(1).observed_ms(), 0);
  EXPECT_EQ(report->timezone(), "Europe/Helsinki");
  EXPECT_EQ(report->stale_after_s(), 3600);
}

TEST_F(UtilizationReportTest, ReadingJustBeforeWindowDecidesItsStart) {
  // 05:30 UTC is 07:30 local: before core hours, still fresh at 08:00 local.
  Insert("DEV-A", {{"2026-03-23T05:30:00Z", true}});
  v1::UtilizationRequest request;
  request.set_site("S1");
  request.set_from_date("2026-03-23");
  request.set_to_date("2026-03-23");
  auto report = Report(request);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->occupied_ms(), kHour / 2);  // 06:00-06:30 UTC
}

TEST_F(UtilizationReportTest, BadRequestsNameTheField) {
  v1::UtilizationRequest request;
  request.set_site("S1");
  request.set_from_date("2026-13-01");
  request.set_to_date("2026-03-23");
  auto report = Report(request);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(report.status().message().rfind("from_date:", 0), 0u);

  request.set_from_date("2026-03-24");
  report = Report(request);
  EXPECT_EQ(report.status().message().rfind("to_date:", 0), 0u);

  request.set_site("NOPE");
  request.set_from_date("2026-03-20");
  report = Report(request);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace monipaikka
