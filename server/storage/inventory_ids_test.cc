#include "server/storage/inventory_ids.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "common/sqlite.h"
#include "server/storage/schema.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

class InventoryIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.File("ids.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(MigrateSchema(db_.get()).ok());
    ASSERT_TRUE(db_->Execute("INSERT INTO organizations(id, code, name) "
                             "VALUES (7, 'VERO', 'Verohallinto')")
                    .ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(InventoryIdsTest, FoundIdsAreCachedUnknownCodesAreAskedAgain) {
  InventoryIds ids(db_.get());
  auto find = [&](InventoryTable table, const char* code) {
    absl::StatusOr<std::optional<int64_t>> id = ids.Find(table, code);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(std::nullopt);
  };
  EXPECT_EQ(find(InventoryTable::kOrganization, "VERO"), 7);
  EXPECT_EQ(find(InventoryTable::kOrganization, "VERO"), 7);
  EXPECT_EQ(ids.cache_hits(), 1);
  // The same code in another table is another row.
  EXPECT_EQ(find(InventoryTable::kSite, "VERO"), std::nullopt);
  EXPECT_EQ(find(InventoryTable::kSite, "VERO"), std::nullopt);
  EXPECT_EQ(ids.cache_hits(), 1);
  ASSERT_TRUE(db_->Execute("INSERT INTO organizations(id, code, name) "
                           "VALUES (8, 'KELA', 'Kansaneläkelaitos')")
                  .ok());
  EXPECT_EQ(find(InventoryTable::kOrganization, "KELA"), 8);

  // After Invalidate the database is asked again.
  ASSERT_TRUE(
      db_->Execute("UPDATE organizations SET id = 9 WHERE code = 'VERO'").ok());
  EXPECT_EQ(find(InventoryTable::kOrganization, "VERO"), 7);  // cached
  ids.Invalidate();
  EXPECT_EQ(find(InventoryTable::kOrganization, "VERO"), 9);
}

}  // namespace
}  // namespace monipaikka
