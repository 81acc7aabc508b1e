#pragma once

#include "monipaikka/v1/auth.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/auth/token_store.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Adapter of AuthService (tokens and the audit log) onto the token store
// and storage. Admin only; token changes are audited.
class AuthServiceImpl final : public v1::AuthService::CallbackService {
 public:
  // Nothing is owned; all must outlive the service.
  AuthServiceImpl(QueryExecutor* executor, const AccessControl* access,
                  TokenStore* tokens)
      : executor_(executor), access_(access), tokens_(tokens) {}

  grpc::ServerUnaryReactor* CreateToken(
      grpc::CallbackServerContext* context,
      const v1::CreateTokenRequest* request,
      v1::CreateTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListTokens(
      grpc::CallbackServerContext* context,
      const v1::ListTokensRequest* request,
      v1::ListTokensResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(
      grpc::CallbackServerContext* context,
      const v1::RevokeTokenRequest* request,
      v1::RevokeTokenResponse* response) override;
  grpc::ServerUnaryReactor* ListAuditEvents(
      grpc::CallbackServerContext* context,
      const v1::ListAuditEventsRequest* request,
      v1::ListAuditEventsResponse* response) override;

 private:
  QueryExecutor* const executor_;
  const AccessControl* const access_;
  TokenStore* const tokens_;
};

// The API's view of a stored token: never its hash.
v1::TokenInfo ToTokenInfo(const TokenRecord& token);
v1::Role ToProtoRole(Role role);

}  // namespace monipaikka
