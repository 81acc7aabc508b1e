#pragma once

// Certificates made with the `openssl` command (EC P-256 keys, valid for two
// days), for the TLS tests and the load test. No gtest here: errors are
// returned.

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace monipaikka::testing {

// A certificate and its private key, PEM files.
struct CertificateFiles {
  std::string cert;
  std::string key;
};

// A self-signed certificate authority with common name `name`: files
// `dir`/`name`.crt and .key.
absl::StatusOr<CertificateFiles> MakeCertificateAuthority(
    const std::string& dir, const std::string& name);

// A certificate signed by `ca` for both server and client use: files
// `dir`/`file_name`.crt and .key. `subject_alt_names` is openssl's syntax,
// e.g. "DNS:localhost,IP:127.0.0.1", or empty for none. Serials are unique
// within the process.
absl::StatusOr<CertificateFiles> IssueCertificate(
    const CertificateFiles& ca, const std::string& dir,
    const std::string& file_name, const std::string& common_name,
    const std::string& subject_alt_names);

// A certificate revocation list of `ca` (PEM, valid for two days) listing
// the certificates `revoked` (none: an empty list): file `dir`/`name`.crl.
// Returns its path.
absl::StatusOr<std::string> MakeRevocationList(
    const CertificateFiles& ca, const std::string& dir, const std::string& name,
    const std::vector<CertificateFiles>& revoked);

}  // namespace monipaikka::testing
