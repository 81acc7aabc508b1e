#pragma once

// Where `monipaikka` finds the server and how it reaches it, when not on the
// command line: environment variables and a config file.
//
// Each setting comes from the first of, in this order:
//   1. its flag               --server  --token_file  --tls  --tls_ca_file
//                             --tls_server_name
//   2. its environment var.   MONIPAIKKA_SERVER  MONIPAIKKA_TOKEN_FILE
//                             MONIPAIKKA_TLS  MONIPAIKKA_TLS_CA
//                             MONIPAIKKA_TLS_SERVER_NAME
//   3. the config file key    server  token_file  tls  tls_ca_file
//                             tls_server_name
//   4. the default            127.0.0.1:7070, none (MONIPAIKKA_TOKEN holds
//                             the token itself), false, none, none
//
// The config file is $MONIPAIKKA_CONFIG if set, else
// $XDG_CONFIG_HOME/monipaikka/config, else $HOME/.config/monipaikka/config;
// a missing file is no error. Its lines are `key = value`; blank lines and
// lines starting with '#' are ignored; spaces around key and value are
// trimmed. An unknown key or a line without '=' is an error naming the file
// and line. Booleans (tls) are true/false, yes/no or 1/0.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka::client {

// The settings with their final values.
struct Settings {
  std::string server = "127.0.0.1:7070";
  std::string token_file;
  bool tls = false;
  std::string tls_ca_file;
  std::string tls_server_name;
};

// Settings by name ("server", "tls", …, as in the config file) with their
// text values; absent = not given at that level.
using SettingValues = std::map<std::string, std::string>;

// The names of the settings, as config file keys and flag names.
const std::vector<std::string>& SettingNames();

// The environment variable of setting `name` ("server" →
// "MONIPAIKKA_SERVER").
std::string SettingEnvironmentVariable(absl::string_view name);

// Parses a config file's text; `file_name` names it in errors
// (INVALID_ARGUMENT "FILE:LINE: problem").
absl::StatusOr<SettingValues> ParseConfigFile(absl::string_view text,
                                              absl::string_view file_name);

// The path of the config file for the environment `variables`, or nullopt
// when neither MONIPAIKKA_CONFIG, XDG_CONFIG_HOME nor HOME is set.
std::optional<std::string> ConfigFilePath(
    const std::map<std::string, std::string>& variables);

// Resolves each setting flag > environment > file > default. Fails with
// INVALID_ARGUMENT naming the source when a boolean is not one.
absl::StatusOr<Settings> ResolveSettings(
    const SettingValues& flags,
    const std::map<std::string, std::string>& variables,
    const SettingValues& file);

// "true", "yes", "1" / "false", "no", "0"; nullopt otherwise.
std::optional<bool> ParseBool(absl::string_view text);

}  // namespace monipaikka::client
