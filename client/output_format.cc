#include "client/output_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/check.h"
#include "google/protobuf/util/json_util.h"

namespace monipaikka::client {

absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  return absl::InvalidArgumentError(absl::StrCat(
      "--output=", name, " is not a format; use table, csv or json"));
}

void WriteTable(const Table& table, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable:
      WriteAlignedTable(table, out);
      return;
    case OutputFormat::kCsv:
      WriteCsvTable(table, out);
      return;
    case OutputFormat::kJson:
      break;
  }
  MONIPAIKKA_FATAL("WriteTable: JSON output has no table form");
}

void WriteMessageJson(const google::protobuf::Message& message,
                      std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  // Only messages with unresolvable Any fields fail, and the API has none.
  MONIPAIKKA_CHECK(status.ok(),
                   absl::StrCat("MessageToJsonString(", message.GetTypeName(),
                                "): ", status.ToString()));
  out << json;
  if (json.empty() || json.back() != '\n') out << '\n';
}

std::string JsonString(absl::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\r':
        quoted += "\\r";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          quoted += absl::StrFormat("\\u%04x", static_cast<int>(c));
        } else {
          quoted += c;
        }
    }
  }
  quoted += '"';
  return quoted;
}

}  // namespace monipaikka::client
