#include "common/grpc_status.h"

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(GrpcStatusTest, OkStaysOkBothWays) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK, "ListSensors").ok());
}

TEST(GrpcStatusTest, EveryCanonicalCodeAndTheMessageSurviveTheRoundTrip) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status original(static_cast<absl::StatusCode>(code),
                                "sensor \"d-1\": unknown");
    const grpc::Status wire = ToGrpcStatus(original);
    EXPECT_EQ(static_cast<int>(wire.error_code()), code);
    EXPECT_EQ(wire.error_message(), "sensor \"d-1\": unknown");
    EXPECT_EQ(FromGrpcStatus(wire), original) << code;
  }
}

TEST(GrpcStatusTest, NamedCodesMatch) {
  EXPECT_EQ(ToGrpcStatus(absl::ResourceExhaustedError("limit")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("token")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::IsPermissionDenied(FromGrpcStatus(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "gateway"))));
}

TEST(GrpcStatusTest, ACodeOutsideTheCanonicalOnesBecomesUnknown) {
  const grpc::Status odd(grpc::StatusCode::DO_NOT_USE, "odd");
  const absl::Status converted = FromGrpcStatus(odd);
  EXPECT_EQ(converted.code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(converted.message(), "odd");
  const absl::Status future(static_cast<absl::StatusCode>(42), "future");
  EXPECT_EQ(ToGrpcStatus(future).error_code(), grpc::StatusCode::UNKNOWN);
}

TEST(GrpcStatusTest, TheContextPrefixesTheMessage) {
  const absl::Status converted = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
      "ListSites");
  EXPECT_EQ(converted, absl::UnavailableError("ListSites: connection refused"));
}

}  // namespace
}  // namespace monipaikka
