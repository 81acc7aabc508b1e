#include "edge/decode/json_fields.h"

#include <cmath>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace monipaikka::edge {
namespace {

// A SAX consumer that builds nothing: it tracks the nesting depth and stops
// the parse as soon as it goes beyond the limit, and keeps the position of a
// syntax error.
class DepthCheck final : public nlohmann::json_sax<Json> {
 public:
  explicit DepthCheck(int max_depth) : max_depth_(max_depth) {}

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool key(string_t&) override { return true; }
  bool start_object(std::size_t) override { return Enter(); }
  bool end_object() override { return Leave(); }
  bool start_array(std::size_t) override { return Enter(); }
  bool end_array() override { return Leave(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& error) override {
    error_position_ = position;
    // "[json.exception.parse_error.101] parse error at line 1, column 7:
    // syntax error ...; last read: '<input>'": without the id and without
    // the input it quotes, which may be long.
    absl::string_view what = error.what();
    if (size_t end = what.find("; last read"); end != what.npos) {
      what = what.substr(0, end);
    }
    if (size_t start = what.find("] "); start != what.npos) {
      what.remove_prefix(start + 2);
    }
    error_ = std::string(what.substr(0, 160));
    return false;
  }

  bool too_deep() const { return too_deep_; }
  size_t error_position() const { return error_position_; }
  const std::string& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ > max_depth_) {
      too_deep_ = true;
      return false;
    }
    return true;
  }
  bool Leave() {
    --depth_;
    return true;
  }

  const int max_depth_;
  int depth_ = 0;
  bool too_deep_ = false;
  size_t error_position_ = 0;
  std::string error_;
};

// Appends `text` quoted and escaped, cut at `limit` bytes of `out`.
void AppendQuoted(const std::string& text, size_t limit, std::string* out,
                  bool* cut) {
  const size_t room = limit > out->size() ? limit - out->size() : 0;
  absl::StrAppend(out, "\"", absl::CHexEscape(text.substr(0, room)), "\"");
  if (text.size() > room) {
    out->append("...");
    *cut = true;
  }
}

// Appends a rendering of `value` to `out` until `out` reaches `limit` bytes;
// then appends "..." once and sets `*cut`. Each nesting level appends at
// least one byte before recursing, so the recursion depth is at most `limit`.
void AppendExcerpt(const Json& value, size_t limit, std::string* out,
                   bool* cut) {
  if (*cut) return;
  if (out->size() >= limit) {
    out->append("...");
    *cut = true;
    return;
  }
  switch (value.type()) {
    case Json::value_t::null:
      out->append("null");
      return;
    case Json::value_t::boolean:
      out->append(value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      absl::StrAppend(out, value.get<int64_t>());
      return;
    case Json::value_t::number_unsigned:
      absl::StrAppend(out, value.get<uint64_t>());
      return;
    case Json::value_t::number_float:
      absl::StrAppend(out, value.get<double>());
      return;
    case Json::value_t::string:
      AppendQuoted(value.get_ref<const std::string&>(), limit, out, cut);
      return;
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const Json& element : value) {
        if (!first) out->push_back(',');
        first = false;
        AppendExcerpt(element, limit, out, cut);
        if (*cut) return;
      }
      out->push_back(']');
      return;
    }
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out->push_back(',');
        first = false;
        AppendQuoted(it.key(), limit, out, cut);
        if (*cut) return;
        out->push_back(':');
        AppendExcerpt(it.value(), limit, out, cut);
        if (*cut) return;
      }
      out->push_back('}');
      return;
    }
    case Json::value_t::binary:
      out->append("<binary>");
      return;
    case Json::value_t::discarded:
      out->append("<discarded>");
      return;
  }
}

}  // namespace

absl::StatusOr<Json> ParseJson(absl::string_view text, int max_depth) {
  DepthCheck check(max_depth);
  if (!Json::sax_parse(text.begin(), text.end(), &check)) {
    if (check.too_deep()) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "JSON nested deeper than ", max_depth, " levels (", text.size(),
          " bytes starting ", QuoteText(text.substr(0, 24)), ")"));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "not JSON: ", check.error().empty() ? "parse error" : check.error(),
        " (byte ", check.error_position(), " of ", text.size(), ", starting ",
        QuoteText(text.substr(0, 24)), ")"));
  }
  Json document = Json::parse(text.begin(), text.end(), nullptr,
                              /*allow_exceptions=*/false);
  if (document.is_discarded()) {  // cannot happen after the SAX pass
    return absl::InvalidArgumentError("not JSON");
  }
  return document;
}

std::string JsonExcerpt(const Json& value) {
  std::string out;
  bool cut = false;
  AppendExcerpt(value, kQuotedBytes, &out, &cut);
  return out;
}

std::string QuoteText(absl::string_view text) {
  std::string out =
      absl::StrCat("\"", absl::CHexEscape(text.substr(0, kQuotedBytes)), "\"");
  if (text.size() > kQuotedBytes) {
    absl::StrAppend(&out, "... (", text.size(), " bytes)");
  }
  return out;
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
        path, key, ": ", JsonExcerpt(*value), " is not an integer"));
  }
  return number;
}

absl::StatusOr<std::optional<double>> NumberField(const Json& object,
                                                  const char* key,
                                                  absl::string_view path) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, key, ": ", JsonExcerpt(*value), " is not a number"));
  }
  return std::optional<double>(value->get<double>());
}

absl::StatusOr<std::optional<std::string>> StringField(const Json& object,
                                                       const char* key,
                                                       absl::string_view path) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, key, ": ", JsonExcerpt(*value), " is not a string"));
  }
  return std::optional<std::string>(value->get<std::string>());
}

}  // namespace monipaikka::edge
