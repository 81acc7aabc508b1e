#pragma once

// The three output formats of every command (--output) and the pieces they
// share: aligned tables for people, CSV and protobuf JSON for programs.

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/table.h"
#include "google/protobuf/message.h"

namespace monipaikka::client {

enum class OutputFormat { kTable, kCsv, kJson };

// "table", "csv" or "json".
absl::StatusOr<OutputFormat> ParseOutputFormat(absl::string_view name);

// Writes `table` aligned (kTable) or as CSV (kCsv). JSON has no table form:
// commands print their API message with WriteMessageJson instead, so kJson
// here is a programming error and aborts.
void WriteTable(const Table& table, OutputFormat format, std::ostream& out);

// The protobuf JSON mapping of `message` (lowerCamelCase names, 64-bit
// integers as strings), indented, with fields at their default values
// printed too, so every field is present; followed by a line break.
void WriteMessageJson(const google::protobuf::Message& message,
                      std::ostream& out);

// `text` as a JSON string literal, quotes included.
std::string JsonString(absl::string_view text);

}  // namespace monipaikka::client
