#include "server/summary/summarizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/reports/occupancy_source.h"
#include "server/reports/occupancy_test_util.h"

namespace monipaikka::testing {
namespace {

constexpr int64_t kMinute = 60 * 1000;

v1::Inventory TwoFloors() {
  v1::Inventory inventory;
  auto* org = inventory.add_organizations();
  org->set_code("O");
  org->set_name("Org");
  AddSite(inventory, "S", 100, 1000);
  AddSpace(inventory, "S-1", "S", "", "floor");
  AddSpace(inventory, "S-2", "S", "", "floor");
  AddSpace(inventory, "S-1-R", "S", "S-1", "room", 6);
  AddDesk(inventory, "A", "S-1", "unassigned", "O");
  AddDesk(inventory, "B", "S-1", "assigned", "");
  AddDesk(inventory, "C", "S-2", "unassigned", "O");
  AddRoomSensor(inventory, "CNT", "S-1-R", "people_counter");
  return inventory;
}

// Random readings over Monday 2026-03-23 … Friday 03-27 (and the evening
// before), in time order per sensor.
std::map<std::string, std::vector<std::pair<std::string, int64_t>>>
RandomReadings(uint32_t seed) {
  std::mt19937 random(seed);
  std::map<std::string, std::vector<std::pair<std::string, int64_t>>> out;
  const int64_t start = At("2026-03-22T18:00:00Z");
  const int64_t end = At("2026-03-28T00:00:00Z");
  for (const std::string sensor : {"A-DEV", "B-DEV", "C-DEV", "CNT"}) {
    for (int64_t t = start; t < end;
         t += 1000 + static_cast<int64_t>(random() % (80 * kMinute))) {
      const int64_t value =
          sensor == "CNT"
              ? (random() % 5 == 0 ? static_cast<int64_t>(random() % 6)
                                   : PackFlow(random() % 4, random() % 4))
              : static_cast<int64_t>(random() % 2);
      out[sensor].emplace_back(FormatInstantMs(t), value);
    }
  }
  return out;
}

// Every node day and sensor day of a database, as text.
std::map<std::string, std::string> Dump(OccupancyFixture& f) {
  std::map<std::string, std::string> dump;
  AnalyticsStorage& store = f.session().Analytics();
  auto nodes = store.ListNodes();
  EXPECT_TRUE(nodes.ok());
  for (const auto& node : *nodes) {
    const auto& key = node.second;
    EXPECT_TRUE(store
                    .ScanNodeDays(node.first, 0, 100000,
                                  [&](int32_t date, absl::string_view bytes) {
                                    dump[absl::StrCat(key, "@", date)] =
                                        std::string(bytes);
                                  })
                    .ok());
  }
  EXPECT_TRUE(
      store
          .ScanSensorDays(
              0, 30000, 0, 1 << 30,
              [&](int32_t date, int64_t sensor, absl::string_view bytes) {
                dump[absl::StrCat("sensor", sensor, "@", date)] =
                    std::string(bytes);
              })
          .ok());
  return dump;
}

using SensorReadings =
    std::map<std::string, std::vector<std::pair<std::string, int64_t>>>;

// Inserts `readings` into `f` in shuffled batches of `batch` readings,
// calling `after_batch(i)` after batch i: late and out-of-order readings
// all the way.
template <typename AfterBatch>
void InsertShuffled(OccupancyFixture& f, const SensorReadings& readings,
                    uint32_t seed, size_t batch, AfterBatch after_batch) {
  std::vector<std::pair<std::string, std::pair<std::string, int64_t>>> all;
  for (const auto& [sensor, list] : readings) {
    for (const auto& reading : list) all.emplace_back(sensor, reading);
  }
  std::mt19937 random(seed);
  std::shuffle(all.begin(), all.end(), random);
  for (size_t i = 0; i < all.size(); i += batch) {
    for (size_t j = i; j < std::min(all.size(), i + batch); ++j) {
      f.Insert(all[j].first, {all[j].second});
    }
    after_batch(i / batch);
  }
}

// The two databases hold the same sensor days and node days, at least
// `at_least` of them.
void ExpectSameSummaries(OccupancyFixture& expected_db,
                         OccupancyFixture& got_db, size_t at_least) {
  const auto expected = Dump(expected_db);
  const auto got = Dump(got_db);
  EXPECT_GE(expected.size(), at_least);
  EXPECT_EQ(got.size(), expected.size());
  for (const auto& [key, bytes] : expected) {
    auto it = got.find(key);
    ASSERT_NE(it, got.end()) << key;
    EXPECT_EQ(it->second, bytes) << key;
  }
}

TEST(SummarizerTest, IncrementalPassesEqualOneFromScratch) {
  const auto readings = RandomReadings(11);
  OccupancyFixture whole;
  whole.Import(TwoFloors());
  for (const auto& [sensor, list] : readings) whole.Insert(sensor, list);
  whole.Summarize();

  // The same readings in shuffled batches, summarized after every third.
  OccupancyFixture incremental;
  incremental.Import(TwoFloors());
  InsertShuffled(incremental, readings, 5, 37, [&](size_t batch) {
    if (batch % 3 == 0) incremental.Summarize();
  });
  incremental.Summarize();
  ExpectSameSummaries(whole, incremental, 40);
}

TEST(SummarizerTest, SlicedPassesEqualOnePassOverAllReadings) {
  const auto readings = RandomReadings(17);
  SummarySlicing one_slice;
  one_slice.readings_per_slice = int64_t{1} << 40;
  one_slice.first_slice = absl::Hours(30);
  one_slice.max_slice = absl::Hours(30);
  OccupancyFixture whole;
  whole.Import(TwoFloors());
  for (const auto& [sensor, list] : readings) whole.Insert(sensor, list);
  SummaryPassStats whole_stats;
  ASSERT_TRUE(SummarizePending(whole.session(), whole.inventory(), &whole_stats,
                               one_slice)
                  .ok());

  // Slices of about two readings, after each of many shuffled batches: the
  // running count, the lookback and the states after a cut all cross slice
  // boundaries.
  SummarySlicing tiny;
  tiny.readings_per_slice = 2;
  tiny.first_slice = absl::Minutes(1);
  tiny.max_slice = absl::Hours(2);
  OccupancyFixture sliced;
  sliced.Import(TwoFloors());
  SummaryPassStats pass;
  int64_t most_held = 0;
  int64_t slices = 0;
  InsertShuffled(sliced, readings, 8, 53, [&](size_t) {
    ASSERT_TRUE(
        SummarizePending(sliced.session(), sliced.inventory(), &pass, tiny)
            .ok());
    most_held = std::max(most_held, pass.max_slice_readings);
    slices += pass.slices;
  });

  EXPECT_GT(whole_stats.max_slice_readings, 100);
  EXPECT_LE(most_held, 12);
  EXPECT_GT(slices, 1000);
  ExpectSameSummaries(whole, sliced, 40);
}

TEST(SummarizerTest, SlicesFollowTheRateAfterTimeWithoutReadings) {
  // An hour that starts quiet, then ten minutes of a reading a second from
  // each of four sensors.
  SensorReadings readings;
  const int64_t start = At("2026-03-24T08:30:00Z");
  for (const std::string sensor : {"A-DEV", "B-DEV", "C-DEV", "CNT"}) {
    for (int64_t t = start; t < start + 10 * kMinute; t += 1000) {
      readings[sensor].emplace_back(FormatInstantMs(t), (t / 7000) % 2);
    }
  }
  SummarySlicing one_slice;
  one_slice.readings_per_slice = int64_t{1} << 40;
  one_slice.max_slice = absl::Hours(30);
  OccupancyFixture whole;
  whole.Import(TwoFloors());
  for (const auto& [sensor, list] : readings) whole.Insert(sensor, list);
  ASSERT_TRUE(
      SummarizePending(whole.session(), whole.inventory(), nullptr, one_slice)
          .ok());

  SummarySlicing slicing;
  slicing.readings_per_slice = 100;
  slicing.first_slice = absl::Minutes(1);
  slicing.max_slice = absl::Hours(1);
  OccupancyFixture sliced;
  sliced.Import(TwoFloors());
  for (const auto& [sensor, list] : readings) sliced.Insert(sensor, list);
  SummaryPassStats stats;
  ASSERT_TRUE(
      SummarizePending(sliced.session(), sliced.inventory(), &stats, slicing)
          .ok());
  EXPECT_EQ(stats.readings_scanned, 2400);
  // The first slice after the quiet time takes a minute (240 readings);
  // the next ones are sized to the rate.
  EXPECT_LE(stats.max_slice_readings, 240);
  EXPECT_GE(stats.slices, 20);
  ExpectSameSummaries(whole, sliced, 10);
}

TEST(SummarizerTest, LatticeAndComputedFiguresAgree) {
  OccupancyFixture f;
  f.Import(TwoFloors());
  for (const auto& [sensor, list] : RandomReadings(3)) f.Insert(sensor, list);
  f.Summarize();
  const ReportContext context = f.Context(At("2026-04-01T00:00:00Z"));
  const OccupancyInventory& inventory = f.inventory();
  std::vector<Selection> selections(6);
  selections[1].site = inventory.SiteIndex("S");
  selections[2].site = selections[1].site;
  selections[2].space = inventory.SpaceIndex("S-1");
  selections[3].organizations = {inventory.OrganizationIndex("O")};
  selections[3].rooms = false;
  selections[4].kinds = {WorkstationKind::kUnassigned};
  selections[4].rooms = false;
  selections[5].site = selections[1].site;
  selections[5].organizations = {-1};
  selections[5].rooms = false;
  for (const Selection& s : selections) {
    EXPECT_TRUE(LatticeKeyOf(inventory, s).has_value());
  }
  EXPECT_EQ(LatticeKeyOf(inventory, selections[4]), "kind/unassigned");
  const int32_t first = DateIndex(absl::CivilDay(2026, 3, 22));
  const int32_t last = DateIndex(absl::CivilDay(2026, 3, 28));
  auto from_lattice = LoadDayFigures(context, selections, first, last, true);
  ASSERT_TRUE(from_lattice.ok()) << from_lattice.status();
  // Node days no longer match the inventory: everything is computed.
  ASSERT_TRUE(f.session().Analytics().SetSummaryMeta("lattice", "").ok());
  auto computed = LoadDayFigures(context, selections, first, last, true);
  ASSERT_TRUE(computed.ok()) << computed.status();
  int known = 0;
  for (size_t s = 0; s < selections.size(); ++s) {
    for (size_t d = 0; d < (*computed)[s].size(); ++d) {
      const auto& a = (*from_lattice)[s][d];
      const auto& b = (*computed)[s][d];
      ASSERT_EQ(a.has_value(), b.has_value()) << s << " " << d;
      if (!a.has_value()) continue;
      ++known;
      // Minute series are kept for sites and organizations only.
      NodeDayFigures x = *a;
      NodeDayFigures y = *b;
      if (x.minute_peaks.empty()) y.minute_peaks.clear();
      EXPECT_EQ(x, y) << s << " " << d;
    }
  }
  EXPECT_GT(known, 25);
}

// Node keys are stored: a workstation kind's key keeps the API text.
TEST(SummarizerTest, KindKeysKeepTheStoredText) {
  EXPECT_EQ(OccupancyInventory::KindKey(WorkstationKind::kMultiSpace),
            "kind/multi-space");
  EXPECT_EQ(OccupancyInventory::SiteKindKey("S", WorkstationKind::kShared),
            "site-kind/S/shared");
}

TEST(SummarizerTest, InventoryChangesRebuildTheNodeDays) {
  OccupancyFixture f;
  f.Import(TwoFloors());
  f.Insert("B-DEV", {{"2026-03-23T07:00:00Z", 1}, {"2026-03-23T07:30:00Z", 0}});
  f.Summarize();
  auto floor_observed = [&](const std::string& floor) {
    const ReportContext context = f.Context(At("2026-04-01T00:00:00Z"));
    Selection selection;
    selection.space = f.inventory().SpaceIndex(floor);
    selection.site = f.inventory().SiteIndex("S");
    const int32_t date = DateIndex(absl::CivilDay(2026, 3, 23));
    auto figures = LoadDayFigures(context, {&selection, 1}, date, date, false);
    EXPECT_TRUE(figures.ok());
    const auto& day = (*figures)[0][0];
    return day.has_value() ? day->desks[kCoreHours].observed_ms : 0;
  };
  EXPECT_EQ(floor_observed("S-1"), 90 * kMinute);
  EXPECT_EQ(floor_observed("S-2"), 0);
  EXPECT_TRUE(*LatticeIsCurrent(f.session(), f.inventory()));

  v1::Inventory moved = TwoFloors();
  moved.mutable_workstations(1)->set_space("S-2");
  f.Import(moved);
  EXPECT_FALSE(*LatticeIsCurrent(f.session(), f.inventory()));
  // Until the summarizer catches up, reports compute from sensor days.
  EXPECT_EQ(floor_observed("S-2"), 90 * kMinute);
  SummaryPassStats stats;
  ASSERT_TRUE(SummarizePending(f.session(), f.inventory(), &stats).ok());
  EXPECT_TRUE(stats.lattice_rebuilt);
  EXPECT_EQ(stats.readings_scanned, 0);  // from the sensor days alone
  EXPECT_TRUE(*LatticeIsCurrent(f.session(), f.inventory()));
  EXPECT_EQ(floor_observed("S-1"), 0);
  EXPECT_EQ(floor_observed("S-2"), 90 * kMinute);
}

TEST(SummarizerTest, AnotherStaleAfterRecomputesTheStates) {
  SummarySettings settings;
  settings.desk_stale_after_ms = 20 * kMinute;
  {
    OccupancyFixture f;
    f.Import(TwoFloors());
    f.Insert("A-DEV", {{"2026-03-23T07:00:00Z", 1}});
    f.Summarize();
    // Stale after 60 minutes: known 07:00-08:00Z.
    auto observed = [&](const OccupancyInventory& inventory) {
      Selection selection;
      ReportContext context{f.session(), inventory, 0};
      const int32_t date = DateIndex(absl::CivilDay(2026, 3, 23));
      auto figures =
          LoadDayFigures(context, {&selection, 1}, date, date, false);
      EXPECT_TRUE(figures.ok());
      return (*figures)[0][0]->desks[kCoreHours].observed_ms;
    };
    EXPECT_EQ(observed(f.inventory()), 60 * kMinute);
    auto rows = f.session().Analytics().LoadInventoryRows();
    auto shorter = OccupancyInventory::Build(*rows, settings);
    ASSERT_TRUE(shorter.ok());
    ASSERT_TRUE(SummarizePending(f.session(), **shorter).ok());
    EXPECT_EQ(observed(**shorter), 20 * kMinute);
  }
}

TEST(SummarizerTest, FirstRecomputableDateLeavesRoomForZonesAndLookback) {
  EXPECT_EQ(FirstRecomputableDate(0, kMinute),
            std::numeric_limits<int32_t>::min());
  // Readings from 2026-03-24T00:00Z on, stale after an hour: 03-24 in
  // Helsinki began 2026-03-23T22:00Z, before the horizon; 03-25 is the
  // first date every zone has whole.
  EXPECT_EQ(FirstRecomputableDate(At("2026-03-24T00:00:00Z"), 60 * kMinute),
            DateIndex(absl::CivilDay(2026, 3, 25)));
  EXPECT_EQ(FirstRecomputableDate(At("2026-03-24T10:00:00Z"), 60 * kMinute),
            DateIndex(absl::CivilDay(2026, 3, 26)));
}

TEST(SummarizerTest, AfterRetentionAStaleAfterChangeKeepsDatesWithoutReadings) {
  SummarySettings settings;
  settings.desk_stale_after_ms = 20 * kMinute;
  OccupancyFixture f;
  f.Import(TwoFloors());
  f.Insert("A-DEV", {{"2026-03-23T07:00:00Z", 1}, {"2026-03-27T07:00:00Z", 1}});
  f.Summarize();
  auto observed = [&](const OccupancyInventory& inventory, int day) {
    Selection selection;
    ReportContext context{f.session(), inventory, 0};
    const int32_t date = DateIndex(absl::CivilDay(2026, 3, day));
    auto figures = LoadDayFigures(context, {&selection, 1}, date, date, false);
    EXPECT_TRUE(figures.ok());
    const auto& figure = (*figures)[0][0];
    return figure.has_value() ? figure->desks[kCoreHours].observed_ms : -1;
  };
  EXPECT_EQ(observed(f.inventory(), 23), 60 * kMinute);
  EXPECT_EQ(observed(f.inventory(), 27), 60 * kMinute);
  // Retention deletes the readings before 03-25.
  RetentionChunk chunk = *f.session().Retention().DeleteReadingsBefore(
      At("2026-03-25T00:00:00Z"), 1000);
  EXPECT_EQ(chunk.deleted, 1);
  // The report over the date without readings still works, from the
  // summaries.
  EXPECT_EQ(observed(f.inventory(), 23), 60 * kMinute);

  auto rows = f.session().Analytics().LoadInventoryRows();
  auto shorter = OccupancyInventory::Build(*rows, settings);
  ASSERT_TRUE(shorter.ok());
  ASSERT_TRUE(SummarizePending(f.session(), **shorter).ok());
  // 03-23 keeps what it had (its readings are gone); 03-27 is recomputed.
  EXPECT_EQ(observed(**shorter, 23), 60 * kMinute);
  EXPECT_EQ(observed(**shorter, 27), 20 * kMinute);
}

TEST(SummarizerTest, ThreadSummarizesAndReportsWaitForIt) {
  OccupancyFixture f;
  f.Import(TwoFloors());
  absl::StatusOr<std::unique_ptr<Storage>> storage =
      Storage::OpenSqlite(f.path());
  ASSERT_TRUE(storage.ok());
  OccupancyInventoryHolder holder;
  holder.Set(f.inventory_ptr());
  Summarizer::Options options;
  options.quiet = absl::Hours(1);  // only AwaitCurrent makes it hurry
  options.max_delay = absl::Hours(1);
  Summarizer summarizer(storage->get(), &holder, options);
  ASSERT_TRUE(summarizer.Start().ok());
  EXPECT_TRUE(summarizer.AwaitCurrent(absl::Seconds(30)));
  f.Insert("A-DEV", {{"2026-03-23T07:00:00Z", 1}});
  summarizer.NoteCommitted();
  EXPECT_TRUE(summarizer.AwaitCurrent(absl::Seconds(30)));
  EXPECT_TRUE(f.session().Analytics().ListDirtyHours()->empty());
  EXPECT_GE(summarizer.counters().passes, 2u);
  EXPECT_EQ(summarizer.counters().failures, 0u);
  summarizer.Stop();
}

TEST(SummarizerTest, ACommitIsSummarizedWithinTheDelayUnasked) {
  OccupancyFixture f;
  f.Import(TwoFloors());
  absl::StatusOr<std::unique_ptr<Storage>> storage =
      Storage::OpenSqlite(f.path());
  ASSERT_TRUE(storage.ok());
  OccupancyInventoryHolder holder;
  holder.Set(f.inventory_ptr());
  Summarizer::Options options;
  options.quiet = absl::Milliseconds(50);
  Summarizer summarizer(storage->get(), &holder, options);
  ASSERT_TRUE(summarizer.Start().ok());
  // Let the first pass (at start) go by; then the thread sleeps.
  absl::SleepFor(absl::Milliseconds(200));
  f.Insert("A-DEV", {{"2026-03-23T07:00:00Z", 1}});
  summarizer.NoteCommitted();
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!f.session().Analytics().ListDirtyHours()->empty() &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(f.session().Analytics().ListDirtyHours()->empty());
  summarizer.Stop();
}

}  // namespace
}  // namespace monipaikka::testing
