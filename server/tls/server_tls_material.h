#pragma once

// The server's TLS certificate, key and (for mTLS) client CA, read from PEM
// files and checked with OpenSSL before they are put into service.

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

struct ServerTlsFiles {
  // PEM certificate chain, the server's own certificate first.
  std::string cert_file;
  // PEM private key of that certificate.
  std::string key_file;
  // PEM CA certificates that client certificates are verified against;
  // empty: client certificates are not requested.
  std::string client_ca_file;
  // PEM certificate revocation lists of the client CA(s): client
  // certificates they list are refused. Empty: none.
  std::string crl_file;

  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct ServerTlsMaterial {
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;  // empty without a client CA file
  // The client certificates the CRL file revokes, as RevocationKey()s;
  // empty without a CRL file. Shared: the material is copied on reload.
  std::shared_ptr<const absl::flat_hash_set<std::string>> revoked;
  // Of the CRL file, for the log: CRLs read and the entries they hold.
  int crl_count = 0;
  // Of the server's certificate, for the log.
  std::string subject;
  std::string serial_hex;
  std::string not_after;
};

// Reads and checks the files: every one parses as PEM, the chain holds at
// least one certificate, the key belongs to the first certificate, the
// certificate is valid now, the client CA file (when given) holds at least
// one certificate, and the CRL file (only with a client CA file) holds at
// least one CRL, each issued and signed by one of the client CAs. Errors
// name the file and the problem.
absl::StatusOr<ServerTlsMaterial> LoadServerTlsMaterial(
    const ServerTlsFiles& files);

// Whether the PEM certificate `certificate_pem` is in `revoked` (its issuer
// and serial number). A certificate that does not parse counts as revoked.
bool IsRevokedCertificate(const absl::flat_hash_set<std::string>& revoked,
                          absl::string_view certificate_pem);

}  // namespace monipaikka
