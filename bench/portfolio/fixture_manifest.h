#pragma once

// What bench/portfolio_fixture writes beside a database (PATH.json): the
// window of its sensor days and the sites the benchmarks use.

#include <string>

#include "absl/status/statusor.h"

namespace monipaikka {

struct FixtureManifest {
  int desks = 0;
  int days = 0;
  std::string from;           // first day, YYYY-MM-DD
  std::string to;             // last day, YYYY-MM-DD
  std::string estimate_site;  // the partly measured 2,000-desk site
  std::string plan_site;      // the fully measured 10-floor site
};

// Reads `db_path`.json; an error names the file and the missing field.
absl::StatusOr<FixtureManifest> ReadFixtureManifest(const std::string& db_path);

}  // namespace monipaikka
