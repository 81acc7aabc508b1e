#include "tests/support/test_certificates.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"

namespace monipaikka::testing {

namespace {

constexpr char kOpenSsl[] = "/usr/bin/openssl";

void RunOpenSsl(const std::vector<std::string>& args) {
  std::string out;
  std::string err;
  const int code =
      RunToCompletion(kOpenSsl, args, &out, std::chrono::seconds(60), &err);
  ASSERT_EQ(code, 0) << "openssl " << args.front() << " failed: " << out
                     << err;
}

// openssl configuration with the subject and the extensions of both kinds.
std::string WriteConfig(const TempDir& dir, const std::string& name,
                        const std::string& common_name,
                        const std::string& subject_alt_names) {
  const std::string path = dir.File(name + ".cnf");
  std::ofstream config(path);
  config << "[req]\ndistinguished_name = dn\nprompt = no\n"
         << "[dn]\nCN = " << common_name << "\n"
         << "[ca_ext]\nbasicConstraints = critical, CA:TRUE\n"
         << "keyUsage = critical, keyCertSign, cRLSign\n"
         << "subjectKeyIdentifier = hash\n"
         << "[leaf_ext]\nbasicConstraints = CA:FALSE\n"
         << "keyUsage = critical, digitalSignature, keyEncipherment\n"
         << "extendedKeyUsage = serverAuth, clientAuth\n"
         << "authorityKeyIdentifier = keyid\n";
  if (!subject_alt_names.empty()) {
    config << "subjectAltName = " << subject_alt_names << "\n";
  }
  return path;
}

const std::vector<std::string> kNewKey = {
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};

}  // namespace

TestCa::TestCa(const TempDir& dir, const std::string& name) : dir_(dir) {
  files_ = {dir.File(name + ".crt"), dir.File(name + ".key")};
  const std::string config = WriteConfig(dir, name, name, "");
  std::vector<std::string> args = {"req", "-x509", "-new"};
  args.insert(args.end(), kNewKey.begin(), kNewKey.end());
  args.insert(args.end(), {"-keyout", files_.key, "-out", files_.cert,
                           "-days", "2", "-config", config, "-extensions",
                           "ca_ext"});
  RunOpenSsl(args);
}

CertificateFiles TestCa::Issue(const std::string& file_name,
                               const std::string& common_name,
                               const std::string& subject_alt_names) const {
  static std::atomic<int> next_serial{1000};
  CertificateFiles files{dir_.File(file_name + ".crt"),
                         dir_.File(file_name + ".key")};
  const std::string config =
      WriteConfig(dir_, file_name, common_name, subject_alt_names);
  const std::string request = dir_.File(file_name + ".csr");
  std::vector<std::string> args = {"req", "-new"};
  args.insert(args.end(), kNewKey.begin(), kNewKey.end());
  args.insert(args.end(),
              {"-keyout", files.key, "-out", request, "-config", config});
  RunOpenSsl(args);
  RunOpenSsl({"x509", "-req", "-in", request, "-CA", files_.cert, "-CAkey",
              files_.key, "-set_serial", absl::StrCat(next_serial++), "-days",
              "2", "-out", files.cert, "-extfile", config, "-extensions",
              "leaf_ext"});
  return files;
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
