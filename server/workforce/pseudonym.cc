#include "server/workforce/pseudonym.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <filesystem>
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

absl::Status CheckKeyApartFromDatabase(const std::string& key_file,
                                       const std::string& database) {
  namespace fs = std::filesystem;
  std::error_code error;
  // weakly_canonical resolves every symbolic link of the part of the path
  // that exists (the key file and the database's directory do).
  const fs::path key = fs::weakly_canonical(fs::absolute(key_file), error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("pseudonym_key_file: ", key_file, ": ", error.message()));
  }
  const fs::path db_dir =
      fs::weakly_canonical(fs::absolute(database), error).parent_path();
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("db: ", database, ": ", error.message()));
  }
  // Under db_dir when db_dir's components are a prefix of the key's.
  const auto [dir_end, key_it] =
      std::mismatch(db_dir.begin(), db_dir.end(), key.begin(), key.end());
  if (dir_end == db_dir.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pseudonym_key_file: ", key_file, " (", key.string(),
        ") is under the database's directory ", db_dir.string(),
        "; keep the key apart from the data (a copy of the data must not "
        "carry the key that links it to people)"));
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
