#include "common/log.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(LogTest, OneLineOfKeyValuePairs) {
  std::string line =
      FormatLogLine(1742713200250, LogLevel::kWarning, "stream_closed",
                    {{"code", 14},
                     {"message", "failed to connect to all addresses"},
                     {"ok", false},
                     {"ratio", 0.5},
                     {"empty", ""},
                     {"quote", "a\"b\nc"}});
  EXPECT_EQ(line,
            "ts=2025-03-23T07:00:00.250Z level=warning event=stream_closed "
            "code=14 message=\"failed to connect to all addresses\" ok=false "
            "ratio=0.5 empty=\"\" quote=\"a\\\"b\\nc\"");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

// Values from outside (an MQTT topic, a device id, a quoted payload) may hold
// any byte: the line stays one line of printable ASCII.
TEST(LogTest, ControlBytesDelAndBytesAbove0x7fAreEscaped) {
  const std::string value =
      "a\x01"
      "b\x7f\xc3\xa4\xff\r\x1b[31m";
  std::string line = FormatLogLine(1742713200250, LogLevel::kWarning,
                                   "input_problem", {{"topic", value}});
  EXPECT_EQ(line,
            "ts=2025-03-23T07:00:00.250Z level=warning event=input_problem "
            "topic=\"a\\x01b\\x7f\\xc3\\xa4\\xff\\r\\x1b[31m\"");
  for (char c : line) {
    const unsigned char byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << static_cast<int>(byte);
  }
  // A value of only bytes >= 0x80 is quoted too.
  EXPECT_EQ(FormatLogLine(0, LogLevel::kInfo, "e", {{"k", "\xe2\x82\xac"}}),
            "ts=1970-01-01T00:00:00Z level=info event=e "
            "k=\"\\xe2\\x82\\xac\"");
}

// journalctl -p warning shows warnings and worse: the levels map to the
// syslog priorities journald reads from the "<N>" prefix.
TEST(LogTest, LevelsMapToSyslogPriorities) {
  EXPECT_EQ(SyslogPriority(LogLevel::kDebug), 7);
  EXPECT_EQ(SyslogPriority(LogLevel::kInfo), 6);
  EXPECT_EQ(SyslogPriority(LogLevel::kWarning), 4);
  EXPECT_EQ(SyslogPriority(LogLevel::kError), 3);
  EXPECT_EQ(SyslogPriority(LogLevel::kFatal), 2);
  EXPECT_EQ(FormatLogLine(0, LogLevel::kDebug, "e", {}),
            "ts=1970-01-01T00:00:00Z level=debug event=e");
}

// The prefix is written only when stderr is the stream JOURNAL_STREAM names.
TEST(LogTest, JournalStreamMustNameStderrsDeviceAndInode) {
  EXPECT_TRUE(IsJournalStream("64769:1234567", 64769, 1234567));
  EXPECT_FALSE(IsJournalStream("64769:1234567", 64769, 1234568));
  EXPECT_FALSE(IsJournalStream("64769:1234567", 64770, 1234567));
  EXPECT_FALSE(IsJournalStream("", 0, 0));
  EXPECT_FALSE(IsJournalStream("64769", 64769, 0));
  EXPECT_FALSE(IsJournalStream("a:b", 0, 0));
  EXPECT_FALSE(IsJournalStream("1:2:3", 1, 2));
}

// journalctl -p warning (docs/operations.md, "Logs in the journal") finds
// the warnings: with stderr the stream JOURNAL_STREAM names, Log() writes
// each line with its priority, "<4>" for a warning. Run in a fresh process
// (the journal check is made once, at a process's first line).
TEST(LogTest, UnderTheJournalEachLineCarriesItsPriority) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        struct stat status;
        if (fstat(fileno(stderr), &status) != 0) std::_Exit(3);
        const std::string stream =
            absl::StrCat(status.st_dev, ":", status.st_ino);
        setenv("JOURNAL_STREAM", stream.c_str(), 1);
        Log(LogLevel::kWarning, "disk_low", {{"free_mb", 12}});
        Log(LogLevel::kInfo, "serving", {});
        Log(LogLevel::kError, "storage_unhealthy", {});
        std::fflush(stderr);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0),
      "<4>ts=[^ ]+ level=warning event=disk_low free_mb=12\n"
      "<6>ts=[^ ]+ level=info event=serving\n"
      "<3>ts=[^ ]+ level=error event=storage_unhealthy\n");
}

// Anywhere else (here a file JOURNAL_STREAM does not name) no prefix.
TEST(LogTest, ElsewhereLinesCarryNoPriority) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("JOURNAL_STREAM", "1:1", 1);
        Log(LogLevel::kWarning, "disk_low", {});
        std::fflush(stderr);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0),
      "(^|\n)ts=[^ ]+ level=warning event=disk_low");
}

}  // namespace
}  // namespace monipaikka
