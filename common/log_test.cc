#include "common/log.h"

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(LogTest, OneLineOfKeyValuePairs) {
  std::string line = FormatLogLine(
      1742713200250, LogLevel::kWarning, "stream_closed",
      {{"code", 14}, {"message", "failed to connect to all addresses"},
       {"ok", false}, {"ratio", 0.5}, {"empty", ""}, {"quote", "a\"b\nc"}});
  EXPECT_EQ(line,
            "ts=2025-03-23T07:00:00.250Z level=warning event=stream_closed "
            "code=14 message=\"failed to connect to all addresses\" ok=false "
            "ratio=0.5 empty=\"\" quote=\"a\\\"b\\nc\"");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace monipaikka
