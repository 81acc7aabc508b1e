#pragma once

// The Connect protocol (connectrpc.com/docs/protocol) over HTTP/1.1, the
// parts that need no socket: which RPC a request path names, the codecs
// (the proto3 JSON mapping and binary protobuf), the error body and its
// HTTP status, the envelopes of server-streaming calls and the request
// timeout header.
//
// The gateway (http_gateway.h) forwards every call to the gRPC services
// in-process, so a request is only transcoded here: from JSON to the binary
// message the gRPC method takes, and its answer back.
//
// Thread safety: every function is pure (the generated descriptor pool is
// immutable) and may be called from any thread.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace google::protobuf {
class MethodDescriptor;
}

namespace monipaikka::http {

// The only proto package whose services the gateway exposes.
inline constexpr absl::string_view kExposedPackage = "monipaikka.v1";

// How a message travels in a request or response body.
enum class Codec {
  kJson,   // the proto3 JSON mapping
  kProto,  // binary protobuf
};

// A Connect call as named by its request path and content type.
struct ConnectCall {
  const google::protobuf::MethodDescriptor* method = nullptr;
  // The gRPC method path, "/monipaikka.v1.LiveOccupancyService/GetLive...".
  std::string grpc_path;
  // Server streaming: enveloped bodies (application/connect+json|proto).
  bool streaming = false;
  Codec codec = Codec::kJson;
};

// The RPC that `path` ("/monipaikka.v1.Service/Method", no query) names,
// with the codec of `content_type` (parameters such as "; charset=utf-8"
// ignored). NOT_FOUND (answered as Connect "unimplemented", HTTP 404) for a
// path that names no method of a service in monipaikka.v1;
// UNIMPLEMENTED for client- and bidirectional-streaming methods (the ingest
// stream is gRPC only); INVALID_ARGUMENT (answered HTTP 415) for a content
// type that does not fit the method: application/json or application/proto
// for unary methods, application/connect+json or application/connect+proto
// for server-streaming ones.
absl::StatusOr<ConnectCall> ResolveConnectCall(absl::string_view path,
                                               absl::string_view content_type);

// The Connect name of a canonical status code ("permission_denied"); the
// codes are numbered as gRPC numbers them. Unknown values: "unknown".
absl::string_view ConnectCodeName(absl::StatusCode code);

// The HTTP status a unary call answers with for `code`, per the Connect
// protocol (e.g. 403 for PERMISSION_DENIED, 401 for UNAUTHENTICATED).
int ConnectHttpStatus(absl::StatusCode code);

// The Connect error object {"code":"...","message":"..."} of a non-OK
// status (UTF-8 JSON).
std::string ConnectErrorJson(const absl::Status& status);

// The request message of `call` from its body, as binary protobuf: JSON is
// parsed with the proto3 mapping (unknown fields are an error; an empty
// body is the empty message); binary is checked to parse. INVALID_ARGUMENT
// naming the problem.
absl::StatusOr<std::string> RequestToBinary(const ConnectCall& call,
                                            absl::string_view body);

// A response message of `call` (binary protobuf from the gRPC method) in
// the call's codec. INTERNAL if it does not parse.
absl::StatusOr<std::string> ResponseFromBinary(const ConnectCall& call,
                                               absl::string_view binary);

// Envelope flags of the streaming protocol.
inline constexpr uint8_t kEnvelopeCompressed = 0x01;
inline constexpr uint8_t kEnvelopeEndStream = 0x02;

// One enveloped message: a flags byte, the payload's length (4 bytes, big
// endian), the payload.
std::string Envelope(uint8_t flags, absl::string_view payload);

// The payload of the one envelope a server-streaming request holds.
// INVALID_ARGUMENT when the body is not exactly one envelope, or its
// message is compressed (the gateway accepts no compression).
absl::StatusOr<std::string> SingleEnvelopePayload(absl::string_view body);

// The end-of-stream message's JSON: {} for OK, else {"error":{...}}.
std::string EndStreamJson(const absl::Status& status);

// The Connect-Timeout-Ms header's value: 1 to 10 ASCII digits, in
// milliseconds. nullopt when it is not of that form.
std::optional<int64_t> ParseTimeoutMs(absl::string_view value);

}  // namespace monipaikka::http
