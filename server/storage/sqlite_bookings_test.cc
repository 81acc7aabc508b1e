#include "server/storage/sqlite_bookings.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

class SqliteBookingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("b.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    session_ = std::move(*storage_->OpenSession());
    v1::Inventory inventory;
    auto* site = inventory.add_sites();
    site->set_code("S");
    site->set_name("Site");
    site->set_kind("B");
    auto* floor = inventory.add_spaces();
    floor->set_code("F");
    floor->set_site("S");
    floor->set_level("floor");
    ASSERT_TRUE(session_->ImportInventory(inventory).ok());
    auto rows = session_->Analytics().LoadInventoryRows();
    ASSERT_TRUE(rows.ok());
    space_id_ = rows->spaces.front().id;
  }

  BookingRow Room(int64_t start_h, int64_t end_h, std::string uid = "") {
    BookingRow row;
    row.space_id = space_id_;
    row.start_ms = start_h * kHourMs;
    row.end_ms = end_h * kHourMs;
    row.uid = std::move(uid);
    return row;
  }

  std::vector<BookingRow> All() {
    std::vector<BookingRow> rows;
    EXPECT_TRUE(
        session_->Bookings()
            .ScanBookings(0, 1000 * kHourMs,
                          [&](const BookingRow& r) { rows.push_back(r); })
            .ok());
    return rows;
  }

  BookingReplaceCounts Replace(const std::string& source, int64_t from_h,
                               int64_t to_h, std::vector<BookingRow> rows,
                               std::vector<std::string> uids = {}) {
    BookingReplacement r{source,
                         "ics",
                         from_h * kHourMs,
                         to_h * kHourMs,
                         std::move(uids),
                         std::move(rows),
                         1};
    auto counts = session_->Bookings().ReplaceBookings(r);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.value_or(BookingReplaceCounts{});
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  int64_t space_id_ = 0;
};

TEST_F(SqliteBookingsTest, ReimportChangesNothingAndAChangedExportReplaces) {
  auto first = Replace("room-a", 0, 100, {Room(10, 11, "u1"), Room(20, 22)});
  EXPECT_EQ(first.added, 2);
  auto again = Replace("room-a", 0, 100, {Room(10, 11, "u1"), Room(20, 22)});
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.removed, 0);
  EXPECT_EQ(again.unchanged, 2);
  EXPECT_EQ(All().size(), 2u);

  // Another source's bookings are never touched.
  Replace("room-b", 0, 100, {Room(30, 31)});
  // The changed export moves one booking and drops the other.
  auto changed = Replace("room-a", 0, 100, {Room(12, 13, "u1")}, {"u1"});
  EXPECT_EQ(changed.added, 1);
  EXPECT_EQ(changed.removed, 2);
  EXPECT_EQ(changed.unchanged, 0);
  std::vector<BookingRow> all = All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], Room(12, 13, "u1"));
  EXPECT_EQ(all[1], Room(30, 31));

  // An export of a later range leaves the earlier bookings, except those
  // with one of its UIDs (a meeting moved into the later range).
  auto later = Replace("room-a", 100, 200, {Room(150, 151, "u1")}, {"u1"});
  EXPECT_EQ(later.added, 1);
  EXPECT_EQ(later.removed, 1);
  EXPECT_EQ(All().size(), 2u);

  auto sources = session_->Bookings().ListBookingSources();
  ASSERT_TRUE(sources.ok());
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ((*sources)[0].name, "room-a");
  EXPECT_EQ((*sources)[0].bookings, 1);
}

TEST_F(SqliteBookingsTest, StoredBookingDaysLastUntilTheirDateChanges) {
  // Dates 0 … 4 (1970-01-01 …); hour 30 is on date 1.
  auto current = [&](const char* hours) {
    std::vector<int32_t> dates;
    EXPECT_TRUE(session_->Bookings()
                    .ScanBookingDays(hours, 0, 4,
                                     [&](int64_t site, int32_t date,
                                         absl::string_view fingerprint,
                                         absl::string_view figures) {
                                       EXPECT_EQ(site, 7);
                                       EXPECT_EQ(fingerprint, "fp");
                                       EXPECT_EQ(figures, "x");
                                       dates.push_back(date);
                                     })
                    .ok());
    std::sort(dates.begin(), dates.end());
    return dates;
  };
  auto store = [&](int32_t first, int32_t last) {
    auto generations = session_->Bookings().BookingDayGenerations(first, last);
    ASSERT_TRUE(generations.ok());
    std::vector<StoredBookingDay> days;
    for (int32_t d = first; d <= last; ++d) {
      days.push_back({7, d, "fp", (*generations)[d - first], "x"});
    }
    ASSERT_TRUE(session_->Bookings().WriteBookingDays("core", days).ok());
  };
  store(0, 4);
  EXPECT_EQ(current("core"), (std::vector<int32_t>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(current("all").empty());
  // A booking on date 1 touches dates 0 … 2 (any time zone).
  Replace("room-a", 0, 100, {Room(30, 31)});
  EXPECT_EQ(current("core"), (std::vector<int32_t>{3, 4}));
  store(0, 2);
  EXPECT_EQ(current("core"), (std::vector<int32_t>{0, 1, 2, 3, 4}));
  // A sensor day of date 4 is written, then deleted.
  SummaryWrite write;
  write.sensor_days.push_back({4, 1, ""});
  ASSERT_TRUE(session_->Analytics().WriteSummaries(write).ok());
  EXPECT_EQ(current("core"), (std::vector<int32_t>{0, 1, 2, 3}));
  store(4, 4);
  ASSERT_TRUE(session_->Analytics().DeleteSensorDaysFrom(3).ok());
  EXPECT_EQ(current("core"), (std::vector<int32_t>{0, 1, 2, 3}));
  // Re-importing the same export changes no date.
  store(4, 4);
  Replace("room-a", 0, 100, {Room(30, 31)});
  EXPECT_EQ(current("core"), (std::vector<int32_t>{0, 1, 2, 3, 4}));
}

TEST_F(SqliteBookingsTest, BadRowsAreRefusedAndNothingIsWritten) {
  BookingRow no_target = Room(1, 2);
  no_target.space_id = 0;
  BookingReplacement r{"x", "csv", 0, 10 * kHourMs, {}, {Room(1, 2), no_target},
                       1};
  auto counts = session_->Bookings().ReplaceBookings(r);
  EXPECT_EQ(counts.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(counts.status().message().rfind("rows[1]:", 0), 0u);
  r.rows = {Room(3, 3)};
  EXPECT_FALSE(session_->Bookings().ReplaceBookings(r).ok());
  EXPECT_TRUE(All().empty());
}

}  // namespace
}  // namespace monipaikka
