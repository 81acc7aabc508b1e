#include "common/listen_address.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

TEST(IsLoopbackListenAddressTest, AcceptsLoopbackHostsWithOrWithoutPort) {
  EXPECT_TRUE(IsLoopbackListenAddress("127.0.0.1:7070"));
  EXPECT_TRUE(IsLoopbackListenAddress("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackListenAddress("localhost:7070"));
  EXPECT_TRUE(IsLoopbackListenAddress("LOCALHOST:7070"));
  EXPECT_TRUE(IsLoopbackListenAddress("[::1]:7070"));
  EXPECT_TRUE(IsLoopbackListenAddress("127.0.0.1"));
}

TEST(IsLoopbackListenAddressTest, RefusesOtherAddressesAndLookalikeNames) {
  EXPECT_FALSE(IsLoopbackListenAddress("0.0.0.0:7070"));
  EXPECT_FALSE(IsLoopbackListenAddress("10.0.0.5:7070"));
  EXPECT_FALSE(IsLoopbackListenAddress("[::]:7070"));
  EXPECT_FALSE(IsLoopbackListenAddress("server.example.fi:7070"));
  EXPECT_FALSE(IsLoopbackListenAddress("127.0.0.1.example.fi:7070"));
  EXPECT_FALSE(IsLoopbackListenAddress("128.0.0.1:7070"));
  EXPECT_FALSE(IsLoopbackListenAddress(""));
}

}  // namespace
}  // namespace monipaikka
