#include "client/number_format.h"

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

TEST(NumberFormatTest, OneDecimalRoundsHalfAwayFromZero) {
  EXPECT_EQ(FormatOneDecimal(37.46), "37.5");
  EXPECT_EQ(FormatOneDecimal(6.25), "6.3");
  EXPECT_EQ(FormatOneDecimal(0), "0.0");
  EXPECT_EQ(FormatOneDecimal(-0.01), "0.0");
  EXPECT_EQ(FormatOneDecimal(100), "100.0");
}

TEST(NumberFormatTest, PercentOfFraction) {
  EXPECT_EQ(FormatPercent(0.4237), "42.4");
  EXPECT_EQ(FormatPercent(0.0625), "6.3");
  EXPECT_EQ(FormatPercent(1.0), "100.0");
  EXPECT_EQ(FormatPercent(0.0), "0.0");
}

TEST(NumberFormatTest, HoursFromMilliseconds) {
  EXPECT_EQ(FormatHours(5'400'000), "1.5");
  EXPECT_EQ(FormatHours(0), "0.0");
  EXPECT_EQ(FormatHours(180'000), "0.1");  // 3 min = 0.05 h rounds up
  EXPECT_EQ(FormatHours(int64_t{3'600'000} * 100'000), "100000.0");
}

TEST(NumberFormatTest, DecimalDropsTrailingZerosAndNeverUsesExponents) {
  EXPECT_EQ(FormatDecimal(1'250'000), "1250000");
  EXPECT_EQ(FormatDecimal(1234.5), "1234.5");
  EXPECT_EQ(FormatDecimal(12.3456), "12.35");
  EXPECT_EQ(FormatDecimal(0), "0");
}

}  // namespace
}  // namespace monipaikka::client
