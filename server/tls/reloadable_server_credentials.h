#pragma once

// gRPC server credentials for TLS whose certificate, key and client CA can
// be replaced while the server runs. Connections made after Replace() use the
// new material; established ones keep theirs.
//
// Built on gRPC core's SSL server credentials with a certificate-config
// fetcher: gRPC asks the fetcher before every handshake, and the fetcher
// hands over a new config only when Replace() was called since. gRPC keeps
// a pointer to this object: it must outlive every server it was added to.

#include <grpc/grpc_security.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "server/auth/access_control.h"
#include "server/tls/server_tls_material.h"

namespace monipaikka {

// Also the revocation list of client certificates in force (the material's
// CRL), replaced with the rest on Replace().
class ReloadableServerCredentials final : public grpc::ServerCredentials,
                                          public CertificateRevocation {
 public:
  // With a client CA in `material`, client certificates are requested and,
  // when presented, verified against it (not required). The presence of a
  // client CA cannot change later.
  explicit ReloadableServerCredentials(ServerTlsMaterial material);
  ~ReloadableServerCredentials() override;

  // Puts `material` into service for new connections; its CRL at once for
  // every call (IsRevoked).
  void Replace(ServerTlsMaterial material);

  bool IsRevoked(absl::string_view certificate_pem) const override;

  // Not supported: callers authenticate in the services.
  void SetAuthMetadataProcessor(
      const std::shared_ptr<grpc::AuthMetadataProcessor>& processor) override;

 private:
  int AddPortToServer(const std::string& addr, grpc_server* server) override;

  static grpc_ssl_certificate_config_reload_status Fetch(
      void* self, grpc_ssl_server_certificate_config** config);

  mutable absl::Mutex mutex_;
  ServerTlsMaterial material_ ABSL_GUARDED_BY(mutex_);
  // Material newer than what gRPC holds.
  bool changed_ ABSL_GUARDED_BY(mutex_) = true;
  grpc_server_credentials* credentials_ = nullptr;
};

}  // namespace monipaikka
