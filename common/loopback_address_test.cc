#include "common/loopback_address.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

TEST(IsLoopbackAddressTest, AcceptsLoopbackHostsWithOrWithoutPort) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:7070"));
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:7070"));
  EXPECT_TRUE(IsLoopbackAddress("LOCALHOST:7070"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:7070"));
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
}

TEST(IsLoopbackAddressTest, RefusesOtherAddressesAndLookalikeNames) {
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:7070"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.5:7070"));
  EXPECT_FALSE(IsLoopbackAddress("[::]:7070"));
  EXPECT_FALSE(IsLoopbackAddress("server.example.fi:7070"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.example.fi:7070"));
  EXPECT_FALSE(IsLoopbackAddress("128.0.0.1:7070"));
  EXPECT_FALSE(IsLoopbackAddress(""));
}

}  // namespace
}  // namespace monipaikka
