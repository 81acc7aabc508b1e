#pragma once

// A progress line for long imports on a terminal:
//   readings.csv: 120000 rows, 41000 rows/s, 37 %, about 5 s left
// redrawn in place on stderr at most every `interval`, and erased before any
// other text goes to stderr (ProblemStream) and when the import ends. It is
// shown only when stderr is a terminal, so piped or redirected output stays
// free of it.

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <streambuf>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace monipaikka::client {

// Counts the bytes read through it from another stream buffer, so that the
// progress can tell how far into a file the import is.
class CountingStreamBuf : public std::streambuf {
 public:
  explicit CountingStreamBuf(std::streambuf* source) : source_(source) {}
  int64_t bytes() const { return bytes_; }
  // Line breaks read so far: the rows of a CSV file whose fields hold none.
  int64_t lines() const { return lines_; }
  // Called after each block read from the source (up to 64 KiB), e.g. to
  // update a progress line; may be empty.
  void set_on_block(std::function<void()> on_block) {
    on_block_ = std::move(on_block);
  }

 protected:
  int_type underflow() override;
  std::streamsize xsgetn(char* s, std::streamsize n) override;

 private:
  std::streambuf* source_;
  char buffer_[1 << 16];
  int64_t bytes_ = 0;
  int64_t lines_ = 0;
  std::function<void()> on_block_;
};

class ImportProgress {
 public:
  // `enabled` is whether stderr is a terminal. `total_bytes` is the size of
  // the input, 0 when unknown (standard input): then no share or time left.
  // `now` is the clock (injectable for tests).
  ImportProgress(std::ostream* err, bool enabled, std::string name,
                 int64_t total_bytes,
                 std::function<absl::Time()> now = &absl::Now,
                 absl::Duration interval = absl::Milliseconds(200));
  ~ImportProgress();

  ImportProgress(const ImportProgress&) = delete;
  ImportProgress& operator=(const ImportProgress&) = delete;

  // `rows` read so far and `bytes` of the input consumed; redraws the line
  // when `interval` has passed since the last drawing.
  void Update(int64_t rows, int64_t bytes);
  // Erases the line if it is shown (the next Update draws it again).
  void Erase();

  // A stream for the import's problem lines: writing to it erases the
  // progress line first, then writes to `err`.
  std::ostream& problems() { return problems_; }

 private:
  class ErasingBuf : public std::streambuf {
   public:
    explicit ErasingBuf(ImportProgress* progress) : progress_(progress) {}

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;

   private:
    ImportProgress* progress_;
  };

  std::ostream* err_;
  bool enabled_;
  std::string name_;
  int64_t total_bytes_;
  std::function<absl::Time()> now_;
  absl::Duration interval_;
  absl::Time start_;
  absl::Time last_drawn_ = absl::InfinitePast();
  bool shown_ = false;
  ErasingBuf erasing_buf_;
  std::ostream problems_;
};

// An import's input read through a byte counter, with the progress line
// measured against the file's size.
class ProgressInput {
 public:
  // `in` is the opened input of `path` ("-": standard input, which has no
  // size), named `name` in the progress line; `enabled` as for
  // ImportProgress.
  ProgressInput(std::istream* in, const std::string& path,
                const std::string& name, std::ostream* err, bool enabled);

  // The input to read instead of `in`.
  std::istream& stream() { return stream_; }
  CountingStreamBuf& counting() { return counting_; }
  ImportProgress& progress() { return progress_; }

 private:
  CountingStreamBuf counting_;
  std::istream stream_;
  ImportProgress progress_;
};

}  // namespace monipaikka::client
