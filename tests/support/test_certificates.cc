#include "tests/support/test_certificates.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace monipaikka::testing {

TestCa::TestCa(const TempDir& dir, const std::string& name) : dir_(dir) {
  absl::StatusOr<CertificateFiles> files =
      MakeCertificateAuthority(dir.path(), name);
  EXPECT_TRUE(files.ok()) << files.status();
  if (files.ok()) files_ = *std::move(files);
}

CertificateFiles TestCa::Issue(const std::string& file_name,
                               const std::string& common_name,
                               const std::string& subject_alt_names) const {
  absl::StatusOr<CertificateFiles> files = IssueCertificate(
      files_, dir_.path(), file_name, common_name, subject_alt_names);
  EXPECT_TRUE(files.ok()) << files.status();
  return files.ok() ? *std::move(files) : CertificateFiles{};
}

std::string TestCa::RevocationList(
    const std::string& name,
    const std::vector<CertificateFiles>& revoked) const {
  absl::StatusOr<std::string> crl =
      MakeRevocationList(files_, dir_.path(), name, revoked);
  EXPECT_TRUE(crl.ok()) << crl.status();
  return crl.ok() ? *std::move(crl) : std::string();
}

void ReplaceFile(const std::string& from, const std::string& to) {
  const std::string beside = to + ".new";
  {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(beside, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
  }
  ASSERT_EQ(std::rename(beside.c_str(), to.c_str()), 0) << to;
}

}  // namespace monipaikka::testing
