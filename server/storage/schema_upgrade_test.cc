// Upgrades of an existing database: the copy made before the migrations,
// the refusal to migrate without one, and the refusal of a newer database.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/sqlite.h"
#include "common/sqlite_migrations.h"
#include "server/storage/schema.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

class SchemaUpgradeTest : public ::testing::Test {
 protected:
  // A database as the previous release left it, holding one reading.
  void WritePreviousReleaseDatabase() {
    auto db = Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE(MigrateSchemaTo(db->get(), LatestSchemaVersion() - 1).ok());
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO readings(ts_ms, sensor_id, seq, "
                              "value) VALUES (1764000000000, 7, 1, 1)")
                    .ok());
  }

  // Files in the directory whose names start with the database's and end
  // in ".backup".
  std::vector<std::string> Backups() const {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      const std::string name = entry.path().filename().string();
      if (absl::StartsWith(name, "m.db.") && absl::EndsWith(name, ".backup")) {
        found.push_back(entry.path().string());
      }
    }
    return found;
  }

  static int Version(const std::string& path) {
    DatabaseOptions read_only;
    read_only.read_only = true;
    auto db = Database::Open(path, read_only);
    if (!db.ok()) return -1;
    absl::StatusOr<int> version = SchemaVersion(db->get());
    return version.ok() ? *version : -1;
  }

  static int64_t Readings(const std::string& path) {
    DatabaseOptions read_only;
    read_only.read_only = true;
    auto db = Database::Open(path, read_only);
    if (!db.ok()) return -1;
    auto count = (*db)->Prepare("SELECT COUNT(*) FROM readings");
    if (!count.ok()) return -1;
    auto rows = (*count)->OneRow([&] { return (*count)->ColumnInt64(0); });
    return rows.ok() && rows->has_value() ? **rows : -1;
  }

  testing::TempDir dir_;
  const std::string path_ = dir_.File("m.db");
};

TEST_F(SchemaUpgradeTest, CopiesTheDatabaseBeforeMigratingIt) {
  WritePreviousReleaseDatabase();
  auto storage = Storage::OpenSqlite(path_);
  ASSERT_TRUE(storage.ok()) << storage.status();
  EXPECT_EQ(Version(path_), LatestSchemaVersion());

  const std::vector<std::string> backups = Backups();
  ASSERT_EQ(backups.size(), 1u);
  // Named with both versions; the old schema and the data inside.
  EXPECT_TRUE(absl::StrContains(
      backups[0], absl::StrCat(".v", LatestSchemaVersion() - 1, "-to-v",
                               LatestSchemaVersion(), ".")))
      << backups[0];
  EXPECT_EQ(Version(backups[0]), LatestSchemaVersion() - 1);
  EXPECT_EQ(Readings(backups[0]), 1);
  struct stat info;
  ASSERT_EQ(::stat(backups[0].c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST_F(SchemaUpgradeTest, NoCopyForANewDatabaseOrOneAlreadyCurrent) {
  ASSERT_TRUE(Storage::OpenSqlite(path_).ok());
  ASSERT_TRUE(Storage::OpenSqlite(path_).ok());
  EXPECT_TRUE(Backups().empty());
}

TEST_F(SchemaUpgradeTest, MigratesWithoutACopyWhenTheFlagSaysSo) {
  WritePreviousReleaseDatabase();
  SqliteStorageOptions options;
  options.backup_before_migration = false;
  auto storage = Storage::OpenSqlite(path_, options);
  ASSERT_TRUE(storage.ok()) << storage.status();
  EXPECT_EQ(Version(path_), LatestSchemaVersion());
  EXPECT_TRUE(Backups().empty());
}

TEST_F(SchemaUpgradeTest, MigratesNothingWhenTheCopyFails) {
  WritePreviousReleaseDatabase();
  const absl::Time now = absl::FromUnixSeconds(1764680000);
  const std::string in_the_way = MigrationBackupPath(
      path_, LatestSchemaVersion() - 1, LatestSchemaVersion(), now);
  std::ofstream(in_the_way) << "not a backup";
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok()) << db.status();
  absl::Status upgraded =
      UpgradeSchema(db->get(), {.backup_before_migration = true, .now = now});
  ASSERT_EQ(upgraded.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(upgraded.message(), "nothing was migrated"))
      << upgraded;
  EXPECT_TRUE(
      absl::StrContains(upgraded.message(), "--backup_before_migration=false"))
      << upgraded;
  db->reset();
  EXPECT_EQ(Version(path_), LatestSchemaVersion() - 1);
  EXPECT_EQ(Readings(path_), 1);
}

TEST_F(SchemaUpgradeTest, RefusesANewerDatabaseWithoutTouchingIt) {
  {
    auto db = Database::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(MigrateSchema(db->get()).ok());
    ASSERT_TRUE((*db)
                    ->Execute(absl::StrCat("PRAGMA user_version = ",
                                           LatestSchemaVersion() + 1))
                    .ok());
  }
  auto storage = Storage::OpenSqlite(path_);
  ASSERT_EQ(storage.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(
      storage.status().message(),
      absl::StrCat("has schema version ", LatestSchemaVersion() + 1,
                   ", newer than this server's ", LatestSchemaVersion())))
      << storage.status();
  EXPECT_TRUE(Backups().empty());
  EXPECT_EQ(Version(path_), LatestSchemaVersion() + 1);
}

}  // namespace
}  // namespace monipaikka
