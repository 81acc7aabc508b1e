#include "server/summary/codec.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

TEST(CodecTest, DaySpansRoundTrip) {
  std::vector<DaySpan> spans = {
      {0, 1000, 1}, {5000, 86'400'000, 0}, {86'400'000, 90'000'000, 123456}};
  std::string bytes = EncodeDaySpans(spans);
  absl::StatusOr<std::vector<DaySpan>> back = DecodeDaySpans(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, spans);
  EXPECT_TRUE(DecodeDaySpans(EncodeDaySpans({}))->empty());
}

TEST(CodecTest, NodeDayRoundTrip) {
  NodeDayFigures figures;
  figures.desks[kCoreHours] = {123456789, 4567, 7, 9, 3, {}};
  figures.desks[kCoreHours].hours[8] = {3600000, 1800000, 4};
  figures.desks[kAllHours].hours[23] = {1, 1, 1};
  figures.rooms[kAllHours] = {2, 10, 5, 4, 40, 400};
  figures.minute_peaks.assign(1500, 0);
  for (int m = 480; m < 960; ++m) figures.minute_peaks[m] = m % 7;
  figures.minute_peaks[1499] = 65535;
  absl::StatusOr<NodeDayFigures> back = DecodeNodeDay(EncodeNodeDay(figures));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, figures);
  // Empty days are small.
  EXPECT_LT(EncodeNodeDay(NodeDayFigures{}).size(), 30u);
}

TEST(CodecTest, CorruptBytesAreDataLoss) {
  std::string bytes = EncodeDaySpans({{0, 1000, 1}, {2000, 3000, 0}});
  EXPECT_EQ(DecodeDaySpans(bytes.substr(0, bytes.size() - 1)).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeDaySpans(bytes + "x").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeDaySpans("\xff\xff\xff").status().code(),
            absl::StatusCode::kDataLoss);
  std::string node = EncodeNodeDay(NodeDayFigures{});
  node[0] = 9;  // unknown version
  EXPECT_EQ(DecodeNodeDay(node).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeNodeDay("").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace monipaikka
