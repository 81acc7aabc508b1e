#include "client/settings.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace monipaikka::client {

const std::vector<std::string>& SettingNames() {
  static const auto* kNames = new std::vector<std::string>{
      "server", "token_file", "tls", "tls_ca_file", "tls_server_name"};
  return *kNames;
}

std::string SettingEnvironmentVariable(absl::string_view name) {
  // The CA file's variable is the shorter MONIPAIKKA_TLS_CA.
  if (name == "tls_ca_file") return "MONIPAIKKA_TLS_CA";
  return absl::AsciiStrToUpper(absl::StrCat("MONIPAIKKA_", name));
}

std::optional<bool> ParseBool(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "yes" || lower == "1") return true;
  if (lower == "false" || lower == "no" || lower == "0") return false;
  return std::nullopt;
}

absl::StatusOr<SettingValues> ParseConfigFile(absl::string_view text,
                                              absl::string_view file_name) {
  SettingValues values;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ":", line_number, ": \"", line, "\" is not key = value"));
    }
    const std::string key(absl::StripAsciiWhitespace(line.substr(0, equals)));
    const std::string value(
        absl::StripAsciiWhitespace(line.substr(equals + 1)));
    bool known = false;
    for (const std::string& name : SettingNames()) known |= name == key;
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          file_name, ":", line_number, ": unknown key \"", key,
          "\" (known: server, token_file, tls, tls_ca_file, tls_server_name)"));
    }
    values[key] = value;
  }
  return values;
}

std::optional<std::string> ConfigFilePath(
    const std::map<std::string, std::string>& variables) {
  auto get = [&](const char* name) -> std::string {
    auto it = variables.find(name);
    return it == variables.end() ? "" : it->second;
  };
  if (!get("MONIPAIKKA_CONFIG").empty()) return get("MONIPAIKKA_CONFIG");
  if (!get("XDG_CONFIG_HOME").empty()) {
    return absl::StrCat(get("XDG_CONFIG_HOME"), "/monipaikka/config");
  }
  if (!get("HOME").empty()) {
    return absl::StrCat(get("HOME"), "/.config/monipaikka/config");
  }
  return std::nullopt;
}

absl::StatusOr<Settings> ResolveSettings(
    const SettingValues& flags,
    const std::map<std::string, std::string>& variables,
    const SettingValues& file) {
  Settings settings;
  for (const std::string& name : SettingNames()) {
    std::optional<std::string> value;
    std::string source;
    const std::string variable = SettingEnvironmentVariable(name);
    if (auto it = flags.find(name); it != flags.end()) {
      value = it->second;
      source = absl::StrCat("--", name);
    } else if (auto it = variables.find(variable); it != variables.end()) {
      value = it->second;
      source = variable;
    } else if (auto it = file.find(name); it != file.end()) {
      value = it->second;
      source = absl::StrCat("config key ", name);
    }
    if (!value.has_value()) continue;
    if (name == "server") settings.server = *value;
    if (name == "token_file") settings.token_file = *value;
    if (name == "tls_ca_file") settings.tls_ca_file = *value;
    if (name == "tls_server_name") settings.tls_server_name = *value;
    if (name == "tls") {
      const std::optional<bool> tls = ParseBool(*value);
      if (!tls.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat(
            source, "=", *value, " is not a boolean (true or false)"));
      }
      settings.tls = *tls;
    }
  }
  return settings;
}

}  // namespace monipaikka::client
