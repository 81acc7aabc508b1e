#pragma once

#include "absl/strings/string_view.h"

namespace monipaikka {

// Whether `listen` ("host:port") names a loopback address: 127.x.x.x,
// localhost or [::1].
bool IsLoopbackListenAddress(absl::string_view listen);

}  // namespace monipaikka
