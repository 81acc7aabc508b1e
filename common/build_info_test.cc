#include "common/build_info.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

// --version names the program, its version and the commit it was built
// from, on one line.
TEST(BuildInfoTest, VersionTextNamesVersionAndCommit) {
  const std::vector<std::string> parts = absl::StrSplit(BuildVersion(), '.');
  ASSERT_EQ(parts.size(), 3u) << BuildVersion();
  for (const std::string& part : parts) {
    int number = 0;
    EXPECT_TRUE(absl::SimpleAtoi(part, &number)) << BuildVersion();
  }
  const std::string commit(BuildCommit());
  if (commit != "unknown") {
    EXPECT_GE(commit.size(), 7u);
    for (char c : commit) {
      EXPECT_TRUE(absl::ascii_isxdigit(c) && !absl::ascii_isupper(c)) << commit;
    }
  }
  EXPECT_EQ(VersionText("monipaikka-server"), "monipaikka-server " +
                                                  std::string(BuildVersion()) +
                                                  " (commit " + commit + ")\n");
}

}  // namespace
}  // namespace monipaikka
