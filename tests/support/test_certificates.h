#pragma once

// Certificates for TLS tests, made at test time with the `openssl` command
// (EC P-256 keys, valid for two days).

#include <string>

#include "tests/support/openssl_certificates.h"
#include "tests/support/temp_dir.h"

namespace monipaikka::testing {

// A certificate authority whose files live in a TempDir.
class TestCa {
 public:
  // A self-signed CA with common name `name`; files `name`.crt/.key in
  // `dir`. Fails the test when openssl fails (see openssl_certificates.h).
  TestCa(const TempDir& dir, const std::string& name);

  // The CA certificate (PEM), what clients or the server trust.
  const std::string& cert_file() const { return files_.cert; }

  // A certificate signed by this CA, files `file_name`.crt/.key, for both
  // server and client use. `subject_alt_names` is openssl's syntax, e.g.
  // "DNS:localhost,IP:127.0.0.1", or empty for none. Serials are unique.
  CertificateFiles Issue(const std::string& file_name,
                         const std::string& common_name,
                         const std::string& subject_alt_names = "") const;

  // This CA's certificate revocation list revoking `revoked`, file
  // `name`.crl; returns its path. Fails the test when openssl fails.
  std::string RevocationList(
      const std::string& name,
      const std::vector<CertificateFiles>& revoked) const;

  // A server certificate for 127.0.0.1 and localhost.
  CertificateFiles IssueServer(const std::string& file_name,
                               const std::string& common_name) const {
    return Issue(file_name, common_name, "DNS:localhost,IP:127.0.0.1");
  }

 private:
  const TempDir& dir_;
  CertificateFiles files_;
};

// Copies `from` over `to` atomically (write beside, then rename).
void ReplaceFile(const std::string& from, const std::string& to);

}  // namespace monipaikka::testing
