#include "tests/support/generic_call.h"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <chrono>

namespace monipaikka::testing {

CallOutcome CallWithBytes(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method,
                          const std::vector<std::string>& messages,
                          const std::string& authorization) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  if (!authorization.empty())
    context.AddMetadata("authorization", authorization);
  grpc::CompletionQueue queue;
  auto wait = [&queue] {
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return ok;
  };
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, method, &queue);
  call->StartCall(nullptr);
  wait();
  for (const std::string& message : messages) {
    grpc::Slice slice(message);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, nullptr);
    if (!wait()) break;  // the server ended the call
  }
  call->WritesDone(nullptr);
  wait();
  grpc::ByteBuffer response;
  call->Read(&response, nullptr);
  const bool answered = wait();
  if (answered) context.TryCancel();
  grpc::Status status;
  call->Finish(&status, nullptr);
  wait();
  CallOutcome outcome;
  outcome.code = answered ? grpc::StatusCode::OK : status.error_code();
  outcome.message = status.error_message();
  return outcome;
}

}  // namespace monipaikka::testing
