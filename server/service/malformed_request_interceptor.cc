#include "server/service/malformed_request_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>

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
                              std::atomic<uint64_t>* counter,
                              RequestSizeLimit* sizes, size_t size_limit,
                              const grpc::ServerContextBase* context,
                              LogRateLimit* log_limit)
      : method_(method),
        counter_(counter),
        sizes_(sizes),
        size_limit_(size_limit),
        context_(context),
        log_limit_(log_limit) {}
  ~MalformedRequestInterceptor() override {
    if (noted_) sizes_->Forget(context_);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (size_limit_ > 0 && methods->QueryInterceptionHookPoint(
                               InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // The request the handler will get (null when it did not parse). The
      // methods of the public API take generated protobuf messages, whose
      // Message base sits at the start of the object.
      const auto* request = static_cast<const google::protobuf::Message*>(
          methods->GetRecvMessage());
      if (request != nullptr) {
        const size_t bytes = request->ByteSizeLong();
        if (bytes > size_limit_) {
          sizes_->NoteOversized(context_, bytes);
          noted_ = true;
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      // What the callback handlers answer when the request does not parse
      // (our handlers always make a reactor, and say why they fail).
      if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED &&
          status.error_message().empty()) {
        const std::string rpc =
            absl::StrCat(method_->service()->name(), "/", method_->name());
        counter_->fetch_add(1, std::memory_order_relaxed);
        uint64_t suppressed = 0;
        if (log_limit_->Allow("malformed_request", &suppressed)) {
          if (suppressed > 0) {
            Log(LogLevel::kWarning, "malformed_requests_suppressed",
                {{"suppressed", suppressed}});
          }
          Log(LogLevel::kWarning, "malformed_request", {{"rpc", rpc}});
        }
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
  RequestSizeLimit* const sizes_;
  // 0: no bound but the server's.
  const size_t size_limit_;
  const grpc::ServerContextBase* const context_;
  LogRateLimit* const log_limit_;
  bool noted_ = false;
};

}  // namespace

grpc::experimental::Interceptor*
MalformedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  const google::protobuf::MethodDescriptor* method =
      UnaryRequestMethod(info->method());
  // No interceptor for the ingest stream (nor unknown methods): nothing to
  // do there.
  if (method == nullptr) return nullptr;
  const size_t size_limit =
      sizes_ != nullptr ? sizes_->LimitOf(info->method()) : 0;
  return new MalformedRequestInterceptor(method, counter_, sizes_, size_limit,
                                         info->server_context(), &log_limit_);
}

}  // namespace monipaikka
