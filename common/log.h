#pragma once

// Structured log lines of the server and the edge agent: one line per event
// on stderr (logfmt),
//   ts=2026-03-23T07:15:00.250Z level=info event=stream_closed code=14 ...
// so that an operator can grep them and a collector can parse them.
//
// Thread safety: Log() may be called from any thread; each line is written
// with a single fwrite, so lines never interleave.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// kFatal: a broken invariant; the process aborts after the line (see
// common/check.h, the one writer of fatal lines).
enum class LogLevel { kInfo, kWarning, kError, kFatal };

// One key=value pair of a log line. The value is formatted on construction;
// booleans print as true/false.
class LogField {
 public:
  LogField(absl::string_view key, absl::string_view value)
      : key_(key), value_(value) {}
  LogField(absl::string_view key, const std::string& value)
      : key_(key), value_(value) {}
  LogField(absl::string_view key, const char* value)
      : key_(key), value_(value) {}
  LogField(absl::string_view key, bool value)
      : key_(key), value_(value ? "true" : "false") {}
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T> &&
                                                    !std::is_same_v<T, bool>>>
  LogField(absl::string_view key, T value)
      : key_(key), value_(absl::StrCat(value)) {}

  absl::string_view key() const { return key_; }
  const std::string& value() const { return value_; }

 private:
  absl::string_view key_;
  std::string value_;
};

// Formats one line (without the trailing newline). Values that are empty or
// contain spaces, quotes, '=', '\\', control bytes, DEL or bytes >= 0x80 are
// double-quoted with backslash escapes; control bytes, DEL and bytes >= 0x80
// are written as \xNN (so a line is printable ASCII whatever a value holds;
// UTF-8 text shows as its escaped bytes).
std::string FormatLogLine(int64_t ts_ms, LogLevel level,
                          absl::string_view event,
                          std::initializer_list<LogField> fields);

// Writes one line stamped with the current UTC time to stderr.
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields = {});

}  // namespace monipaikka
