#pragma once

// Writing comma-separated values with RFC 4180 quoting. Records end with a
// single LF, the Unix convention every CSV reader accepts.

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace monipaikka::client {

// The field as it must appear in a CSV record: unchanged, or, when it holds a
// comma, a quote, a line break or leading/trailing spaces, enclosed in quotes
// with inner quotes doubled.
std::string CsvField(absl::string_view value);

// Writes one record: the fields, quoted as needed, joined by commas, and LF.
void WriteCsvRecord(const std::vector<std::string>& fields, std::ostream& out);

}  // namespace monipaikka::client
