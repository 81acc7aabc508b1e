#include "common/check.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

int evaluated = 0;

std::string CountedMessage() {
  ++evaluated;
  return "built";
}

TEST(CheckTest, AHoldingConditionPassesWithoutBuildingTheMessage) {
  evaluated = 0;
  MONIPAIKKA_CHECK(1 + 1 == 2, CountedMessage());
  EXPECT_EQ(evaluated, 0);
}

TEST(CheckDeathTest, ABrokenConditionWritesAFatalLineAndAborts) {
  const int cells = 3;
  const int columns = 4;
  EXPECT_DEATH(
      MONIPAIKKA_CHECK(cells == columns,
                       absl::StrCat(cells, " cells for ", columns, " columns")),
      "level=fatal event=invariant_broken "
      "message=\"3 cells for 4 columns\" "
      "condition=\"cells == columns\" "
      "source=common/check_test.cc:[0-9]+");
}

TEST(CheckDeathTest, FatalNamesTheMessageAndTheSource) {
  EXPECT_DEATH(MONIPAIKKA_FATAL("JSON output has no table form"),
               "level=fatal event=invariant_broken "
               "message=\"JSON output has no table form\" "
               "source=common/check_test.cc:[0-9]+");
}

}  // namespace
}  // namespace monipaikka
