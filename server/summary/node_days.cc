#include "server/summary/node_days.h"

#include <deque>

namespace monipaikka {

const DayFrame& FrameCache::Get(int32_t site, int32_t date) {
  std::unique_ptr<DayFrame>& frame = frames_[{site, date}];
  if (frame == nullptr) {
    const OccupancyInventory::Site& s = inventory_.sites()[site];
    frame =
        std::make_unique<DayFrame>(MakeDayFrame(DateOf(date), s.zone, s.core));
  }
  return *frame;
}

std::vector<NodeDayFigures> ComputeNodeDays(
    const OccupancyInventory& inventory, int32_t date,
    const SensorSpansByIndex& spans, std::span<const NodeDefinition> nodes,
    FrameCache& frames) {
  constexpr int32_t kUnseen = -2;
  constexpr int32_t kNoData = -1;
  std::vector<DeskDayMember> desks;
  std::vector<RoomDayMember> rooms;
  std::deque<std::vector<DaySpan>> combined;  // stable addresses
  absl::flat_hash_map<int32_t, int32_t> desk_of_ws;
  absl::flat_hash_map<int32_t, int32_t> room_of_space;

  // Gathers the bound sensors' spans; returns the spans to use or nullptr.
  auto states_of = [&](std::span<const int32_t> sensors,
                       bool* counting) -> const std::vector<DaySpan>* {
    std::vector<const std::vector<DaySpan>*> found;
    for (int32_t s : sensors) {
      const OccupancyInventory::Sensor& sensor = inventory.sensors()[s];
      if (!sensor.BoundOn(date)) continue;
      auto it = spans.find(s);
      if (it == spans.end() || it->second.empty()) continue;
      found.push_back(&it->second);
      if (counting != nullptr && sensor.meaning != ReadingMeaning::kPresence) {
        *counting = true;
      }
    }
    if (found.empty()) return nullptr;
    if (found.size() == 1) return found.front();
    std::vector<std::vector<DaySpan>> copies;
    for (const auto* f : found) copies.push_back(*f);
    combined.push_back(CombineDaySpans(copies));
    return &combined.back();
  };

  auto desk_member = [&](int32_t w) -> int32_t {
    auto [it, inserted] = desk_of_ws.try_emplace(w, kUnseen);
    if (!inserted) return it->second;
    const OccupancyInventory::Workstation& ws = inventory.workstations()[w];
    const std::vector<DaySpan>* states = states_of(ws.desk_sensors, nullptr);
    if (states == nullptr) return it->second = kNoData;
    it->second = static_cast<int32_t>(desks.size());
    desks.push_back({&frames.Get(ws.site, date), *states});
    return it->second;
  };
  auto room_member = [&](int32_t r) -> int32_t {
    auto [it, inserted] = room_of_space.try_emplace(r, kUnseen);
    if (!inserted) return it->second;
    const OccupancyInventory::Space& space = inventory.spaces()[r];
    bool counting = false;
    const std::vector<DaySpan>* states =
        states_of(space.room_sensors, &counting);
    if (states == nullptr) return it->second = kNoData;
    it->second = static_cast<int32_t>(rooms.size());
    rooms.push_back(
        {&frames.Get(space.site, date), *states, space.capacity, counting});
    return it->second;
  };

  std::vector<NodeMembers> members(nodes.size());
  for (size_t n = 0; n < nodes.size(); ++n) {
    members[n].minute_peaks = nodes[n].minute_peaks;
    for (int32_t w : nodes[n].workstations) {
      const int32_t d = desk_member(w);
      if (d >= 0) members[n].desks.push_back(d);
    }
    for (int32_t r : nodes[n].rooms) {
      const int32_t m = room_member(r);
      if (m >= 0) members[n].rooms.push_back(m);
    }
  }
  return SummarizeDay(desks, rooms, members,
                      inventory.settings().desk_day_min_occupied_ms);
}

}  // namespace monipaikka
