#include "common/sqlite.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

// Each test gets a fresh directory under the test temp dir, removed after.
class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/sqlite_test_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
    dir_ = pattern;
    path_ = dir_ + "/test.db";
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Execute("CREATE TABLE site (id INTEGER PRIMARY KEY, "
                             "name TEXT NOT NULL UNIQUE, area_m2 REAL, "
                             "note TEXT);"
                             "CREATE TABLE room (id INTEGER PRIMARY KEY, "
                             "site_id INTEGER NOT NULL REFERENCES site(id));")
                    .ok());
  }

  void TearDown() override {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Rows in `table`, read through `db`.
  int64_t Count(Database* db, absl::string_view table) {
    absl::StatusOr<std::unique_ptr<Statement>> count =
        db->Prepare(std::string("SELECT COUNT(*) FROM ") + std::string(table));
    EXPECT_TRUE(count.ok()) << count.status();
    if (!count.ok()) return -1;
    absl::StatusOr<std::optional<int64_t>> rows =
        (*count)->OneRow([&] { return (*count)->ColumnInt64(0); });
    EXPECT_TRUE(rows.ok() && rows->has_value());
    return rows.ok() ? rows->value_or(-1) : -1;
  }

  absl::Status InsertSite(Database* db, int64_t id, absl::string_view name) {
    static constexpr char kSql[] = "INSERT INTO site (id, name) VALUES (?, ?)";
    absl::StatusOr<Statement*> insert = db->Cached(kSql);
    if (!insert.ok()) return insert.status();
    (*insert)->BindInt64(1, id);
    (*insert)->BindText(2, name);
    return (*insert)->Run();
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteTest, OpensInWalModeWithForeignKeys) {
  absl::StatusOr<std::unique_ptr<Statement>> mode =
      db_->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok()) << mode.status();
  absl::StatusOr<std::optional<std::string>> journal =
      (*mode)->OneRow([&] { return (*mode)->ColumnText(0); });
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ(*journal, "wal");

  absl::Status orphan = db_->Execute("INSERT INTO room (site_id) VALUES (42)");
  ASSERT_FALSE(orphan.ok());
  EXPECT_TRUE(Contains(orphan.message(), "FOREIGN KEY constraint failed"))
      << orphan;
}

TEST_F(SqliteTest, CachedStatementIsPreparedOnceAndReusable) {
  static constexpr char kInsert[] =
      "INSERT INTO site (id, name, area_m2, note) VALUES (?, ?, ?, ?)";
  absl::StatusOr<Statement*> first = db_->Cached(kInsert);
  ASSERT_TRUE(first.ok()) << first.status();
  (*first)->BindInt64(1, 1);
  (*first)->BindText(2, "Helsinki, Ratapihantie");
  (*first)->BindDouble(3, 2450.5);
  (*first)->BindTextOrNull(4, "");
  ASSERT_TRUE((*first)->Run().ok());

  absl::StatusOr<Statement*> second = db_->Cached(kInsert);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, *first);
  (*second)->BindInt64(1, 2);
  (*second)->BindText(2, "Tampere, Hatanpään valtatie");
  (*second)->BindNull(3);
  (*second)->BindTextOrNull(4, "Juhannuspäivä suljettu");
  ASSERT_TRUE((*second)->Run().ok());
  EXPECT_EQ(db_->LastInsertRowId(), 2);

  static constexpr char kSelect[] =
      "SELECT id, name, area_m2, note FROM site ORDER BY id";
  struct SiteRow {
    int64_t id;
    std::string name;
    std::optional<double> area_m2;
    std::string note;
    bool note_is_null;
  };
  // Twice: the cached statement comes back reset after a full run.
  for (int run = 0; run < 2; ++run) {
    absl::StatusOr<Statement*> select = db_->Cached(kSelect);
    ASSERT_TRUE(select.ok()) << select.status();
    std::vector<SiteRow> rows;
    Statement& row = **select;
    ASSERT_TRUE(row.ForEachRow([&] {
                     rows.push_back(
                         {row.ColumnInt64(0), row.ColumnText(1),
                          row.ColumnIsNull(2)
                              ? std::nullopt
                              : std::optional<double>(row.ColumnDouble(2)),
                          row.ColumnText(3), row.ColumnIsNull(3)});
                   })
                    .ok());
    ASSERT_EQ(rows.size(), 2u) << run;
    EXPECT_EQ(rows[0].id, 1);
    EXPECT_EQ(rows[0].name, "Helsinki, Ratapihantie");
    EXPECT_EQ(rows[0].area_m2, 2450.5);
    EXPECT_TRUE(rows[0].note_is_null);
    EXPECT_EQ(rows[0].note, "");
    EXPECT_EQ(rows[1].id, 2);
    EXPECT_EQ(rows[1].area_m2, std::nullopt);
    EXPECT_EQ(rows[1].note, "Juhannuspäivä suljettu");
  }
}

TEST_F(SqliteTest, OneRowReadsTheFirstRowOrNothingAndResets) {
  ASSERT_TRUE(InsertSite(db_.get(), 1, "Rovaniemi").ok());
  ASSERT_TRUE(InsertSite(db_.get(), 2, "Kajaani").ok());
  static constexpr char kByName[] = "SELECT id FROM site WHERE name = ?";
  for (const auto& [name, want] :
       std::vector<std::pair<std::string, std::optional<int64_t>>>{
           {"Kajaani", 2}, {"Kemi", std::nullopt}, {"Rovaniemi", 1}}) {
    absl::StatusOr<Statement*> lookup = db_->Cached(kByName);
    ASSERT_TRUE(lookup.ok()) << lookup.status();
    (*lookup)->BindText(1, name);
    absl::StatusOr<std::optional<int64_t>> id =
        (*lookup)->OneRow([&] { return (*lookup)->ColumnInt64(0); });
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(*id, want) << name;
  }
  // Of several rows only the first is read, and the statement is reset: the
  // writer below is not blocked by a read left open, and the statement runs
  // again from its first row.
  absl::StatusOr<std::unique_ptr<Statement>> all =
      db_->Prepare("SELECT name FROM site ORDER BY id");
  ASSERT_TRUE(all.ok()) << all.status();
  for (int run = 0; run < 2; ++run) {
    absl::StatusOr<std::optional<std::string>> first =
        (*all)->OneRow([&] { return (*all)->ColumnText(0); });
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(*first, "Rovaniemi");
  }
  EXPECT_TRUE(db_->Execute("DROP TABLE room").ok());
}

TEST_F(SqliteTest, BindingToAParameterTheStatementLacksFailsTheRun) {
  static constexpr char kInsert[] =
      "INSERT INTO site (id, name, note) VALUES (?1, ?2, ?3)";
  absl::StatusOr<Statement*> insert = db_->Cached(kInsert);
  ASSERT_TRUE(insert.ok()) << insert.status();
  (*insert)->BindInt64(1, 1);
  (*insert)->BindText(2, "Mikkeli");
  (*insert)->BindText(4, "meant for ?3");  // a slip: there is no ?4
  absl::Status run = (*insert)->Run();
  ASSERT_FALSE(run.ok());
  EXPECT_TRUE(Contains(run.message(), "binding parameter 4")) << run;
  EXPECT_TRUE(Contains(run.message(), "out of range")) << run;
  EXPECT_TRUE(Contains(run.message(), "INSERT INTO site")) << run;
  EXPECT_EQ(Count(db_.get(), "site"), 0);  // the statement did not run

  // A read with a bad binding fails too instead of finding nothing.
  absl::StatusOr<std::unique_ptr<Statement>> select =
      db_->Prepare("SELECT id FROM site WHERE name = ?");
  ASSERT_TRUE(select.ok()) << select.status();
  (*select)->BindText(0, "Mikkeli");  // parameters count from 1
  absl::StatusOr<std::optional<int64_t>> id =
      (*select)->OneRow([&] { return (*select)->ColumnInt64(0); });
  EXPECT_FALSE(id.ok());
  bool visited = false;
  (*select)->BindText(2, "Mikkeli");
  EXPECT_FALSE((*select)->ForEachRow([&] { visited = true; }).ok());
  EXPECT_FALSE(visited);

  // Reset forgets the error: the statement is good for a correct binding.
  insert = db_->Cached(kInsert);
  ASSERT_TRUE(insert.ok()) << insert.status();
  (*insert)->BindInt64(1, 1);
  (*insert)->BindText(2, "Mikkeli");
  (*insert)->BindText(3, "Savilahdenkatu");
  EXPECT_TRUE((*insert)->Run().ok());
  EXPECT_EQ(Count(db_.get(), "site"), 1);
}

TEST_F(SqliteTest, DeadlineInterruptsOnlyLongStatementsAndTheConnectionGoesOn) {
  ASSERT_TRUE(InsertSite(db_.get(), 1, "Pasila").ok());
  static constexpr char kShort[] = "SELECT name FROM site WHERE id = 1";
  static constexpr char kLong[] =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
      "WHERE x < 100000) SELECT COUNT(*) FROM c";
  // A deadline already passed: a short statement still runs, however often
  // its cached copy ran before (the step count restarts with each deadline).
  for (int i = 0; i < 500; ++i) {
    db_->SetDeadline(absl::InfinitePast());
    absl::StatusOr<Statement*> short_query = db_->Cached(kShort);
    ASSERT_TRUE(short_query.ok()) << short_query.status();
    absl::StatusOr<std::optional<std::string>> row =
        (*short_query)->OneRow([&] { return (*short_query)->ColumnText(0); });
    ASSERT_TRUE(row.ok() && row->has_value()) << i << ": " << row.status();
    EXPECT_FALSE(db_->deadline_exceeded());
  }
  // A long one is interrupted.
  db_->SetDeadline(absl::InfinitePast());
  absl::StatusOr<Statement*> long_query = db_->Cached(kLong);
  ASSERT_TRUE(long_query.ok()) << long_query.status();
  absl::StatusOr<std::optional<int64_t>> interrupted =
      (*long_query)->OneRow([&] { return (*long_query)->ColumnInt64(0); });
  EXPECT_EQ(interrupted.status().code(), absl::StatusCode::kDeadlineExceeded)
      << interrupted.status();
  EXPECT_TRUE(db_->deadline_exceeded());
  // Without a deadline the same connection runs it to the end.
  db_->SetDeadline(absl::InfiniteFuture());
  EXPECT_FALSE(db_->deadline_exceeded());
  long_query = db_->Cached(kLong);
  ASSERT_TRUE(long_query.ok()) << long_query.status();
  absl::StatusOr<std::optional<int64_t>> count =
      (*long_query)->OneRow([&] { return (*long_query)->ColumnInt64(0); });
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 100000);
}

TEST_F(SqliteTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction transaction(db_.get());
    ASSERT_TRUE(transaction.Begin().ok());
    ASSERT_TRUE(InsertSite(db_.get(), 1, "Oulu").ok());
    EXPECT_EQ(Count(db_.get(), "site"), 1);
  }
  EXPECT_EQ(Count(db_.get(), "site"), 0);

  {
    Transaction transaction(db_.get());
    ASSERT_TRUE(transaction.Begin().ok());
    ASSERT_TRUE(InsertSite(db_.get(), 1, "Oulu").ok());
    ASSERT_TRUE(transaction.Commit().ok());
  }
  EXPECT_EQ(Count(db_.get(), "site"), 1);
}

TEST_F(SqliteTest, OtherConnectionsSeeOnlyCommittedWrites) {
  absl::StatusOr<std::unique_ptr<Database>> reader =
      Database::Open(path_, {.read_only = true});
  ASSERT_TRUE(reader.ok()) << reader.status();

  Transaction transaction(db_.get());
  ASSERT_TRUE(transaction.Begin().ok());
  ASSERT_TRUE(InsertSite(db_.get(), 1, "Kuopio").ok());
  EXPECT_EQ(Count(reader->get(), "site"), 0);
  ASSERT_TRUE(transaction.Commit().ok());
  EXPECT_EQ(Count(reader->get(), "site"), 1);
}

TEST_F(SqliteTest, SecondWriterIsToldToRetry) {
  absl::StatusOr<std::unique_ptr<Database>> other = Database::Open(path_);
  ASSERT_TRUE(other.ok()) << other.status();
  sqlite3_busy_timeout((*other)->raw(), 0);  // fail at once, not in 10 s

  Transaction holder(db_.get());
  ASSERT_TRUE(holder.Begin().ok());
  Transaction waiter(other->get());
  absl::Status busy = waiter.Begin();
  EXPECT_EQ(busy.code(), absl::StatusCode::kUnavailable) << busy;
  EXPECT_TRUE(Contains(busy.message(), "locked")) << busy;
}

TEST_F(SqliteTest, ErrorsCarryTheSqliteMessageAndTheStatement) {
  absl::StatusOr<std::unique_ptr<Statement>> typo =
      db_->Prepare("SELEC name FROM site");
  ASSERT_FALSE(typo.ok());
  EXPECT_TRUE(Contains(typo.status().message(), "syntax error"))
      << typo.status();
  EXPECT_TRUE(Contains(typo.status().message(), "SELEC name FROM site"));
  EXPECT_TRUE(Contains(typo.status().message(), path_));

  absl::Status missing = db_->Execute("DELETE FROM nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(Contains(missing.message(), "no such table: nowhere")) << missing;

  ASSERT_TRUE(InsertSite(db_.get(), 1, "Joensuu").ok());
  absl::Status duplicate = InsertSite(db_.get(), 2, "Joensuu");
  ASSERT_FALSE(duplicate.ok());
  EXPECT_TRUE(Contains(duplicate.message(), "UNIQUE constraint failed"))
      << duplicate;
  EXPECT_TRUE(Contains(duplicate.message(), "site.name")) << duplicate;
  // The cached statement is usable again after the failure.
  EXPECT_TRUE(InsertSite(db_.get(), 2, "Lahti").ok());
  EXPECT_EQ(Count(db_.get(), "site"), 2);
}

TEST_F(SqliteTest, PrepareTakesExactlyOneStatement) {
  EXPECT_TRUE(db_->Prepare("SELECT 1;").ok());
  EXPECT_TRUE(db_->Prepare("SELECT 1; -- trailing comment\n").ok());

  absl::StatusOr<std::unique_ptr<Statement>> two = db_->Prepare(
      "INSERT INTO site (id, name) VALUES (1, 'a');"
      "INSERT INTO site (id, name) VALUES (2, 'b')");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(two.status().message(), "more than one"))
      << two.status();

  absl::StatusOr<std::unique_ptr<Statement>> none = db_->Prepare("  -- no\n");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteTest, ChangesCountsRowsOfTheLastWrite) {
  ASSERT_TRUE(InsertSite(db_.get(), 1, "Vaasa").ok());
  ASSERT_TRUE(InsertSite(db_.get(), 2, "Turku").ok());
  ASSERT_TRUE(db_->Execute("UPDATE site SET area_m2 = 100").ok());
  EXPECT_EQ(db_->Changes(), 2);
}

TEST_F(SqliteTest, OpenNamesThePathItCannotOpen) {
  std::string missing = dir_ + "/no/such/dir/x.db";
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(missing);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(db.status().message(), missing)) << db.status();

  absl::StatusOr<std::unique_ptr<Database>> read_only =
      Database::Open(dir_ + "/absent.db", {.read_only = true});
  EXPECT_FALSE(read_only.ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/absent.db"));
}

TEST_F(SqliteTest, CommitsAreSyncedInFullByDefaultAndNormalOnRequest) {
  absl::StatusOr<int> by_default = db_->SynchronousPragma();
  ASSERT_TRUE(by_default.ok()) << by_default.status();
  EXPECT_EQ(*by_default, 2);  // FULL

  absl::StatusOr<std::unique_ptr<Database>> normal =
      Database::Open(path_, {.synchronous = SqliteSynchronous::kNormal});
  ASSERT_TRUE(normal.ok()) << normal.status();
  absl::StatusOr<int> level = (*normal)->SynchronousPragma();
  ASSERT_TRUE(level.ok()) << level.status();
  EXPECT_EQ(*level, 1);  // NORMAL
}

TEST_F(SqliteTest, SynchronousFlagValuesAreFullOrNormal) {
  EXPECT_EQ(*ParseSqliteSynchronous("full"), SqliteSynchronous::kFull);
  EXPECT_EQ(*ParseSqliteSynchronous("normal"), SqliteSynchronous::kNormal);
  for (absl::string_view bad : {"", "FULL", "off", "extra", "1"}) {
    absl::StatusOr<SqliteSynchronous> parsed = ParseSqliteSynchronous(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(parsed.status().message(), "--sqlite_synchronous"))
        << parsed.status();
  }
  EXPECT_EQ(SqliteSynchronousName(SqliteSynchronous::kNormal), "normal");
}

TEST_F(SqliteTest, NewDatabaseAndItsLogAreReadableByTheOwnerOnly) {
  // The usual umask of a shell, which leaves files readable by everyone.
  const mode_t previous = ::umask(022);
  const std::string path = dir_ + "/private.db";
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  ::umask(previous);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)->Execute("CREATE TABLE t (x INTEGER)").ok());
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat info;
    ASSERT_EQ(::stat(file.c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0777, 0600) << file;
  }
}

}  // namespace
}  // namespace monipaikka
