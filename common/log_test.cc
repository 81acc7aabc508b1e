#include "common/log.h"

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

}  // namespace
}  // namespace monipaikka
