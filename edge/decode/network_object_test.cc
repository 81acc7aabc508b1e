#include "edge/decode/network_object.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "edge/decode/codec.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

DecodedPayload FromObject(const char* json) {
  absl::StatusOr<Json> object = ParseJson(json);
  EXPECT_TRUE(object.ok());
  absl::StatusOr<DecodedPayload> decoded = FromNetworkObject(*object);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return decoded.ok() ? *decoded : DecodedPayload{};
}

DecodedPayload FromFrame(Codec codec, const std::string& hex) {
  const std::string bytes = absl::HexStringToBytes(hex);
  absl::StatusOr<DecodedPayload> decoded = DecodeFrame(
      codec, absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(bytes.data()),
                                 bytes.size()));
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  return decoded.ok() ? *decoded : DecodedPayload{};
}

// The JSON the vendors' own codecs produce for their example frames (their
// READMEs) reads the same as our decoding of the raw frames.
TEST(NetworkObjectTest, AgreesWithRawDecodingOnVendorExamples) {
  EXPECT_EQ(FromObject(R"({"battery": 100, "occupancy": "occupied"})"),
            FromFrame(Codec::kMilesightVs340, "017564030001"));
  EXPECT_EQ(
      FromObject(R"({"battery": 16, "pir": "trigger", "daylight": "dim"})"),
      FromFrame(Codec::kMilesightWs202, "017510030001040000"));
  EXPECT_EQ(FromObject(R"({"line_1_total_in": 72, "line_1_total_out": 200,
                          "line_2_total_in": 0, "line_2_total_out": 0,
                          "line_3_total_in": 0, "line_3_total_out": 0,
                          "line_4_total_in": 5300, "line_4_total_out": 6797})"),
            FromFrame(Codec::kMilesightVs133,
                      "03D24800000004D2C800000006D20000000007D20000000009D2"
                      "000000000AD2000000000CD2B41400000DD28D1A0000"));
  EXPECT_EQ(FromObject(R"({"region_1_count": 2, "region_2_count": 16,
                          "region_3_count": 7, "region_4_count": 9})"),
            FromFrame(Codec::kMilesightVs133, "0FE302100709"));
  EXPECT_EQ(FromObject(R"({"people_count_all": 3, "region_count": 8,
                          "region_1": 1, "region_2": 0, "region_6": 1,
                          "region_8": 1, "people_count_max": 5})"),
            FromFrame(Codec::kMilesightVs121, "04C9030800A106CD05"));
  EXPECT_EQ(FromObject(R"({"people_in": 2, "people_out": 1})"),
            FromFrame(Codec::kMilesightVs121, "05CC02000100"));
  EXPECT_EQ(FromObject(R"({"temperature": 22.6, "humidity": 41, "light": 39,
                          "motion": 6, "co2": 776, "vdd": 3426})"),
            FromFrame(Codec::kElsys, "0100e202290400270506060308070d62"));
}

TEST(NetworkObjectTest, ValueObjectsAndGenericFields) {
  DecodedPayload elsys =
      FromObject(R"({"occupancy": 2, "vdd": {"value": 3600, "unit": "mV"}})");
  EXPECT_EQ(elsys.occupied, true);
  EXPECT_EQ(elsys.battery_mv, 3600);
  DecodedPayload generic = FromObject(R"({"occupied": false, "count": 0})");
  EXPECT_EQ(generic.occupied, false);
  EXPECT_EQ(generic.count, 0);
}

TEST(NetworkObjectTest, Problems) {
  auto code = [](const char* json) {
    return FromNetworkObject(*ParseJson(json)).status().code();
  };
  EXPECT_EQ(code(R"({"temperature": 21.5})"), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(code(R"({"occupancy": 7})"), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(R"({"occupancy": "maybe"})"), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(R"({"occupancy": [1]})"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(R"({"people_count_all": -1})"), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(code(R"({"people_count_all": "3"})"),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(R"([1, 2])"), absl::StatusCode::kInvalidArgument);
}

TEST(CodecTest, NamesAndDeviceRepository) {
  for (const char* name :
       {"auto", "elsys", "milesight_vs133", "milesight_vs121",
        "milesight_ws202", "milesight_vs340"}) {
    absl::StatusOr<Codec> codec = ParseCodec(name);
    ASSERT_TRUE(codec.ok()) << name;
    EXPECT_EQ(CodecName(*codec), name);
  }
  EXPECT_EQ(*ParseCodec("milesight_vs135"), Codec::kMilesightVs133);
  EXPECT_FALSE(ParseCodec("decentlab").ok());
  EXPECT_EQ(CodecForDeviceRepository("elsys", "ers-desk"), Codec::kElsys);
  EXPECT_EQ(CodecForDeviceRepository("milesight-iot", "vs135"),
            Codec::kMilesightVs133);
  EXPECT_EQ(CodecForDeviceRepository("acme", "x"), std::nullopt);
}

}  // namespace
}  // namespace monipaikka::edge
