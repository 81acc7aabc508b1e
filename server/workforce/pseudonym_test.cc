#include "server/workforce/pseudonym.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

TEST(PseudonymizerTest, IsHmacSha256InHex) {
  // Expected value computed independently:
  //   printf E0012345 | openssl dgst -sha256 -hmac kkkk…k (32 × k)
  auto p = Pseudonymizer::FromKey(std::string(32, 'k'));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Pseudonymize("E0012345"),
            "d820bc92ecfa8ce18199f540360dc18178108e4f8760676e99e47436f9ae7dd7");
  EXPECT_EQ(p->Pseudonymize("E0012345").size(), 64u);
}

TEST(PseudonymizerTest, StableUnderOneKeyDifferentUnderAnother) {
  auto a = Pseudonymizer::FromKey(std::string(32, 'a'));
  auto a2 = Pseudonymizer::FromKey(std::string(32, 'a'));
  auto b = Pseudonymizer::FromKey(std::string(32, 'b'));
  ASSERT_TRUE(a.ok() && a2.ok() && b.ok());
  EXPECT_EQ(a->Pseudonymize("E1"), a2->Pseudonymize("E1"));
  EXPECT_NE(a->Pseudonymize("E1"), b->Pseudonymize("E1"));
  EXPECT_NE(a->Pseudonymize("E1"), a->Pseudonymize("E2"));
}

TEST(PseudonymizerTest, KeyFileHexOrRawAndTooShortRefused) {
  testing::TempDir dir;
  const std::string hex_file = dir.File("hex.key");
  std::ofstream(hex_file) << std::string(64, 'a') << "\n";
  auto hex = Pseudonymizer::FromKeyFile(hex_file);
  ASSERT_TRUE(hex.ok()) << hex.status();
  auto raw = Pseudonymizer::FromKey(std::string(32, '\xaa'));
  EXPECT_EQ(hex->Pseudonymize("x"), raw->Pseudonymize("x"));

  const std::string short_file = dir.File("short.key");
  std::ofstream(short_file) << "secret";
  auto short_key = Pseudonymizer::FromKeyFile(short_file);
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(short_key.status().message().find("short.key"), std::string::npos);
  EXPECT_FALSE(Pseudonymizer::FromKeyFile(dir.File("missing.key")).ok());
}

}  // namespace
}  // namespace monipaikka
