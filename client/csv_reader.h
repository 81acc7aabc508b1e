#pragma once

// A streaming reader of comma-separated values as in RFC 4180: fields may be
// quoted with '"', a quoted field may hold commas, line breaks and doubled
// quotes (""), records end with CRLF or LF (a lone CR also ends a record). A
// UTF-8 byte order mark at the start of the input is skipped. The input is
// read in blocks, so files of any size take constant memory.

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace monipaikka::client {

// One record (row) of a CSV input.
struct CsvRecord {
  // Physical line, from 1, on which the record starts. A quoted field with
  // line breaks makes the next record start several lines further.
  int64_t line = 0;
  // The fields, unquoted. An empty line gives one empty field.
  std::vector<std::string> fields;
  // Not OK when the record is malformed (text after a closing quote, or a
  // quoted field never closed); the message names the problem but not the
  // line. `fields` then holds what could be read, and the reader resumes at
  // the next line.
  absl::Status status;
};

// Not thread-safe. Does not own the stream.
class CsvReader {
 public:
  explicit CsvReader(std::istream* in);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `*record` (reusing its storage). Returns false
  // at the end of the input, or when reading the stream failed: see
  // io_status(). A record with a field that is not UTF-8 is malformed.
  bool Next(CsvRecord* record);

  // OK unless reading the underlying stream failed.
  const absl::Status& io_status() const { return io_status_; }

 private:
  static constexpr int kEof = -1;

  // Next() without the UTF-8 check.
  bool ReadRecord(CsvRecord* record);
  // The next byte of the input, or kEof; Peek() does not consume it.
  int Get();
  int Peek();
  bool Refill();
  // After a line break character `c` already consumed: swallows the LF of a
  // CRLF pair and counts the line.
  void EndLine(int c);
  // Consumes the rest of the current line, after a malformed record.
  void SkipRestOfLine();

  std::istream* in_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool at_start_ = true;
  int64_t line_ = 1;  // line of the next byte
  absl::Status io_status_;
};

}  // namespace monipaikka::client
