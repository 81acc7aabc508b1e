#include "client/settings.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::testing::HasSubstr;

TEST(SettingsTest, DefaultsWhenNothingIsGiven) {
  const absl::StatusOr<Settings> settings = ResolveSettings({}, {}, {});
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->server, "127.0.0.1:7070");
  EXPECT_FALSE(settings->tls);
  EXPECT_EQ(settings->token_file, "");
  EXPECT_EQ(settings->tls_ca_file, "");
}

TEST(SettingsTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  const SettingValues file = {{"server", "file:1"},
                              {"tls_ca_file", "file-ca.pem"},
                              {"tls_server_name", "file.example"},
                              {"token_file", "file.token"}};
  const std::map<std::string, std::string> environment = {
      {"MONIPAIKKA_SERVER", "env:2"},
      {"MONIPAIKKA_TLS_CA", "env-ca.pem"},
      {"MONIPAIKKA_TLS", "yes"}};
  const SettingValues flags = {{"server", "flag:3"}};
  const absl::StatusOr<Settings> settings =
      ResolveSettings(flags, environment, file);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->server, "flag:3");                 // flag
  EXPECT_EQ(settings->tls_ca_file, "env-ca.pem");        // environment
  EXPECT_TRUE(settings->tls);                            // environment
  EXPECT_EQ(settings->tls_server_name, "file.example");  // file
  EXPECT_EQ(settings->token_file, "file.token");         // file

  // Without the flag the environment wins; without both, the file.
  EXPECT_EQ(ResolveSettings({}, environment, file)->server, "env:2");
  EXPECT_EQ(ResolveSettings({}, {}, file)->server, "file:1");
  // A flag set to false beats the environment's true.
  EXPECT_FALSE(ResolveSettings({{"tls", "false"}}, environment, file)->tls);
}

TEST(SettingsTest, BadBooleanNamesItsSource) {
  const absl::StatusOr<Settings> settings =
      ResolveSettings({}, {{"MONIPAIKKA_TLS", "maybe"}}, {});
  EXPECT_EQ(settings.status().message(),
            "MONIPAIKKA_TLS=maybe is not a boolean (true or false)");
}

TEST(SettingsTest, ParsesConfigFile) {
  const absl::StatusOr<SettingValues> values = ParseConfigFile(
      "# monipaikka settings\n\nserver = monipaikka.example:443\n"
      "  tls_ca_file=/etc/ca.pem  \ntls = true\n",
      "config");
  ASSERT_TRUE(values.ok()) << values.status();
  EXPECT_EQ(*values, (SettingValues{{"server", "monipaikka.example:443"},
                                    {"tls_ca_file", "/etc/ca.pem"},
                                    {"tls", "true"}}));
}

TEST(SettingsTest, ConfigFileErrorsNameFileAndLine) {
  EXPECT_THAT(
      std::string(ParseConfigFile("server = x\nsrever = y\n", "/home/a/config")
                      .status()
                      .message()),
      HasSubstr("/home/a/config:2: unknown key \"srever\""));
  EXPECT_EQ(ParseConfigFile("\nserver\n", "c").status().message(),
            "c:2: \"server\" is not key = value");
}

TEST(SettingsTest, ConfigFilePathFollowsXdg) {
  EXPECT_EQ(ConfigFilePath({{"HOME", "/home/a"}}),
            "/home/a/.config/monipaikka/config");
  EXPECT_EQ(ConfigFilePath({{"HOME", "/home/a"}, {"XDG_CONFIG_HOME", "/x"}}),
            "/x/monipaikka/config");
  EXPECT_EQ(ConfigFilePath({{"XDG_CONFIG_HOME", "/x"},
                            {"MONIPAIKKA_CONFIG", "/etc/m.conf"}}),
            "/etc/m.conf");
  EXPECT_EQ(ConfigFilePath({}), std::nullopt);
}

}  // namespace
}  // namespace monipaikka::client
