#include "client/read_retry.h"

#include <atomic>
#include <memory>

#include "absl/strings/match.h"
#include "common/client_retry.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "monipaikka/v1/inventory.grpc.pb.h"

namespace monipaikka::client {
namespace {

// Answers UNAVAILABLE to the first `failures` listings and to every import,
// counting the calls that reached it.
class FlakyInventory final : public v1::InventoryService::Service {
 public:
  explicit FlakyInventory(int failures) : failures_(failures) {}

  grpc::Status ListSites(grpc::ServerContext*, const v1::ListSitesRequest*,
                         v1::ListSitesResponse*) override {
    if (++list_calls > failures_) return grpc::Status::OK;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost");
  }

  // Asks the client not to send it again (as the server does for an HR
  // month being prepared).
  grpc::Status ListOrganizations(grpc::ServerContext* context,
                                 const v1::ListOrganizationsRequest*,
                                 v1::ListOrganizationsResponse*) override {
    ++list_calls;
    context->AddTrailingMetadata(kRetryPushbackKey, kNoRetryPushback);
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "ask again shortly");
  }

  grpc::Status ImportInventory(grpc::ServerContext*,
                               const v1::ImportInventoryRequest*,
                               v1::ImportInventoryResponse*) override {
    ++import_calls;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection lost");
  }

  std::atomic<int> list_calls{0};
  std::atomic<int> import_calls{0};

 private:
  const int failures_;
};

class ReadRetryTest : public ::testing::Test {
 protected:
  void Serve(int failures) {
    service_ = std::make_unique<FlakyInventory>(failures);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }

  std::unique_ptr<v1::InventoryService::Stub> Stub(
      const grpc::ChannelArguments& arguments) {
    return v1::InventoryService::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port_),
        grpc::InsecureChannelCredentials(), arguments));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  std::unique_ptr<FlakyInventory> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

grpc::Status ListSites(v1::InventoryService::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  v1::ListSitesResponse response;
  return stub.ListSites(&context, v1::ListSitesRequest(), &response);
}

TEST_F(ReadRetryTest, AReadLostTwiceIsAnsweredOnTheThirdAttempt) {
  Serve(2);
  auto stub = Stub(ReadRetryChannelArguments());
  const grpc::Status status = ListSites(*stub);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(service_->list_calls.load(), 3);
}

TEST_F(ReadRetryTest, WithoutThePolicyTheFirstLossIsTheAnswer) {
  Serve(1);
  auto stub = Stub(grpc::ChannelArguments());
  EXPECT_EQ(ListSites(*stub).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_->list_calls.load(), 1);
}

TEST_F(ReadRetryTest, AReadIsTriedAtMostFourTimes) {
  Serve(100);
  auto stub = Stub(ReadRetryChannelArguments());
  const grpc::Status status = ListSites(*stub);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "connection lost");
  EXPECT_EQ(service_->list_calls.load(), kReadAttempts);
}

TEST_F(ReadRetryTest, AReadTheServerSaysNotToRetryIsSentOnce) {
  Serve(0);
  auto stub = Stub(ReadRetryChannelArguments());
  grpc::ClientContext context;
  v1::ListOrganizationsResponse response;
  const grpc::Status status = stub->ListOrganizations(
      &context, v1::ListOrganizationsRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_->list_calls.load(), 1);
}

TEST_F(ReadRetryTest, AnImportIsNeverSentTwice) {
  Serve(0);
  auto stub = Stub(ReadRetryChannelArguments());
  grpc::ClientContext context;
  v1::ImportInventoryResponse response;
  const grpc::Status status =
      stub->ImportInventory(&context, v1::ImportInventoryRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_->import_calls.load(), 1);
}

TEST(ReadRetryServiceConfigTest, NamesEveryUnaryReadAndNoWrite) {
  const std::string config = ReadRetryServiceConfig();
  for (
      const char* read :
      {R"({"service":"monipaikka.v1.AnalyticsService","method":"GetUsageReport"})",
       R"({"service":"monipaikka.v1.AuthService","method":"ListTokens"})",
       R"({"service":"monipaikka.v1.BookingService","method":"GetBookingReport"})",
       R"({"service":"monipaikka.v1.InventoryService","method":"GetPlanSvg"})",
       R"({"service":"monipaikka.v1.LiveOccupancyService","method":"GetLiveOccupancy"})",
       R"({"service":"monipaikka.v1.PlanningService","method":"GetForecast"})",
       R"({"service":"monipaikka.v1.SamplingService","method":"GetObservationStudy"})",
       R"({"service":"monipaikka.v1.SensorHealthService","method":"ListSensorHealth"})",
       R"({"service":"monipaikka.v1.UtilizationService","method":"GetUtilization"})",
       R"({"service":"monipaikka.v1.WorkforceService","method":"GetOfficeDays"})"}) {
    EXPECT_TRUE(absl::StrContains(config, read)) << read;
  }
  for (const char* write :
       {"ImportInventory", "ImportBookings", "ImportEmployees",
        "RecordWorkDays", "CreateToken", "RevokeToken", "PutTarget",
        "DeleteTarget", "WatchLiveOccupancy", "StreamReadings"}) {
    EXPECT_FALSE(absl::StrContains(config, write)) << write;
  }
}

}  // namespace
}  // namespace monipaikka::client
