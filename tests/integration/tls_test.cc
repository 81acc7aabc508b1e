// TLS between the real processes: the server's certificate from files and
// reloaded on SIGHUP, clients and edge agents verifying it, client
// certificates (mTLS) for edge agents, and the refusal of plaintext beyond
// loopback. Certificates are made with the openssl command for each test.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/bearer_token.h"
#include "common/time_format.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/test_certificates.h"

namespace monipaikka::testing {
namespace {

constexpr int kDesks = 5;
constexpr uint64_t kSeed = 11;

class TlsTest : public ::testing::Test {
 protected:
  TlsTest()
      : ca_(dir_, "server-ca"),
        other_ca_(dir_, "other-ca"),
        server_files_(ca_.IssueServer("server", "monipaikka-server-1")) {}

  static std::vector<std::string> ServerTlsArgs(const CertificateFiles& files) {
    return {"--tls_cert_file=" + files.cert, "--tls_key_file=" + files.key};
  }

  // `monipaikka [args…] sites` against `server`; its exit code.
  int ListSites(const ServerProcess& server,
                const std::vector<std::string>& args, std::string* err) {
    std::vector<std::string> all = {"--server=" + server.address(),
                                    "--deadline_s=10"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("sites");
    std::string out;
    return RunToCompletion(ClientBinary(), all, &out, std::chrono::seconds(60),
                           err);
  }

  void ImportInventory(const ServerProcess& server,
                       const std::string& gateway) {
    const std::string inventory = dir_.File("inventory.json");
    std::ofstream(inventory) << OneSiteInventoryJson(kDesks, gateway);
    std::string out;
    std::string err;
    ASSERT_EQ(RunToCompletion(ClientBinary(),
                              {"--server=" + server.address(),
                               "--tls_ca_file=" + ca_.cert_file(),
                               "import-inventory", inventory},
                              &out, std::chrono::seconds(60), &err),
              0)
        << out << err;
  }

  // The edge agent's arguments for a two-day backfill of `gateway`.
  std::vector<std::string> EdgeArgs(const ServerProcess& server,
                                    const std::string& gateway,
                                    const std::string& outbox) {
    const absl::CivilDay today = TodayInHelsinki();
    return {"--server=" + server.address(),
            "--gateway=" + gateway,
            "--outbox=" + dir_.File(outbox),
            "--backfill_from=" + FormatDate(today - 2),
            "--backfill_to=" + FormatDate(today - 1),
            absl::StrCat("--seed=", kSeed),
            "--tls_ca_file=" + ca_.cert_file()};
  }

  std::vector<StoredRow> ExpectedRows() {
    const absl::CivilDay today = TodayInHelsinki();
    return SimulatedRows(OneSiteSensors(kDesks), kSeed, today - 2, today - 1);
  }

  TempDir dir_;
  TestCa ca_;
  TestCa other_ca_;
  CertificateFiles server_files_;
};

// Waits up to 10 s for `text` in the log of `process`.
bool WaitForLog(Process& process, absl::string_view text) {
  for (int i = 0; i < 200; ++i) {
    if (absl::StrContains(process.Log(), text)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST_F(TlsTest, EdgeOverTlsStoresEveryReadingOnce) {
  ServerProcess server(dir_, 0, "server", ServerTlsArgs(server_files_));
  ASSERT_GT(server.port(), 0);
  ImportInventory(server, "gw-tls");

  std::vector<std::string> args = EdgeArgs(server, "gw-tls", "outbox.db");
  args.push_back("--exit_when_drained");
  std::string out;
  std::string err;
  ASSERT_EQ(RunToCompletion(EdgeBinary(), args, &out, std::chrono::seconds(120),
                            &err),
            0)
      << out << err;
  const std::vector<StoredRow> expected = ExpectedRows();
  ASSERT_GT(expected.size(), 100u);
  EXPECT_TRUE(ReadAllReadings(server.db_path()) == expected);
}

TEST_F(TlsTest, ClientsThatCannotVerifyTheServerAreRefused) {
  ServerProcess server(dir_, 0, "server", ServerTlsArgs(server_files_));
  ASSERT_GT(server.port(), 0);
  std::string err;
  EXPECT_EQ(ListSites(server, {"--tls_ca_file=" + ca_.cert_file()}, &err), 0)
      << err;
  // The server name is checked: the certificate is for 127.0.0.1 and
  // localhost only.
  EXPECT_EQ(ListSites(server,
                      {"--tls_ca_file=" + ca_.cert_file(),
                       "--tls_server_name=localhost"},
                      &err),
            0)
      << err;
  EXPECT_EQ(ListSites(server,
                      {"--tls_ca_file=" + ca_.cert_file(),
                       "--tls_server_name=monipaikka.example.fi"},
                      &err),
            1);

  // Another CA: the handshake fails, and the message says how the client
  // tried.
  EXPECT_EQ(ListSites(server, {"--tls_ca_file=" + other_ca_.cert_file()}, &err),
            1);
  EXPECT_TRUE(absl::StrContains(err, "UNAVAILABLE")) << err;
  EXPECT_TRUE(absl::StrContains(err, "TLS (CA from --tls_ca_file)")) << err;
  // Plaintext to a TLS server.
  EXPECT_EQ(ListSites(server, {}, &err), 1);
  EXPECT_TRUE(absl::StrContains(err, "plaintext")) << err;
  // A CA file that is not one.
  const std::string not_pem = dir_.File("not-a-ca.pem");
  std::ofstream(not_pem) << "hello\n";
  EXPECT_EQ(ListSites(server, {"--tls_ca_file=" + not_pem}, &err), 2);
  EXPECT_TRUE(absl::StrContains(err, "holds no PEM CERTIFICATE")) << err;
}

TEST_F(TlsTest, ServerRefusesPlaintextUnlessAskedAndOnLoopback) {
  std::string out;
  std::string err;
  const std::string db = "--db=" + dir_.File("refused.db");
  const std::string no_metrics = "--metrics_listen=";
  EXPECT_EQ(
      RunToCompletion(ServerBinary(), {"--listen=127.0.0.1:0", db, no_metrics},
                      &out, std::chrono::seconds(30), &err),
      2);
  EXPECT_TRUE(absl::StrContains(err, "no TLS certificate")) << err;

  EXPECT_EQ(
      RunToCompletion(ServerBinary(),
                      {"--listen=0.0.0.0:0", "--plaintext", db, no_metrics},
                      &out, std::chrono::seconds(30), &err),
      2);
  EXPECT_TRUE(absl::StrContains(err, "is not a loopback address")) << err;

  EXPECT_EQ(RunToCompletion(
                ServerBinary(),
                {"--listen=127.0.0.1:0", "--plaintext",
                 "--tls_client_ca_file=" + ca_.cert_file(), db, no_metrics},
                &out, std::chrono::seconds(30), &err),
            2);
  EXPECT_TRUE(absl::StrContains(err, "--tls_client_ca_file needs")) << err;

  // A key that is not the certificate's.
  const CertificateFiles other = ca_.IssueServer("other", "other");
  EXPECT_EQ(RunToCompletion(ServerBinary(),
                            {"--listen=127.0.0.1:0", db, no_metrics,
                             "--tls_cert_file=" + server_files_.cert,
                             "--tls_key_file=" + other.key},
                            &out, std::chrono::seconds(30), &err),
            1);
  EXPECT_TRUE(absl::StrContains(err, "does not belong to the certificate"))
      << err;
}

TEST_F(TlsTest, SighupReloadsTheCertificateAndKeepsItOnBadFiles) {
  // The server reads its own copy, replaced below as an operator would.
  const CertificateFiles live{dir_.File("live.crt"), dir_.File("live.key")};
  ReplaceFile(server_files_.cert, live.cert);
  ReplaceFile(server_files_.key, live.key);
  ServerProcess server(dir_, 0, "server", ServerTlsArgs(live));
  ASSERT_GT(server.port(), 0);
  const std::vector<std::string> trust_old = {"--tls_ca_file=" +
                                              ca_.cert_file()};
  const std::vector<std::string> trust_new = {"--tls_ca_file=" +
                                              other_ca_.cert_file()};
  std::string err;
  ASSERT_EQ(ListSites(server, trust_old, &err), 0) << err;
  ASSERT_EQ(ListSites(server, trust_new, &err), 1);

  // New files alone change nothing.
  const CertificateFiles renewed =
      other_ca_.IssueServer("renewed", "monipaikka-server-2");
  ReplaceFile(renewed.cert, live.cert);
  ReplaceFile(renewed.key, live.key);
  EXPECT_EQ(ListSites(server, trust_old, &err), 0) << err;
  EXPECT_EQ(ListSites(server, trust_new, &err), 1);

  // SIGHUP: new connections get the new certificate.
  server.process().Signal(SIGHUP);
  ASSERT_TRUE(
      WaitForLog(server.process(),
                 "event=tls_reloaded subject=\"/CN=monipaikka-server-2\""))
      << server.process().Log();
  EXPECT_EQ(ListSites(server, trust_new, &err), 0) << err;
  EXPECT_EQ(ListSites(server, trust_old, &err), 1);

  // A key that does not match, then a truncated certificate: refused with
  // a logged error, the renewed certificate stays in service.
  const CertificateFiles stray = ca_.IssueServer("stray", "stray");
  ReplaceFile(stray.key, live.key);
  server.process().Signal(SIGHUP);
  ASSERT_TRUE(
      WaitForLog(server.process(), "does not belong to the certificate"))
      << server.process().Log();
  EXPECT_EQ(ListSites(server, trust_new, &err), 0) << err;

  ReplaceFile(renewed.key, live.key);
  std::ofstream(live.cert, std::ios::trunc) << "-----BEGIN CERTIFICATE-----\n";
  server.process().Signal(SIGHUP);
  ASSERT_TRUE(WaitForLog(server.process(), "holds no PEM certificate"))
      << server.process().Log();
  EXPECT_EQ(ListSites(server, trust_new, &err), 0) << err;
  EXPECT_TRUE(server.process().running());
}

// Runs the processes started in its lifetime without an API token, so that
// only a client certificate can identify them.
class WithoutToken {
 public:
  WithoutToken() {
    const char* token = std::getenv(kTokenEnvironmentVariable);
    if (token != nullptr) saved_ = token;
    unsetenv(kTokenEnvironmentVariable);
  }
  ~WithoutToken() {
    if (!saved_.empty()) setenv(kTokenEnvironmentVariable, saved_.c_str(), 1);
  }

 private:
  std::string saved_;
};

TEST_F(TlsTest, EdgeIdentifiedByItsClientCertificateWritesOnlyItsGateway) {
  TestCa client_ca(dir_, "client-ca");
  const CertificateFiles gw_a = client_ca.Issue("gw-a", "gw-a");
  const CertificateFiles gw_b = client_ca.Issue("gw-b", "gw-b");
  const CertificateFiles foreign = other_ca_.Issue("foreign", "gw-a");
  std::vector<std::string> server_args = ServerTlsArgs(server_files_);
  server_args.push_back("--tls_client_ca_file=" + client_ca.cert_file());
  ServerProcess server(dir_, 0, "server", server_args);
  ASSERT_GT(server.port(), 0);
  // Clients without a certificate (here the admin, by token) still connect.
  ImportInventory(server, "gw-a");
  const std::string other_site = dir_.File("other-site.json");
  std::ofstream(other_site) << absl::StrReplaceAll(
      OneSiteInventoryJson(kDesks, "gw-b"), {{"IT-", "IB-"}});
  std::string out;
  std::string err;
  ASSERT_EQ(RunToCompletion(ClientBinary(),
                            {"--server=" + server.address(),
                             "--tls_ca_file=" + ca_.cert_file(),
                             "import-inventory", other_site},
                            &out, std::chrono::seconds(60), &err),
            0)
      << out << err;

  WithoutToken no_token;
  auto edge_with = [&](const CertificateFiles& cert, const std::string& name) {
    std::vector<std::string> args = EdgeArgs(server, "gw-a", name + ".db");
    args.push_back("--tls_cert_file=" + cert.cert);
    args.push_back("--tls_key_file=" + cert.key);
    return args;
  };
  {
    // A certificate of a CA the server does not trust: no handshake. One of
    // gateway gw-b: refused gw-a's sensors and readings.
    Process untrusted(EdgeBinary(), edge_with(foreign, "foreign"),
                      dir_.File("foreign.log"));
    Process other_gateway(EdgeBinary(), edge_with(gw_b, "gw-b"),
                          dir_.File("gw-b.log"));
    EXPECT_TRUE(WaitForLog(server.process(), "reason=wrong_gateway"))
        << server.process().Log();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    EXPECT_EQ(CountReadings(server.db_path()), 0);
    EXPECT_TRUE(absl::StrContains(untrusted.Log(), "UNAVAILABLE"))
        << untrusted.Log();
  }
  EXPECT_EQ(CountReadings(server.db_path()), 0);

  // gw-a's own certificate, no token: the backfill is stored, once.
  std::vector<std::string> args = edge_with(gw_a, "gw-a");
  args.push_back("--exit_when_drained");
  ASSERT_EQ(RunToCompletion(EdgeBinary(), args, &out, std::chrono::seconds(120),
                            &err),
            0)
      << out << err;
  EXPECT_TRUE(ReadAllReadings(server.db_path()) == ExpectedRows());
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A channel over its own connection presenting `cert` (no token).
std::shared_ptr<grpc::Channel> CertificateChannel(
    const ServerProcess& server, const std::string& ca_file,
    const CertificateFiles& cert) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadWholeFile(ca_file);
  ssl.pem_private_key = ReadWholeFile(cert.key);
  ssl.pem_cert_chain = ReadWholeFile(cert.cert);
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(server.address(), grpc::SslCredentials(ssl),
                                   args);
}

// ListSites (a device may list its gateway's sites) on `channel`.
grpc::Status ListSitesOn(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::InventoryService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  v1::ListSitesResponse response;
  return stub->ListSites(&context, v1::ListSitesRequest(), &response);
}

TEST_F(TlsTest, RevokedDeviceCertificatesAreRefusedAndTheListReloadsOnSighup) {
  TestCa client_ca(dir_, "client-ca");
  const CertificateFiles gw_a = client_ca.Issue("gw-a", "gw-a");
  const CertificateFiles gw_a_lost = client_ca.Issue("gw-a-lost", "gw-a");
  const std::string crl = dir_.File("clients.crl");
  ReplaceFile(client_ca.RevocationList("first", {gw_a_lost}), crl);
  std::vector<std::string> server_args = ServerTlsArgs(server_files_);
  server_args.push_back("--tls_client_ca_file=" + client_ca.cert_file());
  server_args.push_back("--tls_crl_file=" + crl);
  ServerProcess server(dir_, 0, "server", server_args);
  ASSERT_GT(server.port(), 0);
  ImportInventory(server, "gw-a");

  // The lost device's certificate is refused; the other one works, on a
  // connection that stays open.
  const std::shared_ptr<grpc::Channel> open =
      CertificateChannel(server, ca_.cert_file(), gw_a);
  EXPECT_TRUE(ListSitesOn(open).ok());
  grpc::Status lost =
      ListSitesOn(CertificateChannel(server, ca_.cert_file(), gw_a_lost));
  EXPECT_EQ(lost.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << lost.error_message();
  EXPECT_TRUE(absl::StrContains(lost.error_message(), "revoked"))
      << lost.error_message();
  EXPECT_TRUE(WaitForLog(server.process(), "reason=revoked_certificate"));

  // A new list revoking both, on SIGHUP: refused on new connections and on
  // the one already open.
  ReplaceFile(client_ca.RevocationList("second", {gw_a_lost, gw_a}), crl);
  server.process().Signal(SIGHUP);
  ASSERT_TRUE(WaitForLog(server.process(), "revoked_certificates=2"))
      << server.process().Log();
  EXPECT_EQ(ListSitesOn(open).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListSitesOn(CertificateChannel(server, ca_.cert_file(), gw_a))
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // A list of another CA is refused on reload; the one in force stays.
  ReplaceFile(other_ca_.RevocationList("foreign", {}), crl);
  server.process().Signal(SIGHUP);
  ASSERT_TRUE(WaitForLog(server.process(),
                         "not signed by a CA of "
                         "--tls_client_ca_file"))
      << server.process().Log();
  EXPECT_EQ(ListSitesOn(open).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // An empty list lets the certificates in again.
  ReplaceFile(client_ca.RevocationList("third", {}), crl);
  server.process().Signal(SIGHUP);
  ASSERT_TRUE(WaitForLog(server.process(), "revoked_certificates=0"));
  EXPECT_TRUE(ListSitesOn(open).ok());
}

}  // namespace
}  // namespace monipaikka::testing
