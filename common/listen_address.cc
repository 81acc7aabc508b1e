#include "common/listen_address.h"

#include "absl/strings/match.h"

namespace monipaikka {

bool IsLoopbackListenAddress(absl::string_view listen) {
  size_t colon = listen.rfind(':');
  absl::string_view host =
      colon == absl::string_view::npos ? listen : listen.substr(0, colon);
  return host == "localhost" || absl::StartsWith(host, "127.") ||
         host == "[::1]";
}

}  // namespace monipaikka
