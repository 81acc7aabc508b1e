#include "client/excel_csv.h"

#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/csv_reader.h"

namespace monipaikka::client {
namespace {

bool IsDecimalNumber(absl::string_view field) {
  if (!field.empty() && field[0] == '-') field.remove_prefix(1);
  const size_t point = field.find('.');
  if (point == absl::string_view::npos || point == 0 ||
      point + 1 == field.size()) {
    return false;
  }
  for (size_t i = 0; i < field.size(); ++i) {
    if (i != point && !absl::ascii_isdigit(field[i])) return false;
  }
  return true;
}

std::string ExcelField(const std::string& field) {
  if (IsDecimalNumber(field)) {
    std::string decimal = field;
    decimal[decimal.find('.')] = ',';
    return decimal;
  }
  if (field.find_first_of(";\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

}  // namespace

absl::StatusOr<std::string> ToExcelCsv(absl::string_view csv) {
  std::istringstream in{std::string(csv)};
  CsvReader reader(&in);
  CsvRecord record;
  std::string excel = "\xEF\xBB\xBF";
  while (reader.Next(&record)) {
    if (!record.status.ok()) {
      return absl::InternalError(absl::StrCat("CSV line ", record.line, ": ",
                                              record.status.message()));
    }
    for (size_t i = 0; i < record.fields.size(); ++i) {
      if (i > 0) excel += ';';
      excel += ExcelField(record.fields[i]);
    }
    excel += "\r\n";
  }
  if (!reader.io_status().ok()) return reader.io_status();
  return excel;
}

}  // namespace monipaikka::client
