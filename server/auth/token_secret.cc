#include "server/auth/token_secret.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

constexpr absl::string_view kPrefix = "mpk_";
constexpr size_t kSecretBytes = 32;

}  // namespace

absl::StatusOr<std::string> GenerateTokenSecret() {
  unsigned char bytes[kSecretBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::InternalError("the random generator (RAND_bytes) failed");
  }
  return absl::StrCat(
      kPrefix, absl::BytesToHexString(absl::string_view(
                   reinterpret_cast<const char*>(bytes), sizeof(bytes))));
}

bool IsWellFormedTokenSecret(absl::string_view secret) {
  if (!absl::StartsWith(secret, kPrefix)) return false;
  absl::string_view hex = secret.substr(kPrefix.size());
  if (hex.size() != 2 * kSecretBytes) return false;
  for (char c : hex) {
    if (!absl::ascii_isdigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

std::string TokenSecretSha256(absl::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
         digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace monipaikka
