#include "server/http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace monipaikka::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(root_ + "/assets");
    std::ofstream(root_ + "/index.html") << "<!doctype html>";
    std::ofstream(root_ + "/assets/app-1234.js") << "1";
    std::ofstream(root_ + "/favicon.svg") << "<svg/>";
    std::ofstream(dir_.File("secret.txt")) << "no";
    std::ofstream(root_ + "/.env") << "no";
  }

  monipaikka::testing::TempDir dir_;
  const std::string root_ = dir_.File("web");
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  absl::StatusOr<StaticFile> index = ResolveStaticFile(root_, "/");
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(std::filesystem::path(index->path).filename(), "index.html");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index->cache_control, "no-cache");

  absl::StatusOr<StaticFile> script =
      ResolveStaticFile(root_, "/assets/app-1234.js?v=1");
  ASSERT_TRUE(script.ok()) << script.status();
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(script->cache_control, "public, max-age=31536000, immutable");

  EXPECT_EQ(ResolveStaticFile(root_, "/favicon.svg")->content_type,
            "image/svg+xml");
}

TEST_F(StaticFilesTest, AppRoutesAreIndexHtmlButMissingFilesAreNot) {
  absl::StatusOr<StaticFile> route = ResolveStaticFile(root_, "/sites/HKI-1");
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(std::filesystem::path(route->path).filename(), "index.html");
  EXPECT_TRUE(
      absl::IsNotFound(ResolveStaticFile(root_, "/assets/gone.js").status()));
}

TEST_F(StaticFilesTest, NeverLeavesTheDirectory) {
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
        "/assets/%2E%2E/%2e%2e/secret.txt", "/.env", "/..%5csecret.txt",
        "/index.html%00.js", "/%zz", "relative"}) {
    absl::StatusOr<StaticFile> file = ResolveStaticFile(root_, target);
    EXPECT_FALSE(file.ok()) << target << " -> " << file->path;
  }
  // A symbolic link out of the directory is not followed.
  std::filesystem::create_symlink(dir_.File("secret.txt"), root_ + "/link.txt");
  EXPECT_TRUE(absl::IsNotFound(ResolveStaticFile(root_, "/link.txt").status()));
}

TEST_F(StaticFilesTest, SendsTheGzipCopyToBrowsersThatTakeGzip) {
  std::ofstream(root_ + "/assets/app-1234.js.gz") << "gz";
  absl::StatusOr<StaticFile> gz =
      ResolveStaticFile(root_, "/assets/app-1234.js", /*accepts_gzip=*/true);
  ASSERT_TRUE(gz.ok()) << gz.status();
  EXPECT_EQ(std::filesystem::path(gz->path).filename(), "app-1234.js.gz");
  EXPECT_EQ(gz->content_encoding, "gzip");
  EXPECT_EQ(gz->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(gz->cache_control, "public, max-age=31536000, immutable");

  absl::StatusOr<StaticFile> plain =
      ResolveStaticFile(root_, "/assets/app-1234.js", /*accepts_gzip=*/false);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(std::filesystem::path(plain->path).filename(), "app-1234.js");
  EXPECT_EQ(plain->content_encoding, "");

  // No copy: the file itself.
  absl::StatusOr<StaticFile> index =
      ResolveStaticFile(root_, "/", /*accepts_gzip=*/true);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(std::filesystem::path(index->path).filename(), "index.html");
  EXPECT_EQ(index->content_encoding, "");
}

TEST_F(StaticFilesTest, AGzipCopyLinkedOutOfTheDirectoryIsNotSent) {
  std::ofstream(dir_.File("secret.gz")) << "no";
  std::filesystem::create_symlink(dir_.File("secret.gz"),
                                  root_ + "/assets/app-1234.js.gz");
  absl::StatusOr<StaticFile> file =
      ResolveStaticFile(root_, "/assets/app-1234.js", /*accepts_gzip=*/true);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(std::filesystem::path(file->path).filename(), "app-1234.js");
  EXPECT_EQ(file->content_encoding, "");
}

TEST(AcceptsGzipTest, ReadsTheAcceptEncodingHeader) {
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(AcceptsGzip("*, gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=bad"));
}

TEST_F(StaticFilesTest, AMissingWebRootIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(
      ResolveStaticFile(dir_.File("nothing"), "/index.html").status()));
}

}  // namespace
}  // namespace monipaikka::http
