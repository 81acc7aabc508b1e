#include "edge/decode/line_protocol.h"

#include <string>

#include "common/time_format.h"
#include "gtest/gtest.h"

namespace monipaikka::edge {
namespace {

LineReading Parse(const std::string& line) {
  absl::StatusOr<std::optional<LineReading>> parsed = ParseLine(line);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed.ok() && parsed->has_value()) << line;
  return parsed.ok() && parsed->has_value() ? **parsed : LineReading{};
}

TEST(LineProtocolTest, ReadmeExamples) {
  EXPECT_EQ(Parse("DESK-17 occupied"),
            (LineReading{"DESK-17", true, std::nullopt, std::nullopt}));
  EXPECT_EQ(Parse("DESK-17 free 2026-03-23T07:15:00Z"),
            (LineReading{"DESK-17", false, std::nullopt,
                         *ParseInstantMs("2026-03-23T07:15:00Z")}));
  EXPECT_EQ(Parse("ROOM-3 count=4 1774250100000\r"),
            (LineReading{"ROOM-3", std::nullopt, 4, int64_t{1774250100000}}));
  EXPECT_EQ(Parse("\tDESK-1\t vacant  2026-03-23T09:15:00.250+02:00 "),
            (LineReading{"DESK-1", false, std::nullopt,
                         *ParseInstantMs("2026-03-23T07:15:00.250Z")}));
}

TEST(LineProtocolTest, BlankAndCommentLines) {
  for (const char* line : {"", "   ", "# a comment", "\r"}) {
    absl::StatusOr<std::optional<LineReading>> parsed = ParseLine(line);
    ASSERT_TRUE(parsed.ok());
    EXPECT_FALSE(parsed->has_value()) << line;
  }
}

TEST(LineProtocolTest, ErrorsNameTheField) {
  auto error = [](const std::string& line) {
    absl::StatusOr<std::optional<LineReading>> parsed = ParseLine(line);
    EXPECT_FALSE(parsed.ok()) << line;
    return parsed.status();
  };
  EXPECT_NE(error("DESK-1").message().find("line:"), std::string::npos);
  EXPECT_NE(error("DESK-1 busy").message().find("state:"), std::string::npos);
  EXPECT_NE(error("DESK-1 count=x").message().find("state:"),
            std::string::npos);
  EXPECT_NE(error("DESK-1 count=-1").message().find("state:"),
            std::string::npos);
  EXPECT_EQ(error("DESK-1 count=100001").code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(error("DESK-1 occupied yesterday").message().find("time:"),
            std::string::npos);
  EXPECT_NE(error("DESK-1 occupied 0").message().find("time:"),
            std::string::npos);
  EXPECT_FALSE(ParseLine("A B C D").ok());
  EXPECT_FALSE(ParseLine(std::string(600, 'x')).ok());
  EXPECT_FALSE(ParseLine("DE\x01SK occupied").ok());
}

}  // namespace
}  // namespace monipaikka::edge
