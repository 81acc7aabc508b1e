#include "server/http/connect_protocol.h"

#include <gtest/gtest.h>

#include "monipaikka/v1/live.pb.h"

namespace monipaikka::http {
namespace {

TEST(ConnectProtocolTest, ResolvesUnaryAndStreamingMethodsOfTheApi) {
  absl::StatusOr<ConnectCall> unary =
      ResolveConnectCall("/monipaikka.v1.LiveOccupancyService/GetLiveOccupancy",
                         "application/json; charset=utf-8");
  ASSERT_TRUE(unary.ok()) << unary.status();
  EXPECT_FALSE(unary->streaming);
  EXPECT_EQ(unary->codec, Codec::kJson);
  EXPECT_EQ(unary->grpc_path,
            "/monipaikka.v1.LiveOccupancyService/GetLiveOccupancy");

  absl::StatusOr<ConnectCall> proto = ResolveConnectCall(
      "/monipaikka.v1.InventoryService/ListSites", "application/proto");
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(proto->codec, Codec::kProto);

  absl::StatusOr<ConnectCall> watch = ResolveConnectCall(
      "/monipaikka.v1.LiveOccupancyService/WatchLiveOccupancy",
      "application/connect+json");
  ASSERT_TRUE(watch.ok()) << watch.status();
  EXPECT_TRUE(watch->streaming);
}

TEST(ConnectProtocolTest, RefusesUnknownMethodsOtherPackagesAndWrongTypes) {
  EXPECT_TRUE(absl::IsNotFound(
      ResolveConnectCall("/monipaikka.v1.InventoryService/Nope",
                         "application/json")
          .status()));
  EXPECT_TRUE(absl::IsNotFound(
      ResolveConnectCall("/grpc.health.v1.Health/Check", "application/json")
          .status()));
  EXPECT_TRUE(absl::IsNotFound(
      ResolveConnectCall("/google.protobuf.Empty/X", "application/json")
          .status()));
  // The ingest stream sends many requests: gRPC only.
  EXPECT_TRUE(absl::IsUnimplemented(
      ResolveConnectCall("/monipaikka.v1.IngestService/StreamReadings",
                         "application/connect+json")
          .status()));
  // A unary method with a streaming content type and the reverse.
  EXPECT_TRUE(absl::IsInvalidArgument(
      ResolveConnectCall("/monipaikka.v1.InventoryService/ListSites",
                         "application/connect+json")
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ResolveConnectCall(
          "/monipaikka.v1.LiveOccupancyService/WatchLiveOccupancy",
          "application/json")
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ResolveConnectCall("/monipaikka.v1.InventoryService/ListSites",
                         "text/plain")
          .status()));
}

TEST(ConnectProtocolTest, MapsCodesAsTheConnectProtocolDoes) {
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kCancelled), 499);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kDataLoss), 500);
  EXPECT_EQ(ConnectCodeName(absl::StatusCode::kCancelled), "canceled");
  EXPECT_EQ(
      ConnectErrorJson(absl::PermissionDeniedError("needs \"facility\"\n")),
      "{\"code\":\"permission_denied\",\"message\":\"needs "
      "\\\"facility\\\"\\n\"}");
  EXPECT_EQ(EndStreamJson(absl::OkStatus()), "{}");
  EXPECT_EQ(EndStreamJson(absl::UnauthenticatedError("revoked")),
            "{\"error\":{\"code\":\"unauthenticated\",\"message\":"
            "\"revoked\"}}");
}

TEST(ConnectProtocolTest, TranscodesJsonToBinaryAndBack) {
  absl::StatusOr<ConnectCall> call =
      ResolveConnectCall("/monipaikka.v1.LiveOccupancyService/GetLiveOccupancy",
                         "application/json");
  ASSERT_TRUE(call.ok());
  absl::StatusOr<std::string> binary =
      RequestToBinary(*call, R"({"site": "HKI-1", "space": "F2"})");
  ASSERT_TRUE(binary.ok()) << binary.status();
  v1::LiveOccupancyRequest request;
  ASSERT_TRUE(request.ParseFromString(*binary));
  EXPECT_EQ(request.site(), "HKI-1");
  EXPECT_EQ(request.space(), "F2");
  // An empty body is the empty request.
  absl::StatusOr<std::string> empty = RequestToBinary(*call, "");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  // Unknown fields and broken JSON name the problem.
  absl::Status unknown = RequestToBinary(*call, R"({"sight": "x"})").status();
  EXPECT_TRUE(absl::IsInvalidArgument(unknown));
  EXPECT_NE(unknown.message().find("sight"), absl::string_view::npos)
      << unknown;
  EXPECT_TRUE(
      absl::IsInvalidArgument(RequestToBinary(*call, "{\"site\": ").status()));

  v1::LiveOccupancy answer;
  answer.set_site("HKI-1");
  absl::StatusOr<std::string> json =
      ResponseFromBinary(*call, answer.SerializeAsString());
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(*json, R"({"site":"HKI-1"})");
}

TEST(ConnectProtocolTest, ProtoBodiesPassThroughWhenTheyParse) {
  absl::StatusOr<ConnectCall> call =
      ResolveConnectCall("/monipaikka.v1.LiveOccupancyService/GetLiveOccupancy",
                         "application/proto");
  ASSERT_TRUE(call.ok());
  v1::LiveOccupancyRequest request;
  request.set_site("S");
  EXPECT_EQ(*RequestToBinary(*call, request.SerializeAsString()),
            request.SerializeAsString());
  EXPECT_TRUE(
      absl::IsInvalidArgument(RequestToBinary(*call, "\xff\xff").status()));
}

TEST(ConnectProtocolTest, EnvelopesFrameOneMessage) {
  const std::string frame = Envelope(kEnvelopeEndStream, "{}");
  ASSERT_EQ(frame.size(), 7u);
  EXPECT_EQ(frame[0], 2);
  EXPECT_EQ(frame.substr(1, 4), std::string("\0\0\0\2", 4));
  EXPECT_EQ(*SingleEnvelopePayload(Envelope(0, "{\"site\":\"S\"}")),
            "{\"site\":\"S\"}");
  EXPECT_TRUE(absl::IsInvalidArgument(
      SingleEnvelopePayload(Envelope(kEnvelopeCompressed, "x")).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      SingleEnvelopePayload(Envelope(0, "ab") + Envelope(0, "c")).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(SingleEnvelopePayload("\0\0").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      SingleEnvelopePayload(std::string("\0\0\0\0\x09x", 6)).status()));
}

TEST(ConnectProtocolTest, TimeoutHeaderIsOneToTenDigits) {
  EXPECT_EQ(ParseTimeoutMs("1500"), 1500);
  EXPECT_EQ(ParseTimeoutMs("9999999999"), 9999999999);
  EXPECT_FALSE(ParseTimeoutMs("").has_value());
  EXPECT_FALSE(ParseTimeoutMs("12345678901").has_value());
  EXPECT_FALSE(ParseTimeoutMs("-1").has_value());
  EXPECT_FALSE(ParseTimeoutMs("1.5").has_value());
}

}  // namespace
}  // namespace monipaikka::http
