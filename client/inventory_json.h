#pragma once

// Reading an inventory document: the protobuf JSON form of
// monipaikka.v1.Inventory, with lowerCamelCase or original field names.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka::client {

// Parses `json`. Unknown fields are errors (a misspelt field would otherwise
// be silently lost). Errors are INVALID_ARGUMENT with a message that starts
// with `name` and, for syntax errors, the line and column, e.g.
//   inventory.json:12:7: Expected : between key:value pair.
//   inventory.json: organizations[0]: unknown field "nmae"
absl::StatusOr<v1::Inventory> ParseInventoryJson(absl::string_view json,
                                                 absl::string_view name);

}  // namespace monipaikka::client
