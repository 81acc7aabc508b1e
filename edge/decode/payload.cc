#include "edge/decode/payload.h"

namespace monipaikka::edge {

absl::string_view ProblemReason(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      return "malformed";
    case absl::StatusCode::kNotFound:
      return "missing_field";
    case absl::StatusCode::kDataLoss:
      return "truncated_frame";
    case absl::StatusCode::kUnimplemented:
      return "unknown_payload";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kResourceExhausted:
      return "too_deep";
    default:
      return "error";
  }
}

}  // namespace monipaikka::edge
