#include "common/log.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/time_format.h"

namespace monipaikka {
namespace {

absl::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
    case LogLevel::kFatal:
      return "fatal";
  }
  return "info";
}

bool NeedsQuotes(absl::string_view value) {
  if (value.empty()) return true;
  for (char c : value) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || byte < 0x20 ||
        byte >= 0x7f) {
      return true;
    }
  }
  return false;
}

void AppendValue(std::string* out, absl::string_view value) {
  if (!NeedsQuotes(value)) {
    out->append(value.data(), value.size());
    return;
  }
  out->push_back('"');
  for (char c : value) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        // Control bytes, DEL and every byte >= 0x80: a value from outside
        // (a topic, a device id, a quoted payload) can neither break the
        // line nor put bytes a terminal or collector would interpret.
        if (static_cast<unsigned char>(c) < 0x20 ||
            static_cast<unsigned char>(c) >= 0x7f) {
          absl::StrAppend(
              out, "\\x",
              absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// Whether the process's stderr is the journal, read from the environment and
// fstat once.
bool StderrIsJournal() {
  static const bool is_journal = [] {
    const char* journal_stream = std::getenv("JOURNAL_STREAM");
    if (journal_stream == nullptr) return false;
    struct stat status;
    if (fstat(fileno(stderr), &status) != 0) return false;
    return IsJournalStream(journal_stream, status.st_dev, status.st_ino);
  }();
  return is_journal;
}

}  // namespace

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return 7;
    case LogLevel::kInfo:
      return 6;
    case LogLevel::kWarning:
      return 4;
    case LogLevel::kError:
      return 3;
    case LogLevel::kFatal:
      return 2;
  }
  return 6;
}

bool IsJournalStream(absl::string_view journal_stream, uint64_t device,
                     uint64_t inode) {
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(journal_stream, absl::MaxSplits(':', 1));
  uint64_t stream_device = 0;
  uint64_t stream_inode = 0;
  return absl::SimpleAtoi(parts.first, &stream_device) &&
         absl::SimpleAtoi(parts.second, &stream_inode) &&
         stream_device == device && stream_inode == inode;
}

std::string FormatLogLine(int64_t ts_ms, LogLevel level,
                          absl::string_view event,
                          std::initializer_list<LogField> fields) {
  std::string line = absl::StrCat("ts=", FormatInstantMs(ts_ms),
                                  " level=", LevelName(level), " event=");
  AppendValue(&line, event);
  for (const LogField& field : fields) {
    line.push_back(' ');
    line.append(field.key().data(), field.key().size());
    line.push_back('=');
    AppendValue(&line, field.value());
  }
  return line;
}

void Log(LogLevel level, absl::string_view event,
         std::initializer_list<LogField> fields) {
  std::string line =
      FormatLogLine(absl::ToUnixMillis(absl::Now()), level, event, fields);
  if (StderrIsJournal()) {
    line.insert(0, absl::StrCat("<", SyslogPriority(level), ">"));
  }
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace monipaikka
