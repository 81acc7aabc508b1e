#pragma once

// The caller's side of API tokens: where a token comes from (a file given by
// --token_file, else the environment variable MONIPAIKKA_TOKEN) and a gRPC
// channel that sends it with every call as "authorization: Bearer <token>".

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace monipaikka {

inline constexpr char kTokenEnvironmentVariable[] = "MONIPAIKKA_TOKEN";

// The token in the file at `path`, without surrounding whitespace.
// INVALID_ARGUMENT naming the file when it cannot be read, is empty, or
// holds more than one line.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// The token from `token_file` when it is not empty, else from
// MONIPAIKKA_TOKEN (trimmed); "" when neither is given (calls then go
// without credentials and the server answers UNAUTHENTICATED).
absl::StatusOr<std::string> LoadToken(const std::string& token_file);

// A channel to `target` whose every call carries `token` (none if empty).
std::shared_ptr<grpc::Channel> CreateChannelWithToken(
    const std::string& target,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials,
    const grpc::ChannelArguments& args, const std::string& token);

}  // namespace monipaikka
