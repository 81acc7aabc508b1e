#pragma once

// Structured log lines of the server and the edge agent: one line per event
// on stderr (logfmt),
//   ts=2026-03-23T07:15:00.250Z level=info event=stream_closed code=14 ...
// so that an operator can grep them and a collector can parse them.
//
// Under systemd, when stderr is the journal (the JOURNAL_STREAM variable
// names stderr's device and inode), each line starts with its syslog
// priority, "<6>ts=...", which journald takes as the line's priority and
// strips, so that `journalctl -p warning` finds the warnings. Anywhere else
// (a terminal, a file, a pipe) lines carry no prefix.
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
// kDebug: detail asked for by the operator (gRPC's own debug lines with
// GRPC_VERBOSITY=debug).
enum class LogLevel { kDebug, kInfo, kWarning, kError, kFatal };

// The syslog priority journald files a line of `level` under: debug 7,
// info 6, warning 4, error 3, fatal 2 (critical).
int SyslogPriority(LogLevel level);

// Whether `journal_stream`, the value of JOURNAL_STREAM ("<device>:<inode>",
// decimal, set by systemd for a service whose output goes to the journal),
// names the file with `device` and `inode` (those of stderr).
bool IsJournalStream(absl::string_view journal_stream, uint64_t device,
                     uint64_t inode);

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

// Writes one line stamped with the current UTC time to stderr, with the
// priority prefix when stderr is the journal (decided once, at the first
// line).
void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields = {});

}  // namespace monipaikka
