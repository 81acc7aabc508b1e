#pragma once

// Broken invariants: states the code itself rules out (a programming error,
// never bad input, which gets a status naming the problem). They end the
// process loudly, with one `level=fatal` line through common/log.h,
//   ts=... level=fatal event=invariant_broken message="..." condition="..."
//       source=common/metric_set.cc:21
// and abort() (a core dump where enabled, a non-zero exit status always).
//
//   MONIPAIKKA_CHECK(bounds_sorted, "upper bounds must be increasing");
//   MONIPAIKKA_FATAL(absl::StrCat("no table form for ", name));
//
// The message is evaluated only when the check fails, so it may be built
// with absl::StrCat at no cost on the normal path.

#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// Writes the fatal line (`condition` empty for MONIPAIKKA_FATAL) and aborts.
// Thread-safe; use through the macros, which fill in the source location.
[[noreturn]] void InvariantBroken(absl::string_view condition,
                                  absl::string_view message, const char* file,
                                  int line);

}  // namespace monipaikka

// Aborts with a fatal log line naming `condition` and `message` unless
// `condition` holds.
#define MONIPAIKKA_CHECK(condition, message)                         \
  do {                                                               \
    if (ABSL_PREDICT_FALSE(!(condition))) {                          \
      ::monipaikka::InvariantBroken(#condition, (message), __FILE__, \
                                    __LINE__);                       \
    }                                                                \
  } while (false)

// Aborts with a fatal log line saying `message`: for a branch the code
// rules out.
#define MONIPAIKKA_FATAL(message) \
  ::monipaikka::InvariantBroken("", (message), __FILE__, __LINE__)
