#include "common/sqlite_migrations.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

constexpr const char* kScripts[] = {
    "CREATE TABLE gateway (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
    "ALTER TABLE gateway ADD COLUMN site TEXT NOT NULL DEFAULT '';",
    "CREATE TABLE reading (gateway_id INTEGER NOT NULL, ts_ms INTEGER);",
};

class MigrateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/migrations_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
    dir_ = pattern;
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open(dir_ + "/m.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  int Version() {
    absl::StatusOr<int> version = SchemaVersion(db_.get());
    EXPECT_TRUE(version.ok()) << version.status();
    return version.value_or(-1);
  }
  bool HasTable(absl::string_view name) {
    absl::StatusOr<std::unique_ptr<Statement>> query = db_->Prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    EXPECT_TRUE(query.ok()) << query.status();
    (*query)->BindText(1, name);
    absl::StatusOr<std::optional<bool>> row =
        (*query)->OneRow([] { return true; });
    EXPECT_TRUE(row.ok()) << row.status();
    return row.ok() && row->has_value();
  }

  std::string dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(MigrateTest, NewDatabaseGetsEveryMigrationInOrder) {
  EXPECT_EQ(Version(), 0);
  ASSERT_TRUE(Migrate(db_.get(), {.scripts = kScripts}).ok());
  EXPECT_EQ(Version(), 3);
  EXPECT_TRUE(HasTable("gateway"));
  EXPECT_TRUE(HasTable("reading"));
  // Migration 2 ran after 1: the column it adds is there.
  EXPECT_TRUE(
      db_->Execute("INSERT INTO gateway (name, site) VALUES ('g', 's')").ok());
  // Nothing left to do the second time (migration 1 again would fail).
  EXPECT_TRUE(Migrate(db_.get(), {.scripts = kScripts}).ok());
  EXPECT_EQ(Version(), 3);
}

TEST_F(MigrateTest, OlderDatabaseGetsOnlyTheMigrationsItLacks) {
  ASSERT_TRUE(
      Migrate(db_.get(), {.scripts = std::span(kScripts).first(1)}).ok());
  EXPECT_EQ(Version(), 1);
  EXPECT_FALSE(HasTable("reading"));
  ASSERT_TRUE(Migrate(db_.get(), {.scripts = kScripts}).ok());
  EXPECT_EQ(Version(), 3);
  EXPECT_TRUE(HasTable("reading"));
}

TEST_F(MigrateTest, FailedMigrationLeavesTheVersionBeforeIt) {
  constexpr const char* kBroken[] = {
      kScripts[0],
      "CREATE TABLE half_done (x INTEGER); INSERT INTO nowhere VALUES (1);",
  };
  absl::Status status = Migrate(db_.get(), {.scripts = kBroken});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no such table: nowhere"),
            absl::string_view::npos)
      << status;
  EXPECT_EQ(Version(), 1);
  EXPECT_TRUE(HasTable("gateway"));
  EXPECT_FALSE(HasTable("half_done"));  // rolled back with its migration
}

TEST_F(MigrateTest, RefusesADatabaseNewerThanTheProgram) {
  ASSERT_TRUE(db_->Execute("PRAGMA user_version = 7").ok());
  absl::Status status =
      Migrate(db_.get(),
              {.scripts = kScripts, .database = "outbox", .program = "agent"});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "outbox " + dir_ +
                                  "/m.db has schema version 7, newer than "
                                  "this agent's 3");
  EXPECT_EQ(Version(), 7);
  EXPECT_FALSE(HasTable("gateway"));
}

}  // namespace
}  // namespace monipaikka
