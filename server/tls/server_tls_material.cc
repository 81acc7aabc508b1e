#include "server/tls/server_tls_material.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"

namespace monipaikka {

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CrlFree {
  void operator()(X509_CRL* crl) const { X509_CRL_free(crl); }
};
using CertPtr = std::unique_ptr<X509, X509Free>;

absl::StatusOr<std::string> ReadFile(absl::string_view what,
                                     const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", path, ": cannot be read"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// OpenSSL's most recent error, cleared, or `fallback`.
std::string OpenSslError(absl::string_view fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return std::string(fallback);
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

// Every certificate of a PEM text, in order.
absl::StatusOr<std::vector<CertPtr>> ParseCertificates(absl::string_view what,
                                                       const std::string& path,
                                                       const std::string& pem) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<CertPtr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  // Reading stops with "no start line" at the end of the text.
  ERR_clear_error();
  if (certs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", path, ": holds no PEM certificate"));
  }
  return certs;
}

std::string Subject(X509* cert) {
  char text[512];
  X509_NAME_oneline(X509_get_subject_name(cert), text, sizeof(text));
  return text;
}

std::string SerialHex(X509* cert) {
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (serial == nullptr) return "";
  char* hex = BN_bn2hex(serial);
  std::string text = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(serial);
  return text;
}

// Issuer (DER) and serial number (hex), the identity a CRL revokes.
std::string RevocationKey(const X509_NAME* issuer, const ASN1_INTEGER* serial) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_NAME(issuer, &der);
  std::string key;
  if (length > 0) key.assign(reinterpret_cast<const char*>(der), length);
  OPENSSL_free(der);
  BIGNUM* number = ASN1_INTEGER_to_BN(serial, nullptr);
  char* hex = number != nullptr ? BN_bn2hex(number) : nullptr;
  absl::StrAppend(&key, "/", hex != nullptr ? hex : "");
  OPENSSL_free(hex);
  BN_free(number);
  return key;
}

// The revoked certificates of every CRL in `pem`, each checked against
// the client CAs `cas`.
absl::StatusOr<std::shared_ptr<const absl::flat_hash_set<std::string>>>
ParseRevocationLists(const std::string& path, const std::string& pem,
                     const std::vector<CertPtr>& cas, int* crl_count) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  auto revoked = std::make_shared<absl::flat_hash_set<std::string>>();
  *crl_count = 0;
  while (X509_CRL* raw =
             PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
    std::unique_ptr<X509_CRL, CrlFree> crl(raw);
    ++*crl_count;
    const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
    bool verified = false;
    for (const CertPtr& ca : cas) {
      if (X509_NAME_cmp(issuer, X509_get_subject_name(ca.get())) != 0) continue;
      EVP_PKEY* key = X509_get0_pubkey(ca.get());
      if (key != nullptr && X509_CRL_verify(crl.get(), key) == 1) {
        verified = true;
        break;
      }
    }
    ERR_clear_error();
    if (!verified) {
      char name[512];
      X509_NAME_oneline(issuer, name, sizeof(name));
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_crl_file ", path, ": CRL ", *crl_count, " (issuer ", name,
          ") is not signed by a CA of --tls_client_ca_file"));
    }
    STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i) {
      revoked->insert(RevocationKey(
          issuer,
          X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(entries, i))));
    }
  }
  ERR_clear_error();
  if (*crl_count == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_crl_file ", path, ": holds no PEM CRL"));
  }
  return revoked;
}

std::string TimeText(const ASN1_TIME* time) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), time);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size);
}

}  // namespace

absl::StatusOr<ServerTlsMaterial> LoadServerTlsMaterial(
    const ServerTlsFiles& files) {
  if (files.cert_file.empty() || files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert_file and --tls_key_file go together: give both");
  }
  ServerTlsMaterial material;
  absl::StatusOr<std::string> cert_pem =
      ReadFile("--tls_cert_file", files.cert_file);
  if (!cert_pem.ok()) return cert_pem.status();
  absl::StatusOr<std::string> key_pem =
      ReadFile("--tls_key_file", files.key_file);
  if (!key_pem.ok()) return key_pem.status();
  material.cert_pem = *std::move(cert_pem);
  material.key_pem = *std::move(key_pem);

  absl::StatusOr<std::vector<CertPtr>> chain =
      ParseCertificates("--tls_cert_file", files.cert_file, material.cert_pem);
  if (!chain.ok()) return chain.status();
  X509* leaf = chain->front().get();

  std::unique_ptr<BIO, BioFree> key_bio(BIO_new_mem_buf(
      material.key_pem.data(), static_cast<int>(material.key_pem.size())));
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key_file ", files.key_file,
                     ": holds no readable PEM private key (",
                     OpenSslError("unknown format"), ")"));
  }
  if (X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key_file ", files.key_file,
        ": the key does not belong to the certificate in ", files.cert_file));
  }
  material.subject = Subject(leaf);
  material.serial_hex = SerialHex(leaf);
  material.not_after = TimeText(X509_get0_notAfter(leaf));
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert_file ", files.cert_file,
                     ": the certificate expired on ", material.not_after));
  }
  if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert_file ", files.cert_file,
                     ": the certificate is not valid before ",
                     TimeText(X509_get0_notBefore(leaf))));
  }

  if (!files.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca_pem =
        ReadFile("--tls_client_ca_file", files.client_ca_file);
    if (!ca_pem.ok()) return ca_pem.status();
    absl::StatusOr<std::vector<CertPtr>> cas = ParseCertificates(
        "--tls_client_ca_file", files.client_ca_file, *ca_pem);
    if (!cas.ok()) return cas.status();
    material.client_ca_pem = *std::move(ca_pem);
    if (!files.crl_file.empty()) {
      absl::StatusOr<std::string> crl_pem =
          ReadFile("--tls_crl_file", files.crl_file);
      if (!crl_pem.ok()) return crl_pem.status();
      auto revoked = ParseRevocationLists(files.crl_file, *crl_pem, *cas,
                                          &material.crl_count);
      if (!revoked.ok()) return revoked.status();
      material.revoked = *std::move(revoked);
    }
  } else if (!files.crl_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_crl_file needs --tls_client_ca_file (it revokes client "
        "certificates)");
  }
  return material;
}

bool IsRevokedCertificate(const absl::flat_hash_set<std::string>& revoked,
                          absl::string_view certificate_pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(
      certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    ERR_clear_error();
    return true;
  }
  return revoked.contains(RevocationKey(X509_get_issuer_name(cert.get()),
                                        X509_get0_serialNumber(cert.get())));
}

}  // namespace monipaikka
