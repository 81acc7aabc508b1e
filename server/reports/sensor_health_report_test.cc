// Sensor health end to end inside the server: health reports and readings
// validated and handed to the real ingest writer on a real SQLite database,
// then listed by the report with its silent / low battery flags.

#include "server/reports/sensor_health_report.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>

#include "common/time_format.h"
#include "server/ingest/health_validation.h"
#include "server/ingest/ingest_writer.h"
#include "server/ingest/reading_validation.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

int64_t At(const char* iso) { return *ParseInstantMs(iso); }

const int64_t kNow = At("2026-03-23T12:00:00Z");

class SensorHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("h.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    session_ = std::move(*storage_->OpenSession());
    v1::Inventory inventory;
    auto* site = inventory.add_sites();
    site->set_code("S1");
    site->set_name("Virasto");
    site->set_kind("D");
    auto* floor = inventory.add_spaces();
    floor->set_code("F1");
    floor->set_site("S1");
    floor->set_level("floor");
    for (const char* code : {"A", "B", "C", "D"}) {
      auto* ws = inventory.add_workstations();
      ws->set_code(code);
      ws->set_space("F1");
      ws->set_kind("unassigned");
      auto* sensor = inventory.add_sensors();
      sensor->set_external_id(std::string("DEV-") + code);
      sensor->set_kind("desk_presence");
      sensor->set_workstation(code);
      sensor->set_gateway(code[0] == 'D' ? "gw-2" : "gw-1");
      if (code[0] == 'C') sensor->set_removed("2026-01-01");
    }
    ASSERT_TRUE(session_->ImportInventory(inventory).ok());
    directory_ =
        std::make_unique<SensorDirectory>(*session_->LoadSensorBindings());
  }

  // Validates `batch` like the ingest service and commits it through a
  // writer, which is stopped afterwards (flushing the health table).
  void Ingest(const v1::ReadingBatch& batch, ValidatedHealth* health_out) {
    IngestCounters counters;
    IngestWriter writer(*storage_->OpenSession(), IngestWriterOptions{},
                        &counters);
    ASSERT_TRUE(writer.Start(kNow).ok());
    ValidationLimits limits;
    ValidatedBatch validated = ValidateBatch(batch, *directory_, kNow, limits);
    ValidatedHealth health = ValidateHealth(batch, *directory_, kNow, limits);
    validated.health = health.records;
    std::promise<BatchOutcome> done;
    writer.Submit(std::move(validated),
                  [&](BatchOutcome outcome) { done.set_value(outcome); });
    ASSERT_TRUE(done.get_future().get().status.ok());
    writer.Stop();
    EXPECT_EQ(counters.health_flush_failures.load(), 0u);
    if (health_out != nullptr) *health_out = std::move(health);
  }

  std::map<std::string, v1::SensorHealthEntry> List(
      v1::ListSensorHealthRequest request = {}) {
    absl::StatusOr<v1::ListSensorHealthResponse> response =
        BuildSensorHealthReport(*session_, request, kNow);
    EXPECT_TRUE(response.ok()) << response.status();
    std::map<std::string, v1::SensorHealthEntry> by_sensor;
    for (const v1::SensorHealthEntry& e : response->sensors()) {
      by_sensor[e.sensor()] = e;
    }
    return by_sensor;
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  std::unique_ptr<SensorDirectory> directory_;
};

TEST_F(SensorHealthTest, ReportsAndReadingsBecomeHealth) {
  v1::ReadingBatch batch;
  batch.set_gateway("gw-1");
  v1::Reading* reading = batch.add_readings();
  reading->set_sensor("DEV-A");
  reading->set_ts_ms(At("2026-03-23T11:50:00Z"));
  reading->set_occupied(true);
  v1::SensorHealth* a = batch.add_health();
  a->set_sensor("DEV-A");
  a->set_ts_ms(At("2026-03-23T11:40:00Z"));
  a->set_battery_mv(3100);
  a->set_rssi_dbm(-97);
  a->set_snr_db(-3.5);
  v1::SensorHealth* b = batch.add_health();
  b->set_sensor("DEV-B");
  b->set_ts_ms(At("2026-03-23T09:00:00Z"));  // 3 h ago: silent
  b->set_battery_percent(80);
  v1::SensorHealth* bad = batch.add_health();
  bad->set_sensor("DEV-B");
  bad->set_ts_ms(At("2026-03-23T09:00:00Z"));
  bad->set_battery_percent(180);
  v1::SensorHealth* other = batch.add_health();
  other->set_sensor("DEV-D");  // behind gw-2
  other->set_ts_ms(At("2026-03-23T09:00:00Z"));
  ValidatedHealth health;
  Ingest(batch, &health);
  ASSERT_EQ(health.rejected.size(), 2u);
  EXPECT_EQ(health.rejected[0].index(), 2u);
  EXPECT_NE(health.rejected[0].message().find("battery_percent"),
            std::string::npos);
  EXPECT_EQ(health.rejected[1].reason(), v1::REJECT_REASON_WRONG_GATEWAY);

  std::map<std::string, v1::SensorHealthEntry> list = List();
  ASSERT_EQ(list.size(), 3u);  // DEV-C was removed
  const v1::SensorHealthEntry& da = list["DEV-A"];
  EXPECT_EQ(da.site(), "S1");
  EXPECT_EQ(da.gateway(), "gw-1");
  EXPECT_EQ(da.last_seen_ms(), At("2026-03-23T11:50:00Z"));  // the reading
  EXPECT_EQ(da.battery_mv(), 3100);
  EXPECT_FALSE(da.has_battery_percent());
  EXPECT_EQ(da.battery_ts_ms(), At("2026-03-23T11:40:00Z"));
  EXPECT_EQ(da.rssi_dbm(), -97);
  EXPECT_FLOAT_EQ(da.snr_db(), -3.5f);
  EXPECT_FALSE(da.silent());
  EXPECT_TRUE(da.low_battery());  // 3100 mV < 3300 mV
  EXPECT_TRUE(list["DEV-B"].silent());
  EXPECT_FALSE(list["DEV-B"].low_battery());
  EXPECT_EQ(list["DEV-D"].last_seen_ms(), 0);  // never heard
  EXPECT_TRUE(list["DEV-D"].silent());

  // Thresholds, filters and problems_only.
  v1::ListSensorHealthRequest request;
  request.set_silent_after_s(4 * 3600);
  request.set_low_battery_mv(3000);
  request.set_problems_only(true);
  request.set_gateway("gw-1");
  list = List(request);
  EXPECT_TRUE(list.empty());
  request.set_low_battery_percent(90);
  list = List(request);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list["DEV-B"].low_battery());
}

TEST_F(SensorHealthTest, NewerReportsReplaceOlderOnesAcrossRestarts) {
  v1::ReadingBatch first;
  v1::SensorHealth* h = first.add_health();
  h->set_sensor("DEV-A");
  h->set_ts_ms(At("2026-03-23T11:00:00Z"));
  h->set_battery_percent(50);
  h->set_rssi_dbm(-80);
  Ingest(first, nullptr);
  // A later writer (a restarted server) gets an older report, then a newer
  // one without signal.
  v1::ReadingBatch second;
  h = second.add_health();
  h->set_sensor("DEV-A");
  h->set_ts_ms(At("2026-03-23T10:00:00Z"));
  h->set_battery_percent(60);
  h = second.add_health();
  h->set_sensor("DEV-A");
  h->set_ts_ms(At("2026-03-23T11:30:00Z"));
  h->set_battery_percent(45);
  Ingest(second, nullptr);
  const v1::SensorHealthEntry entry = List()["DEV-A"];
  EXPECT_EQ(entry.last_seen_ms(), At("2026-03-23T11:30:00Z"));
  EXPECT_EQ(entry.battery_percent(), 45);
  EXPECT_EQ(entry.rssi_dbm(), -80);
  EXPECT_EQ(entry.signal_ts_ms(), At("2026-03-23T11:00:00Z"));
}

TEST_F(SensorHealthTest, BadThresholdsAreNamed) {
  v1::ListSensorHealthRequest request;
  request.set_low_battery_percent(101);
  absl::StatusOr<v1::ListSensorHealthResponse> response =
      BuildSensorHealthReport(*session_, request, kNow);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(response.status().message().find("low_battery_percent"),
            std::string::npos);
}

}  // namespace
}  // namespace monipaikka
