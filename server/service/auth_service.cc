#include "server/service/auth_service.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/auth/rpc_policy.h"
#include "server/service/unary_call.h"

namespace monipaikka {
namespace {

constexpr int kDefaultAuditLimit = 1000;
constexpr int kMaxAuditLimit = 10000;

absl::StatusOr<Role> FromProtoRole(v1::Role role) {
  switch (role) {
    case v1::ROLE_DEVICE:
      return Role::kDevice;
    case v1::ROLE_FACILITY:
      return Role::kFacility;
    case v1::ROLE_HR:
      return Role::kHr;
    case v1::ROLE_ADMIN:
      return Role::kAdmin;
    case v1::ROLE_DISPLAY:
      return Role::kDisplay;
    default:
      return absl::InvalidArgumentError(
          "role: must be one of ROLE_DEVICE, ROLE_FACILITY, ROLE_HR, "
          "ROLE_ADMIN, ROLE_DISPLAY");
  }
}

// "role facility, expires 2026-05-01T00:00:00Z" and the like.
std::string TokenSummary(const TokenRecord& token) {
  std::string text = absl::StrCat("token ", token.id, " \"", token.name,
                                  "\" role ", token.role);
  if (!token.gateway.empty())
    absl::StrAppend(&text, " gateway ", token.gateway);
  if (!token.sites.empty())
    absl::StrAppend(&text, " sites ", absl::StrJoin(token.sites, ","));
  if (token.expires_ms != 0) {
    absl::StrAppend(&text, " expires ", FormatInstantMs(token.expires_ms));
  }
  return text;
}

}  // namespace

v1::Role ToProtoRole(Role role) {
  switch (role) {
    case Role::kDevice:
      return v1::ROLE_DEVICE;
    case Role::kFacility:
      return v1::ROLE_FACILITY;
    case Role::kHr:
      return v1::ROLE_HR;
    case Role::kAdmin:
      return v1::ROLE_ADMIN;
    case Role::kDisplay:
      return v1::ROLE_DISPLAY;
  }
  return v1::ROLE_UNSPECIFIED;
}

v1::TokenInfo ToTokenInfo(const TokenRecord& token) {
  v1::TokenInfo info;
  info.set_id(token.id);
  info.set_name(token.name);
  std::optional<Role> role = ParseRole(token.role);
  info.set_role(role.has_value() ? ToProtoRole(*role) : v1::ROLE_UNSPECIFIED);
  info.set_gateway(token.gateway);
  for (const std::string& site : token.sites) info.add_sites(site);
  info.set_created_ms(token.created_ms);
  info.set_expires_ms(token.expires_ms);
  info.set_revoked_ms(token.revoked_ms);
  return info;
}

grpc::ServerUnaryReactor* AuthServiceImpl::CreateToken(
    grpc::CallbackServerContext* context, const v1::CreateTokenRequest* request,
    v1::CreateTokenResponse* response) {
  return RunUnary(
      context, executor_, *access_, rpc::kCreateToken,
      [=, this](StorageSession& session, const Caller& caller) {
        NewToken token;
        token.name = request->name();
        ASSIGN_OR_RETURN(token.role, FromProtoRole(request->role()));
        token.gateway = request->gateway();
        token.sites.assign(request->sites().begin(), request->sites().end());
        token.expires_ms = request->expires_ms();
        ASSIGN_OR_RETURN(CreatedToken created,
                         tokens_->Create(session.Access(), token));
        *response->mutable_token() = ToTokenInfo(created.record);
        response->set_secret(std::move(created.secret));
        return access_->Audit(
            session, caller, rpc::kCreateToken,
            absl::StrCat("created ", TokenSummary(created.record)));
      });
}

grpc::ServerUnaryReactor* AuthServiceImpl::ListTokens(
    grpc::CallbackServerContext* context, const v1::ListTokensRequest* request,
    v1::ListTokensResponse* response) {
  return RunUnary(
      context, executor_, *access_, rpc::kListTokens,
      [=, this](StorageSession& session) {
        ASSIGN_OR_RETURN(std::vector<TokenRecord> tokens,
                         session.Access().ListTokens());
        for (const TokenRecord& token : tokens) {
          if (!request->include_inactive() && !tokens_->IsActive(token))
            continue;
          *response->add_tokens() = ToTokenInfo(token);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AuthServiceImpl::RevokeToken(
    grpc::CallbackServerContext* context, const v1::RevokeTokenRequest* request,
    v1::RevokeTokenResponse* response) {
  return RunUnary(
      context, executor_, *access_, rpc::kRevokeToken,
      [=, this](StorageSession& session, const Caller& caller) {
        if (request->id() <= 0) {
          return absl::InvalidArgumentError(
              "id: must be a token id (1 or more)");
        }
        ASSIGN_OR_RETURN(TokenRecord revoked,
                         tokens_->Revoke(session.Access(), request->id()));
        *response->mutable_token() = ToTokenInfo(revoked);
        return access_->Audit(session, caller, rpc::kRevokeToken,
                              absl::StrCat("revoked ", TokenSummary(revoked)));
      });
}

grpc::ServerUnaryReactor* AuthServiceImpl::ListAuditEvents(
    grpc::CallbackServerContext* context,
    const v1::ListAuditEventsRequest* request,
    v1::ListAuditEventsResponse* response) {
  return RunUnary(
      context, executor_, *access_, rpc::kListAuditEvents,
      [=](StorageSession& session) {
        if (request->limit() < 0 || request->limit() > kMaxAuditLimit) {
          return absl::InvalidArgumentError(absl::StrCat(
              "limit: ", request->limit(), " is not in 0 … ", kMaxAuditLimit));
        }
        const int limit =
            request->limit() == 0 ? kDefaultAuditLimit : request->limit();
        const int64_t to_ms = request->to_ms() == 0
                                  ? std::numeric_limits<int64_t>::max()
                                  : request->to_ms();
        ASSIGN_OR_RETURN(
            std::vector<AuditRecord> records,
            session.Access().ListAudit(request->from_ms(), to_ms, limit));
        for (const AuditRecord& record : records) {
          v1::AuditEvent* event = response->add_events();
          event->set_id(record.id);
          event->set_ts_ms(record.ts_ms);
          event->set_token_id(record.token_id);
          event->set_token_name(record.token_name);
          std::optional<Role> role = ParseRole(record.role);
          event->set_role(role.has_value() ? ToProtoRole(*role)
                                           : v1::ROLE_UNSPECIFIED);
          event->set_rpc(record.rpc);
          event->set_summary(record.summary);
        }
        return absl::OkStatus();
      });
}

}  // namespace monipaikka
