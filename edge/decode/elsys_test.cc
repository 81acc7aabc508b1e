#include "edge/decode/elsys.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

std::vector<uint8_t> Hex(const std::string& hex) {
  const std::string bytes = absl::HexStringToBytes(hex);
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}

// The example frame of Elsys's payload document: temperature 22.6 °C,
// humidity 41 %, light 39 lux, motion 6, CO2 776 ppm, VDD 3426 mV.
TEST(ElsysTest, VendorExampleFrame) {
  absl::StatusOr<DecodedPayload> decoded =
      DecodeElsys(Hex("0100e202290400270506060308070d62"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->motion_count, 6);
  EXPECT_EQ(decoded->battery_mv, 3426);
  EXPECT_FALSE(decoded->occupied.has_value());
  EXPECT_FALSE(decoded->count.has_value());
}

// The same frame with two external-temperature-2 records appended, as in
// Elsys's generic decoder's own test vector.
TEST(ElsysTest, RepeatedRecords) {
  absl::StatusOr<DecodedPayload> decoded =
      DecodeElsys(Hex("0100E202290400270506060308070D621900E21900A3"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->motion_count, 6);
  EXPECT_EQ(decoded->battery_mv, 3426);
}

// ERS Desk: temperature, humidity, light, occupancy (type 0x11), VDD.
TEST(ElsysTest, DeskOccupancyStates) {
  // 0x11 0x02: occupied.
  absl::StatusOr<DecodedPayload> occupied =
      DecodeElsys(Hex("0100e20229040027110207"
                      "0e10"));
  ASSERT_TRUE(occupied.ok()) << occupied.status();
  EXPECT_EQ(occupied->occupied, true);
  EXPECT_EQ(occupied->battery_mv, 3600);
  // 0x11 0x01: pending (movement, not yet confirmed) is not occupied.
  absl::StatusOr<DecodedPayload> pending = DecodeElsys(Hex("1101"));
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->occupied, false);
  absl::StatusOr<DecodedPayload> free = DecodeElsys(Hex("1100"));
  ASSERT_TRUE(free.ok());
  EXPECT_EQ(free->occupied, false);
}

TEST(ElsysTest, SettingsRecordIsSkippedByItsLength) {
  absl::StatusOr<DecodedPayload> decoded =
      DecodeElsys(Hex("3e03010203"
                      "1102"));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->occupied, true);
}

TEST(ElsysTest, TruncatedRecord) {
  absl::StatusOr<DecodedPayload> decoded =
      DecodeElsys(Hex("0100e20229040027070d"));
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(ProblemReason(decoded.status()), "truncated_frame");
  EXPECT_EQ(DecodeElsys({}).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeElsys(Hex("3e05")).status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(ElsysTest, UnknownTypeAndOutOfRange) {
  EXPECT_EQ(DecodeElsys(Hex("0100e2ee01")).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(DecodeElsys(Hex("1103")).status().code(),
            absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace monipaikka::edge
