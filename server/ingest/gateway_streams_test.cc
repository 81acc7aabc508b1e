#include "server/ingest/gateway_streams.h"

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(GatewayStreamsTest, RefusesStreamsOverTheLimitPerGateway) {
  GatewayStreams streams(2);
  EXPECT_TRUE(streams.Open("gw-a").ok());
  EXPECT_TRUE(streams.Open("gw-a").ok());
  const absl::Status third = streams.Open("gw-a");
  EXPECT_TRUE(absl::IsResourceExhausted(third)) << third;
  EXPECT_NE(third.message().find("--max_streams_per_gateway"),
            std::string::npos);
  EXPECT_NE(third.message().find("is 2"), std::string::npos) << third;
  EXPECT_TRUE(streams.Open("gw-b").ok());  // other gateways are not affected
  streams.Close("gw-a");
  EXPECT_EQ(streams.OpenStreams("gw-a"), 1);
  EXPECT_TRUE(streams.Open("gw-a").ok());
  streams.Close("gw-a");
  streams.Close("gw-a");
  streams.Close("gw-a");  // more closes than opens change nothing
  EXPECT_EQ(streams.OpenStreams("gw-a"), 0);
}

}  // namespace
}  // namespace monipaikka
