#pragma once

// The readings CSV that historical vendor exports are loaded from:
//
//   sensor,ts,occupied,seq
//   70B3D57ED0001234,2026-03-23T07:15:00Z,1,118
//
// The header names the columns, in any order (case and surrounding spaces
// ignored): `sensor` (external id), `ts` (ISO-8601 instant, e.g.
// 2026-03-23T07:15:00Z), `occupied` (0 or 1) for presence sensors and/or
// `count` (people, a whole number ≥ 0) for counters, and optionally `seq`
// (the sensor's sequence number, a whole number ≥ 0; empty or missing means
// none). With both `occupied` and `count`, each row fills exactly one of them.
// Other columns are ignored (and reported as such). Blank lines are skipped.

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/csv_reader.h"
#include "monipaikka/v1/ingest.pb.h"

namespace monipaikka::client {

// Where each known column is in a row; -1 when absent.
struct ReadingsCsvColumns {
  int sensor = -1;
  int ts = -1;
  int occupied = -1;
  int count = -1;
  int seq = -1;
  // Number of fields of the header, which every row must have too.
  size_t field_count = 0;
  // Header names not understood, as written; their values are ignored.
  std::vector<std::string> ignored;
};

// Interprets the header record. Fails when a required column is missing or a
// column appears twice, naming it.
absl::StatusOr<ReadingsCsvColumns> ParseReadingsHeader(
    const std::vector<std::string>& fields);

// Interprets one data row. Fails with the reason the row must be skipped,
// naming the column and value, e.g. `occupied is "2"; expected 0 or 1`.
absl::StatusOr<v1::Reading> ParseReadingRow(
    const ReadingsCsvColumns& columns, const std::vector<std::string>& fields);

// One data row of a readings CSV: a reading, or why the row was skipped.
struct ReadingRow {
  // Physical line the row starts on, from 1 (the header is line 1).
  int64_t line = 0;
  // Valid when `problem` is empty.
  v1::Reading reading;
  std::string problem;
};

// Reads a readings CSV row by row. Not thread-safe; does not own the stream.
class ReadingsCsvFile {
 public:
  // Reads and checks the header. Fails when the input is empty, the header
  // is malformed or lacks a required column.
  static absl::StatusOr<std::unique_ptr<ReadingsCsvFile>> Open(
      std::istream* in);

  ReadingsCsvFile(const ReadingsCsvFile&) = delete;
  ReadingsCsvFile& operator=(const ReadingsCsvFile&) = delete;

  const ReadingsCsvColumns& columns() const { return columns_; }

  // Reads the next non-blank row into `*row`. Returns false at the end of the
  // input or when reading failed: see io_status().
  bool Next(ReadingRow* row);

  const absl::Status& io_status() const { return reader_.io_status(); }

 private:
  ReadingsCsvFile(std::istream* in) : reader_(in) {}

  CsvReader reader_;
  CsvRecord record_;
  ReadingsCsvColumns columns_;
};

}  // namespace monipaikka::client
