#pragma once

// CSV for spreadsheets set to the Finnish locale (--output=csv-excel):
// Excel in Finland takes ';' as the list separator and ',' as the decimal
// mark, and reads a file as UTF-8 only when it starts with a byte order mark.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::client {

// Rewrites RFC 4180 CSV text (as the csv output writes it) for Finnish
// Excel: a UTF-8 byte order mark first; fields separated by ';'; records
// ended by CRLF; a field that is a decimal number ("-12.5", digits '.'
// digits) written with a decimal comma ("-12,5"); a field holding ';', '"'
// or a line break enclosed in quotes with inner quotes doubled. Other fields
// (dates, times, codes, whole numbers) are unchanged. Fails when `csv` is
// malformed.
absl::StatusOr<std::string> ToExcelCsv(absl::string_view csv);

}  // namespace monipaikka::client
