#include "client/readings_csv.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/time_format.h"

namespace monipaikka::client {
namespace {

constexpr char kExpectedHeader[] = "sensor,ts,occupied,seq";

// Parses a whole number ≥ 0 without sign or spaces; SimpleAtoi alone would
// accept "+5" and " 5".
template <typename Int>
bool ParseWholeNumber(absl::string_view text, Int* value) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtoi(text, value);
}

absl::Status SetOccupied(absl::string_view value, v1::Reading* reading) {
  if (value == "0" || value == "1") {
    reading->set_occupied(value == "1");
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("occupied is \"", value, "\"; expected 0 or 1"));
}

absl::Status SetCount(absl::string_view value, v1::Reading* reading) {
  int32_t count = 0;
  if (!ParseWholeNumber(value, &count)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "count is \"", value, "\"; expected a whole number 0 or more"));
  }
  reading->set_count(count);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReadingsCsvColumns> ParseReadingsHeader(
    const std::vector<std::string>& fields) {
  ReadingsCsvColumns columns;
  columns.field_count = fields.size();
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(fields[i]));
    int* slot = nullptr;
    if (name == "sensor") {
      slot = &columns.sensor;
    } else if (name == "ts") {
      slot = &columns.ts;
    } else if (name == "occupied") {
      slot = &columns.occupied;
    } else if (name == "count") {
      slot = &columns.count;
    } else if (name == "seq") {
      slot = &columns.seq;
    } else {
      columns.ignored.push_back(fields[i]);
      continue;
    }
    if (*slot != -1) {
      return absl::InvalidArgumentError(
          absl::StrCat("header has column \"", name, "\" twice"));
    }
    *slot = static_cast<int>(i);
  }
  std::vector<std::string> missing;
  if (columns.sensor == -1) missing.push_back("sensor");
  if (columns.ts == -1) missing.push_back("ts");
  if (columns.occupied == -1 && columns.count == -1) {
    missing.push_back("occupied (or count)");
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header has no ", absl::StrJoin(missing, ", no "),
                     " column; expected a header like ", kExpectedHeader));
  }
  return columns;
}

absl::StatusOr<v1::Reading> ParseReadingRow(
    const ReadingsCsvColumns& columns, const std::vector<std::string>& fields) {
  if (fields.size() != columns.field_count) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected ", columns.field_count,
                     " fields like the header, found ", fields.size()));
  }
  auto value = [&fields](int column) -> absl::string_view {
    if (column < 0) return {};
    return absl::StripAsciiWhitespace(fields[static_cast<size_t>(column)]);
  };
  v1::Reading reading;

  const absl::string_view sensor = value(columns.sensor);
  if (sensor.empty()) return absl::InvalidArgumentError("sensor is empty");
  reading.set_sensor(std::string(sensor));

  // ParseInstantMs's own message ends with abseil's parser detail, which
  // tends to confuse more than help ("the year must have four digits").
  const absl::string_view ts = value(columns.ts);
  absl::StatusOr<int64_t> ts_ms = ParseInstantMs(ts);
  if (!ts_ms.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ts \"", ts,
        "\" is not an ISO-8601 instant like 2026-03-23T07:15:00Z"));
  }
  reading.set_ts_ms(*ts_ms);

  const absl::string_view occupied = value(columns.occupied);
  const absl::string_view count = value(columns.count);
  if (columns.occupied != -1 && columns.count != -1) {
    if (occupied.empty() == count.empty()) {
      return absl::InvalidArgumentError(
          occupied.empty() ? "occupied and count are both empty; fill one"
                           : "occupied and count are both set; fill one");
    }
  }
  if (columns.occupied != -1 && (columns.count == -1 || !occupied.empty())) {
    if (absl::Status status = SetOccupied(occupied, &reading); !status.ok()) {
      return status;
    }
  } else if (absl::Status status = SetCount(count, &reading); !status.ok()) {
    return status;
  }

  const absl::string_view seq = value(columns.seq);
  if (!seq.empty()) {
    uint64_t number = 0;
    if (!ParseWholeNumber(seq, &number)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "seq is \"", seq, "\"; expected a whole number 0 or more"));
    }
    reading.set_seq(number);
  }
  return reading;
}

absl::StatusOr<std::unique_ptr<ReadingsCsvFile>> ReadingsCsvFile::Open(
    std::istream* in) {
  std::unique_ptr<ReadingsCsvFile> file(new ReadingsCsvFile(in));
  if (!file->reader_.Next(&file->record_)) {
    if (!file->reader_.io_status().ok()) return file->reader_.io_status();
    return absl::InvalidArgumentError(absl::StrCat(
        "the file is empty; expected a header like ", kExpectedHeader));
  }
  if (!file->record_.status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header: ", file->record_.status.message()));
  }
  absl::StatusOr<ReadingsCsvColumns> columns =
      ParseReadingsHeader(file->record_.fields);
  if (!columns.ok()) return columns.status();
  file->columns_ = *std::move(columns);
  return file;
}

bool ReadingsCsvFile::Next(ReadingRow* row) {
  while (reader_.Next(&record_)) {
    if (record_.status.ok() && record_.fields.size() == 1 &&
        absl::StripAsciiWhitespace(record_.fields[0]).empty()) {
      continue;  // blank line
    }
    row->line = record_.line;
    row->problem.clear();
    row->reading.Clear();
    if (!record_.status.ok()) {
      row->problem = std::string(record_.status.message());
      return true;
    }
    absl::StatusOr<v1::Reading> reading =
        ParseReadingRow(columns_, record_.fields);
    if (reading.ok()) {
      row->reading = *std::move(reading);
    } else {
      row->problem = std::string(reading.status().message());
    }
    return true;
  }
  return false;
}

}  // namespace monipaikka::client
