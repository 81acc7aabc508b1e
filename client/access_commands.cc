#include "client/access_commands.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/output_format.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka::client {
namespace {

constexpr char kTokensCreate[] = "tokens create";
constexpr char kTokensList[] = "tokens list";
constexpr char kTokensRevoke[] = "tokens revoke";
constexpr char kAudit[] = "audit";

absl::StatusOr<v1::Role> ParseRoleName(const std::string& name) {
  if (name == "device") return v1::ROLE_DEVICE;
  if (name == "facility") return v1::ROLE_FACILITY;
  if (name == "hr") return v1::ROLE_HR;
  if (name == "admin") return v1::ROLE_ADMIN;
  if (name == "display") return v1::ROLE_DISPLAY;
  return absl::InvalidArgumentError(absl::StrCat(
      "--role=", name, " is not one of device, facility, hr, admin, display"));
}

std::string RoleText(v1::Role role) {
  switch (role) {
    case v1::ROLE_DEVICE:
      return "device";
    case v1::ROLE_FACILITY:
      return "facility";
    case v1::ROLE_HR:
      return "hr";
    case v1::ROLE_ADMIN:
      return "admin";
    case v1::ROLE_DISPLAY:
      return "display";
    default:
      return "unknown";
  }
}

// An audit bound: a UTC day (its midnight; the day after for an inclusive
// --to) or an instant.
absl::StatusOr<int64_t> ParseBound(const char* flag, const std::string& text,
                                   bool end_of_day) {
  if (absl::StatusOr<absl::CivilDay> day = ParseDate(text); day.ok()) {
    const absl::CivilDay start = end_of_day ? *day + 1 : *day;
    return ToMs(absl::FromCivil(start, absl::UTCTimeZone()));
  }
  absl::StatusOr<int64_t> instant = ParseInstantMs(text);
  if (!instant.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, "=", text,
                     " is neither a day (YYYY-MM-DD) nor an RFC 3339 instant"));
  }
  return *instant;
}

absl::Status CreateToken(v1::AuthService::StubInterface& stub,
                         const AccessArgs& args, const AccessFlags& flags,
                         const CommandOptions& options, std::ostream& out,
                         std::ostream& err) {
  v1::CreateTokenRequest request;
  request.set_name(flags.name);
  ASSIGN_OR_RETURN(v1::Role role, ParseRoleName(flags.role));
  request.set_role(role);
  request.set_gateway(args.gateway);
  for (absl::string_view site :
       absl::StrSplit(args.sites, ',', absl::SkipWhitespace())) {
    request.add_sites(std::string(absl::StripAsciiWhitespace(site)));
  }
  if (!flags.expires.empty()) {
    ASSIGN_OR_RETURN(int64_t expires_ms, ParseInstantMs(flags.expires));
    request.set_expires_ms(expires_ms);
  } else if (!flags.ttl.empty()) {
    ASSIGN_OR_RETURN(absl::Duration ttl, ParseTtl(flags.ttl));
    request.set_expires_ms(ToMs(absl::Now() + ttl));
  }
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::CreateTokenResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.CreateToken(&context, request, &response)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(response, out);
  } else {
    out << response.secret() << "\n";
  }
  err << "created token " << response.token().id() << " \""
      << response.token().name() << "\" with role "
      << RoleText(response.token().role());
  if (!response.token().gateway().empty()) {
    err << " for gateway " << response.token().gateway();
  }
  if (!response.token().sites().empty()) {
    err << " for sites " << absl::StrJoin(response.token().sites(), ", ");
  }
  if (response.token().expires_ms() != 0) {
    err << ", expires " << FormatInstantMs(response.token().expires_ms());
  }
  err << "; the token is shown only this once\n";
  return absl::OkStatus();
}

}  // namespace

bool IsAccessCommand(const std::string& command) {
  return command == kTokensCreate || command == kTokensList ||
         command == kTokensRevoke || command == kAudit;
}

absl::StatusOr<absl::Duration> ParseTtl(const std::string& text) {
  absl::Duration ttl;
  absl::string_view days_text = text;
  int64_t days = 0;
  if (absl::ConsumeSuffix(&days_text, "d") &&
      absl::SimpleAtoi(days_text, &days)) {
    ttl = absl::Hours(24) * days;
  } else if (!absl::ParseDuration(text, &ttl)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--ttl=", text, " is not a duration (e.g. 90d, 720h, 30m)"));
  }
  if (ttl <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--ttl=", text, " must be positive"));
  }
  return ttl;
}

std::string CheckAccessFlags(const std::string& command,
                             const AccessFlags& flags) {
  const bool create = command == kTokensCreate;
  const std::pair<const char*, bool> create_only[] = {
      {"role", !flags.role.empty()},
      {"name", !flags.name.empty()},
      {"expires", !flags.expires.empty()},
      {"ttl", !flags.ttl.empty()}};
  for (const auto& [name, given] : create_only) {
    if (given && !create) {
      return absl::StrCat("--", name, " does not apply to ", command);
    }
  }
  if (flags.include_inactive && command != kTokensList) {
    return absl::StrCat("--include_inactive does not apply to ", command);
  }
  if (!flags.limit.empty() && command != kAudit) {
    return absl::StrCat("--limit does not apply to ", command);
  }
  if (create) {
    if (flags.role.empty()) return "tokens create needs --role=ROLE";
    if (absl::StatusOr<v1::Role> role = ParseRoleName(flags.role); !role.ok()) {
      return std::string(role.status().message());
    }
    if (flags.name.empty()) return "tokens create needs --name=NAME";
    if (!flags.expires.empty() && !flags.ttl.empty()) {
      return "give --expires or --ttl, not both";
    }
    if (!flags.expires.empty() && !ParseInstantMs(flags.expires).ok()) {
      return absl::StrCat("--expires=", flags.expires,
                          " is not an RFC 3339 instant (e.g. "
                          "2026-12-31T00:00:00Z)");
    }
    if (!flags.ttl.empty()) {
      if (absl::StatusOr<absl::Duration> ttl = ParseTtl(flags.ttl); !ttl.ok()) {
        return std::string(ttl.status().message());
      }
    }
  }
  if (!flags.limit.empty()) {
    int limit = 0;
    if (!absl::SimpleAtoi(flags.limit, &limit) || limit < 1 || limit > 10000) {
      return absl::StrCat("--limit=", flags.limit,
                          " is not a number from 1 to 10000");
    }
  }
  return "";
}

Table TokensTable(const v1::ListTokensResponse& response, int64_t now_ms) {
  Table table({{"id", "id", Align::kRight},
               {"name", "name"},
               {"role", "role"},
               {"gateway", "gateway"},
               {"sites", "sites"},
               {"created (UTC)", "created"},
               {"expires (UTC)", "expires"},
               {"status", "status"}});
  for (const v1::TokenInfo& token : response.tokens()) {
    std::string status = "active";
    if (token.revoked_ms() != 0) {
      status = absl::StrCat("revoked ", FormatInstantMs(token.revoked_ms()));
    } else if (token.expires_ms() != 0 && token.expires_ms() <= now_ms) {
      status = "expired";
    }
    table.AddRow({absl::StrCat(token.id()), token.name(),
                  RoleText(token.role()), token.gateway(),
                  absl::StrJoin(token.sites(), ","),
                  FormatInstantMs(token.created_ms()),
                  token.expires_ms() != 0 ? FormatInstantMs(token.expires_ms())
                                          : "never",
                  status});
  }
  return table;
}

Table AuditTable(const v1::ListAuditEventsResponse& response) {
  Table table({{"time (UTC)", "time"},
               {"token", "token_id", Align::kRight},
               {"name", "token_name"},
               {"role", "role"},
               {"rpc", "rpc"},
               {"summary", "summary"}});
  for (const v1::AuditEvent& event : response.events()) {
    table.AddRow({FormatInstantMs(event.ts_ms()),
                  absl::StrCat(event.token_id()), event.token_name(),
                  RoleText(event.role()), event.rpc(), event.summary()});
  }
  return table;
}

absl::Status RunAccessCommand(v1::AuthService::StubInterface& stub,
                              const std::string& command,
                              const AccessArgs& args, const AccessFlags& flags,
                              const CommandOptions& options, std::ostream& out,
                              std::ostream& err) {
  if (command == kTokensCreate) {
    return CreateToken(stub, args, flags, options, out, err);
  }
  grpc::ClientContext context;
  SetDeadline(options, &context);
  if (command == kTokensList) {
    v1::ListTokensRequest request;
    request.set_include_inactive(flags.include_inactive);
    v1::ListTokensResponse response;
    RETURN_IF_ERROR(
        FromGrpcStatus(stub.ListTokens(&context, request, &response)));
    if (options.output == OutputFormat::kJson) {
      WriteMessageJson(response, out);
    } else {
      WriteTable(TokensTable(response, ToMs(absl::Now())), options.output, out);
    }
    return absl::OkStatus();
  }
  if (command == kTokensRevoke) {
    v1::RevokeTokenRequest request;
    int64_t id = 0;
    if (!absl::SimpleAtoi(args.id, &id) || id <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("tokens revoke: \"", args.id, "\" is not a token id"));
    }
    request.set_id(id);
    v1::RevokeTokenResponse response;
    RETURN_IF_ERROR(
        FromGrpcStatus(stub.RevokeToken(&context, request, &response)));
    if (options.output == OutputFormat::kJson) {
      WriteMessageJson(response, out);
    } else {
      v1::ListTokensResponse listed;
      *listed.add_tokens() = response.token();
      WriteTable(TokensTable(listed, ToMs(absl::Now())), options.output, out);
    }
    return absl::OkStatus();
  }
  v1::ListAuditEventsRequest request;
  if (!args.from.empty()) {
    ASSIGN_OR_RETURN(int64_t from_ms, ParseBound("from", args.from, false));
    request.set_from_ms(from_ms);
  }
  if (!args.to.empty()) {
    ASSIGN_OR_RETURN(int64_t to_ms, ParseBound("to", args.to, true));
    request.set_to_ms(to_ms);
  }
  if (!flags.limit.empty()) {
    int limit = 0;
    if (absl::SimpleAtoi(flags.limit, &limit)) request.set_limit(limit);
  }
  v1::ListAuditEventsResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ListAuditEvents(&context, request, &response)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(response, out);
  } else {
    WriteTable(AuditTable(response), options.output, out);
  }
  return absl::OkStatus();
}

}  // namespace monipaikka::client
