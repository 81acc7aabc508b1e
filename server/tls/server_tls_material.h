#pragma once

// The server's TLS certificate, key and (for mTLS) client CA, read from PEM
// files and checked with OpenSSL before they are put into service.

#include <string>

#include "absl/status/statusor.h"

namespace monipaikka {

struct ServerTlsFiles {
  // PEM certificate chain, the server's own certificate first.
  std::string cert_file;
  // PEM private key of that certificate.
  std::string key_file;
  // PEM CA certificates that client certificates are verified against;
  // empty: client certificates are not requested.
  std::string client_ca_file;

  bool enabled() const { return !cert_file.empty() || !key_file.empty(); }
};

struct ServerTlsMaterial {
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;  // empty without a client CA file
  // Of the server's certificate, for the log.
  std::string subject;
  std::string serial_hex;
  std::string not_after;
};

// Reads and checks the files: every one parses as PEM, the chain holds at
// least one certificate, the key belongs to the first certificate, the
// certificate is valid now, and the client CA file (when given) holds at
// least one certificate. Errors name the file and the problem.
absl::StatusOr<ServerTlsMaterial> LoadServerTlsMaterial(
    const ServerTlsFiles& files);

}  // namespace monipaikka
