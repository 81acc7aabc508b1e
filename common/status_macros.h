#pragma once

// Early-return helpers for absl::Status / absl::StatusOr (Debian's abseil
// does not ship its own).

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define MONIPAIKKA_CONCAT_INNER(a, b) a##b
#define MONIPAIKKA_CONCAT(a, b) MONIPAIKKA_CONCAT_INNER(a, b)

// Returns from the current function if `expr` yields a non-OK status.
#define RETURN_IF_ERROR(expr)                   \
  do {                                          \
    ::absl::Status monipaikka_status_ = (expr); \
    if (!monipaikka_status_.ok()) {             \
      return monipaikka_status_;                \
    }                                           \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, Foo());` assigns the value of an OK StatusOr to
// `x`, or returns its status from the current function.
#define ASSIGN_OR_RETURN(lhs, expr)                                        \
  ASSIGN_OR_RETURN_IMPL(MONIPAIKKA_CONCAT(monipaikka_statusor_, __LINE__), \
                        lhs, expr)

#define ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                          \
  if (!statusor.ok()) {                            \
    return std::move(statusor).status();           \
  }                                                \
  lhs = std::move(statusor).value()
