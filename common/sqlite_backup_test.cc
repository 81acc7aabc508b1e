#include "common/sqlite_backup.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/sqlite.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

bool Contains(absl::string_view text, absl::string_view part) {
  return text.find(part) != absl::string_view::npos;
}

class SqliteBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/sqlite_backup_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
    dir_ = pattern;
    source_ = dir_ + "/live.db";
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(source_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(db).value();
    // Two tables one transaction always grows together: a copy that caught
    // half a commit would show unequal counts.
    ASSERT_TRUE(db_->Execute("CREATE TABLE a (id INTEGER PRIMARY KEY, "
                             "payload TEXT NOT NULL);"
                             "CREATE TABLE b (id INTEGER PRIMARY KEY, "
                             "payload TEXT NOT NULL);"
                             "PRAGMA user_version = 6;")
                    .ok());
    for (int i = 0; i < 40; ++i) ASSERT_TRUE(InsertPair(db_.get()).ok());
  }

  void TearDown() override {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // One transaction adding 100 rows of 200 bytes to each table.
  static absl::Status InsertPair(Database* db) {
    return db->Execute(
        "BEGIN;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 100) INSERT INTO a(payload) SELECT printf('%200d', i) "
        "FROM n;"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        "WHERE i < 100) INSERT INTO b(payload) SELECT printf('%200d', i) "
        "FROM n;"
        "COMMIT;");
  }

  static int64_t Count(const std::string& path, absl::string_view table) {
    DatabaseOptions read_only;
    read_only.read_only = true;
    absl::StatusOr<std::unique_ptr<Database>> db =
        Database::Open(path, read_only);
    if (!db.ok()) return -1;
    absl::StatusOr<std::unique_ptr<Statement>> stmt =
        (*db)->Prepare(absl::StrCat("SELECT COUNT(*) FROM ", table));
    if (!stmt.ok()) return -1;
    absl::StatusOr<std::optional<int64_t>> count =
        (*stmt)->OneRow([&] { return (*stmt)->ColumnInt64(0); });
    return count.ok() && count->has_value() ? **count : -1;
  }

  std::string dir_;
  std::string source_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteBackupTest,
       CopiesTheDatabaseIntoANewPrivateFileThatPassesTheCheck) {
  const std::string copy = dir_ + "/copy.db";
  absl::StatusOr<DatabaseBackupReport> report = BackupDatabase(source_, copy);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Count(copy, "a"), 4000);
  EXPECT_EQ(Count(copy, "b"), 4000);
  EXPECT_EQ(report->schema_version, 6);
  EXPECT_GT(report->pages, 100);
  EXPECT_EQ(report->bytes,
            static_cast<int64_t>(std::filesystem::file_size(copy)));
  struct stat info;
  ASSERT_EQ(::stat(copy.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  // Nothing of the partial file is left: not it, nor the -wal and -shm
  // that its check opened.
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_FALSE(entry.path().filename().string().starts_with("copy.db.part"))
        << entry.path();
  }
  absl::StatusOr<std::vector<std::string>> findings =
      IntegrityCheckFindings(copy);
  ASSERT_TRUE(findings.ok()) << findings.status();
  EXPECT_EQ(*findings, std::vector<std::string>{"ok"});
}

TEST_F(SqliteBackupTest, CommitsDuringTheCopyGoOnAndStayOutOfIt) {
  const std::string copy = dir_ + "/copy.db";
  // A second connection, as the server's writer: it commits between the
  // steps of the copy.
  absl::StatusOr<std::unique_ptr<Database>> writer = Database::Open(source_);
  ASSERT_TRUE(writer.ok()) << writer.status();
  int commits = 0;
  absl::Status write_status;
  DatabaseBackupOptions options;
  options.pages_per_step = 16;
  options.on_progress = [&](int64_t copied, int64_t total) {
    if (copied < total && write_status.ok()) {
      write_status = InsertPair(writer->get());
      ++commits;
    }
  };
  absl::StatusOr<DatabaseBackupReport> report =
      BackupDatabase(source_, copy, options);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_TRUE(write_status.ok()) << write_status;
  ASSERT_GT(commits, 10);
  // The copy is the database as it was when the copy began, and the copy
  // never restarted for the commits (one step per 16 pages).
  EXPECT_EQ(Count(copy, "a"), 4000);
  EXPECT_EQ(Count(copy, "b"), 4000);
  EXPECT_EQ(report->steps, (report->pages + 15) / 16);
  EXPECT_EQ(Count(source_, "a"), 4000 + 100 * commits);
}

TEST_F(SqliteBackupTest, NeverReplacesAnExistingFile) {
  const std::string copy = dir_ + "/copy.db";
  std::ofstream(copy) << "an older backup";
  absl::StatusOr<DatabaseBackupReport> report = BackupDatabase(source_, copy);
  ASSERT_EQ(report.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(Contains(report.status().message(), copy));
  std::ifstream in(copy);
  std::string kept((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  EXPECT_EQ(kept, "an older backup");
}

TEST_F(SqliteBackupTest, AMissingSourceIsNamedAndNothingIsWritten) {
  const std::string copy = dir_ + "/copy.db";
  absl::StatusOr<DatabaseBackupReport> report =
      BackupDatabase(dir_ + "/absent.db", copy);
  ASSERT_EQ(report.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Contains(report.status().message(), "absent.db"));
  EXPECT_FALSE(std::filesystem::exists(copy));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/absent.db"));
}

TEST_F(SqliteBackupTest, ASourceThatIsNoDatabaseFailsAndLeavesNoCopy) {
  const std::string bogus = dir_ + "/bogus.db";
  std::ofstream(bogus) << std::string(8192, 'x');
  const std::string copy = dir_ + "/copy.db";
  absl::StatusOr<DatabaseBackupReport> report = BackupDatabase(bogus, copy);
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(Contains(report.status().message(), "bogus.db"))
      << report.status();
  EXPECT_FALSE(std::filesystem::exists(copy));
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
}

TEST_F(SqliteBackupTest, ALeftoverPartialFileIsReplaced) {
  const std::string copy = dir_ + "/copy.db";
  std::ofstream(copy + ".partial") << "interrupted";
  absl::StatusOr<DatabaseBackupReport> report = BackupDatabase(source_, copy);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(Count(copy, "b"), 4000);
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
}

}  // namespace
}  // namespace monipaikka
