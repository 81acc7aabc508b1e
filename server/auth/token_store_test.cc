#include "server/auth/token_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "server/auth/role.h"
#include "server/auth/token_secret.h"
#include "server/storage/storage.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;  // 2026-05-28

class TokenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto storage = Storage::OpenSqlite(dir_.File("tokens.db"));
    ASSERT_TRUE(storage.ok()) << storage.status();
    storage_ = std::move(*storage);
    auto session = storage_->OpenSession();
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = std::move(*session);
  }

  CreatedToken Create(Role role, const std::string& gateway = "",
                      int64_t expires_ms = 0) {
    NewToken token;
    token.name = std::string(RoleName(role)) + " token";
    token.role = role;
    token.gateway = gateway;
    token.expires_ms = expires_ms;
    absl::StatusOr<CreatedToken> created =
        store_.Create(session_->Access(), token);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : CreatedToken();
  }

  absl::StatusOr<TokenRecord> Authenticate(const std::string& secret) {
    return store_.Authenticate(secret, &refusal_);
  }

  std::string FileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }

  testing::TempDir dir_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<StorageSession> session_;
  int64_t now_ms_ = kNow;
  TokenStore store_{[this] { return now_ms_; }};
  TokenRefusal refusal_ = TokenRefusal::kUnknown;
};

TEST_F(TokenStoreTest, SecretsAreRandomWellFormedAndNotReused) {
  CreatedToken a = Create(Role::kFacility);
  CreatedToken b = Create(Role::kFacility);
  EXPECT_TRUE(IsWellFormedTokenSecret(a.secret)) << a.secret;
  EXPECT_EQ(a.secret.size(), 4u + 64u);  // "mpk_" and 256 bits in hex
  EXPECT_NE(a.secret, b.secret);
  EXPECT_NE(a.record.id, b.record.id);
}

TEST_F(TokenStoreTest, OnlyTheHashIsStored) {
  CreatedToken created = Create(Role::kAdmin);
  EXPECT_EQ(created.record.secret_sha256, TokenSecretSha256(created.secret));
  absl::StatusOr<std::vector<TokenRecord>> stored =
      session_->Access().ListTokens();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].secret_sha256, TokenSecretSha256(created.secret));
  EXPECT_EQ((*stored)[0].role, "admin");
  // Neither the secret nor its random part is anywhere in the database
  // files (the WAL included).
  session_.reset();
  storage_.reset();
  const std::string random_part = created.secret.substr(4);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string bytes = FileBytes(dir_.File("tokens.db") + suffix);
    EXPECT_EQ(bytes.find(random_part), std::string::npos) << suffix;
  }
  EXPECT_NE(
      FileBytes(dir_.File("tokens.db")) + FileBytes(dir_.File("tokens.db-wal")),
      "");
}

TEST_F(TokenStoreTest, ValidTokenAuthenticatesWithItsRoleAndGateway) {
  CreatedToken device = Create(Role::kDevice, "GW-1");
  absl::StatusOr<TokenRecord> token = Authenticate(device.secret);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->id, device.record.id);
  EXPECT_EQ(token->role, "device");
  EXPECT_EQ(token->gateway, "GW-1");
}

TEST_F(TokenStoreTest, UnknownAndMalformedTokensAreRefused) {
  Create(Role::kFacility);
  absl::StatusOr<TokenRecord> unknown =
      Authenticate("mpk_" + std::string(64, 'a'));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal_, TokenRefusal::kUnknown);
  EXPECT_NE(unknown.status().message().find("not known"),
            absl::string_view::npos);

  for (const std::string& garbage : std::vector<std::string>{
           "", "garbage", "mpk_", "mpk_" + std::string(63, 'a'),
           "mpk_" + std::string(64, 'A'), "xyz_" + std::string(64, 'a')}) {
    absl::StatusOr<TokenRecord> malformed = Authenticate(garbage);
    EXPECT_EQ(malformed.status().code(), absl::StatusCode::kUnauthenticated)
        << garbage;
    EXPECT_EQ(refusal_, TokenRefusal::kMalformed) << garbage;
  }
}

TEST_F(TokenStoreTest, ExpiredTokenIsRefusedFromItsExpiryOn) {
  CreatedToken token = Create(Role::kHr, "", kNow + 60'000);
  EXPECT_TRUE(Authenticate(token.secret).ok());
  now_ms_ = kNow + 59'999;
  EXPECT_TRUE(Authenticate(token.secret).ok());
  now_ms_ = kNow + 60'000;
  absl::StatusOr<TokenRecord> expired = Authenticate(token.secret);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal_, TokenRefusal::kExpired);
  EXPECT_NE(expired.status().message().find("expired at"),
            absl::string_view::npos)
      << expired.status();
  // The message never quotes the secret.
  EXPECT_EQ(expired.status().message().find(token.secret),
            absl::string_view::npos);
}

TEST_F(TokenStoreTest, RevokedTokenIsRefusedAtOnceAndStaysRevoked) {
  CreatedToken token = Create(Role::kFacility);
  CreatedToken other = Create(Role::kFacility);
  now_ms_ = kNow + 1000;
  absl::StatusOr<TokenRecord> revoked =
      store_.Revoke(session_->Access(), token.record.id);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->revoked_ms, kNow + 1000);
  absl::StatusOr<TokenRecord> refused = Authenticate(token.secret);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal_, TokenRefusal::kRevoked);
  EXPECT_TRUE(Authenticate(other.secret).ok());

  // Revoking again keeps the first time; an unknown id is NOT_FOUND.
  now_ms_ = kNow + 2000;
  absl::StatusOr<TokenRecord> again =
      store_.Revoke(session_->Access(), token.record.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked_ms, kNow + 1000);
  EXPECT_EQ(store_.Revoke(session_->Access(), 999).status().code(),
            absl::StatusCode::kNotFound);

  // A server started later loads the revocation from storage.
  TokenStore restarted([this] { return now_ms_; });
  ASSERT_TRUE(restarted.Load(session_->Access()).ok());
  EXPECT_EQ(restarted.Authenticate(token.secret, &refusal_).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(refusal_, TokenRefusal::kRevoked);
  EXPECT_TRUE(restarted.Authenticate(other.secret, &refusal_).ok());
}

TEST_F(TokenStoreTest, BadNewTokensAreRefusedNamingTheField) {
  NewToken device;
  device.name = "edge";
  device.role = Role::kDevice;
  absl::Status status = store_.Create(session_->Access(), device).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("gateway:"), absl::string_view::npos)
      << status;

  NewToken facility;
  facility.name = "team";
  facility.role = Role::kFacility;
  facility.gateway = "GW-1";
  status = store_.Create(session_->Access(), facility).status();
  EXPECT_NE(status.message().find("only device tokens have a gateway"),
            absl::string_view::npos)
      << status;

  NewToken unnamed;
  unnamed.role = Role::kAdmin;
  EXPECT_NE(store_.Create(session_->Access(), unnamed)
                .status()
                .message()
                .find("name:"),
            absl::string_view::npos);

  NewToken past;
  past.name = "late";
  past.role = Role::kHr;
  past.expires_ms = kNow - 1;
  status = store_.Create(session_->Access(), past).status();
  EXPECT_NE(status.message().find("not in the future"), absl::string_view::npos)
      << status;
  EXPECT_TRUE(session_->Access().ListTokens()->empty());
}

TEST(RoleSetTest, DescribesTheRolesACallNeeds) {
  EXPECT_EQ(RoleSet({Role::kAdmin}).Describe(), "admin");
  EXPECT_EQ(RoleSet({Role::kFacility, Role::kAdmin}).Describe(),
            "facility or admin");
  EXPECT_EQ(RoleSet({Role::kDevice, Role::kFacility, Role::kAdmin}).Describe(),
            "device, facility or admin");
  EXPECT_TRUE(RoleSet({Role::kHr}).Contains(Role::kHr));
  EXPECT_FALSE(RoleSet({Role::kHr}).Contains(Role::kAdmin));
  EXPECT_EQ(ParseRole("facility"), Role::kFacility);
  EXPECT_EQ(ParseRole("root"), std::nullopt);
}

}  // namespace
}  // namespace monipaikka
