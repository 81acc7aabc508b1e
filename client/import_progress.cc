#include "client/import_progress.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka::client {
namespace {

// Moves to the start of the line and clears it (ANSI "erase in line").
constexpr char kEraseLine[] = "\r\033[K";

}  // namespace

CountingStreamBuf::int_type CountingStreamBuf::underflow() {
  const std::streamsize n = source_->sgetn(buffer_, sizeof(buffer_));
  if (n <= 0) return traits_type::eof();
  bytes_ += n;
  lines_ += std::count(buffer_, buffer_ + n, '\n');
  setg(buffer_, buffer_, buffer_ + n);
  if (on_block_) on_block_();
  return traits_type::to_int_type(buffer_[0]);
}

std::streamsize CountingStreamBuf::xsgetn(char* s, std::streamsize n) {
  std::streamsize copied = 0;
  while (copied < n) {
    if (gptr() == egptr() && underflow() == traits_type::eof()) break;
    const std::streamsize chunk = std::min<std::streamsize>(
        n - copied, static_cast<std::streamsize>(egptr() - gptr()));
    std::memcpy(s + copied, gptr(), chunk);
    gbump(static_cast<int>(chunk));
    copied += chunk;
  }
  return copied;
}

ImportProgress::ImportProgress(std::ostream* err, bool enabled,
                               std::string name, int64_t total_bytes,
                               std::function<absl::Time()> now,
                               absl::Duration interval)
    : err_(err),
      enabled_(enabled),
      name_(std::move(name)),
      total_bytes_(total_bytes),
      now_(std::move(now)),
      interval_(interval),
      start_(now_()),
      erasing_buf_(this),
      problems_(&erasing_buf_) {}

ImportProgress::~ImportProgress() { Erase(); }

void ImportProgress::Update(int64_t rows, int64_t bytes) {
  if (!enabled_) return;
  const absl::Time now = now_();
  if (now - last_drawn_ < interval_) return;
  last_drawn_ = now;
  const double seconds = absl::ToDoubleSeconds(now - start_);
  std::string line = absl::StrCat(name_, ": ", rows, " rows");
  if (seconds > 0) {
    absl::StrAppend(&line, ", ", static_cast<int64_t>(rows / seconds),
                    " rows/s");
  }
  if (total_bytes_ > 0 && bytes > 0) {
    const double done = std::min(
        1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes_));
    absl::StrAppend(&line, ", ", static_cast<int>(done * 100), " %");
    if (seconds > 0) {
      const int64_t left = static_cast<int64_t>(seconds * (1 - done) / done);
      absl::StrAppend(&line, ", about ",
                      left >= 60
                          ? absl::StrFormat("%d min %d s", left / 60, left % 60)
                          : absl::StrFormat("%d s", left),
                      " left");
    }
  }
  *err_ << kEraseLine << line << std::flush;
  shown_ = true;
}

void ImportProgress::Erase() {
  if (!shown_) return;
  *err_ << kEraseLine << std::flush;
  shown_ = false;
}

ImportProgress::ErasingBuf::int_type ImportProgress::ErasingBuf::overflow(
    int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return c;
  progress_->Erase();
  progress_->err_->put(traits_type::to_char_type(c));
  return c;
}

std::streamsize ImportProgress::ErasingBuf::xsputn(const char* s,
                                                   std::streamsize n) {
  progress_->Erase();
  progress_->err_->write(s, n);
  return n;
}

namespace {

// The size of the file at `path`, 0 when unknown (standard input).
int64_t InputSize(const std::string& path) {
  if (path == "-") return 0;
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<int64_t>(size);
}

}  // namespace

ProgressInput::ProgressInput(std::istream* in, const std::string& path,
                             const std::string& name, std::ostream* err,
                             bool enabled)
    : counting_(in->rdbuf()),
      stream_(&counting_),
      progress_(err, enabled, name, InputSize(path)) {}

}  // namespace monipaikka::client
