#include "common/grpc_status.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

// The canonical codes, OK (0) to UNAUTHENTICATED (16), are numbered alike by
// gRPC and absl.
constexpr int kLastCanonicalCode = 16;

int CanonicalCode(int code) {
  return code >= 0 && code <= kLastCanonicalCode ? code : 2 /* UNKNOWN */;
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(
                          CanonicalCode(static_cast<int>(status.code()))),
                      std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(
                          CanonicalCode(static_cast<int>(status.error_code()))),
                      status.error_message());
}

absl::Status FromGrpcStatus(const grpc::Status& status,
                            absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(
                          CanonicalCode(static_cast<int>(status.error_code()))),
                      absl::StrCat(context, ": ", status.error_message()));
}

}  // namespace monipaikka
