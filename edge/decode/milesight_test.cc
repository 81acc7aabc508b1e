#include "edge/decode/milesight.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

std::vector<uint8_t> Hex(std::string hex) {
  hex.erase(std::remove(hex.begin(), hex.end(), ' '), hex.end());
  const std::string bytes = absl::HexStringToBytes(hex);
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

// The examples of Milesight-IoT/SensorDecoders VS_Series/VS133 README.
TEST(MilesightVs133Test, VendorTotalsExample) {
  absl::StatusOr<DecodedPayload> decoded = DecodeMilesight(
      MilesightModel::kVs133,
      Hex("03D248000000 04D2C8000000 06D200000000 07D200000000 09D200000000 "
          "0AD200000000 0CD2B4140000 0DD28D1A0000"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  // line 1: 72 in / 200 out; line 4: 5300 in / 6797 out.
  EXPECT_EQ(decoded->total_in, 72u + 5300u);
  EXPECT_EQ(decoded->total_out, 200u + 6797u);
  EXPECT_FALSE(decoded->period_in.has_value());
}

TEST(MilesightVs133Test, VendorPeriodExample) {
  absl::StatusOr<DecodedPayload> decoded = DecodeMilesight(
      MilesightModel::kVs133,
      Hex("05CC00000000 08CC00000000 0BCC00000000 0ECC05000700"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->period_in, 5u);   // line 4 period in
  EXPECT_EQ(decoded->period_out, 7u);  // line 4 period out
}

TEST(MilesightVs133Test, VendorRegionCountAndDwellExamples) {
  absl::StatusOr<DecodedPayload> regions =
      DecodeMilesight(MilesightModel::kVs133, Hex("0FE302100709"));
  ASSERT_TRUE(regions.ok()) << regions.status();
  EXPECT_EQ(regions->count, 2 + 16 + 7 + 9);
  absl::StatusOr<DecodedPayload> dwell = DecodeMilesight(
      MilesightModel::kVs133,
      Hex("10E40109101121 10E40275217533 10E40381212389 10E40476001387"));
  ASSERT_TRUE(dwell.ok()) << dwell.status();
  EXPECT_FALSE(dwell->HasState());
}

// VS_Series/VS121 README examples.
TEST(MilesightVs121Test, VendorPeopleCountExample) {
  absl::StatusOr<DecodedPayload> decoded =
      DecodeMilesight(MilesightModel::kVs121, Hex("04C9030800A1 06CD05"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->count, 3);  // people_count_all
}

TEST(MilesightVs121Test, VendorDeviceInfoRegionsAndPassingExamples) {
  absl::StatusOr<DecodedPayload> info =
      DecodeMilesight(MilesightModel::kVs121,
                      Hex("FF0101 FF086600B0940976 FF090100 FF1F1F07004B"));
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_FALSE(info->HasState());
  absl::StatusOr<DecodedPayload> regions = DecodeMilesight(
      MilesightModel::kVs121, Hex("07D50001000000000003 08D50100000000000000"));
  ASSERT_TRUE(regions.ok()) << regions.status();
  // Regions 1…16 summed into the count, as VS133's regions are.
  EXPECT_EQ(regions->count, 1 + 3 + 1);
  absl::StatusOr<DecodedPayload> passing =
      DecodeMilesight(MilesightModel::kVs121, Hex("05CC02000100"));
  ASSERT_TRUE(passing.ok()) << passing.status();
  EXPECT_EQ(passing->period_in, 2u);
  EXPECT_EQ(passing->period_out, 1u);
  absl::StatusOr<DecodedPayload> flows = DecodeMilesight(
      MilesightModel::kVs121,
      Hex("09DA0001000200000000 0ADA0000000000000000 0BDA0000000000000012 "
          "0CDA0000000000000000"));
  ASSERT_TRUE(flows.ok()) << flows.status();
}

// The region counts count only without people_count_all, which is the
// device's own total; one channel alone is enough.
TEST(MilesightVs121Test, RegionCountsAreTheCountWithoutAPeopleCount) {
  absl::StatusOr<DecodedPayload> first_eight = DecodeMilesight(
      MilesightModel::kVs121, Hex("07D5 0102030405060708 017564"));
  ASSERT_TRUE(first_eight.ok()) << first_eight.status();
  EXPECT_EQ(first_eight->count, 36);
  EXPECT_EQ(first_eight->battery_percent, 100);
  absl::StatusOr<DecodedPayload> last_eight =
      DecodeMilesight(MilesightModel::kVs121, Hex("08D5 FF00000000000001"));
  ASSERT_TRUE(last_eight.ok()) << last_eight.status();
  EXPECT_EQ(last_eight->count, 256);
  absl::StatusOr<DecodedPayload> with_total = DecodeMilesight(
      MilesightModel::kVs121, Hex("04C9020800A1 07D50101010101010101"));
  ASSERT_TRUE(with_total.ok()) << with_total.status();
  EXPECT_EQ(with_total->count, 2);
  absl::StatusOr<DecodedPayload> empty_regions =
      DecodeMilesight(MilesightModel::kVs121, Hex("07D50000000000000000"));
  ASSERT_TRUE(empty_regions.ok()) << empty_regions.status();
  EXPECT_EQ(empty_regions->count, 0);  // an empty room is a count too
}

TEST(MilesightVs121Test, NegativeInOutIsOutOfRange) {
  EXPECT_EQ(DecodeMilesight(MilesightModel::kVs121, Hex("05CCFFFF0100"))
                .status()
                .code(),
            absl::StatusCode::kOutOfRange);
}

// WS_Series/WS202 README example: battery 16 %, pir trigger, daylight dim.
TEST(MilesightWs202Test, VendorExample) {
  absl::StatusOr<DecodedPayload> decoded = DecodeMilesight(
      MilesightModel::kWs202, Hex("01 75 10 03 00 01 04 00 00"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->battery_percent, 16);
  EXPECT_EQ(decoded->occupied, true);
  absl::StatusOr<DecodedPayload> idle =
      DecodeMilesight(MilesightModel::kWs202, Hex("030000"));
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->occupied, false);
  EXPECT_EQ(
      DecodeMilesight(MilesightModel::kWs202, Hex("030002")).status().code(),
      absl::StatusCode::kOutOfRange);
}

// VS_Series/VS340 README examples.
TEST(MilesightVs340Test, VendorExamples) {
  absl::StatusOr<DecodedPayload> vacant =
      DecodeMilesight(MilesightModel::kVs340, Hex("017564 030000"));
  ASSERT_TRUE(vacant.ok()) << vacant.status();
  EXPECT_EQ(vacant->battery_percent, 100);
  EXPECT_EQ(vacant->occupied, false);
  absl::StatusOr<DecodedPayload> occupied =
      DecodeMilesight(MilesightModel::kVs340, Hex("017564 030001"));
  ASSERT_TRUE(occupied.ok()) << occupied.status();
  EXPECT_EQ(occupied->occupied, true);
}

TEST(MilesightTest, TruncatedAndUnknownChannels) {
  EXPECT_EQ(DecodeMilesight(MilesightModel::kVs340, Hex("017564 0300"))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(
      DecodeMilesight(MilesightModel::kVs340, Hex("017564 03")).status().code(),
      absl::StatusCode::kDataLoss);
  EXPECT_EQ(
      DecodeMilesight(MilesightModel::kVs133, Hex("03D24800")).status().code(),
      absl::StatusCode::kDataLoss);
  // A VS133 channel is not a VS340 one.
  EXPECT_EQ(DecodeMilesight(MilesightModel::kVs340, Hex("03D248000000"))
                .status()
                .code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(
      DecodeMilesight(MilesightModel::kVs121, Hex("20CE0000")).status().code(),
      absl::StatusCode::kUnimplemented);
}

}  // namespace
}  // namespace monipaikka::edge
