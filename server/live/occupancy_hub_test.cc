#include "server/live/occupancy_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/reports/occupancy_test_util.h"

namespace monipaikka::testing {
namespace {

class RecordingWatcher : public LiveOccupancyHub::Watcher {
 public:
  void Push(v1::LiveOccupancyUpdate update) override {
    absl::MutexLock lock(&mu_);
    updates_.push_back(std::move(update));
  }
  void Close() override {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }
  void OnTick() override {
    absl::MutexLock lock(&mu_);
    ++ticks_;
  }
  int ticks() {
    absl::MutexLock lock(&mu_);
    return ticks_;
  }
  std::vector<v1::LiveOccupancyUpdate> updates() {
    absl::MutexLock lock(&mu_);
    return updates_;
  }
  bool closed() {
    absl::MutexLock lock(&mu_);
    return closed_;
  }

 private:
  absl::Mutex mu_;
  std::vector<v1::LiveOccupancyUpdate> updates_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int ticks_ ABSL_GUARDED_BY(mu_) = 0;
};

// A client that does not keep up: each Push waits until released.
class BlockingWatcher : public LiveOccupancyHub::Watcher {
 public:
  void Push(v1::LiveOccupancyUpdate) override {
    if (!pushed_.HasBeenNotified()) pushed_.Notify();
    released_.WaitForNotification();
  }
  void Close() override {}
  bool WaitUntilPushed() {
    return pushed_.WaitForNotificationWithTimeout(absl::Seconds(10));
  }
  void Release() {
    if (!released_.HasBeenNotified()) released_.Notify();
  }

 private:
  absl::Notification pushed_;
  absl::Notification released_;
};

class LiveOccupancyHubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v1::Inventory inventory;
    AddSite(inventory, "S");
    AddSite(inventory, "SE")->set_timezone("Europe/Stockholm");
    AddSpace(inventory, "SE-1", "SE", "", "floor");
    AddSpace(inventory, "S-1", "S", "", "floor");
    AddSpace(inventory, "S-1-A", "S", "S-1", "zone");
    AddSpace(inventory, "S-1-B", "S", "S-1", "zone");
    AddSpace(inventory, "S-1-R", "S", "S-1", "room", 8);
    AddDesk(inventory, "A1", "S-1-A", "unassigned", "");
    AddDesk(inventory, "A2", "S-1-A", "unassigned", "");
    AddDesk(inventory, "B1", "S-1-B", "unassigned", "");
    AddDesk(inventory, "B2", "S-1-B", "unassigned", "", /*sensor=*/false);
    AddRoomSensor(inventory, "CNT", "S-1-R", "people_counter");
    f_.Import(inventory);
    hub_ = std::make_unique<LiveOccupancyHub>(
        [this] { return now_.load(); },
        LiveOccupancyHub::Options{absl::Hours(1)});  // ticks by hand
  }
  void TearDown() override { hub_->Stop(); }

  // As the ingest writer does, then waits for the fan-out.
  void Commit(std::vector<StoredReading> rows) {
    hub_->OnCommitted(rows);
    hub_->Flush();
  }

  StoredReading Reading(const std::string& sensor, const std::string& at,
                        int64_t value) {
    return {f_.SensorId(sensor), At(at), 0, value};
  }

  OccupancyFixture f_;
  std::atomic<int64_t> now_{At("2026-03-23T08:00:00Z")};
  std::unique_ptr<LiveOccupancyHub> hub_;
};

TEST_F(LiveOccupancyHubTest, StatesFreeCountsAndStaleness) {
  // A1's last reading before the start, an hour and a bit old: stale.
  std::vector<LastReading> newest = {
      {f_.SensorId("A1-DEV"), At("2026-03-23T06:50:00Z"), 1}};
  hub_->Start(f_.inventory_ptr(), newest, {});
  std::vector<StoredReading> readings = {
      Reading("A2-DEV", "2026-03-23T07:40:00Z", 1),
      Reading("B1-DEV", "2026-03-23T07:50:00Z", 0),
      Reading("CNT", "2026-03-23T07:30:00Z", PackFlow(5, 1)),
      Reading("CNT", "2026-03-23T07:45:00Z", PackFlow(0, 1))};
  hub_->OnCommitted(readings);
  absl::StatusOr<v1::LiveOccupancy> live = hub_->Snapshot("S", "");
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_EQ(live->workstations_total(), 4);
  EXPECT_EQ(live->occupied(), 1);
  EXPECT_EQ(live->free(), 1);
  EXPECT_EQ(live->unknown(), 2);  // A1 stale, B2 without a sensor
  ASSERT_EQ(live->workstations_size(), 4);
  EXPECT_EQ(live->workstations(0).workstation(), "A1");
  EXPECT_EQ(live->workstations(0).state(), v1::OCCUPANCY_STATE_UNKNOWN);
  EXPECT_EQ(live->workstations(0).since_ms(), At("2026-03-23T07:50:00Z"));
  EXPECT_EQ(live->workstations(1).state(), v1::OCCUPANCY_STATE_OCCUPIED);
  EXPECT_EQ(live->workstations(1).since_ms(), At("2026-03-23T07:40:00Z"));
  ASSERT_EQ(live->rooms_size(), 1);
  EXPECT_EQ(live->rooms(0).count(), 3);
  EXPECT_EQ(live->rooms(0).state(), v1::OCCUPANCY_STATE_OCCUPIED);
  // Spaces: the floor, both zones (the room has no workstations).
  ASSERT_EQ(live->spaces_size(), 3);
  EXPECT_EQ(live->spaces(0).space(), "S-1");
  EXPECT_EQ(live->spaces(1).space(), "S-1-A");
  EXPECT_EQ(live->spaces(1).occupied(), 1);
  EXPECT_EQ(live->spaces(1).unknown(), 1);
  EXPECT_EQ(live->spaces(2).free(), 1);
  EXPECT_EQ(live->spaces(2).unknown(), 1);

  // Only zone B.
  live = hub_->Snapshot("S", "S-1-B");
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->workstations_total(), 2);
  EXPECT_EQ(live->rooms_size(), 0);

  // An older reading is history, not news.
  Commit({Reading("A2-DEV", "2026-03-23T07:00:00Z", 0)});
  EXPECT_EQ(hub_->Snapshot("S", "")->occupied(), 1);

  // An hour after its reading A2 goes stale.
  now_ = At("2026-03-23T08:40:00Z");
  hub_->Tick();
  live = hub_->Snapshot("S", "");
  EXPECT_EQ(live->occupied(), 0);
  EXPECT_EQ(live->workstations(1).since_ms(), At("2026-03-23T08:40:00Z"));

  EXPECT_EQ(hub_->Snapshot("NOPE", "").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(hub_->Snapshot("", "").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Screens show times in the site's own zone: the snapshot names it.
TEST_F(LiveOccupancyHubTest, SnapshotNamesTheSitesTimeZone) {
  hub_->Start(f_.inventory_ptr(), {}, {});
  absl::StatusOr<v1::LiveOccupancy> helsinki = hub_->Snapshot("S", "");
  ASSERT_TRUE(helsinki.ok()) << helsinki.status();
  EXPECT_EQ(helsinki->timezone(), "Europe/Helsinki");  // the default
  absl::StatusOr<v1::LiveOccupancy> stockholm = hub_->Snapshot("SE", "");
  ASSERT_TRUE(stockholm.ok()) << stockholm.status();
  EXPECT_EQ(stockholm->timezone(), "Europe/Stockholm");
}

TEST_F(LiveOccupancyHubTest, WatchersGetASnapshotThenChanges) {
  hub_->Start(f_.inventory_ptr(), {}, {});
  RecordingWatcher zone_a;
  RecordingWatcher zone_b;
  auto watch_a = hub_->Watch("S", "S-1-A", &zone_a);
  auto watch_b = hub_->Watch("S", "S-1-B", &zone_b);
  ASSERT_TRUE(watch_a.ok() && watch_b.ok());
  EXPECT_TRUE(watch_a->second.snapshot());
  EXPECT_EQ(watch_a->second.occupancy().unknown(), 2);

  Commit({Reading("A1-DEV", "2026-03-23T07:59:00Z", 1)});
  ASSERT_EQ(zone_a.updates().size(), 1u);
  EXPECT_TRUE(zone_b.updates().empty());
  const v1::LiveOccupancyUpdate update = zone_a.updates()[0];
  EXPECT_FALSE(update.snapshot());
  ASSERT_EQ(update.occupancy().workstations_size(), 1);
  EXPECT_EQ(update.occupancy().workstations(0).workstation(), "A1");
  EXPECT_EQ(update.occupancy().workstations(0).state(),
            v1::OCCUPANCY_STATE_OCCUPIED);
  ASSERT_EQ(update.occupancy().spaces_size(), 1);
  EXPECT_EQ(update.occupancy().spaces(0).space(), "S-1-A");
  EXPECT_EQ(update.occupancy().spaces(0).occupied(), 1);
  EXPECT_EQ(update.occupancy().occupied(), 1);

  // The same state again changes nothing.
  Commit({Reading("A1-DEV", "2026-03-23T07:59:30Z", 1)});
  EXPECT_EQ(zone_a.updates().size(), 1u);

  // Going stale is a change too; every tick reaches every watcher.
  now_ = At("2026-03-23T09:00:00Z");
  hub_->Tick();
  EXPECT_EQ(zone_a.ticks(), 1);
  EXPECT_EQ(zone_b.ticks(), 1);
  ASSERT_EQ(zone_a.updates().size(), 2u);
  EXPECT_EQ(zone_a.updates()[1].occupancy().workstations(0).state(),
            v1::OCCUPANCY_STATE_UNKNOWN);

  hub_->Unwatch(watch_b->first);
  Commit({Reading("B1-DEV", "2026-03-23T08:59:00Z", 1)});
  EXPECT_TRUE(zone_b.updates().empty());

  // An inventory change sends snapshots; stopping closes the watches.
  hub_->SetInventory(f_.inventory_ptr());
  ASSERT_EQ(zone_a.updates().size(), 3u);
  EXPECT_TRUE(zone_a.updates()[2].snapshot());
  hub_->Stop();
  EXPECT_TRUE(zone_a.closed());
  EXPECT_FALSE(zone_b.closed());
}

TEST_F(LiveOccupancyHubTest, CommitsReturnWithoutWaitingForWatchers) {
  hub_->Start(f_.inventory_ptr(), {}, {});
  BlockingWatcher slow;
  RecordingWatcher screen;
  ASSERT_TRUE(hub_->Watch("S", "", &slow).ok());
  ASSERT_TRUE(hub_->Watch("S", "", &screen).ok());
  // The ingest writer's calls return while the slow watcher holds its
  // first update (and with it the fan-out thread).
  absl::Notification returned;
  std::thread writer([&] {
    hub_->OnCommitted(std::vector<StoredReading>{
        Reading("A1-DEV", "2026-03-23T07:59:00Z", 1)});
    hub_->OnCommitted(std::vector<StoredReading>{
        Reading("A2-DEV", "2026-03-23T07:59:10Z", 1)});
    hub_->OnCommitted(std::vector<StoredReading>{
        Reading("B1-DEV", "2026-03-23T07:59:20Z", 0)});
    returned.Notify();
  });
  const bool returned_in_time =
      returned.WaitForNotificationWithTimeout(absl::Seconds(5));
  EXPECT_TRUE(returned_in_time) << "OnCommitted waited for a watcher";
  EXPECT_TRUE(slow.WaitUntilPushed()) << "the fan-out thread pushed nothing";
  slow.Release();
  writer.join();
  // Once the slow watcher is done, every reading reaches the others.
  hub_->Flush();
  int occupied = 0;
  for (const v1::LiveOccupancyUpdate& update : screen.updates()) {
    occupied = update.occupancy().occupied();
  }
  EXPECT_EQ(occupied, 2);
  EXPECT_EQ(hub_->Snapshot("S", "")->occupied(), 2);
  EXPECT_EQ(hub_->Snapshot("S", "")->free(), 1);
  hub_->Stop();  // before the watchers go
}

TEST_F(LiveOccupancyHubTest, PeopleCountResetsAtLocalMidnight) {
  // Seeded with today's summarized count (the server restarted).
  absl::flat_hash_map<int64_t, int32_t> counts = {{f_.SensorId("CNT"), 4}};
  std::vector<LastReading> newest = {
      {f_.SensorId("CNT"), At("2026-03-23T07:55:00Z"), PackFlow(1, 0)}};
  hub_->Start(f_.inventory_ptr(), newest, counts);
  EXPECT_EQ(hub_->Snapshot("S", "")->rooms(0).count(), 4);
  Commit({Reading("CNT", "2026-03-23T07:58:00Z", PackFlow(0, 6))});
  EXPECT_EQ(hub_->Snapshot("S", "")->rooms(0).count(), 0);  // clamped
  EXPECT_EQ(hub_->Snapshot("S", "")->rooms(0).state(),
            v1::OCCUPANCY_STATE_FREE);
  // 21:50Z is 23:50 local; after midnight (22:00Z) the count restarts at 0.
  now_ = At("2026-03-23T21:50:00Z");
  Commit({Reading("CNT", "2026-03-23T21:50:00Z", PackFlow(2, 0))});
  EXPECT_EQ(hub_->Snapshot("S", "")->rooms(0).count(), 2);
  now_ = At("2026-03-23T22:10:00Z");
  hub_->Tick();
  EXPECT_EQ(hub_->Snapshot("S", "")->rooms(0).count(), 0);
  Commit({Reading("CNT", "2026-03-23T22:15:00Z", PackFlow(1, 0))});
  EXPECT_EQ(hub_->Snapshot("S", "")->rooms(0).count(), 1);
}

}  // namespace
}  // namespace monipaikka::testing
