#include "server/analytics/workforce_anonymity.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

TEST(IsSmallGroupTest, ThresholdAndZero) {
  EXPECT_TRUE(IsSmallGroup(1, 100, 5));
  EXPECT_TRUE(IsSmallGroup(4, 100, 5));
  EXPECT_FALSE(IsSmallGroup(5, 100, 5));
  EXPECT_FALSE(IsSmallGroup(0, 100, 5));  // names nobody
  EXPECT_TRUE(IsSmallGroup(0, 4, 5));     // but the group itself is small
  EXPECT_TRUE(IsSmallGroup(4, 4, 5));
}

}  // namespace
}  // namespace monipaikka
