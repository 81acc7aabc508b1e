#include "bench/portfolio/portfolio_layout.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka {
namespace {

constexpr int kLargeSite = 2000;
constexpr int kSmallSite = 500;
constexpr int kDesksPerFloor = 200;
constexpr int kDesksPerZone = 50;
constexpr int kOrganizations = 20;
constexpr double kM2PerDesk = 12;
constexpr double kRentPerM2 = 300;  // € a year

std::string OrgCode(int o) { return absl::StrFormat("ORG-%02d", o + 1); }

// ISO week number of `day` (1–53).
int IsoWeek(absl::CivilDay day) {
  const int weekday = static_cast<int>(absl::GetWeekday(day));  // Monday 0
  const absl::CivilDay thursday = day - weekday + 3;
  const absl::CivilDay jan1(thursday.year(), 1, 1);
  return static_cast<int>((thursday - jan1) / 7) + 1;
}

}  // namespace

std::string DeskSensorId(int desk) { return absl::StrFormat("B%015d", desk); }

double SeasonalAttendance(absl::CivilDay day) {
  if (day.month() == 7) return 0.4;
  if ((day.month() == 12 && day.day() >= 22) ||
      (day.month() == 1 && day.day() <= 6)) {
    return 0.5;
  }
  if (IsoWeek(day) == 42) return 0.75;
  return 1.0;
}

Portfolio MakePortfolio(int desks, int measured_pct) {
  Portfolio portfolio;
  v1::Inventory& inv = portfolio.inventory;
  for (int o = 0; o < kOrganizations; ++o) {
    auto* org = inv.add_organizations();
    org->set_code(OrgCode(o));
    org->set_name(absl::StrCat("Virasto ", o + 1));
  }
  const int every = std::max(1, 100 / std::clamp(measured_pct, 1, 100));
  int desk = 0;
  for (int s = 0; desk < desks; ++s) {
    PortfolioSite site;
    site.code = absl::StrFormat("SITE-%03d", s + 1);
    site.desks = std::min(s < 2 ? kLargeSite : kSmallSite, desks - desk);
    site.first_desk = desk;
    site.measured_every = s == 0 ? every : 1;
    site.attendance = 0.7 + 0.4 * ((s * 37) % 11) / 10.0;
    if (site.desks == kLargeSite) {
      (s == 0 ? portfolio.estimate_site : portfolio.plan_site) = site.code;
    }
    const std::string gateway =
        absl::StrCat("gw-", absl::AsciiStrToLower(site.code));
    auto* v1_site = inv.add_sites();
    v1_site->set_code(site.code);
    v1_site->set_name(s == 0   ? "Virastotalo (otanta)"
                      : s == 1 ? "Virastotalo"
                               : absl::StrCat("Toimipaikka ", s + 1));
    v1_site->set_kind(s < 2 ? "D" : std::string(1, "BCD"[s % 3]));
    v1_site->set_municipality(s % 4 == 3 ? "Tampere" : "Helsinki");
    v1_site->set_timezone("Europe/Helsinki");
    v1_site->set_office_area_m2(site.desks * kM2PerDesk);
    v1_site->set_annual_rent_eur(site.desks * kM2PerDesk * kRentPerM2);
    for (int local = 0; local < site.desks; ++local, ++desk) {
      const int f = local / kDesksPerFloor;
      const int z = (local % kDesksPerFloor) / kDesksPerZone;
      const std::string floor = absl::StrCat(site.code, "-", f + 1);
      const std::string zone =
          absl::StrCat(floor, "-", std::string(1, static_cast<char>('A' + z)));
      if (local % kDesksPerFloor == 0) {
        auto* space = inv.add_spaces();
        space->set_code(floor);
        space->set_site(site.code);
        space->set_level("floor");
        space->set_name(absl::StrCat(f + 1, ". kerros"));
        space->set_area_m2(std::min(kDesksPerFloor, site.desks - local) *
                           kM2PerDesk);
      }
      if (local % kDesksPerZone == 0) {
        auto* space = inv.add_spaces();
        space->set_code(zone);
        space->set_site(site.code);
        space->set_parent(floor);
        space->set_level("zone");
        space->set_kind("open_workspace");
        space->set_name(absl::StrCat("Vyöhyke ", zone.substr(zone.size() - 1)));
      }
      const int in_zone = local % kDesksPerZone;
      auto* ws = inv.add_workstations();
      ws->set_code(absl::StrFormat("%s-%03d", zone, in_zone + 1));
      ws->set_space(zone);
      if (in_zone % 5 == 0) {
        ws->set_kind("shared");
      } else {
        ws->set_kind("multi-space");
        ws->set_organization(
            OrgCode((s * 3 + local / kDesksPerZone) % kOrganizations));
      }
      if (in_zone % site.measured_every != 0) continue;
      auto* sensor = inv.add_sensors();
      sensor->set_external_id(DeskSensorId(desk));
      sensor->set_kind("desk_presence");
      sensor->set_workstation(ws->code());
      sensor->set_gateway(gateway);
    }
    portfolio.sites.push_back(site);
  }
  return portfolio;
}

}  // namespace monipaikka
