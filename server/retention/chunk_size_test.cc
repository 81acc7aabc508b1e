#include "server/retention/chunk_size.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

TEST(ChunkSizeTest, FirstSizeIsClampedToTheBounds) {
  EXPECT_EQ(ChunkSize(10, 100, 5, absl::Milliseconds(2)).next(), 10);
  EXPECT_EQ(ChunkSize(10, 100, 500, absl::Milliseconds(2)).next(), 100);
  EXPECT_EQ(ChunkSize(0, 0, 0, absl::Milliseconds(2)).next(), 1);
}

TEST(ChunkSizeTest, ASlowChunkShrinksTheNextToTheBudget) {
  ChunkSize size(1, 2000, 1000, absl::Milliseconds(2));
  // 1000 rows took 8 ms: 250 fit in 2 ms.
  size.Observe(1000, 1000, absl::Milliseconds(8));
  EXPECT_EQ(size.next(), 250);
  // A stall (a page read from a cold disk) shrinks by a quarter at most.
  size.Observe(250, 250, absl::Seconds(1));
  EXPECT_EQ(size.next(), 62);
}

TEST(ChunkSizeTest, AFastChunkGrowsTheNextAtMostTwofoldUpToTheMost) {
  ChunkSize size(1, 2000, 256, absl::Milliseconds(2));
  size.Observe(256, 256, absl::Microseconds(100));
  EXPECT_EQ(size.next(), 512);
  size.Observe(512, 512, absl::Milliseconds(1));
  EXPECT_EQ(size.next(), 1024);
  size.Observe(1024, 1024, absl::ZeroDuration());
  EXPECT_EQ(size.next(), 2000);
  // Within the budget's rate: stays about where it is.
  ChunkSize steady(1, 2000, 1000, absl::Milliseconds(2));
  steady.Observe(1000, 1000, absl::Microseconds(2100));
  EXPECT_EQ(steady.next(), 952);
}

TEST(ChunkSizeTest, AShortChunkDoesNotGrowTheNext) {
  ChunkSize size(1, 2000, 400, absl::Milliseconds(2));
  // Only 10 rows were left: fast, but says nothing about 800.
  size.Observe(400, 10, absl::Microseconds(50));
  EXPECT_EQ(size.next(), 400);
  // A short and slow chunk still shrinks it.
  size.Observe(400, 10, absl::Milliseconds(4));
  EXPECT_EQ(size.next(), 200);
}

TEST(ChunkSizeTest, NeverBelowTheLeast) {
  ChunkSize size(16, 2000, 20, absl::Milliseconds(2));
  size.Observe(20, 20, absl::Milliseconds(100));
  EXPECT_EQ(size.next(), 16);
}

}  // namespace
}  // namespace monipaikka
