#include "bench/portfolio/fixture_manifest.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace monipaikka {

absl::StatusOr<FixtureManifest> ReadFixtureManifest(
    const std::string& db_path) {
  const std::string path = db_path + ".json";
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        path, ": cannot read (written by bench/portfolio_fixture --out=",
        db_path, ")"));
  }
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::Struct json;
  if (!google::protobuf::util::JsonStringToMessage(text.str(), &json).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not JSON"));
  }
  const auto& fields = json.fields();
  FixtureManifest manifest;
  for (const char* name :
       {"desks", "days", "from", "to", "estimate_site", "plan_site"}) {
    if (!fields.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": no field \"", name, "\""));
    }
  }
  manifest.desks = static_cast<int>(fields.at("desks").number_value());
  manifest.days = static_cast<int>(fields.at("days").number_value());
  manifest.from = fields.at("from").string_value();
  manifest.to = fields.at("to").string_value();
  manifest.estimate_site = fields.at("estimate_site").string_value();
  manifest.plan_site = fields.at("plan_site").string_value();
  return manifest;
}

}  // namespace monipaikka
