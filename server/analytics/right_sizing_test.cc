#include "server/analytics/right_sizing.h"

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(NeededWorkstationsTest, ExactIntegerArithmetic) {
  EXPECT_EQ(NeededWorkstations(20, 10), 22);  // not 23 (20 · 1.1 in floats)
  EXPECT_EQ(NeededWorkstations(21, 10), 24);  // ceil(23.1)
  EXPECT_EQ(NeededWorkstations(10, 0), 10);
  EXPECT_EQ(NeededWorkstations(0, 10), 0);
  EXPECT_EQ(NeededWorkstations(37, 20), 45);  // ceil(44.4)
  EXPECT_EQ(NeededWorkstations(50, 20), 60);
}

TEST(RightSizeTest, SurplusAreaAndRent) {
  RightSizingFigures f = RightSize({100, 60, 10, 1500.0, 300.0});
  EXPECT_EQ(f.needed, 66);
  EXPECT_EQ(f.surplus, 34);
  EXPECT_DOUBLE_EQ(f.area_per_workstation_m2, 15.0);
  EXPECT_DOUBLE_EQ(f.releasable_area_m2, 510.0);
  EXPECT_DOUBLE_EQ(f.releasable_rent_eur, 153000.0);
}

TEST(RightSizeTest, ShortageReleasesNothing) {
  RightSizingFigures f = RightSize({10, 12, 10, 200.0, 250.0});
  EXPECT_EQ(f.needed, 14);
  EXPECT_EQ(f.surplus, -4);
  EXPECT_DOUBLE_EQ(f.releasable_area_m2, 0.0);
  EXPECT_DOUBLE_EQ(f.releasable_rent_eur, 0.0);
  EXPECT_DOUBLE_EQ(RightSize({0, 0, 10, 200.0, 1.0}).area_per_workstation_m2,
                   0.0);
}

TEST(ConsolidateTest, PeaksOnDifferentDaysShareWorkstations) {
  // Core 08-16 = minutes 480-960. Group A peaks at 10 on Mondays, group B at
  // 8 on Wednesdays; each sits 2 people otherwise.
  auto series = [](int peak, int at_minute) {
    std::vector<uint16_t> minutes(1440, 0);
    for (int m = 480; m < 960; ++m) minutes[m] = 2;
    minutes[at_minute] = static_cast<uint16_t>(peak);
    return minutes;
  };
  std::vector<uint16_t> a_monday = series(10, 600);
  std::vector<uint16_t> b_monday = series(2, 600);
  std::vector<uint16_t> a_wednesday = series(2, 700);
  std::vector<uint16_t> b_wednesday = series(8, 700);
  std::vector<ConsolidationDayInput> days = {
      {absl::CivilDay(2026, 3, 23), 480, 960, {&a_monday, &b_monday}},
      {absl::CivilDay(2026, 3, 24), 480, 960, {nullptr, nullptr}},  // unseen
      {absl::CivilDay(2026, 3, 25), 480, 960, {&a_wednesday, &b_wednesday}},
      {absl::CivilDay(2026, 3, 28), 0, 0, {&a_monday, &b_monday}},  // Sat
  };
  ConsolidationFigures f = Consolidate(days, 2, 11, 10);
  ASSERT_EQ(f.days.size(), 2u);
  EXPECT_EQ(f.days[0].combined_peak, 12);
  EXPECT_EQ(f.days[0].peak_minute, 600);
  EXPECT_EQ(f.days[0].group_peaks, (std::vector<int32_t>{10, 2}));
  EXPECT_EQ(f.days[1].combined_peak, 10);
  EXPECT_EQ(f.combined_peak_max, 12);
  EXPECT_EQ(f.combined_peak_p95, 12);
  EXPECT_DOUBLE_EQ(f.combined_peak_mean, 11.0);
  EXPECT_EQ(f.group_peak_p95, (std::vector<int32_t>{10, 8}));
  EXPECT_EQ(f.sum_of_group_p95, 18);
  EXPECT_EQ(f.needed, 14);  // ceil(12 · 1.1) = ceil(13.2)
  EXPECT_FALSE(f.fits);
  EXPECT_EQ(f.headroom, -3);
  EXPECT_FALSE(f.fits_at_max);
  EXPECT_EQ(f.headroom_at_max, -1);
  EXPECT_TRUE(Consolidate(days, 2, 14, 10).fits);
}

}  // namespace
}  // namespace monipaikka
