#pragma once

// API token secrets: how they are made and how they are stored (hashed).

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// A new token: "mpk_" and 64 lowercase hex digits, 256 bits from OpenSSL's
// CSPRNG (RAND_bytes). INTERNAL if the generator fails.
absl::StatusOr<std::string> GenerateTokenSecret();

// Whether `secret` has the form GenerateTokenSecret gives (a cheap check
// before any lookup, so that garbage is told apart from an unknown token).
bool IsWellFormedTokenSecret(absl::string_view secret);

// SHA-256 of `secret`, as 64 lowercase hex digits: what storage keeps.
std::string TokenSecretSha256(absl::string_view secret);

}  // namespace monipaikka
