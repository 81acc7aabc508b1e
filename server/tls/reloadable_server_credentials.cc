#include "server/tls/reloadable_server_credentials.h"

#include <grpc/grpc.h>

#include "common/check.h"

namespace monipaikka {

ReloadableServerCredentials::ReloadableServerCredentials(
    ServerTlsMaterial material)
    : material_(std::move(material)) {
  const grpc_ssl_client_certificate_request_type client_certificates =
      material_.client_ca_pem.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  grpc_ssl_server_credentials_options* options =
      grpc_ssl_server_credentials_create_options_using_config_fetcher(
          client_certificates, &ReloadableServerCredentials::Fetch, this);
  credentials_ = grpc_ssl_server_credentials_create_with_options(options);
}

ReloadableServerCredentials::~ReloadableServerCredentials() {
  grpc_server_credentials_release(credentials_);
}

void ReloadableServerCredentials::Replace(ServerTlsMaterial material) {
  absl::MutexLock lock(&mutex_);
  material_ = std::move(material);
  changed_ = true;
}

bool ReloadableServerCredentials::IsRevoked(
    absl::string_view certificate_pem) const {
  std::shared_ptr<const absl::flat_hash_set<std::string>> revoked;
  {
    absl::MutexLock lock(&mutex_);
    revoked = material_.revoked;
  }
  return revoked != nullptr && IsRevokedCertificate(*revoked, certificate_pem);
}

void ReloadableServerCredentials::SetAuthMetadataProcessor(
    const std::shared_ptr<grpc::AuthMetadataProcessor>&) {
  MONIPAIKKA_FATAL(
      "ReloadableServerCredentials has no auth metadata processor");
}

int ReloadableServerCredentials::AddPortToServer(const std::string& addr,
                                                 grpc_server* server) {
  return grpc_server_add_http2_port(server, addr.c_str(), credentials_);
}

grpc_ssl_certificate_config_reload_status ReloadableServerCredentials::Fetch(
    void* self, grpc_ssl_server_certificate_config** config) {
  auto* credentials = static_cast<ReloadableServerCredentials*>(self);
  absl::MutexLock lock(&credentials->mutex_);
  if (!credentials->changed_)
    return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_UNCHANGED;
  const ServerTlsMaterial& material = credentials->material_;
  grpc_ssl_pem_key_cert_pair pair{material.key_pem.c_str(),
                                  material.cert_pem.c_str()};
  // gRPC requires root certificates in a fetched config even when it does
  // not ask for client certificates; without a client CA the server's own
  // chain stands in, unused. gRPC copies the strings and takes ownership of
  // the config.
  const std::string& roots = material.client_ca_pem.empty()
                                 ? material.cert_pem
                                 : material.client_ca_pem;
  *config = grpc_ssl_server_certificate_config_create(roots.c_str(), &pair, 1);
  credentials->changed_ = false;
  return GRPC_SSL_CERTIFICATE_CONFIG_RELOAD_NEW;
}

}  // namespace monipaikka
