#include "common/metrics_endpoint.h"

#include <atomic>
#include <memory>

#include "common/metric_set.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"

namespace monipaikka {
namespace {

using ::monipaikka::testing::HttpGet;
using ::monipaikka::testing::SampleValue;

TEST(MetricsEndpointTest, ServesTheCurrentValuesOverHttp) {
  std::atomic<uint64_t> scraped_things{5};
  auto metrics = std::make_shared<MetricSet>();
  metrics->AddCounter("test_things_total", "Things.", &scraped_things);
  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
      MetricsEndpoint::Start("127.0.0.1:0", false, metrics);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  ASSERT_GT((*endpoint)->port(), 0);

  auto response = HttpGet((*endpoint)->port(), "/metrics");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->headers.find("text/plain"), std::string::npos)
      << response->headers;
  EXPECT_EQ(SampleValue(response->body, "test_things_total"), 5);

  scraped_things += 2;
  response = HttpGet((*endpoint)->port(), "/metrics");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(SampleValue(response->body, "test_things_total"), 7);
}

TEST(MetricsEndpointTest, RefusesNonLoopbackUnlessAllowed) {
  auto metrics = std::make_shared<MetricSet>();
  absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
      MetricsEndpoint::Start("0.0.0.0:0", false, metrics);
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(endpoint.status().message().find("not loopback"),
            std::string::npos);
  EXPECT_NE(endpoint.status().message().find("--metrics_allow_non_loopback"),
            std::string::npos);

  endpoint = MetricsEndpoint::Start("0.0.0.0:0", true, metrics);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status();
  EXPECT_GT((*endpoint)->port(), 0);
}

TEST(MetricsEndpointTest, NamesAMalformedOrBusyAddress) {
  auto metrics = std::make_shared<MetricSet>();
  auto endpoint = MetricsEndpoint::Start("127.0.0.1", false, metrics);
  ASSERT_FALSE(endpoint.ok());
  EXPECT_NE(endpoint.status().message().find("\"127.0.0.1\" is not host:port"),
            std::string::npos)
      << endpoint.status();

  auto first = MetricsEndpoint::Start("127.0.0.1:0", false, metrics);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string busy = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = MetricsEndpoint::Start(busy, false, metrics);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(busy), std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace monipaikka
