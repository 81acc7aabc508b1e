#include "client/csv_reader.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "client/text_file.h"

namespace monipaikka::client {
namespace {

constexpr size_t kBlockSize = 1 << 16;

}  // namespace

CsvReader::CsvReader(std::istream* in) : in_(in), buffer_(kBlockSize) {}

bool CsvReader::Refill() {
  if (!io_status_.ok() || !in_->good()) return false;
  in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  end_ = static_cast<size_t>(in_->gcount());
  pos_ = 0;
  if (in_->bad()) {
    io_status_ = absl::DataLossError(absl::StrCat(
        "reading failed after line ", line_, ": ", std::strerror(errno)));
    end_ = 0;
    return false;
  }
  return end_ > 0;
}

int CsvReader::Peek() {
  if (pos_ == end_ && !Refill()) return kEof;
  return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::Get() {
  int c = Peek();
  if (c != kEof) ++pos_;
  return c;
}

void CsvReader::EndLine(int c) {
  if (c == '\r' && Peek() == '\n') Get();
  ++line_;
}

void CsvReader::SkipRestOfLine() {
  for (int c = Get(); c != kEof; c = Get()) {
    if (c == '\n' || c == '\r') {
      EndLine(c);
      return;
    }
  }
}

bool CsvReader::Next(CsvRecord* record) {
  if (!ReadRecord(record)) return false;
  if (record->status.ok()) {
    for (const std::string& field : record->fields) {
      if (!IsUtf8(field)) {
        record->status = absl::InvalidArgumentError(kNotUtf8);
        break;
      }
    }
  }
  return true;
}

bool CsvReader::ReadRecord(CsvRecord* record) {
  if (at_start_) {
    at_start_ = false;
    static constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};
    // The whole BOM lies in the first block unless the input is shorter.
    if (Peek() != kEof && end_ - pos_ >= 3 &&
        std::memcmp(buffer_.data() + pos_, kBom, 3) == 0) {
      pos_ += 3;
    }
  }
  if (Peek() == kEof) return false;

  record->line = line_;
  record->status = absl::OkStatus();
  record->fields.clear();
  record->fields.emplace_back();
  std::string* field = &record->fields.back();

  // A field is quoted only when its first character is a quote; a quote
  // elsewhere in an unquoted field is kept as text (as most writers and
  // readers do).
  bool field_start = true;
  while (true) {
    int c = Get();
    if (c == kEof) return io_status_.ok();
    if (c == '\n' || c == '\r') {
      EndLine(c);
      return true;
    }
    if (c == ',') {
      record->fields.emplace_back();
      field = &record->fields.back();
      field_start = true;
      continue;
    }
    if (c == '"' && field_start) {
      const int64_t quote_line = line_;
      const size_t field_number = record->fields.size();
      while (true) {
        c = Get();
        if (c == kEof) {
          if (!io_status_.ok()) return false;
          record->status = absl::InvalidArgumentError(
              absl::StrCat("quoted field ", field_number, " opened on line ",
                           quote_line, " is never closed"));
          return true;
        }
        if (c == '"') {
          if (Peek() == '"') {
            Get();
            field->push_back('"');
            continue;
          }
          break;  // closing quote
        }
        if (c == '\r' || c == '\n') {
          // Line breaks inside quotes are data: kept as written, but counted.
          field->push_back(static_cast<char>(c));
          if (c == '\r' && Peek() == '\n')
            field->push_back(static_cast<char>(Get()));
          ++line_;
          continue;
        }
        field->push_back(static_cast<char>(c));
      }
      const int next = Peek();
      if (next != ',' && next != '\n' && next != '\r' && next != kEof) {
        record->status = absl::InvalidArgumentError(absl::StrCat(
            "text after the closing quote of field ", field_number));
        SkipRestOfLine();
        return io_status_.ok();
      }
      field_start = false;
      continue;
    }
    field->push_back(static_cast<char>(c));
    field_start = false;
  }
}

}  // namespace monipaikka::client
