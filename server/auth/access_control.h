#pragma once

// Who may call what: authenticates each call (a bearer token, or a verified
// client certificate), checks the caller's role against the RPC's policy,
// counts and logs every refusal, and writes the audit log.
//
// Credentials: gRPC metadata "authorization: Bearer <token>". Without a
// token, a client certificate verified by the TLS layer (mTLS) makes the
// caller the device of the gateway named by the certificate's common name
// (CertificateGateway). A token, when given, decides.
//
// Thread safety: all methods may be called from any thread; none blocks
// (Authorize only hashes the token and looks it up in memory).

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/auth/log_rate_limit.h"
#include "server/auth/request_size_limit.h"
#include "server/auth/role.h"
#include "server/auth/token_store.h"
#include "server/storage/storage.h"

namespace grpc {
class ServerContextBase;
}

namespace monipaikka {

// Who is calling.
struct Caller {
  // 0 for a caller known by its client certificate.
  int64_t token_id = 0;
  // The token's name, or "certificate CN=<cn>".
  std::string name;
  Role role = Role::kDevice;
  // The gateway a device speaks for; empty for other roles.
  std::string gateway;
  // The sites a display token may read; empty for other roles.
  std::vector<std::string> sites;
  // For a caller known by its client certificate: the certificate (PEM),
  // checked again against the revocation list with each message of a
  // stream.
  std::string certificate_pem;
};

// The client certificates revoked now (mTLS, --tls_crl_file); see
// ReloadableServerCredentials.
class CertificateRevocation {
 public:
  virtual ~CertificateRevocation() = default;
  // Whether the PEM certificate is revoked (one that does not parse is).
  virtual bool IsRevoked(absl::string_view certificate_pem) const = 0;
};

// Which roles an RPC admits. `rpc` is "Service/Method" as in the proto
// (e.g. "InventoryService/ImportInventory"); it names the call in logs,
// refusals and the audit log.
struct RpcPolicy {
  const char* rpc;
  RoleSet roles;
};

// Why a call was refused; the index into AuthCounters::refused.
enum class AuthRefusal : uint8_t {
  kMissingToken,    // no credentials                       UNAUTHENTICATED
  kMalformedToken,  // not "Bearer <token>" of the right form  UNAUTHENTICATED
  kUnknownToken,    //                                      UNAUTHENTICATED
  kExpiredToken,    //                                      UNAUTHENTICATED
  kRevokedToken,    //                                      UNAUTHENTICATED
  kWrongRole,       // valid, but the RPC needs another role  PERMISSION_DENIED
  kWrongGateway,    // a device asking about another gateway PERMISSION_DENIED
  kRevokedCertificate,  // a client certificate in the CRL  UNAUTHENTICATED
  kWrongSite,           // a display asking about another site PERMISSION_DENIED
};
inline constexpr int kAuthRefusalCount = 9;

// "missing_token", "malformed_token", "unknown_token", "expired_token",
// "revoked_token", "wrong_role", "wrong_gateway", "revoked_certificate",
// "wrong_site" (metric label values).
absl::string_view AuthRefusalName(AuthRefusal refusal);

// Counters of the access checks (monotonic), for the metrics exporter.
struct AuthCounters {
  std::atomic<uint64_t> allowed{0};
  // By AuthRefusal.
  std::atomic<uint64_t> refused[kAuthRefusalCount] = {};

  uint64_t Refused(AuthRefusal refusal) const {
    return refused[static_cast<int>(refusal)].load(std::memory_order_relaxed);
  }
};

// The gateway named by the client's certificate: its "x509_common_name"
// when the TLS layer verified a client certificate (mTLS); nullopt on
// plaintext connections and TLS connections without a client certificate.
// This is the one place where a certificate turns into an identity.
//
// Only sound when the server's TLS credentials verify client certificates
// (GRPC_SSL_REQUEST_[AND_REQUIRE_]CLIENT_CERTIFICATE_AND_VERIFY against the
// gateways' CA): AccessControl consults it only when constructed with
// `certificates_identify_devices`.
std::optional<std::string> CertificateGateway(
    const grpc::ServerContextBase& context);

class AccessControl {
 public:
  // `tokens` and `counters` are not owned and must outlive this object.
  // `certificates_identify_devices`: a caller without a token but with a
  // verified client certificate is the device of the certificate's gateway
  // (set it only when the listener verifies client certificates).
  // `request_size_limit` (not owned; may be null: no bound but the
  // server's) is what CheckRequestSize applies. `revocation` (not owned; may
  // be null: none) says which client certificates no longer identify a
  // device.
  AccessControl(const TokenStore* tokens, AuthCounters* counters,
                bool certificates_identify_devices = false,
                const RequestSizeLimit* request_size_limit = nullptr,
                const CertificateRevocation* revocation = nullptr)
      : tokens_(tokens),
        counters_(counters),
        certificates_identify_devices_(certificates_identify_devices),
        request_size_limit_(request_size_limit),
        revocation_(revocation) {}

  // The caller, if its credentials are valid and its role is among
  // `policy.roles`; otherwise UNAUTHENTICATED (missing, malformed, unknown,
  // expired or revoked token) or PERMISSION_DENIED (naming the roles the
  // call needs). Refusals are counted and logged.
  absl::StatusOr<Caller> Authorize(const grpc::ServerContextBase& context,
                                   const RpcPolicy& policy) const;

  // For a caller authorized earlier (a stream, with each message): OK while
  // its token is neither revoked nor expired, or its client certificate is
  // not revoked; otherwise UNAUTHENTICATED (counted and logged).
  absl::Status RecheckToken(const Caller& caller,
                            const RpcPolicy& policy) const;

  // For an authorized call: RESOURCE_EXHAUSTED when its request was over
  // the method's bound (see RequestSizeLimit; counted and logged), else OK.
  absl::Status CheckRequestSize(const grpc::ServerContextBase& context,
                                const RpcPolicy& policy) const;

  // For device callers: OK if `gateway` is the caller's own, otherwise
  // PERMISSION_DENIED (counted and logged). Other roles: always OK.
  absl::Status CheckOwnGateway(const Caller& caller, absl::string_view gateway,
                               const RpcPolicy& policy) const;

  // For display callers: OK if `site` is named on the caller's token,
  // otherwise PERMISSION_DENIED (counted as wrong_site and logged). Other
  // roles: always OK.
  absl::Status CheckOwnSite(const Caller& caller, absl::string_view site,
                            const RpcPolicy& policy) const;

  // Appends an audit entry for `caller` calling `policy.rpc` now.
  // `summary` must hold neither secrets nor personal data.
  absl::Status Audit(StorageSession& session, const Caller& caller,
                     const RpcPolicy& policy, std::string summary) const;

  const AuthCounters& counters() const { return *counters_; }

 private:
  absl::Status Refuse(AuthRefusal refusal, const RpcPolicy& policy,
                      absl::string_view peer, absl::Status status) const;
  // UNAUTHENTICATED (counted, logged) for a certificate caller whose
  // certificate is revoked; OK otherwise.
  absl::Status CheckCertificate(const Caller& caller, const RpcPolicy& policy,
                                absl::string_view peer) const;

  const TokenStore* const tokens_;
  AuthCounters* const counters_;
  const bool certificates_identify_devices_;
  const RequestSizeLimit* const request_size_limit_;
  const CertificateRevocation* const revocation_;
  // Refusal log lines: at most this many per second and reason; the rest
  // are counted and summed up in an "auth_refusals_suppressed" line.
  mutable LogRateLimit log_limit_{kRefusalLogLinesPerSecond};

 public:
  static constexpr int kRefusalLogLinesPerSecond = 10;
};

// The summary of an audit entry: "name=value" for each non-empty value,
// separated by spaces, each value cut to 100 characters. The values are
// request parameters (dates, codes), never secrets or personal data.
std::string AuditParameters(
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>
        parameters);

}  // namespace monipaikka
