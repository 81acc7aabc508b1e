#include "server/http/connect_protocol.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace monipaikka::http {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::MethodDescriptor;
using google::protobuf::ServiceDescriptor;

// The media type without parameters, lower case.
std::string MediaType(absl::string_view content_type) {
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(content_type, absl::MaxSplits(';', 1));
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts.first));
}

// A new, empty message of `type` from the generated pool.
std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  const Message* prototype =
      MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<Message>(prototype->New());
}

// Appends `text` to `out` as a JSON string (quoted, escaped).
void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (const unsigned char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          constexpr char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

}  // namespace

absl::StatusOr<ConnectCall> ResolveConnectCall(absl::string_view path,
                                               absl::string_view content_type) {
  // "/monipaikka.v1.Service/Method"
  if (!absl::ConsumePrefix(&path, "/")) {
    return absl::NotFoundError("the path names no RPC");
  }
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(path, absl::MaxSplits('/', 1));
  const absl::string_view service_name = parts.first;
  const absl::string_view method_name = parts.second;
  const ServiceDescriptor* service = nullptr;
  if (absl::StartsWith(service_name, absl::StrCat(kExposedPackage, ".")) &&
      !method_name.empty() && !absl::StrContains(method_name, '/')) {
    service = DescriptorPool::generated_pool()->FindServiceByName(
        std::string(service_name));
  }
  const MethodDescriptor* method =
      service != nullptr ? service->FindMethodByName(std::string(method_name))
                         : nullptr;
  if (method == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no RPC ", service_name, "/", method_name, " in ", kExposedPackage));
  }
  if (method->client_streaming()) {
    return absl::UnimplementedError(
        absl::StrCat(service_name, "/", method_name,
                     " streams requests: call it over gRPC"));
  }
  ConnectCall call;
  call.method = method;
  call.grpc_path = absl::StrCat("/", service_name, "/", method_name);
  call.streaming = method->server_streaming();
  const std::string media = MediaType(content_type);
  if (call.streaming) {
    if (media == "application/connect+json") {
      call.codec = Codec::kJson;
    } else if (media == "application/connect+proto") {
      call.codec = Codec::kProto;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "Content-Type \"", media, "\": ", service_name, "/", method_name,
          " streams its answers and takes application/connect+json or "
          "application/connect+proto"));
    }
  } else {
    if (media == "application/json") {
      call.codec = Codec::kJson;
    } else if (media == "application/proto") {
      call.codec = Codec::kProto;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "Content-Type \"", media, "\": ", service_name, "/", method_name,
          " takes application/json or application/proto"));
    }
  }
  return call;
}

absl::string_view ConnectCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "ok";
    case absl::StatusCode::kCancelled:
      return "canceled";
    case absl::StatusCode::kUnknown:
      return "unknown";
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kUnimplemented:
      return "unimplemented";
    case absl::StatusCode::kInternal:
      return "internal";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDataLoss:
      return "data_loss";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int ConnectHttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    default:  // unknown, internal, data_loss and codes without a name
      return 500;
  }
}

std::string ConnectErrorJson(const absl::Status& status) {
  std::string out = "{\"code\":";
  AppendJsonString(ConnectCodeName(status.code()), &out);
  if (!status.message().empty()) {
    out.append(",\"message\":");
    AppendJsonString(status.message(), &out);
  }
  out.push_back('}');
  return out;
}

absl::StatusOr<std::string> RequestToBinary(const ConnectCall& call,
                                            absl::string_view body) {
  const Descriptor* type = call.method->input_type();
  std::unique_ptr<Message> message = NewMessage(type);
  if (message == nullptr) {
    return absl::InternalError(
        absl::StrCat("no message type ", type->full_name()));
  }
  if (call.codec == Codec::kProto) {
    if (!message->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return absl::InvalidArgumentError(
          absl::StrCat("the request body is no binary ", type->full_name()));
    }
    return std::string(body);
  }
  if (!absl::StripAsciiWhitespace(body).empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const google::protobuf::util::Status parsed =
        google::protobuf::util::JsonStringToMessage(
            google::protobuf::StringPiece(body.data(), body.size()),
            message.get(), options);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the request body is no JSON ", type->full_name(), ": ",
                       std::string(parsed.message())));
    }
  }
  std::string binary;
  if (!message->SerializeToString(&binary)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request body is no complete ", type->full_name()));
  }
  return binary;
}

absl::StatusOr<std::string> ResponseFromBinary(const ConnectCall& call,
                                               absl::string_view binary) {
  if (call.codec == Codec::kProto) return std::string(binary);
  const Descriptor* type = call.method->output_type();
  std::unique_ptr<Message> message = NewMessage(type);
  if (message == nullptr ||
      !message->ParseFromArray(binary.data(),
                               static_cast<int>(binary.size()))) {
    return absl::InternalError(
        absl::StrCat("the answer is no ", type->full_name()));
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  const google::protobuf::util::Status printed =
      google::protobuf::util::MessageToJsonString(*message, &json, options);
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("the answer ", type->full_name(),
                     " has no JSON form: ", std::string(printed.message())));
  }
  return json;
}

std::string Envelope(uint8_t flags, absl::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  const uint32_t size = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>((size >> 24) & 0xff));
  out.push_back(static_cast<char>((size >> 16) & 0xff));
  out.push_back(static_cast<char>((size >> 8) & 0xff));
  out.push_back(static_cast<char>(size & 0xff));
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<std::string> SingleEnvelopePayload(absl::string_view body) {
  if (body.size() < 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the streaming request body is ", body.size(),
        " bytes, shorter than an envelope (5 bytes and the message)"));
  }
  const auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(body[i]));
  };
  const uint8_t flags = static_cast<uint8_t>(byte(0));
  const uint32_t size =
      (byte(1) << 24) | (byte(2) << 16) | (byte(3) << 8) | byte(4);
  if ((flags & kEnvelopeCompressed) != 0) {
    return absl::InvalidArgumentError(
        "the request message is compressed; the server accepts none");
  }
  if (flags != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request envelope has flags ", flags,
                     "; a request message has none"));
  }
  if (body.size() - 5 != size) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request envelope says ", size,
                     " bytes of message, the body holds ", body.size() - 5,
                     "; a server-streaming call takes exactly one message"));
  }
  return std::string(body.substr(5));
}

std::string EndStreamJson(const absl::Status& status) {
  if (status.ok()) return "{}";
  return absl::StrCat("{\"error\":", ConnectErrorJson(status), "}");
}

std::optional<int64_t> ParseTimeoutMs(absl::string_view value) {
  if (value.empty() || value.size() > 10) return std::nullopt;
  int64_t ms = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    ms = ms * 10 + (c - '0');
  }
  return ms;
}

}  // namespace monipaikka::http
