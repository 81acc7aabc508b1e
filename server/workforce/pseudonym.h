#pragma once

// Keyed pseudonyms of employee ids: HMAC-SHA256(key, raw id) as 64
// lowercase hex digits (OpenSSL libcrypto). The same id under the same key
// always gives the same pseudonym, so re-imports update the same person;
// under another key it gives an unrelated one. Without the key a pseudonym
// cannot be turned back into an id, nor an id into its pseudonym, which is
// why the key must never be stored beside the data.
//
// Thread safety: immutable after construction; Pseudonymize() may be called
// from any thread.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

class Pseudonymizer {
 public:
  // Smallest accepted key, bytes.
  static constexpr size_t kMinKeyBytes = 32;

  // The key is the file's content: 64 hex digits (an optional line break
  // after them) are decoded to 32 bytes, anything else is taken as raw
  // bytes. Fails when the file cannot be read or the key is shorter than 32
  // bytes; the message names the file.
  static absl::StatusOr<Pseudonymizer> FromKeyFile(const std::string& path);
  // For tests and tools: the key bytes themselves (at least 32).
  static absl::StatusOr<Pseudonymizer> FromKey(std::string key);

  // HMAC-SHA256(key, raw_id), hex.
  std::string Pseudonymize(absl::string_view raw_id) const;

 private:
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// OK when the key file `key_file` lies outside the directory of the
// database file `database` and every directory below it, after both paths
// are made absolute and their symbolic links resolved (so neither a
// subdirectory nor a link into the directory passes). INVALID_ARGUMENT
// naming both otherwise: a copy of the data directory must not carry the
// key that links its pseudonyms to people.
absl::Status CheckKeyApartFromDatabase(const std::string& key_file,
                                       const std::string& database);

}  // namespace monipaikka
