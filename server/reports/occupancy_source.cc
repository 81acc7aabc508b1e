#include "server/reports/occupancy_source.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "common/status_macros.h"
#include "server/summary/codec.h"
#include "server/summary/node_days.h"
#include "server/summary/summarizer.h"

namespace monipaikka {
namespace {

bool SpaceSelected(const OccupancyInventory& inventory,
                   const Selection& selection, int32_t space) {
  const OccupancyInventory::Space& s = inventory.spaces()[space];
  if (selection.site >= 0 && s.site != selection.site) return false;
  if (selection.space >= 0 && !inventory.SpaceWithin(space, selection.space)) {
    return false;
  }
  if (selection.outside_zones || selection.outside_rooms) {
    // Only the part of the path below the selected space matters.
    bool below = selection.space < 0;
    for (int32_t at : s.path) {
      if (below) {
        const SpaceLevel level = inventory.spaces()[at].level;
        if (selection.outside_zones && level == SpaceLevel::kZone) return false;
        if (selection.outside_rooms && level == SpaceLevel::kRoom) return false;
      }
      if (at == selection.space) below = true;
    }
  }
  return true;
}

}  // namespace

bool SelectsWorkstation(const OccupancyInventory& inventory,
                        const Selection& selection, int32_t workstation) {
  const OccupancyInventory::Workstation& ws =
      inventory.workstations()[workstation];
  if (!ws.active) return false;
  if (selection.workstation >= 0 && selection.workstation != workstation) {
    return false;
  }
  if (!selection.organizations.empty() &&
      std::find(selection.organizations.begin(), selection.organizations.end(),
                ws.organization) == selection.organizations.end()) {
    return false;
  }
  if (!selection.kinds.empty() &&
      std::find(selection.kinds.begin(), selection.kinds.end(), ws.kind) ==
          selection.kinds.end()) {
    return false;
  }
  return SpaceSelected(inventory, selection, ws.space);
}

bool SelectsRoom(const OccupancyInventory& inventory,
                 const Selection& selection, int32_t space) {
  return selection.rooms && SpaceSelected(inventory, selection, space);
}

std::optional<std::string> LatticeKeyOf(const OccupancyInventory& inventory,
                                        const Selection& selection) {
  if (selection.outside_zones || selection.outside_rooms) return std::nullopt;
  if (selection.workstation >= 0) return std::nullopt;
  if (selection.organizations.size() > 1 || selection.kinds.size() > 1) {
    return std::nullopt;
  }
  const bool by_org = !selection.organizations.empty();
  const bool by_kind = !selection.kinds.empty();
  if (by_org && by_kind) return std::nullopt;
  // Organization and kind nodes have no rooms. (A selection without rooms
  // may use a node with rooms: its room figures are then not used.)
  if (selection.rooms && (by_org || by_kind)) return std::nullopt;
  int32_t site = selection.site;
  if (selection.space >= 0) {
    const int32_t space_site = inventory.spaces()[selection.space].site;
    if (site >= 0 && site != space_site) return std::nullopt;
    if (by_org || by_kind) return std::nullopt;
    return OccupancyInventory::SpaceKey(
        inventory.spaces()[selection.space].code);
  }
  const std::string site_code = site >= 0 ? inventory.sites()[site].code : "";
  if (by_org) {
    const int32_t org = selection.organizations.front();
    const std::string code =
        org < 0 ? std::string("-") : inventory.organizations()[org].code;
    return site >= 0 ? OccupancyInventory::SiteOrganizationKey(site_code, code)
                     : OccupancyInventory::OrganizationKey(code);
  }
  if (by_kind) {
    return site >= 0 ? OccupancyInventory::SiteKindKey(site_code,
                                                       selection.kinds.front())
                     : OccupancyInventory::KindKey(selection.kinds.front());
  }
  return site >= 0 ? OccupancyInventory::SiteKey(site_code)
                   : OccupancyInventory::AllKey();
}

SelectionMembers MembersOf(const OccupancyInventory& inventory,
                           const Selection& selection, int32_t first_date,
                           int32_t last_date) {
  SelectionMembers members;
  auto bound_in_window = [&](int32_t s) {
    const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
    return sensor.from_date <= last_date && sensor.until_date > first_date;
  };
  for (size_t w = 0; w < inventory.workstations().size(); ++w) {
    const int32_t index = static_cast<int32_t>(w);
    if (!SelectsWorkstation(inventory, selection, index)) continue;
    members.workstations.push_back(index);
    const auto& sensors = inventory.workstations()[w].desk_sensors;
    if (std::any_of(sensors.begin(), sensors.end(), bound_in_window)) {
      members.measured.push_back(index);
    } else {
      members.unmeasured.push_back(index);
    }
  }
  if (selection.rooms) {
    for (size_t s = 0; s < inventory.spaces().size(); ++s) {
      const int32_t index = static_cast<int32_t>(s);
      if (!inventory.IsRoomLike(index) ||
          !SelectsRoom(inventory, selection, index)) {
        continue;
      }
      members.rooms.push_back(index);
      const auto& sensors = inventory.spaces()[s].room_sensors;
      if (std::any_of(sensors.begin(), sensors.end(), bound_in_window)) {
        members.rooms_measured.push_back(index);
      }
    }
  }
  return members;
}

SelectionMembers MembersOnDates(const OccupancyInventory& inventory,
                                const SelectionMembers& members,
                                std::span<const int32_t> dates) {
  auto bound_on_a_date = [&](int32_t s) {
    const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
    // The first date not before from_date is bound unless the sensor was
    // removed by then.
    auto it = std::lower_bound(dates.begin(), dates.end(), sensor.from_date);
    return it != dates.end() && *it < sensor.until_date;
  };
  SelectionMembers narrowed;
  narrowed.workstations = members.workstations;
  narrowed.rooms = members.rooms;
  narrowed.unmeasured = members.unmeasured;
  for (int32_t w : members.measured) {
    const auto& sensors = inventory.workstations()[w].desk_sensors;
    if (std::any_of(sensors.begin(), sensors.end(), bound_on_a_date)) {
      narrowed.measured.push_back(w);
    } else {
      narrowed.unmeasured.push_back(w);
    }
  }
  std::sort(narrowed.unmeasured.begin(), narrowed.unmeasured.end());
  for (int32_t r : members.rooms_measured) {
    const auto& sensors = inventory.spaces()[r].room_sensors;
    if (std::any_of(sensors.begin(), sensors.end(), bound_on_a_date)) {
      narrowed.rooms_measured.push_back(r);
    }
  }
  return narrowed;
}

absl::StatusOr<std::vector<std::vector<std::optional<NodeDayFigures>>>>
LoadDayFigures(const ReportContext& context,
               std::span<const Selection> selections, int32_t first_date,
               int32_t last_date, bool minute_peaks) {
  const OccupancyInventory& inventory = context.inventory;
  AnalyticsStorage& store = context.session.Analytics();
  const size_t days = static_cast<size_t>(last_date - first_date + 1);
  std::vector<std::vector<std::optional<NodeDayFigures>>> result(
      selections.size(), std::vector<std::optional<NodeDayFigures>>(days));

  ASSIGN_OR_RETURN(bool lattice_current,
                   LatticeIsCurrent(context.session, inventory));
  absl::flat_hash_map<std::string, int64_t> node_ids;
  if (lattice_current) {
    ASSIGN_OR_RETURN(auto nodes, store.ListNodes());
    for (auto& [id, key] : nodes) node_ids[key] = id;
  }

  std::vector<size_t> computed;  // selections the lattice does not keep
  for (size_t s = 0; s < selections.size(); ++s) {
    std::optional<std::string> key =
        lattice_current ? LatticeKeyOf(inventory, selections[s]) : std::nullopt;
    const int32_t lattice_index =
        key.has_value() ? inventory.LatticeIndex(*key) : -1;
    if (key.has_value() && lattice_index < 0) continue;  // no members at all
    if (!key.has_value() ||
        (minute_peaks && !inventory.lattice()[lattice_index].minute_peaks)) {
      computed.push_back(s);
      continue;
    }
    auto id = node_ids.find(*key);
    if (id == node_ids.end()) continue;  // nothing summarized yet
    absl::Status decoded = absl::OkStatus();
    RETURN_IF_ERROR(store.ScanNodeDays(
        id->second, first_date, last_date,
        [&](int32_t date, absl::string_view bytes) {
          if (!decoded.ok()) return;
          absl::StatusOr<NodeDayFigures> figures = DecodeNodeDay(bytes);
          if (!figures.ok()) {
            decoded = figures.status();
            return;
          }
          result[s][date - first_date] = *std::move(figures);
        }));
    RETURN_IF_ERROR(decoded);
  }
  if (computed.empty()) return result;

  // The rest from the sensor days.
  std::vector<std::vector<int32_t>> workstations(computed.size());
  std::vector<std::vector<int32_t>> rooms(computed.size());
  absl::flat_hash_set<int64_t> sensor_ids;
  int64_t min_id = std::numeric_limits<int64_t>::max();
  int64_t max_id = std::numeric_limits<int64_t>::min();
  auto want = [&](int32_t s) {
    const int64_t id = inventory.sensors()[s].id;
    sensor_ids.insert(id);
    min_id = std::min(min_id, id);
    max_id = std::max(max_id, id);
  };
  for (size_t c = 0; c < computed.size(); ++c) {
    const Selection& selection = selections[computed[c]];
    for (size_t w = 0; w < inventory.workstations().size(); ++w) {
      const int32_t index = static_cast<int32_t>(w);
      const auto& ws = inventory.workstations()[w];
      if (ws.desk_sensors.empty() ||
          !SelectsWorkstation(inventory, selection, index)) {
        continue;
      }
      workstations[c].push_back(index);
      for (int32_t s : ws.desk_sensors) want(s);
    }
    if (!selection.rooms) continue;
    for (size_t r = 0; r < inventory.spaces().size(); ++r) {
      const int32_t index = static_cast<int32_t>(r);
      const auto& space = inventory.spaces()[r];
      if (space.room_sensors.empty() ||
          !SelectsRoom(inventory, selection, index)) {
        continue;
      }
      rooms[c].push_back(index);
      for (int32_t s : space.room_sensors) want(s);
    }
  }
  if (sensor_ids.empty()) return result;
  std::vector<NodeDefinition> definitions;
  for (size_t c = 0; c < computed.size(); ++c) {
    definitions.push_back({workstations[c], rooms[c], minute_peaks});
  }
  FrameCache frames(inventory);
  for (int32_t date = first_date; date <= last_date; ++date) {
    SensorSpansByIndex spans;
    absl::Status decoded = absl::OkStatus();
    RETURN_IF_ERROR(store.ScanSensorDays(
        date, date, min_id, max_id,
        [&](int32_t, int64_t sensor_id, absl::string_view bytes) {
          if (!decoded.ok() || !sensor_ids.contains(sensor_id)) return;
          absl::StatusOr<std::vector<DaySpan>> states = DecodeDaySpans(bytes);
          if (!states.ok()) {
            decoded = states.status();
            return;
          }
          spans[inventory.SensorIndex(sensor_id)] = *std::move(states);
        }));
    RETURN_IF_ERROR(decoded);
    if (spans.empty()) continue;
    std::vector<NodeDayFigures> figures =
        ComputeNodeDays(inventory, date, spans, definitions, frames);
    for (size_t c = 0; c < computed.size(); ++c) {
      if (figures[c] != NodeDayFigures{}) {
        result[computed[c]][date - first_date] = std::move(figures[c]);
      }
    }
  }
  return result;
}

}  // namespace monipaikka
