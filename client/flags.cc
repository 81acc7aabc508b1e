#include "client/flags.h"

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/connection_flags.h"

ABSL_FLAG(std::string, server, monipaikka::client::Invocation().server,
          "server address, HOST:PORT");
ABSL_FLAG(std::string, output, monipaikka::client::Invocation().output,
          "output format: table, csv or json");
ABSL_FLAG(int, deadline_s, monipaikka::client::Invocation().deadline_s,
          "seconds a request may take; for import-readings, seconds to wait "
          "for each acknowledgement");
ABSL_FLAG(std::string, site, "", "site code");
ABSL_FLAG(std::string, space, "", "space code");
ABSL_FLAG(std::string, gateway, "", "gateway identifier");
ABSL_FLAG(std::string, from, "", "first day, YYYY-MM-DD, inclusive");
ABSL_FLAG(std::string, to, "", "last day, YYYY-MM-DD, inclusive");
ABSL_FLAG(bool, all_hours, false, "measure all hours instead of core hours");

namespace monipaikka::client {

FlagCheck CheckCommandLineFlags(const std::vector<std::string>& args) {
  FlagCheck check;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;  // positional, or "-"
    if (!absl::ConsumePrefix(&arg, "--")) arg.remove_prefix(1);
    const size_t equals = arg.find('=');
    const absl::string_view name = arg.substr(0, equals);
    const bool has_value = equals != absl::string_view::npos;
    const absl::string_view value =
        has_value ? arg.substr(equals + 1) : absl::string_view();

    if (name == "help" || name == "helpfull" || name == "helpshort" ||
        name == "h") {
      check.help = true;
      continue;
    }
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) {
      absl::string_view negated = name;
      absl::CommandLineFlag* positive = absl::ConsumePrefix(&negated, "no")
                                            ? absl::FindCommandLineFlag(negated)
                                            : nullptr;
      if (positive != nullptr && positive->IsOfType<bool>() && !has_value) {
        continue;
      }
      check.status =
          absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
      return check;
    }
    std::string text;
    if (has_value) {
      text = std::string(value);
    } else if (flag->IsOfType<bool>()) {
      text = "true";
    } else if (i + 1 < args.size()) {
      text = args[++i];
    } else {
      check.status = absl::InvalidArgumentError(
          absl::StrCat("--", name, " needs a value"));
      return check;
    }
    std::string error;
    if (!flag->ParseFrom(text, &error)) {
      check.status = absl::InvalidArgumentError(
          absl::StrCat("--", name, "=", text, " is not valid: ", error));
      return check;
    }
  }
  return check;
}

Invocation InvocationFromFlags(const std::vector<std::string>& positional) {
  Invocation invocation;
  invocation.args = positional;
  invocation.server = absl::GetFlag(FLAGS_server);
  const ConnectionFlags connection = ConnectionFlagsFromCommandLine();
  invocation.token_file = connection.token_file;
  invocation.output = absl::GetFlag(FLAGS_output);
  invocation.deadline_s = absl::GetFlag(FLAGS_deadline_s);
  invocation.site = absl::GetFlag(FLAGS_site);
  invocation.space = absl::GetFlag(FLAGS_space);
  invocation.gateway = absl::GetFlag(FLAGS_gateway);
  invocation.from = absl::GetFlag(FLAGS_from);
  invocation.to = absl::GetFlag(FLAGS_to);
  invocation.all_hours = absl::GetFlag(FLAGS_all_hours);
  invocation.workforce = WorkforceFlagsFromAbsl();
  invocation.analytics = AnalyticsFlagsFromAbsl();
  invocation.tls = connection.security;
  invocation.access = AccessFlagsFromAbsl();
  return invocation;
}

}  // namespace monipaikka::client
