#include "server/backup_command.h"

#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/match.h"
#include "common/sqlite.h"
#include "server/storage/schema.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

class BackupCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE(MigrateSchema(db->get()).ok());
  }

  testing::TempDir dir_;
  const std::string db_path_ = dir_.File("server.db");
};

TEST_F(BackupCommandTest, ReportsTheCopyAndNamesThePseudonymKey) {
  const std::string key = dir_.File("pseudonym.key");
  std::ofstream(key) << std::string(64, 'a');
  absl::StatusOr<std::string> out = RunBackupCommand(
      {.db = db_path_, .to = dir_.File("b.db"), .pseudonym_key_file = key});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(absl::StrContains(*out, "backup written: " + dir_.File("b.db")))
      << *out;
  EXPECT_TRUE(absl::StrContains(
      *out, absl::StrCat("schema version ", LatestSchemaVersion())))
      << *out;
  EXPECT_TRUE(absl::StrContains(*out, "integrity_check: ok")) << *out;
  EXPECT_TRUE(absl::StrContains(*out, "pseudonym key: " + key + "\n")) << *out;
}

TEST_F(BackupCommandTest, SaysWhenNoKeyIsGivenOrTheKeyIsMissing) {
  absl::StatusOr<std::string> none =
      RunBackupCommand({.db = db_path_, .to = dir_.File("b1.db")});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(absl::StrContains(*none, "pseudonym key: none given")) << *none;
  absl::StatusOr<std::string> missing =
      RunBackupCommand({.db = db_path_,
                        .to = dir_.File("b2.db"),
                        .pseudonym_key_file = dir_.File("gone.key")});
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_TRUE(absl::StrContains(*missing, "gone.key (NOT FOUND")) << *missing;
}

TEST_F(BackupCommandTest, NamesTheMissingFlag) {
  absl::StatusOr<std::string> no_to = RunBackupCommand({.db = db_path_});
  EXPECT_EQ(no_to.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(no_to.status().message(), "--to:"));
  absl::StatusOr<std::string> no_db =
      RunBackupCommand({.to = dir_.File("b.db")});
  EXPECT_EQ(no_db.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(no_db.status().message(), "--db:"));
}

}  // namespace
}  // namespace monipaikka
