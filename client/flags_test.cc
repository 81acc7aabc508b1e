#include "client/flags.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::ElementsAre;

class FlagsTest : public ::testing::Test {
 private:
  absl::FlagSaver saver_;  // restores the flags after each test
};

TEST_F(FlagsTest, AcceptsFlagsBeforeAndAfterTheCommandAndStoresThem) {
  FlagCheck check = CheckCommandLineFlags(
      {"--deadline_s=5", "utilization", "--site", "HKI-VT", "-all_hours"});
  EXPECT_FALSE(check.help);
  EXPECT_TRUE(check.status.ok()) << check.status;
  Invocation invocation = InvocationFromFlags({"utilization"});
  EXPECT_EQ(invocation.deadline_s, 5);
  EXPECT_EQ(invocation.site, "HKI-VT");
  EXPECT_TRUE(invocation.all_hours);
  EXPECT_THAT(invocation.args, ElementsAre("utilization"));
  EXPECT_EQ(invocation.server, "127.0.0.1:7070");
  EXPECT_EQ(invocation.output, "table");
}

TEST_F(FlagsTest, NegatedBooleanIsKnown) {
  EXPECT_TRUE(
      CheckCommandLineFlags({"utilization", "--noall_hours"}).status.ok());
}

TEST_F(FlagsTest, UnknownFlagIsNamed) {
  FlagCheck check = CheckCommandLineFlags({"sites", "--sitee=X"});
  EXPECT_EQ(check.status.message(), "unknown flag --sitee");
  EXPECT_EQ(CheckCommandLineFlags({"--nosite"}).status.message(),
            "unknown flag --nosite");
}

TEST_F(FlagsTest, BadValueAndMissingValueAreNamed) {
  EXPECT_THAT(
      std::string(
          CheckCommandLineFlags({"--deadline_s=soon"}).status.message()),
      ::testing::StartsWith("--deadline_s=soon is not valid"));
  EXPECT_EQ(CheckCommandLineFlags({"spaces", "--site"}).status.message(),
            "--site needs a value");
}

TEST_F(FlagsTest, NothingAfterDoubleDashIsAFlag) {
  EXPECT_TRUE(CheckCommandLineFlags({"import-readings", "--", "--odd.csv"})
                  .status.ok());
}

TEST_F(FlagsTest, HelpIsRecognised) {
  EXPECT_TRUE(CheckCommandLineFlags({"--help"}).help);
  EXPECT_TRUE(CheckCommandLineFlags({"sites", "-h"}).help);
  EXPECT_FALSE(
      CheckCommandLineFlags({"help"}).help);  // the command, not a flag
}

}  // namespace
}  // namespace monipaikka::client
