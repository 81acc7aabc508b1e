#include "common/channel_security.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bearer_token.h"
#include "common/listen_address.h"

namespace monipaikka {

namespace {

// The contents of a PEM file holding at least one `label` block
// ("CERTIFICATE", "PRIVATE KEY"; "PRIVATE KEY" also matches "RSA PRIVATE
// KEY" and "EC PRIVATE KEY").
absl::StatusOr<std::string> ReadPemFile(absl::string_view flag,
                                        const std::string& path,
                                        absl::string_view label) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": cannot read ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string pem = text.str();
  if (!absl::StrContains(pem, absl::StrCat(label, "-----")) ||
      !absl::StrContains(pem, "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, ": ", path, " holds no PEM ", label, " block"));
  }
  return pem;
}

}  // namespace

absl::StatusOr<ChannelSecurity> ResolveChannelSecurity(
    absl::string_view server, const ChannelSecurityFlags& flags) {
  ChannelSecurity security;
  security.tls = flags.tls || !flags.ca_file.empty() ||
                 !flags.server_name.empty() || !flags.cert_file.empty() ||
                 !flags.key_file.empty() || !IsLoopbackListenAddress(server);
  if (!security.tls) return security;
  if (flags.cert_file.empty() != flags.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together: give both or "
        "neither");
  }
  if (!flags.ca_file.empty()) {
    absl::StatusOr<std::string> ca =
        ReadPemFile("tls_ca_file", flags.ca_file, "CERTIFICATE");
    if (!ca.ok()) return ca.status();
    security.ca_pem = *std::move(ca);
  }
  if (!flags.cert_file.empty()) {
    absl::StatusOr<std::string> cert =
        ReadPemFile("tls_cert_file", flags.cert_file, "CERTIFICATE");
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key =
        ReadPemFile("tls_key_file", flags.key_file, "PRIVATE KEY");
    if (!key.ok()) return key.status();
    security.cert_pem = *std::move(cert);
    security.key_pem = *std::move(key);
  }
  security.server_name = flags.server_name;
  return security;
}

std::shared_ptr<grpc::Channel> CreateSecuredChannel(
    const std::string& server, const ChannelSecurity& security,
    grpc::ChannelArguments args, const std::string& token) {
  if (!security.tls) {
    return CreateChannelWithToken(server, grpc::InsecureChannelCredentials(),
                                  args, token);
  }
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = security.ca_pem;
  options.pem_cert_chain = security.cert_pem;
  options.pem_private_key = security.key_pem;
  if (!security.server_name.empty()) {
    args.SetSslTargetNameOverride(security.server_name);
  }
  return CreateChannelWithToken(server, grpc::SslCredentials(options), args,
                                token);
}

std::string DescribeChannelSecurity(const ChannelSecurity& security) {
  if (!security.tls) return "plaintext";
  std::string text = absl::StrCat("TLS (CA from ", security.ca_pem.empty()
                                                       ? "the system's roots"
                                                       : "--tls_ca_file");
  if (!security.server_name.empty()) {
    absl::StrAppend(&text, ", server name ", security.server_name);
  }
  if (!security.cert_pem.empty())
    absl::StrAppend(&text, ", client certificate");
  return text + ")";
}

}  // namespace monipaikka
