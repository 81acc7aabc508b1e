// The server's TLS credentials in process: checks of the files, reloading,
// and the verified client certificate's common name, with certificates made
// by the openssl command.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/match.h"
#include "common/channel_security.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/tls/reloadable_server_credentials.h"
#include "server/tls/server_tls_material.h"
#include "tests/support/test_certificates.h"

namespace monipaikka {
namespace {

using testing::CertificateFiles;
using testing::TempDir;
using testing::TestCa;

// Answers ListSites with one site whose code is the gateway of the caller's
// verified client certificate (its common name), or "none".
class WhoAmI final : public v1::InventoryService::CallbackService {
  grpc::ServerUnaryReactor* ListSites(
      grpc::CallbackServerContext* context, const v1::ListSitesRequest*,
      v1::ListSitesResponse* response) override {
    std::optional<std::string> name = CertificateGateway(*context);
    response->add_sites()->set_code(name.value_or("none"));
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

class TlsCredentialsTest : public ::testing::Test {
 protected:
  TlsCredentialsTest()
      : server_ca_(dir_, "server-ca"),
        client_ca_(dir_, "client-ca"),
        server_files_(server_ca_.IssueServer("server", "server-1")) {}

  ServerTlsFiles Files(const CertificateFiles& cert, bool client_ca) {
    return ServerTlsFiles{cert.cert, cert.key,
                          client_ca ? client_ca_.cert_file() : ""};
  }

  void StartServer(std::shared_ptr<grpc::ServerCredentials> credentials) {
    credentials_ = credentials;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }

  // ListSites over a fresh connection: the code of the site, or the error.
  std::string Call(const std::string& ca_file,
                   const CertificateFiles* client_cert = nullptr,
                   bool tls = true) {
    ChannelSecurityFlags flags;
    flags.tls = tls;
    flags.ca_file = ca_file;
    if (client_cert != nullptr) {
      flags.cert_file = client_cert->cert;
      flags.key_file = client_cert->key;
    }
    const std::string address = "127.0.0.1:" + std::to_string(port_);
    absl::StatusOr<ChannelSecurity> security =
        ResolveChannelSecurity(address, flags);
    if (!security.ok()) return std::string(security.status().message());
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto stub = v1::InventoryService::NewStub(
        CreateSecuredChannel(address, *security, args));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    v1::ListSitesResponse response;
    grpc::Status status =
        stub->ListSites(&context, v1::ListSitesRequest(), &response);
    if (!status.ok()) return "error: " + status.error_message();
    return response.sites_size() == 1 ? response.sites(0).code() : "?";
  }

  TempDir dir_;
  TestCa server_ca_;
  TestCa client_ca_;
  CertificateFiles server_files_;
  WhoAmI service_;
  // Outlive the server.
  std::shared_ptr<grpc::ServerCredentials> credentials_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

TEST_F(TlsCredentialsTest, LoadChecksThatTheKeyBelongsToTheCertificate) {
  absl::StatusOr<ServerTlsMaterial> good =
      LoadServerTlsMaterial(Files(server_files_, true));
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->subject, "/CN=server-1");
  EXPECT_FALSE(good->serial_hex.empty());

  const CertificateFiles other = server_ca_.IssueServer("other", "other");
  absl::StatusOr<ServerTlsMaterial> mismatched =
      LoadServerTlsMaterial({server_files_.cert, other.key, ""});
  ASSERT_FALSE(mismatched.ok());
  EXPECT_TRUE(absl::StrContains(mismatched.status().message(),
                                "does not belong to the certificate"))
      << mismatched.status();

  absl::StatusOr<ServerTlsMaterial> missing =
      LoadServerTlsMaterial({dir_.File("absent.crt"), other.key, ""});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(absl::StrContains(missing.status().message(), "absent.crt"))
      << missing.status();

  absl::StatusOr<ServerTlsMaterial> key_as_ca = LoadServerTlsMaterial(
      {server_files_.cert, server_files_.key, server_files_.key});
  ASSERT_FALSE(key_as_ca.ok());
  EXPECT_TRUE(
      absl::StrContains(key_as_ca.status().message(), "--tls_client_ca_file"))
      << key_as_ca.status();

  const std::string garbage = dir_.File("garbage.key");
  std::ofstream(garbage) << "-----BEGIN PRIVATE KEY-----\nAAAA\n";
  absl::StatusOr<ServerTlsMaterial> bad_key =
      LoadServerTlsMaterial({server_files_.cert, garbage, ""});
  ASSERT_FALSE(bad_key.ok());
  EXPECT_TRUE(absl::StrContains(bad_key.status().message(),
                                "no readable PEM private key"))
      << bad_key.status();
}

TEST_F(TlsCredentialsTest, VerifiedClientCertificateNamesTheCaller) {
  absl::StatusOr<ServerTlsMaterial> material =
      LoadServerTlsMaterial(Files(server_files_, true));
  ASSERT_TRUE(material.ok()) << material.status();
  StartServer(std::make_shared<ReloadableServerCredentials>(*material));

  const CertificateFiles gateway = client_ca_.Issue("gw-a", "gw-a");
  const CertificateFiles foreign = server_ca_.Issue("foreign", "gw-a");
  EXPECT_EQ(Call(server_ca_.cert_file()), "none");
  EXPECT_EQ(Call(server_ca_.cert_file(), &gateway), "gw-a");
  // A certificate of a CA the server does not trust fails the handshake.
  EXPECT_TRUE(
      absl::StartsWith(Call(server_ca_.cert_file(), &foreign), "error: "));
  // The client checks the server too.
  EXPECT_TRUE(absl::StartsWith(Call(client_ca_.cert_file()), "error: "));
}

TEST_F(TlsCredentialsTest, WithoutClientCaCertificatesAreNotAsked) {
  absl::StatusOr<ServerTlsMaterial> material =
      LoadServerTlsMaterial(Files(server_files_, false));
  ASSERT_TRUE(material.ok()) << material.status();
  StartServer(std::make_shared<ReloadableServerCredentials>(*material));
  const CertificateFiles gateway = client_ca_.Issue("gw-a", "gw-a");
  EXPECT_EQ(Call(server_ca_.cert_file(), &gateway), "none");
}

TEST_F(TlsCredentialsTest, ReplaceServesNewConnectionsWithTheNewCertificate) {
  absl::StatusOr<ServerTlsMaterial> material =
      LoadServerTlsMaterial(Files(server_files_, true));
  ASSERT_TRUE(material.ok()) << material.status();
  auto credentials = std::make_shared<ReloadableServerCredentials>(*material);
  StartServer(credentials);
  TestCa new_ca(dir_, "new-ca");
  EXPECT_EQ(Call(server_ca_.cert_file()), "none");
  EXPECT_TRUE(absl::StartsWith(Call(new_ca.cert_file()), "error: "));

  const CertificateFiles renewed = new_ca.IssueServer("renewed", "server-2");
  absl::StatusOr<ServerTlsMaterial> next =
      LoadServerTlsMaterial(Files(renewed, true));
  ASSERT_TRUE(next.ok()) << next.status();
  credentials->Replace(*next);
  EXPECT_EQ(Call(new_ca.cert_file()), "none");
  EXPECT_TRUE(absl::StartsWith(Call(server_ca_.cert_file()), "error: "));
  // The client CA came along.
  const CertificateFiles gateway = client_ca_.Issue("gw-b", "gw-b");
  EXPECT_EQ(Call(new_ca.cert_file(), &gateway), "gw-b");
}

TEST_F(TlsCredentialsTest, PlaintextCallersHaveNoCertificateName) {
  StartServer(grpc::InsecureServerCredentials());
  EXPECT_EQ(Call("", nullptr, /*tls=*/false), "none");
}

}  // namespace
}  // namespace monipaikka
