#include "client/inventory_json.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace monipaikka::client {
namespace {

// Protobuf reports a syntax error as
//   "<problem>\n<up to 40 bytes around the error>\n<spaces>^"
// without a position in the input. Finds the excerpt in the input (when it
// occurs once) and returns "NAME:LINE:COL: <problem>", else "NAME: <problem>".
std::string LocateSyntaxError(absl::string_view message, absl::string_view json,
                              absl::string_view name) {
  const size_t first_break = message.find('\n');
  const size_t last_break = message.rfind('\n');
  const absl::string_view problem = message.substr(0, first_break);
  const std::string unlocated = absl::StrCat(name, ": ", problem);
  if (first_break == absl::string_view::npos || first_break == last_break) {
    return unlocated;
  }
  const absl::string_view excerpt =
      message.substr(first_break + 1, last_break - first_break - 1);
  const absl::string_view caret_line = message.substr(last_break + 1);
  if (caret_line.empty() || caret_line.back() != '^') return unlocated;
  const size_t caret = caret_line.size() - 1;
  const size_t at = json.find(excerpt);
  if (excerpt.empty() || at == absl::string_view::npos ||
      json.find(excerpt, at + 1) != absl::string_view::npos) {
    return unlocated;
  }
  const size_t offset = std::min(at + caret, json.size());
  const absl::string_view before = json.substr(0, offset);
  const size_t line =
      1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  const size_t column =
      1 + offset - (line_start == absl::string_view::npos ? 0 : line_start + 1);
  return absl::StrCat(name, ":", line, ":", column, ": ", problem);
}

// "(organizations[0]) nmae: Cannot find field." →
//   "organizations[0]: unknown field \"nmae\""
// "(sites[0].office_area_m2): invalid value ..." →
//   "sites[0].office_area_m2: invalid value ..."
std::string DescribeFieldError(absl::string_view message) {
  absl::string_view rest = message;
  std::string path;
  if (absl::ConsumePrefix(&rest, "(")) {
    const size_t close = rest.find(')');
    if (close == absl::string_view::npos) return std::string(message);
    path = std::string(rest.substr(0, close));
    rest.remove_prefix(close + 1);
    if (!absl::ConsumePrefix(&rest, ":")) absl::ConsumePrefix(&rest, " ");
    rest = absl::StripLeadingAsciiWhitespace(rest);
  } else {
    absl::ConsumePrefix(&rest, ": ");
  }
  if (rest == "Root element must be a message.") {
    return "the document must be a JSON object like {\"organizations\": "
           "[...], \"sites\": [...]}";
  }
  if (absl::ConsumeSuffix(&rest, ": Cannot find field.")) {
    return path.empty() ? absl::StrCat("unknown field \"", rest, "\"")
                        : absl::StrCat(path, ": unknown field \"", rest, "\"");
  }
  if (path.empty()) return std::string(rest);
  return absl::StrCat(path, ": ", rest);
}

}  // namespace

absl::StatusOr<v1::Inventory> ParseInventoryJson(absl::string_view json,
                                                 absl::string_view name) {
  if (absl::StripAsciiWhitespace(json).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(name,
                     ": the file is empty; expected an inventory document like "
                     "{\"organizations\": [...], \"sites\": [...]}"));
  }
  v1::Inventory inventory;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &inventory,
      options);
  if (status.ok()) return inventory;
  const std::string message(status.message().data(), status.message().size());
  if (message.find('\n') != std::string::npos) {
    return absl::InvalidArgumentError(LocateSyntaxError(message, json, name));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(name, ": ", DescribeFieldError(message)));
}

}  // namespace monipaikka::client
