#include "client/did_you_mean.h"

#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("sites", "sites"), 0);
  EXPECT_EQ(EditDistance("stes", "sites"), 1);   // insertion
  EXPECT_EQ(EditDistance("sitee", "site"), 1);   // deletion
  EXPECT_EQ(EditDistance("sotes", "sites"), 1);  // substitution
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
  EXPECT_EQ(EditDistance("", "abc"), 3);
}

TEST(NearestNameTest, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string> names = {"site", "space", "sites", "to"};
  EXPECT_EQ(NearestName("sitee", names), "site");
  EXPECT_EQ(NearestName("spcae", names), "space");
  // Too far from anything, or too short to guess from.
  EXPECT_EQ(NearestName("organization", names), std::nullopt);
  EXPECT_EQ(NearestName("xo", names), std::nullopt);
}

}  // namespace
}  // namespace monipaikka::client
