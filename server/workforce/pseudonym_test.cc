#include "server/workforce/pseudonym.h"

#include <gtest/gtest.h>

#include <filesystem>
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

// Directories: data/ holds the database, keys/ is apart from it.
class KeyLocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(data_dir());
    std::filesystem::create_directories(dir_.File("keys"));
    std::ofstream(database()) << "";
  }
  std::string data_dir() const { return dir_.File("data"); }
  std::string database() const { return dir_.File("data/monipaikka.db"); }
  // Writes a key at `path` (relative to the temp dir); returns the path.
  std::string Key(const std::string& path) const {
    std::filesystem::create_directories(
        std::filesystem::path(dir_.File(path)).parent_path());
    std::ofstream(dir_.File(path)) << std::string(64, 'a') << "\n";
    return dir_.File(path);
  }
  static bool Refused(const absl::Status& status) {
    return status.code() == absl::StatusCode::kInvalidArgument &&
           status.message().find("under the database's directory") !=
               std::string::npos;
  }

  testing::TempDir dir_;
};

TEST_F(KeyLocationTest, KeyApartFromTheDataIsAccepted) {
  EXPECT_TRUE(CheckKeyApartFromDatabase(Key("keys/p.key"), database()).ok());
  // A sibling whose name starts like the data directory's is apart too.
  EXPECT_TRUE(CheckKeyApartFromDatabase(Key("data2/p.key"), database()).ok());
}

TEST_F(KeyLocationTest, KeyInTheDatabaseDirectoryOrBelowIsRefused) {
  const absl::Status beside =
      CheckKeyApartFromDatabase(Key("data/p.key"), database());
  EXPECT_TRUE(Refused(beside)) << beside;
  EXPECT_NE(beside.message().find("p.key"), std::string::npos) << beside;
  const absl::Status below =
      CheckKeyApartFromDatabase(Key("data/keys/deeper/p.key"), database());
  EXPECT_TRUE(Refused(below)) << below;
  // Spelt with "..", it is still below.
  EXPECT_TRUE(Refused(CheckKeyApartFromDatabase(
      dir_.File("keys/../data/keys/deeper/p.key"), database())));
}

TEST_F(KeyLocationTest, SymbolicLinksAreResolvedBeforeTheCheck) {
  const std::string inside = Key("data/keys/p.key");
  // A link elsewhere to a key inside.
  std::filesystem::create_symlink(inside, dir_.File("keys/link.key"));
  EXPECT_TRUE(Refused(
      CheckKeyApartFromDatabase(dir_.File("keys/link.key"), database())));
  // A directory elsewhere that is a link to the data directory.
  std::filesystem::create_directory_symlink(data_dir(), dir_.File("alias"));
  EXPECT_TRUE(Refused(
      CheckKeyApartFromDatabase(dir_.File("alias/keys/p.key"), database())));
  // The database reached through a link, the key in its real directory.
  EXPECT_TRUE(Refused(
      CheckKeyApartFromDatabase(inside, dir_.File("alias/monipaikka.db"))));
}

}  // namespace
}  // namespace monipaikka
