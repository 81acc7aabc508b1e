#include "server/service/client_certificate.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>

namespace monipaikka {

std::optional<std::string> VerifiedClientCommonName(
    const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return std::nullopt;
  // The SSL transport sets the peer identity only for a client certificate
  // that passed verification.
  std::vector<grpc::string_ref> names =
      auth->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
  if (names.empty() || names.front().empty()) return std::nullopt;
  return std::string(names.front().data(), names.front().size());
}

}  // namespace monipaikka
