#pragma once

// Typed, exception-free access to fields of a parsed JSON document, with
// errors that name the field's path ("uplink_message.f_cnt: ..."). Absent and
// null fields read as "not there"; the formats handled here omit fields that
// are zero or empty, so callers apply defaults.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::edge {

using Json = nlohmann::json;

// Parses `text` without exceptions; INVALID_ARGUMENT when it is not JSON.
absl::StatusOr<Json> ParseJson(absl::string_view text);

// The member `key` of `object`, or nullptr when `object` is not an object,
// or the member is absent or null.
const Json* Member(const Json& object, const char* key);

// An integer (a JSON number with an integral value within int64).
absl::StatusOr<std::optional<int64_t>> IntField(const Json& object,
                                                const char* key,
                                                absl::string_view path);
// Any number, as a double.
absl::StatusOr<std::optional<double>> NumberField(const Json& object,
                                                  const char* key,
                                                  absl::string_view path);
absl::StatusOr<std::optional<std::string>> StringField(const Json& object,
                                                       const char* key,
                                                       absl::string_view path);
// Whether `value` is a number with an integral value that fits int64.
std::optional<int64_t> AsInt(const Json& value);

}  // namespace monipaikka::edge
