#pragma once

// Whether an address names this machine's loopback interface, the only place
// plaintext gRPC and the unauthenticated metrics endpoint are allowed.

#include "absl/strings/string_view.h"

namespace monipaikka {

// True for "HOST:PORT" (or a bare HOST) where HOST is an IPv4 address in
// 127.0.0.0/8, "localhost" or "[::1]". Host names other than "localhost" are
// not loopback, even when they resolve there.
bool IsLoopbackListenAddress(absl::string_view listen);

}  // namespace monipaikka
