#include "edge/backoff.h"

#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, CeilingDoublesUpToTheCapAndResets) {
  Backoff backoff(BackoffPolicy{milliseconds(200), milliseconds(30000), 2.0},
                  1);
  const int64_t expected[] = {200,   400,   800,   1600,  3200, 6400,
                              12800, 25600, 30000, 30000, 30000};
  for (int64_t ceiling : expected) {
    EXPECT_EQ(backoff.Ceiling().count(), ceiling);
    milliseconds delay = backoff.NextDelay();
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay.count(), ceiling);
  }
  for (int i = 0; i < 100; ++i) backoff.NextDelay();
  EXPECT_EQ(backoff.Ceiling().count(), 30000);
  backoff.Reset();
  EXPECT_EQ(backoff.Ceiling().count(), 200);
  EXPECT_EQ(backoff.retries(), 0);
}

TEST(BackoffTest, FullJitterSpreadsOverTheWholeRange) {
  Backoff backoff(BackoffPolicy{milliseconds(1000), milliseconds(1000), 2.0},
                  7);
  int64_t low = 0, high = 0;
  for (int i = 0; i < 1000; ++i) {
    int64_t delay = backoff.NextDelay().count();
    ASSERT_LE(delay, 1000);
    if (delay < 250) ++low;
    if (delay > 750) ++high;
  }
  // Uniform on [0, 1000]: about a quarter in each outer band.
  EXPECT_GT(low, 180);
  EXPECT_GT(high, 180);
}

TEST(BackoffTest, SameSeedSameDelays) {
  Backoff a(BackoffPolicy{}, 99), b(BackoffPolicy{}, 99);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(a.NextDelay(), b.NextDelay());
}

}  // namespace
}  // namespace monipaikka::edge
