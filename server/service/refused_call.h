#pragma once

// Reactors for streaming calls refused before they start (e.g. by the
// access check): each finishes the call at once with the given status.

#include <grpcpp/grpcpp.h>

namespace monipaikka {

// Client-streaming calls.
template <typename Request>
class RefusedReadStream : public grpc::ServerReadReactor<Request> {
 public:
  explicit RefusedReadStream(const grpc::Status& status) {
    this->Finish(status);
  }
  void OnDone() override { delete this; }
};

// Server-streaming calls.
template <typename Response>
class RefusedWriteStream : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedWriteStream(const grpc::Status& status) {
    this->Finish(status);
  }
  void OnDone() override { delete this; }
};

// Bidirectional calls.
template <typename Request, typename Response>
class RefusedBidiStream : public grpc::ServerBidiReactor<Request, Response> {
 public:
  explicit RefusedBidiStream(const grpc::Status& status) {
    this->Finish(status);
  }
  void OnDone() override { delete this; }
};

}  // namespace monipaikka
