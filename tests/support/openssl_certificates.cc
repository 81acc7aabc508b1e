#include "tests/support/openssl_certificates.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tests/support/process.h"

namespace monipaikka::testing {
namespace {

constexpr char kOpenSsl[] = "/usr/bin/openssl";

absl::Status RunOpenSsl(const std::vector<std::string>& args) {
  std::string out;
  std::string err;
  const int code =
      RunToCompletion(kOpenSsl, args, &out, std::chrono::seconds(60), &err);
  if (code == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("openssl ", args.front(), " failed: ", out, err));
}

// openssl configuration with the subject and the extensions of both kinds.
std::string WriteConfig(const std::string& dir, const std::string& name,
                        const std::string& common_name,
                        const std::string& subject_alt_names) {
  const std::string path = dir + "/" + name + ".cnf";
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

const std::vector<std::string>& NewKeyArgs() {
  static const auto* args = new std::vector<std::string>{
      "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  return *args;
}

}  // namespace

absl::StatusOr<CertificateFiles> MakeCertificateAuthority(
    const std::string& dir, const std::string& name) {
  CertificateFiles files{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  const std::string config = WriteConfig(dir, name, name, "");
  std::vector<std::string> args = {"req", "-x509", "-new"};
  args.insert(args.end(), NewKeyArgs().begin(), NewKeyArgs().end());
  args.insert(args.end(), {"-keyout", files.key, "-out", files.cert, "-days",
                           "2", "-config", config, "-extensions", "ca_ext"});
  if (absl::Status status = RunOpenSsl(args); !status.ok()) return status;
  return files;
}

absl::StatusOr<CertificateFiles> IssueCertificate(
    const CertificateFiles& ca, const std::string& dir,
    const std::string& file_name, const std::string& common_name,
    const std::string& subject_alt_names) {
  static std::atomic<int> next_serial{1000};
  CertificateFiles files{dir + "/" + file_name + ".crt",
                         dir + "/" + file_name + ".key"};
  const std::string config =
      WriteConfig(dir, file_name, common_name, subject_alt_names);
  const std::string request = dir + "/" + file_name + ".csr";
  std::vector<std::string> args = {"req", "-new"};
  args.insert(args.end(), NewKeyArgs().begin(), NewKeyArgs().end());
  args.insert(args.end(),
              {"-keyout", files.key, "-out", request, "-config", config});
  if (absl::Status status = RunOpenSsl(args); !status.ok()) return status;
  if (absl::Status status = RunOpenSsl(
          {"x509", "-req", "-in", request, "-CA", ca.cert, "-CAkey", ca.key,
           "-set_serial", absl::StrCat(next_serial++), "-days", "2", "-out",
           files.cert, "-extfile", config, "-extensions", "leaf_ext"});
      !status.ok()) {
    return status;
  }
  return files;
}

absl::StatusOr<std::string> MakeRevocationList(
    const CertificateFiles& ca, const std::string& dir, const std::string& name,
    const std::vector<CertificateFiles>& revoked) {
  // `openssl ca` keeps what it revoked in a database (index.txt): a fresh
  // one per list.
  const std::string base = dir + "/" + name;
  const std::string config = base + ".crl.cnf";
  std::ofstream(base + ".index", std::ios::trunc).flush();
  std::ofstream(base + ".crlnumber", std::ios::trunc) << "01\n";
  std::ofstream(config, std::ios::trunc)
      << "[ca]\ndefault_ca = ca_default\n[ca_default]\n"
      << "database = " << base << ".index\n"
      << "crlnumber = " << base << ".crlnumber\n"
      << "default_md = sha256\ndefault_crl_days = 2\n";
  for (const CertificateFiles& cert : revoked) {
    if (absl::Status status =
            RunOpenSsl({"ca", "-config", config, "-keyfile", ca.key, "-cert",
                        ca.cert, "-revoke", cert.cert});
        !status.ok()) {
      return status;
    }
  }
  const std::string crl = base + ".crl";
  if (absl::Status status =
          RunOpenSsl({"ca", "-config", config, "-keyfile", ca.key, "-cert",
                      ca.cert, "-gencrl", "-out", crl});
      !status.ok()) {
    return status;
  }
  return crl;
}

}  // namespace monipaikka::testing
