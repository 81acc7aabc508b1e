#include "client/csv_writer.h"

#include "absl/strings/str_replace.h"

namespace monipaikka::client {

std::string CsvField(absl::string_view value) {
  const bool needs_quotes =
      value.find_first_of(",\"\r\n") != absl::string_view::npos ||
      (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs_quotes) return std::string(value);
  std::string quoted = "\"";
  quoted += absl::StrReplaceAll(value, {{"\"", "\"\""}});
  quoted += '"';
  return quoted;
}

void WriteCsvRecord(const std::vector<std::string>& fields, std::ostream& out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << CsvField(fields[i]);
  }
  out << '\n';
}

}  // namespace monipaikka::client
