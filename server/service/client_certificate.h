#pragma once

// The identity a caller proved with a TLS client certificate (mTLS).

#include <optional>
#include <string>

#include <grpcpp/server_context.h>

namespace monipaikka {

// The common name of the caller's client certificate when the caller
// presented one and the server verified it against --tls_client_ca_file;
// nullopt for plaintext calls, TLS calls without a client certificate, and
// certificates without a common name.
std::optional<std::string> VerifiedClientCommonName(
    const grpc::ServerContextBase& context);

}  // namespace monipaikka
