#include "server/auth/access_control.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/security/auth_context.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"

namespace monipaikka {
namespace {

constexpr absl::string_view kBearer = "bearer ";

absl::string_view ToView(grpc::string_ref ref) {
  return absl::string_view(ref.data(), ref.size());
}

// Log values are quoted; keep them on one line and free of quotes.
AuthRefusal FromTokenRefusal(TokenRefusal refusal) {
  switch (refusal) {
    case TokenRefusal::kMalformed:
      return AuthRefusal::kMalformedToken;
    case TokenRefusal::kUnknown:
      return AuthRefusal::kUnknownToken;
    case TokenRefusal::kExpired:
      return AuthRefusal::kExpiredToken;
    case TokenRefusal::kRevoked:
      return AuthRefusal::kRevokedToken;
  }
  return AuthRefusal::kUnknownToken;
}

}  // namespace

absl::string_view AuthRefusalName(AuthRefusal refusal) {
  switch (refusal) {
    case AuthRefusal::kMissingToken:
      return "missing_token";
    case AuthRefusal::kMalformedToken:
      return "malformed_token";
    case AuthRefusal::kUnknownToken:
      return "unknown_token";
    case AuthRefusal::kExpiredToken:
      return "expired_token";
    case AuthRefusal::kRevokedToken:
      return "revoked_token";
    case AuthRefusal::kWrongRole:
      return "wrong_role";
    case AuthRefusal::kWrongGateway:
      return "wrong_gateway";
    case AuthRefusal::kRevokedCertificate:
      return "revoked_certificate";
    case AuthRefusal::kWrongSite:
      return "wrong_site";
  }
  return "unknown";
}

std::optional<std::string> CertificateGateway(
    const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return std::nullopt;
  std::vector<grpc::string_ref> names =
      auth->FindPropertyValues("x509_common_name");
  if (names.size() != 1 || names[0].empty()) return std::nullopt;
  return std::string(ToView(names[0]));
}

absl::Status AccessControl::Refuse(AuthRefusal refusal, const RpcPolicy& policy,
                                   absl::string_view peer,
                                   absl::Status status) const {
  counters_->refused[static_cast<int>(refusal)].fetch_add(
      1, std::memory_order_relaxed);
  uint64_t suppressed = 0;
  if (!log_limit_.Allow(AuthRefusalName(refusal), &suppressed)) return status;
  if (suppressed > 0) {
    Log(LogLevel::kWarning, "auth_refusals_suppressed",
        {{"reason", AuthRefusalName(refusal)},
         {"suppressed", suppressed},
         {"detail", "similar refusals not logged (they are counted)"}});
  }
  Log(LogLevel::kWarning, "auth_refused",
      {{"rpc", policy.rpc},
       {"reason", AuthRefusalName(refusal)},
       {"peer", peer},
       {"code", absl::StatusCodeToString(status.code())},
       {"detail", status.message()}});
  return status;
}

absl::StatusOr<Caller> AccessControl::Authorize(
    const grpc::ServerContextBase& context, const RpcPolicy& policy) const {
  const auto& metadata = context.client_metadata();
  auto [first, last] = metadata.equal_range("authorization");
  Caller caller;
  if (first == last) {
    std::optional<std::string> gateway;
    if (certificates_identify_devices_) gateway = CertificateGateway(context);
    if (!gateway.has_value()) {
      return Refuse(
          AuthRefusal::kMissingToken, policy, context.peer(),
          absl::UnauthenticatedError(absl::StrCat(
              policy.rpc,
              " needs credentials: send the metadata \"authorization: Bearer "
              "<token>\" (monipaikka --token_file or MONIPAIKKA_TOKEN)")));
    }
    caller.name = absl::StrCat("certificate CN=", *gateway);
    caller.role = Role::kDevice;
    caller.gateway = std::move(*gateway);
    if (revocation_ != nullptr) {
      std::vector<grpc::string_ref> pem =
          context.auth_context()->FindPropertyValues("x509_pem_cert");
      if (pem.size() == 1) caller.certificate_pem = std::string(ToView(pem[0]));
      if (absl::Status revoked =
              CheckCertificate(caller, policy, context.peer());
          !revoked.ok()) {
        return revoked;
      }
    }
  } else {
    absl::string_view value = ToView(first->second);
    if (std::next(first) != last ||
        !absl::StartsWithIgnoreCase(value, kBearer)) {
      return Refuse(
          AuthRefusal::kMalformedToken, policy, context.peer(),
          absl::UnauthenticatedError("the authorization metadata must be one "
                                     "\"Bearer <token>\""));
    }
    absl::string_view secret =
        absl::StripAsciiWhitespace(value.substr(kBearer.size()));
    TokenRefusal token_refusal = TokenRefusal::kUnknown;
    absl::StatusOr<TokenRecord> token =
        tokens_->Authenticate(secret, &token_refusal);
    if (!token.ok()) {
      return Refuse(FromTokenRefusal(token_refusal), policy, context.peer(),
                    token.status());
    }
    std::optional<Role> role = ParseRole(token->role);
    if (!role.has_value()) {
      // Only CreateToken writes tokens, with a known role.
      Log(LogLevel::kError, "auth_bad_token_role",
          {{"token_id", token->id}, {"role", token->role}});
      return Refuse(AuthRefusal::kUnknownToken, policy, context.peer(),
                    absl::UnauthenticatedError(absl::StrCat(
                        "token ", token->id, " has no known role")));
    }
    caller.token_id = token->id;
    caller.name = std::move(token->name);
    caller.role = *role;
    caller.gateway = std::move(token->gateway);
    caller.sites = std::move(token->sites);
  }
  if (!policy.roles.Contains(caller.role)) {
    return Refuse(
        AuthRefusal::kWrongRole, policy, context.peer(),
        absl::PermissionDeniedError(absl::StrCat(
            policy.rpc, " needs role ", policy.roles.Describe(), "; ",
            caller.token_id != 0 ? absl::StrCat("token ", caller.token_id,
                                                " (\"", caller.name, "\")")
                                 : caller.name,
            " has role ", RoleName(caller.role))));
  }
  counters_->allowed.fetch_add(1, std::memory_order_relaxed);
  return caller;
}

absl::Status AccessControl::CheckCertificate(const Caller& caller,
                                             const RpcPolicy& policy,
                                             absl::string_view peer) const {
  if (revocation_ == nullptr || caller.token_id != 0 ||
      !revocation_->IsRevoked(caller.certificate_pem)) {
    return absl::OkStatus();
  }
  return Refuse(AuthRefusal::kRevokedCertificate, policy, peer,
                absl::UnauthenticatedError(
                    absl::StrCat(policy.rpc, ": the client certificate of ",
                                 caller.name, " is revoked (--tls_crl_file)")));
}

absl::Status AccessControl::RecheckToken(const Caller& caller,
                                         const RpcPolicy& policy) const {
  if (caller.token_id == 0) return CheckCertificate(caller, policy, "-");
  TokenRefusal refusal = TokenRefusal::kUnknown;
  absl::Status active = tokens_->CheckStillActive(caller.token_id, &refusal);
  if (active.ok()) return active;
  return Refuse(FromTokenRefusal(refusal), policy, "-", std::move(active));
}

absl::Status AccessControl::CheckRequestSize(
    const grpc::ServerContextBase& context, const RpcPolicy& policy) const {
  if (request_size_limit_ == nullptr) return absl::OkStatus();
  absl::Status status = request_size_limit_->Check(context, policy.rpc);
  if (status.ok()) return status;
  uint64_t suppressed = 0;
  if (log_limit_.Allow("request_too_large", &suppressed)) {
    if (suppressed > 0) {
      Log(LogLevel::kWarning, "request_refusals_suppressed",
          {{"reason", "request_too_large"}, {"suppressed", suppressed}});
    }
    Log(LogLevel::kWarning, "request_refused",
        {{"rpc", policy.rpc},
         {"reason", "request_too_large"},
         {"peer", context.peer()},
         {"detail", status.message()}});
  }
  return status;
}

absl::Status AccessControl::CheckOwnGateway(const Caller& caller,
                                            absl::string_view gateway,
                                            const RpcPolicy& policy) const {
  if (caller.role != Role::kDevice || gateway == caller.gateway) {
    return absl::OkStatus();
  }
  return Refuse(AuthRefusal::kWrongGateway, policy, "-",
                absl::PermissionDeniedError(
                    absl::StrCat(policy.rpc, ": the device token \"",
                                 caller.name, "\" speaks for gateway \"",
                                 caller.gateway, "\", not \"", gateway, "\"")));
}

absl::Status AccessControl::CheckOwnSite(const Caller& caller,
                                         absl::string_view site,
                                         const RpcPolicy& policy) const {
  if (caller.role != Role::kDisplay ||
      std::find(caller.sites.begin(), caller.sites.end(), site) !=
          caller.sites.end()) {
    return absl::OkStatus();
  }
  return Refuse(
      AuthRefusal::kWrongSite, policy, "-",
      absl::PermissionDeniedError(absl::StrCat(
          policy.rpc, ": the display token \"", caller.name, "\" shows sites ",
          absl::StrJoin(caller.sites, ", "), ", not \"", site, "\"")));
}

absl::Status AccessControl::Audit(StorageSession& session, const Caller& caller,
                                  const RpcPolicy& policy,
                                  std::string summary) const {
  AuditRecord record;
  record.ts_ms = tokens_->NowMs();
  record.token_id = caller.token_id;
  record.token_name = caller.name;
  record.role = std::string(RoleName(caller.role));
  record.rpc = policy.rpc;
  record.summary = std::move(summary);
  absl::StatusOr<int64_t> id = session.Access().AppendAudit(record);
  if (!id.ok()) {
    Log(LogLevel::kError, "audit_failed",
        {{"rpc", policy.rpc}, {"error", id.status().message()}});
    return id.status();
  }
  return absl::OkStatus();
}

std::string AuditParameters(
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>
        parameters) {
  std::string text;
  for (const auto& [name, value] : parameters) {
    if (value.empty()) continue;
    absl::StrAppend(&text, text.empty() ? "" : " ", name, "=",
                    value.substr(0, 100));
  }
  return text;
}

}  // namespace monipaikka
