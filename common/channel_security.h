#pragma once

// How the command-line client and the edge agent reach the server: TLS
// (verifying the server, optionally presenting a client certificate) or
// plaintext, which is allowed to loopback addresses only.
//
// The rule: TLS is used when --tls is set, when any of --tls_ca_file,
// --tls_server_name, --tls_cert_file, --tls_key_file is given, or when the
// server address is not loopback. Otherwise (a loopback address and no TLS
// flag) the channel is plaintext.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// The TLS flags as given on the command line.
struct ChannelSecurityFlags {
  bool tls = false;         // --tls
  std::string ca_file;      // --tls_ca_file: PEM CA certificates to trust
  std::string server_name;  // --tls_server_name: name checked in the cert
  std::string cert_file;    // --tls_cert_file: client certificate (mTLS)
  std::string key_file;     // --tls_key_file: its private key
};

// What a channel to the server needs, with the files already read.
struct ChannelSecurity {
  bool tls = false;
  // PEM CA certificates trusted for the server; empty: the system's roots.
  std::string ca_pem;
  // Name the server certificate must carry; empty: the host of the address.
  std::string server_name;
  // Client certificate chain and key (PEM), both empty or both set.
  std::string cert_pem;
  std::string key_pem;
};

// Applies the rule above to `server` ("HOST:PORT") and `flags`, reading the
// files. Errors (INVALID_ARGUMENT) name the flag and the file.
absl::StatusOr<ChannelSecurity> ResolveChannelSecurity(
    absl::string_view server, const ChannelSecurityFlags& flags);

// A channel to `server` secured as `security` says, whose calls carry
// `token` (none if empty) as "authorization: Bearer <token>"; `args` carries
// the caller's other channel arguments.
std::shared_ptr<grpc::Channel> CreateSecuredChannel(
    const std::string& server, const ChannelSecurity& security,
    grpc::ChannelArguments args = {}, const std::string& token = "");

// A short description for error messages, e.g. "plaintext" or
// "TLS (CA from --tls_ca_file, server name server.example.fi)".
std::string DescribeChannelSecurity(const ChannelSecurity& security);

}  // namespace monipaikka
