#include "server/http/web_sessions.h"

#include <gtest/gtest.h>

#include <string>

namespace monipaikka::http {
namespace {

class WebSessionsTest : public ::testing::Test {
 protected:
  SessionToken Token(int64_t id) {
    SessionToken token;
    token.secret = "secret-" + std::to_string(id);
    token.token_id = id;
    token.role = "facility";
    return token;
  }

  int64_t now_ms_ = 1'000'000;
  int counter_ = 0;
  WebSessions sessions_{absl::Minutes(30), 3, [this] { return now_ms_; },
                        [this](int n) {
                          // Distinct values; real ones come from
                          // SecureRandomBytes.
                          std::string bytes(static_cast<size_t>(n), 'a');
                          bytes[0] = static_cast<char>(++counter_);
                          return bytes;
                        }};
};

TEST_F(WebSessionsTest, ASessionIsFoundByItsIdAndCarriesItsToken) {
  const NewSession created = sessions_.Create(Token(7));
  EXPECT_EQ(created.id.size(), 43u);
  EXPECT_NE(created.id, created.csrf_token);
  std::optional<Session> session = sessions_.Use(created.id);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->token.secret, "secret-7");
  EXPECT_EQ(session->csrf_token, created.csrf_token);
  EXPECT_FALSE(sessions_.Use(created.csrf_token).has_value());
  EXPECT_FALSE(sessions_.Use("").has_value());
}

TEST_F(WebSessionsTest, IdleSessionsEndAndUseRestartsTheClock) {
  const NewSession created = sessions_.Create(Token(1));
  now_ms_ += absl::ToInt64Milliseconds(absl::Minutes(29));
  ASSERT_TRUE(sessions_.Use(created.id).has_value());
  now_ms_ += absl::ToInt64Milliseconds(absl::Minutes(29));
  ASSERT_TRUE(sessions_.Use(created.id).has_value());
  now_ms_ += absl::ToInt64Milliseconds(absl::Minutes(30));
  EXPECT_FALSE(sessions_.Use(created.id).has_value());
  EXPECT_EQ(sessions_.size(), 0);
}

TEST_F(WebSessionsTest, LogoutAndTokenEndSessions) {
  const NewSession a = sessions_.Create(Token(1));
  const NewSession b = sessions_.Create(Token(1));
  const NewSession c = sessions_.Create(Token(2));
  EXPECT_TRUE(sessions_.End(a.id));
  EXPECT_FALSE(sessions_.End(a.id));
  EXPECT_FALSE(sessions_.Use(a.id).has_value());
  EXPECT_EQ(sessions_.EndToken(1), 1);
  EXPECT_FALSE(sessions_.Use(b.id).has_value());
  EXPECT_TRUE(sessions_.Use(c.id).has_value());
}

TEST_F(WebSessionsTest, AtTheLimitTheLeastRecentlyUsedSessionGoes) {
  const NewSession a = sessions_.Create(Token(1));
  now_ms_ += 10;
  const NewSession b = sessions_.Create(Token(2));
  now_ms_ += 10;
  const NewSession c = sessions_.Create(Token(3));
  now_ms_ += 10;
  ASSERT_TRUE(sessions_.Use(a.id).has_value());
  const NewSession d = sessions_.Create(Token(4));
  EXPECT_EQ(sessions_.size(), 3);
  EXPECT_FALSE(sessions_.Use(b.id).has_value());
  EXPECT_TRUE(sessions_.Use(a.id).has_value());
  EXPECT_TRUE(sessions_.Use(c.id).has_value());
  EXPECT_TRUE(sessions_.Use(d.id).has_value());
}

TEST(WebSessionsHelpersTest, RandomIdsDifferAndCompareInConstantTime) {
  EXPECT_NE(SecureRandomBytes(32), SecureRandomBytes(32));
  EXPECT_EQ(Base64Url(std::string(32, '\xff')).size(), 43u);
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace monipaikka::http
