#include "server/summary/occupancy_inventory.h"

#include <algorithm>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka {
namespace {

constexpr absl::CivilDay kEpoch(1970, 1, 1);
// Open ends of a binding, far beyond any real date yet safe to compare.
constexpr int32_t kSinceEver = std::numeric_limits<int32_t>::min() / 2;
constexpr int32_t kForever = std::numeric_limits<int32_t>::max() / 2;

// 64-bit FNV-1a: a fingerprint that stays the same across processes.
class Fingerprint {
 public:
  void Add(absl::string_view text) {
    for (char c : text) {
      hash_ ^= static_cast<uint8_t>(c);
      hash_ *= 1099511628211ull;
    }
    hash_ ^= 0xff;  // separator
    hash_ *= 1099511628211ull;
  }
  void Add(int64_t value) { Add(absl::StrCat(value)); }
  std::string Text() const { return absl::StrCat("lattice-v1-", hash_); }

 private:
  uint64_t hash_ = 14695981039346656037ull;
};

}  // namespace

int32_t DateIndex(absl::CivilDay day) {
  return static_cast<int32_t>(day - kEpoch);
}

absl::CivilDay DateOf(int32_t date) { return kEpoch + date; }

std::string OccupancyInventory::SiteKey(absl::string_view site) {
  return absl::StrCat("site/", site);
}
std::string OccupancyInventory::SpaceKey(absl::string_view space) {
  return absl::StrCat("space/", space);
}
std::string OccupancyInventory::OrganizationKey(absl::string_view org) {
  return absl::StrCat("org/", org);
}
std::string OccupancyInventory::KindKey(WorkstationKind kind) {
  return absl::StrCat("kind/", Name(kind));
}
std::string OccupancyInventory::SiteOrganizationKey(absl::string_view site,
                                                    absl::string_view org) {
  return absl::StrCat("site-org/", site, "/", org);
}
std::string OccupancyInventory::SiteKindKey(absl::string_view site,
                                            WorkstationKind kind) {
  return absl::StrCat("site-kind/", site, "/", Name(kind));
}

std::string OccupancyInventory::OrganizationCode(const Workstation& ws) const {
  return ws.organization < 0 ? std::string("-")
                             : organizations_[ws.organization].code;
}

absl::StatusOr<std::shared_ptr<const OccupancyInventory>>
OccupancyInventory::Build(const InventoryRows& rows,
                          const SummarySettings& settings) {
  std::shared_ptr<OccupancyInventory> inventory(new OccupancyInventory());
  OccupancyInventory& inv = *inventory;
  inv.settings_ = settings;

  absl::flat_hash_map<int64_t, int32_t> org_by_id;
  for (const InventoryOrganizationRow& row : rows.organizations) {
    org_by_id[row.id] = static_cast<int32_t>(inv.organizations_.size());
    inv.organization_by_code_[row.code] =
        static_cast<int32_t>(inv.organizations_.size());
    inv.organizations_.push_back({row.id, row.code, row.name});
  }

  absl::flat_hash_map<int64_t, int32_t> site_by_id;
  for (const InventorySiteRow& row : rows.sites) {
    Site site;
    site.id = row.id;
    site.code = row.code;
    site.name = row.name;
    site.kind = row.kind;
    site.timezone = row.timezone;
    site.office_area_m2 = row.office_area_m2;
    site.annual_rent_eur = row.annual_rent_eur;
    absl::StatusOr<absl::TimeZone> zone = LoadZone(row.timezone);
    if (!zone.ok()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "site ", row.code, ": time zone: ", zone.status().message()));
    }
    site.zone = *zone;
    std::vector<int> weekdays;
    for (char c : row.core_weekdays) {
      weekdays.push_back(c - '0');
      site.core_spec.add_weekdays(c - '0');
    }
    site.core_spec.set_start(row.core_start);
    site.core_spec.set_end(row.core_end);
    absl::StatusOr<WeeklyCoreHours> core =
        WeeklyCoreHours::FromSpec(weekdays, row.core_start, row.core_end);
    if (!core.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("site ", row.code, ": ", core.status().message()));
    }
    site.core = *core;
    site_by_id[row.id] = static_cast<int32_t>(inv.sites_.size());
    inv.site_by_code_[row.code] = static_cast<int32_t>(inv.sites_.size());
    inv.sites_.push_back(std::move(site));
  }

  absl::flat_hash_map<int64_t, int32_t> space_by_id;
  for (const InventorySpaceRow& row : rows.spaces) {
    space_by_id[row.id] = static_cast<int32_t>(inv.spaces_.size());
    Space space;
    space.id = row.id;
    space.code = row.code;
    space.level = row.level;
    space.kind = row.kind;
    space.name = row.name;
    space.area_m2 = row.area_m2;
    space.capacity = row.capacity;
    space.email = absl::AsciiStrToLower(row.email);
    auto site = site_by_id.find(row.site_id);
    if (site == site_by_id.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("space ", row.code, ": no site ", row.site_id));
    }
    space.site = site->second;
    inv.space_by_code_[row.code] = static_cast<int32_t>(inv.spaces_.size());
    inv.spaces_.push_back(std::move(space));
  }
  for (size_t i = 0; i < rows.spaces.size(); ++i) {
    if (rows.spaces[i].parent_id == 0) continue;
    auto parent = space_by_id.find(rows.spaces[i].parent_id);
    if (parent == space_by_id.end()) continue;
    inv.spaces_[i].parent = parent->second;
    inv.spaces_[parent->second].children.push_back(static_cast<int32_t>(i));
  }
  for (size_t i = 0; i < inv.spaces_.size(); ++i) {
    Space& space = inv.spaces_[i];
    for (int32_t at = static_cast<int32_t>(i); at >= 0;
         at = inv.spaces_[at].parent) {
      space.path.push_back(at);
      if (space.path.size() > inv.spaces_.size()) {
        return absl::FailedPreconditionError(
            absl::StrCat("space ", space.code, ": its parents form a cycle"));
      }
    }
    std::reverse(space.path.begin(), space.path.end());
    for (int32_t at : space.path) {
      switch (inv.spaces_[at].level) {
        case SpaceLevel::kFloor:
          space.floor = at;
          break;
        case SpaceLevel::kZone:
          space.zone = at;
          break;
        case SpaceLevel::kRoom:
          space.room = at;
          break;
      }
    }
    if (space.parent < 0) inv.sites_[space.site].floors.push_back(i);
  }
  auto by_code = [&inv](int32_t a, int32_t b) {
    return inv.spaces_[a].code < inv.spaces_[b].code;
  };
  for (Site& site : inv.sites_) {
    std::sort(site.floors.begin(), site.floors.end(), by_code);
  }
  for (Space& space : inv.spaces_) {
    std::sort(space.children.begin(), space.children.end(), by_code);
  }

  absl::flat_hash_map<int64_t, int32_t> ws_by_id;
  for (const InventoryWorkstationRow& row : rows.workstations) {
    Workstation ws;
    ws.id = row.id;
    ws.code = row.code;
    ws.kind = row.kind;
    ws.active = row.status == WorkstationStatus::kActive;
    auto space = space_by_id.find(row.space_id);
    if (space == space_by_id.end()) {
      return absl::FailedPreconditionError(
          absl::StrCat("workstation ", row.code, ": no space ", row.space_id));
    }
    ws.space = space->second;
    ws.site = inv.spaces_[ws.space].site;
    if (row.organization_id != 0) {
      auto org = org_by_id.find(row.organization_id);
      if (org != org_by_id.end()) ws.organization = org->second;
    }
    ws_by_id[row.id] = static_cast<int32_t>(inv.workstations_.size());
    inv.workstations_.push_back(std::move(ws));
  }

  for (const InventorySensorRow& row : rows.sensors) {
    Sensor sensor;
    sensor.id = row.id;
    sensor.external_id = row.external_id;
    sensor.kind = row.kind;
    sensor.gateway = row.gateway;
    sensor.meaning = MeaningOfKind(row.kind);
    sensor.stale_after_ms = settings.StaleAfterMs(row.kind);
    sensor.from_date = kSinceEver;
    sensor.until_date = kForever;
    if (!row.installed.empty()) {
      if (absl::StatusOr<absl::CivilDay> day = ParseDate(row.installed);
          day.ok()) {
        sensor.from_date = DateIndex(*day);
      }
    }
    if (!row.removed.empty()) {
      if (absl::StatusOr<absl::CivilDay> day = ParseDate(row.removed);
          day.ok()) {
        sensor.until_date = DateIndex(*day);
      }
    }
    const int32_t index = static_cast<int32_t>(inv.sensors_.size());
    if (row.workstation_id != 0) {
      auto ws = ws_by_id.find(row.workstation_id);
      if (ws == ws_by_id.end()) continue;
      sensor.workstation = ws->second;
      sensor.site = inv.workstations_[ws->second].site;
      // Only desk presence sensors describe a desk.
      if (row.kind == SensorKind::kDeskPresence) {
        inv.workstations_[ws->second].desk_sensors.push_back(index);
      }
    } else {
      auto space = space_by_id.find(row.space_id);
      if (space == space_by_id.end()) continue;
      sensor.space = space->second;
      sensor.site = inv.spaces_[space->second].site;
      inv.spaces_[space->second].room_sensors.push_back(index);
    }
    inv.sensor_by_id_[row.id] = index;
    inv.sensors_.push_back(std::move(sensor));
  }
  inv.BuildLattice();
  inv.ComputeFingerprint();
  return std::shared_ptr<const OccupancyInventory>(std::move(inventory));
}

void OccupancyInventory::BuildLattice() {
  auto node = [this](const std::string& key, bool minutes) -> LatticeNode& {
    auto [it, inserted] =
        lattice_by_key_.try_emplace(key, static_cast<int32_t>(lattice_.size()));
    if (inserted) lattice_.push_back({key, minutes, {}, {}});
    return lattice_[it->second];
  };
  node(AllKey(), false);
  for (size_t w = 0; w < workstations_.size(); ++w) {
    const Workstation& ws = workstations_[w];
    if (!ws.active || ws.desk_sensors.empty()) continue;
    const int32_t index = static_cast<int32_t>(w);
    const std::string& site = sites_[ws.site].code;
    const std::string org = OrganizationCode(ws);
    node(AllKey(), false).workstations.push_back(index);
    node(SiteKey(site), true).workstations.push_back(index);
    for (int32_t space : spaces_[ws.space].path) {
      node(SpaceKey(spaces_[space].code), false).workstations.push_back(index);
    }
    node(OrganizationKey(org), true).workstations.push_back(index);
    node(KindKey(ws.kind), false).workstations.push_back(index);
    node(SiteOrganizationKey(site, org), false).workstations.push_back(index);
    node(SiteKindKey(site, ws.kind), false).workstations.push_back(index);
  }
  for (size_t s = 0; s < spaces_.size(); ++s) {
    const Space& space = spaces_[s];
    if (space.room_sensors.empty()) continue;
    const int32_t index = static_cast<int32_t>(s);
    node(AllKey(), false).rooms.push_back(index);
    node(SiteKey(sites_[space.site].code), true).rooms.push_back(index);
    for (int32_t at : space.path) {
      node(SpaceKey(spaces_[at].code), false).rooms.push_back(index);
    }
  }
}

void OccupancyInventory::ComputeFingerprint() {
  Fingerprint fp;
  fp.Add(settings_.StatesFingerprint());
  fp.Add(settings_.desk_day_min_occupied_ms);
  for (const Site& site : sites_) {
    fp.Add(site.code);
    fp.Add(site.timezone);
    fp.Add(site.core_spec.ShortDebugString());
  }
  for (const LatticeNode& node : lattice_) {
    fp.Add(node.key);
    fp.Add(node.minute_peaks ? 1 : 0);
    for (int32_t w : node.workstations) {
      fp.Add(workstations_[w].id);
      for (int32_t s : workstations_[w].desk_sensors) {
        fp.Add(sensors_[s].id);
        fp.Add(sensors_[s].from_date);
        fp.Add(sensors_[s].until_date);
      }
    }
    fp.Add("rooms");
    for (int32_t r : node.rooms) {
      fp.Add(spaces_[r].id);
      fp.Add(spaces_[r].capacity);
      for (int32_t s : spaces_[r].room_sensors) {
        fp.Add(sensors_[s].id);
        fp.Add(Name(sensors_[s].kind));
        fp.Add(sensors_[s].from_date);
        fp.Add(sensors_[s].until_date);
      }
    }
  }
  fingerprint_ = fp.Text();
}

int32_t OccupancyInventory::SiteIndex(absl::string_view code) const {
  auto it = site_by_code_.find(code);
  return it == site_by_code_.end() ? -1 : it->second;
}
int32_t OccupancyInventory::SpaceIndex(absl::string_view code) const {
  auto it = space_by_code_.find(code);
  return it == space_by_code_.end() ? -1 : it->second;
}
int32_t OccupancyInventory::OrganizationIndex(absl::string_view code) const {
  auto it = organization_by_code_.find(code);
  return it == organization_by_code_.end() ? -1 : it->second;
}
int32_t OccupancyInventory::SensorIndex(int64_t sensor_id) const {
  auto it = sensor_by_id_.find(sensor_id);
  return it == sensor_by_id_.end() ? -1 : it->second;
}
int32_t OccupancyInventory::LatticeIndex(absl::string_view key) const {
  auto it = lattice_by_key_.find(key);
  return it == lattice_by_key_.end() ? -1 : it->second;
}

bool OccupancyInventory::SpaceWithin(int32_t inner, int32_t outer) const {
  for (int32_t at : spaces_[inner].path) {
    if (at == outer) return true;
  }
  return false;
}

std::shared_ptr<const OccupancyInventory> OccupancyInventoryHolder::Get()
    const {
  absl::MutexLock lock(&mu_);
  return current_;
}

void OccupancyInventoryHolder::Set(
    std::shared_ptr<const OccupancyInventory> inventory) {
  absl::MutexLock lock(&mu_);
  current_ = std::move(inventory);
}

}  // namespace monipaikka
