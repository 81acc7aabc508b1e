#include "common/listen_address.h"

#include <arpa/inet.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace monipaikka {

namespace {

// The host of "HOST:PORT", "[V6]:PORT", "[V6]" or "HOST".
absl::string_view HostOf(absl::string_view address) {
  if (absl::StartsWith(address, "[")) {
    const size_t close = address.find(']');
    return close == absl::string_view::npos ? address
                                            : address.substr(0, close + 1);
  }
  const size_t colon = address.rfind(':');
  return colon == absl::string_view::npos ? address : address.substr(0, colon);
}

}  // namespace

bool IsLoopbackListenAddress(absl::string_view listen) {
  const absl::string_view host = HostOf(listen);
  if (absl::EqualsIgnoreCase(host, "localhost") || host == "[::1]") {
    return true;
  }
  in_addr ipv4{};
  if (inet_pton(AF_INET, std::string(host).c_str(), &ipv4) != 1) return false;
  return (ntohl(ipv4.s_addr) >> 24) == 127;
}

}  // namespace monipaikka
