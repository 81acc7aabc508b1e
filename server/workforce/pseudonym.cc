#include "server/workforce/pseudonym.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace monipaikka {

absl::StatusOr<Pseudonymizer> Pseudonymizer::FromKey(std::string key) {
  if (key.size() < kMinKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("pseudonym key has ", key.size(), " bytes; at least ",
                     kMinKeyBytes, " are needed"));
  }
  return Pseudonymizer(std::move(key));
}

absl::StatusOr<Pseudonymizer> Pseudonymizer::FromKeyFile(
    const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::FailedPreconditionError(
        absl::StrCat("pseudonym key file ", path, " cannot be read"));
  }
  std::stringstream content;
  content << file.rdbuf();
  std::string key = content.str();
  absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(key);
  if (trimmed.size() == 64 &&
      std::all_of(trimmed.begin(), trimmed.end(),
                  [](char c) { return absl::ascii_isxdigit(c); })) {
    key = absl::HexStringToBytes(trimmed);
  }
  absl::StatusOr<Pseudonymizer> result = FromKey(std::move(key));
  if (!result.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": ", result.status().message(),
                     " (e.g. openssl rand -hex 32 > ", path, ")"));
  }
  return result;
}

std::string Pseudonymizer::Pseudonymize(absl::string_view raw_id) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(raw_id.data()), raw_id.size(),
       digest, &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace monipaikka
