#pragma once

// Typed, exception-free access to fields of a parsed JSON document, with
// errors that name the field's path ("uplink_message.f_cnt: ..."). Absent and
// null fields read as "not there"; the formats handled here omit fields that
// are zero or empty, so callers apply defaults.
//
// Untrusted input. Documents come from the network: ParseJson checks the
// nesting depth in a SAX pass before any DOM is built (nlohmann's DOM copies,
// comparisons and serialization recurse once per level), and error messages
// never serialize a value: they quote a bounded, escaped excerpt
// (JsonExcerpt, QuoteText).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::edge {

using Json = nlohmann::json;

// Nesting depth (arrays and objects, the outermost counting 1) accepted by
// default. The messages handled here nest 5 or 6 levels.
inline constexpr int kDefaultMaxJsonDepth = 32;
// The largest depth a caller may allow: DOM operations recurse per level.
inline constexpr int kMaxJsonDepthLimit = 256;
// Bytes of a value quoted in an error message, before escaping.
inline constexpr size_t kQuotedBytes = 64;

// Parses `text` without exceptions. First a SAX pass that builds nothing:
// RESOURCE_EXHAUSTED when arrays and objects nest deeper than `max_depth`
// (naming the byte offset), INVALID_ARGUMENT when it is not JSON (naming the
// byte offset and quoting the start). Only then the DOM.
absl::StatusOr<Json> ParseJson(absl::string_view text,
                               int max_depth = kDefaultMaxJsonDepth);

// A bounded, escaped rendering of `value` for error messages: at most about
// kQuotedBytes of output, strings quoted with C escapes (\xNN for control
// bytes and bytes >= 0x80), containers cut with "..." once the budget is
// spent. Never serializes the whole value and recurses at most once per
// output byte, whatever the value's size or depth.
std::string JsonExcerpt(const Json& value);

// `text` as "\"<escaped prefix>\"", the prefix at most kQuotedBytes bytes,
// with "... (N bytes)" appended when it was cut.
std::string QuoteText(absl::string_view text);

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
