#include "server/service/malformed_request_interceptor.h"

#include <string>

#include <google/protobuf/descriptor.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/log.h"

namespace monipaikka {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The method "/pkg.Service/Method" of the linked-in protos, if it takes one
// request message; otherwise null.
const google::protobuf::MethodDescriptor* UnaryRequestMethod(
    absl::string_view path) {
  if (!absl::ConsumePrefix(&path, "/")) return nullptr;
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrReplaceAll(path, {{"/", "."}}));
  return method != nullptr && !method->client_streaming() ? method : nullptr;
}

class MalformedRequestInterceptor : public grpc::experimental::Interceptor {
 public:
  MalformedRequestInterceptor(const google::protobuf::MethodDescriptor* method,
                              std::atomic<uint64_t>* counter)
      : method_(method), counter_(counter) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // What the callback handlers answer when the request does not parse
      // (our handlers always make a reactor, and say why they fail).
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        const std::string rpc = absl::StrCat(method_->service()->name(), "/",
                                             method_->name());
        counter_->fetch_add(1, std::memory_order_relaxed);
        Log(LogLevel::kWarning, "malformed_request", {{"rpc", rpc}});
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat(rpc, ": the request is not a ",
                         method_->input_type()->full_name(), " protobuf")));
      }
    }
    methods->Proceed();
  }

 private:
  const google::protobuf::MethodDescriptor* const method_;
  std::atomic<uint64_t>* const counter_;
};

}  // namespace

grpc::experimental::Interceptor*
MalformedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  const google::protobuf::MethodDescriptor* method =
      UnaryRequestMethod(info->method());
  // No interceptor for the ingest stream (nor unknown methods): nothing to
  // do there.
  return method == nullptr ? nullptr
                           : new MalformedRequestInterceptor(method, counter_);
}

}  // namespace monipaikka
