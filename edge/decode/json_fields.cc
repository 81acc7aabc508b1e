#include "edge/decode/json_fields.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace monipaikka::edge {

absl::StatusOr<Json> ParseJson(absl::string_view text) {
  Json document = Json::parse(text.begin(), text.end(), nullptr,
                              /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not JSON (", text.size(), " bytes starting \"",
        text.substr(0, 24), "\")"));
  }
  return document;
}

const Json* Member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<int64_t> AsInt(const Json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return std::nullopt;
    }
    return value.get<int64_t>();
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && d >= -9.2e18 && d <= 9.2e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<int64_t>> IntField(const Json& object,
                                                const char* key,
                                                absl::string_view path) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<int64_t>();
  std::optional<int64_t> number = AsInt(*value);
  if (!number) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, key, ": ", value->dump().substr(0, 40), " is not an integer"));
  }
  return number;
}

absl::StatusOr<std::optional<double>> NumberField(const Json& object,
                                                  const char* key,
                                                  absl::string_view path) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, key, ": ", value->dump().substr(0, 40), " is not a number"));
  }
  return std::optional<double>(value->get<double>());
}

absl::StatusOr<std::optional<std::string>> StringField(const Json& object,
                                                       const char* key,
                                                       absl::string_view path) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, key, ": ", value->dump().substr(0, 40), " is not a string"));
  }
  return std::optional<std::string>(value->get<std::string>());
}

}  // namespace monipaikka::edge
