#pragma once

// The benchmarks' generated portfolio of state offices: its inventory, and
// the attendance of each site and week that the generated office days
// follow (bench/portfolio/office_presence.h).
//
// Layout of `desks` desks: a 2,000-desk site on 10 floors of which only
// about `measured_pct` % of the desks have sensors (every (100 /
// measured_pct)-th desk of each zone of 50: 13 of 50 at 25 %; for sample
// estimates), a fully
// measured 2,000-desk site on 10 floors (for floor plans and forecasts),
// and 500-desk sites for the rest (floors of 200 desks in zones of 50); one
// gateway per site (gw-<site code in lower case>); 20 organizations, every
// fifth desk shared-use. Smaller portfolios keep that order and stop where
// the desks run out.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka {

struct PortfolioSite {
  std::string code;
  int desks = 0;
  int first_desk = 0;       // index of its first desk in the portfolio
  int measured_every = 1;   // every n-th desk of a zone has a sensor
  double attendance = 1.0;  // the site's own factor (0.7–1.1)
};

struct Portfolio {
  v1::Inventory inventory;
  std::vector<PortfolioSite> sites;
  std::string estimate_site;  // partly measured, 10 floors ("" if too small)
  std::string plan_site;      // fully measured, 10 floors ("" if too small)
};

Portfolio MakePortfolio(int desks, int measured_pct);

// The attendance of a week beside the weekday's: lower in the autumn
// holiday week (ISO week 42), around Christmas and New Year, and in July.
double SeasonalAttendance(absl::CivilDay day);

// External id of the sensor of the portfolio's desk `desk`.
std::string DeskSensorId(int desk);

}  // namespace monipaikka
