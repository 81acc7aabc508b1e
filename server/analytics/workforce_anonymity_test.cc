#include "server/analytics/workforce_anonymity.h"

#include <gtest/gtest.h>

namespace monipaikka {
namespace {

constexpr int kK = 5;

DisclosureCell Count(int64_t value, int64_t population) {
  return {value, true, IsSmallGroup(value, population, kK)};
}

TEST(IsSmallGroupTest, ThresholdAndZero) {
  EXPECT_TRUE(IsSmallGroup(1, 100, 5));
  EXPECT_TRUE(IsSmallGroup(4, 100, 5));
  EXPECT_FALSE(IsSmallGroup(5, 100, 5));
  EXPECT_FALSE(IsSmallGroup(0, 100, 5));  // names nobody
  EXPECT_TRUE(IsSmallGroup(0, 4, 5));     // but the group itself is small
  EXPECT_TRUE(IsSmallGroup(4, 4, 5));
}

TEST(WithholdCellsTest, NothingSmallNothingWithheld) {
  std::vector<DisclosureCell> cells = {Count(30, 30), Count(10, 30),
                                       Count(20, 30)};
  std::vector<bool> withheld = WithholdCells(cells, {{0, {1, 2}}}, kK);
  EXPECT_EQ(withheld, std::vector<bool>({false, false, false}));
}

TEST(WithholdCellsTest, ASmallPartTakesTheSmallestOtherPartWithIt) {
  // total 40 = 3 + 12 + 25: 3 is small; 12 goes with it, since
  // 40 − 12 − 25 would give 3 back.
  std::vector<DisclosureCell> cells = {Count(40, 40), Count(3, 40),
                                       Count(25, 40), Count(12, 40)};
  std::vector<bool> withheld = WithholdCells(cells, {{0, {1, 2, 3}}}, kK);
  EXPECT_EQ(withheld, std::vector<bool>({false, true, false, true}));
}

TEST(WithholdCellsTest, WithheldPartsThatTogetherAreSmallTakeAThird) {
  // 1 and 2 withheld, but 20 − 17 = 3 would say the two together are 3.
  std::vector<DisclosureCell> cells = {Count(20, 20), Count(1, 20),
                                       Count(2, 20), Count(17, 20)};
  std::vector<bool> withheld = WithholdCells(cells, {{0, {1, 2, 3}}}, kK);
  EXPECT_EQ(withheld, std::vector<bool>({false, true, true, true}));
}

TEST(WithholdCellsTest, ZeroPartsAreTakenOnlyWhenNothingElseIsLeft) {
  // 10 = 4 + 0 + 6: the non-zero 6 protects 4, not the 0.
  std::vector<DisclosureCell> cells = {Count(10, 10), Count(4, 10),
                                       Count(0, 10), Count(6, 10)};
  std::vector<bool> withheld = WithholdCells(cells, {{0, {1, 2, 3}}}, kK);
  EXPECT_EQ(withheld, std::vector<bool>({false, true, false, true}));
}

TEST(WithholdCellsTest, AnOnlyChildTakesItsTotal) {
  std::vector<DisclosureCell> cells = {Count(3, 3), Count(3, 3)};
  // Both are small anyway; a unit that is its organization's only unit and
  // is withheld for a sibling elsewhere takes the total along.
  std::vector<DisclosureCell> big = {Count(50, 50), Count(50, 50)};
  big[1].sensitive = true;  // as if withheld for another reason
  EXPECT_EQ(WithholdCells(big, {{0, {1}}}, kK),
            std::vector<bool>({true, true}));
  EXPECT_EQ(WithholdCells(cells, {{0, {1}}}, kK),
            std::vector<bool>({true, true}));
}

TEST(WithholdCellsTest, AWithheldTotalNeedsAWithheldPart) {
  // The total is sensitive for a reason of its own: its parts must not add
  // up to it.
  std::vector<DisclosureCell> cells = {Count(30, 30), Count(10, 30),
                                       Count(20, 30)};
  cells[0].sensitive = true;
  std::vector<bool> withheld = WithholdCells(cells, {{0, {1, 2}}}, kK);
  EXPECT_EQ(withheld, std::vector<bool>({true, true, false}));
}

TEST(WithholdCellsTest, ASmallUnpublishedComplementIsProtected) {
  // 12 employees, 10 at home: "not at home" (2) is not shown but would be
  // 12 − 10, so one of the shown cells goes.
  std::vector<DisclosureCell> cells = {Count(12, 12), Count(10, 12),
                                       Count(2, 12)};
  cells[2].published = false;
  std::vector<bool> withheld = WithholdCells(cells, {{0, {1, 2}}}, kK);
  EXPECT_FALSE(withheld[0]);
  EXPECT_TRUE(withheld[1]);
}

TEST(WithholdCellsTest, SuppressionCascadesThroughAHierarchy) {
  // state 60 = org A 30 + org B 30; A = a1 3 + a2 27; B = b1 15 + b2 15.
  // a1 is small → a2 withheld → A's total is still shown (two withheld
  // parts summing to 30); nothing else moves.
  std::vector<DisclosureCell> cells = {Count(60, 60), Count(30, 30),
                                       Count(30, 30), Count(3, 3),
                                       Count(27, 27), Count(15, 15),
                                       Count(15, 15)};
  std::vector<AdditiveRelation> relations = {
      {0, {1, 2}}, {1, {3, 4}}, {2, {5, 6}}};
  std::vector<bool> withheld = WithholdCells(cells, relations, kK);
  EXPECT_EQ(withheld, std::vector<bool>({false, false, false, true, true,
                                         false, false}));
}

TEST(WithholdCellsTest, DayCountsDoNotUseThePersonSumRule) {
  std::vector<DisclosureCell> cells = {{100, true, false},
                                       {1, true, true},
                                       {2, true, false},
                                       {97, true, false}};
  std::vector<bool> withheld =
      WithholdCells(cells, {{0, {1, 2, 3}, /*persons=*/false}}, kK);
  EXPECT_EQ(withheld, std::vector<bool>({false, true, true, false}));
}

}  // namespace
}  // namespace monipaikka
