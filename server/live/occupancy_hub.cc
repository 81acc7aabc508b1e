#include "server/live/occupancy_hub.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/time_format.h"
#include "common/vocabulary.h"

namespace monipaikka {
namespace {

int32_t LocalDate(int64_t ts_ms, const absl::TimeZone& zone) {
  return DateIndex(absl::CivilDay(absl::ToCivilSecond(FromMs(ts_ms), zone)));
}

// Index of a state in a space's counts: free, occupied, unknown.
int CountSlot(v1::OccupancyState state) {
  switch (state) {
    case v1::OCCUPANCY_STATE_FREE:
      return 0;
    case v1::OCCUPANCY_STATE_OCCUPIED:
      return 1;
    default:
      return 2;
  }
}

}  // namespace

LiveOccupancyHub::LiveOccupancyHub(std::function<int64_t()> now_ms,
                                   Options options)
    : now_ms_(std::move(now_ms)), options_(options) {}

LiveOccupancyHub::~LiveOccupancyHub() { Stop(); }

void LiveOccupancyHub::Start(
    std::shared_ptr<const OccupancyInventory> inventory,
    std::span<const LastReading> newest,
    const absl::flat_hash_map<int64_t, int32_t>& counts) {
  {
    absl::MutexLock lock(&mu_);
    inventory_ = std::move(inventory);
    const int64_t now = now_ms_();
    for (const LastReading& reading : newest) {
      SensorState& state = sensors_[reading.sensor_id];
      state.last_ts_ms = reading.ts_ms;
      state.since_ms = reading.ts_ms;
      state.value = reading.value;
      const int32_t s = inventory_->SensorIndex(reading.sensor_id);
      if (s < 0) continue;
      const OccupancyInventory::Sensor& sensor = inventory_->sensors()[s];
      if (sensor.meaning == ReadingMeaning::kPresence) {
        state.value = reading.value != 0 ? 1 : 0;
      } else if (sensor.meaning == ReadingMeaning::kFlow) {
        auto count = counts.find(reading.sensor_id);
        state.count = count == counts.end() ? 0 : count->second;
        state.count_date =
            LocalDate(now, inventory_->sites()[sensor.site].zone);
        state.value = state.count;
      }
    }
    workstations_.assign(inventory_->workstations().size(), TargetState{});
    rooms_.assign(inventory_->spaces().size(), TargetState{});
    Publish(nullptr, nullptr, now);
    started_ = true;
    absl::MutexLock pending_lock(&pending_mu_);
    pending_.clear();
  }
  fan_out_ = std::thread([this] { RunFanOut(); });
}

void LiveOccupancyHub::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    stopping_ = true;
    for (auto& [id, subscription] : watchers_) subscription.watcher->Close();
    watchers_.clear();
  }
  {
    absl::MutexLock lock(&pending_mu_);
    fan_out_stopping_ = true;
    pending_.clear();
  }
  if (fan_out_.joinable()) fan_out_.join();
}

void LiveOccupancyHub::RunFanOut() {
  absl::Time next_tick = absl::Now() + options_.tick;
  auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pending_mu_) {
    return fan_out_stopping_ || !pending_.empty();
  };
  while (true) {
    {
      absl::MutexLock lock(&pending_mu_);
      pending_mu_.AwaitWithDeadline(absl::Condition(&work), next_tick);
      if (fan_out_stopping_) return;
    }
    if (absl::Now() >= next_tick) {
      Tick();
      next_tick = absl::Now() + options_.tick;
    } else {
      Flush();
    }
  }
}

void LiveOccupancyHub::SetInventory(
    std::shared_ptr<const OccupancyInventory> inventory) {
  absl::MutexLock lock(&mu_);
  if (!started_) return;
  inventory_ = std::move(inventory);
  for (auto& [id, state] : sensors_) state.index = -2;
  const int64_t now = now_ms_();
  workstations_.assign(inventory_->workstations().size(), TargetState{});
  rooms_.assign(inventory_->spaces().size(), TargetState{});
  const std::vector<int32_t> today = Today(now);
  for (size_t w = 0; w < workstations_.size(); ++w) {
    workstations_[w] = WorkstationState(static_cast<int32_t>(w), now, today);
  }
  for (size_t r = 0; r < rooms_.size(); ++r) {
    rooms_[r] = RoomState(static_cast<int32_t>(r), now, today);
  }
  SendSnapshots(now);
}

int32_t LiveOccupancyHub::ApplyReading(const StoredReading& reading) {
  SensorState& state = sensors_[reading.sensor_id];
  if (state.index == -2)
    state.index = inventory_->SensorIndex(reading.sensor_id);
  const int32_t s = state.index;
  if (reading.ts_ms <= state.last_ts_ms) return s;  // history, not news
  int64_t value = reading.value;
  int64_t stale = 0;
  if (s >= 0) {
    const OccupancyInventory::Sensor& sensor = inventory_->sensors()[s];
    stale = sensor.stale_after_ms;
    if (sensor.meaning == ReadingMeaning::kPresence) {
      value = value != 0 ? 1 : 0;
    } else if (sensor.meaning == ReadingMeaning::kFlow && sensor.site >= 0) {
      const int32_t date =
          LocalDate(reading.ts_ms, inventory_->sites()[sensor.site].zone);
      if (state.count_date != date) {
        state.count = 0;
        state.count_date = date;
      }
      if (IsFlowValue(reading.value)) {
        state.count = static_cast<int32_t>(std::clamp<int64_t>(
            int64_t{state.count} + FlowEntered(reading.value) -
                FlowExited(reading.value),
            0, std::numeric_limits<int32_t>::max()));
      } else {
        state.count = static_cast<int32_t>(std::clamp<int64_t>(
            reading.value, 0, std::numeric_limits<int32_t>::max()));
      }
      value = state.count;
    }
  }
  const bool was_stale =
      state.last_ts_ms == 0 || state.last_ts_ms + stale <= reading.ts_ms;
  if (was_stale || value != state.value) state.since_ms = reading.ts_ms;
  state.value = value;
  state.last_ts_ms = reading.ts_ms;
  return s;
}

void LiveOccupancyHub::OnCommitted(std::span<const StoredReading> readings) {
  if (readings.empty()) return;
  absl::MutexLock lock(&pending_mu_);
  if (fan_out_stopping_) return;
  pending_.insert(pending_.end(), readings.begin(), readings.end());
}

void LiveOccupancyHub::Flush() {
  absl::MutexLock lock(&mu_);
  ApplyPendingLocked();
}

void LiveOccupancyHub::ApplyPendingLocked() {
  std::vector<StoredReading> readings;
  {
    absl::MutexLock lock(&pending_mu_);
    readings.swap(pending_);
  }
  if (readings.empty() || !started_ || stopping_) return;
  std::vector<int32_t> workstations;
  std::vector<int32_t> rooms;
  int64_t previous_sensor = -1;
  for (const StoredReading& reading : readings) {
    const int32_t s = ApplyReading(reading);
    if (s < 0 || reading.sensor_id == previous_sensor) continue;
    previous_sensor = reading.sensor_id;
    const OccupancyInventory::Sensor& sensor = inventory_->sensors()[s];
    if (sensor.workstation >= 0) workstations.push_back(sensor.workstation);
    if (sensor.space >= 0) rooms.push_back(sensor.space);
  }
  std::sort(workstations.begin(), workstations.end());
  workstations.erase(std::unique(workstations.begin(), workstations.end()),
                     workstations.end());
  std::sort(rooms.begin(), rooms.end());
  rooms.erase(std::unique(rooms.begin(), rooms.end()), rooms.end());
  Publish(&workstations, &rooms, now_ms_());
}

void LiveOccupancyHub::Tick() {
  absl::MutexLock lock(&mu_);
  if (!started_ || stopping_) return;
  ApplyPendingLocked();
  Publish(nullptr, nullptr, now_ms_());
  for (auto& [id, subscription] : watchers_) subscription.watcher->OnTick();
}

std::vector<int32_t> LiveOccupancyHub::Today(int64_t now) const {
  std::vector<int32_t> today;
  today.reserve(inventory_->sites().size());
  for (const OccupancyInventory::Site& site : inventory_->sites()) {
    today.push_back(LocalDate(now, site.zone));
  }
  return today;
}

LiveOccupancyHub::TargetState LiveOccupancyHub::WorkstationState(
    int32_t w, int64_t now, const std::vector<int32_t>& today_by_site) const {
  const OccupancyInventory::Workstation& ws = inventory_->workstations()[w];
  TargetState target;
  if (!ws.active) return target;
  const int32_t today = today_by_site[ws.site];
  int64_t occupied_since = 0;
  int64_t free_since = 0;
  bool occupied = false;
  bool free = false;
  for (int32_t s : ws.desk_sensors) {
    const OccupancyInventory::Sensor& sensor = inventory_->sensors()[s];
    if (!sensor.BoundOn(today)) continue;
    auto it = sensors_.find(sensor.id);
    if (it == sensors_.end() || it->second.last_ts_ms == 0) continue;
    const SensorState& state = it->second;
    target.last_ms = std::max(target.last_ms, state.last_ts_ms);
    const int64_t stale_at = state.last_ts_ms + sensor.stale_after_ms;
    if (now >= stale_at) {
      target.since_ms = std::max(target.since_ms, stale_at);
      continue;
    }
    if (state.value > 0) {
      occupied_since =
          occupied ? std::min(occupied_since, state.since_ms) : state.since_ms;
      occupied = true;
    } else {
      free_since = free ? std::min(free_since, state.since_ms) : state.since_ms;
      free = true;
    }
  }
  if (occupied) {
    target.state = v1::OCCUPANCY_STATE_OCCUPIED;
    target.since_ms = occupied_since;
  } else if (free) {
    target.state = v1::OCCUPANCY_STATE_FREE;
    target.since_ms = free_since;
  }
  return target;
}

LiveOccupancyHub::TargetState LiveOccupancyHub::RoomState(
    int32_t space, int64_t now,
    const std::vector<int32_t>& today_by_site) const {
  const OccupancyInventory::Space& room = inventory_->spaces()[space];
  TargetState target;
  if (room.room_sensors.empty()) return target;
  const int32_t today = today_by_site[room.site];
  bool known = false;
  bool counting = false;
  int32_t count = 0;
  int64_t since = 0;
  for (int32_t s : room.room_sensors) {
    const OccupancyInventory::Sensor& sensor = inventory_->sensors()[s];
    if (!sensor.BoundOn(today)) continue;
    auto it = sensors_.find(sensor.id);
    if (it == sensors_.end() || it->second.last_ts_ms == 0) continue;
    const SensorState& state = it->second;
    target.last_ms = std::max(target.last_ms, state.last_ts_ms);
    const int64_t stale_at = state.last_ts_ms + sensor.stale_after_ms;
    if (now >= stale_at) {
      target.since_ms = std::max(target.since_ms, stale_at);
      continue;
    }
    int64_t value = state.value;
    if (sensor.meaning == ReadingMeaning::kFlow) {
      // The running count resets at local midnight.
      value = state.count_date == today ? state.count : 0;
    }
    if (sensor.meaning != ReadingMeaning::kPresence) counting = true;
    const int32_t v = static_cast<int32_t>(
        std::clamp<int64_t>(value, 0, std::numeric_limits<int32_t>::max()));
    since = known ? std::min(since, state.since_ms) : state.since_ms;
    count = known ? std::max(count, v) : v;
    known = true;
  }
  if (!known) return target;
  target.state =
      count > 0 ? v1::OCCUPANCY_STATE_OCCUPIED : v1::OCCUPANCY_STATE_FREE;
  target.since_ms = since;
  target.count = counting ? count : -1;
  return target;
}

bool LiveOccupancyHub::InScope(int32_t site, int32_t scope_space,
                               int32_t space) const {
  if (inventory_->spaces()[space].site != site) return false;
  return scope_space < 0 || inventory_->SpaceWithin(space, scope_space);
}

absl::Status LiveOccupancyHub::Resolve(absl::string_view site,
                                       absl::string_view space,
                                       int32_t* site_index,
                                       int32_t* space_index) const {
  if (site.empty()) return absl::InvalidArgumentError("site: is required");
  if (inventory_ == nullptr) {
    return absl::UnavailableError("live occupancy is not started");
  }
  *site_index = inventory_->SiteIndex(site);
  if (*site_index < 0) {
    return absl::NotFoundError(absl::StrCat("site: no site \"", site, "\""));
  }
  *space_index = -1;
  if (!space.empty()) {
    *space_index = inventory_->SpaceIndex(space);
    if (*space_index < 0 ||
        inventory_->spaces()[*space_index].site != *site_index) {
      return absl::NotFoundError(absl::StrCat("space: no space \"", space,
                                              "\" in site \"", site, "\""));
    }
  }
  return absl::OkStatus();
}

void LiveOccupancyHub::Count(int32_t site, int32_t space, SpaceCounts* counts,
                             std::array<int32_t, 3>* totals) const {
  for (size_t w = 0; w < inventory_->workstations().size(); ++w) {
    const OccupancyInventory::Workstation& ws = inventory_->workstations()[w];
    if (!ws.active || !InScope(site, space, ws.space)) continue;
    const int slot = CountSlot(workstations_[w].state);
    ++(*totals)[slot];
    for (int32_t at : inventory_->spaces()[ws.space].path) {
      if (space >= 0 && !inventory_->SpaceWithin(at, space)) continue;
      ++(*counts)[at][slot];
    }
  }
}

void LiveOccupancyHub::FillWorkstation(int32_t w,
                                       v1::LiveWorkstation* out) const {
  const OccupancyInventory::Workstation& ws = inventory_->workstations()[w];
  const TargetState& state = workstations_[w];
  out->set_workstation(ws.code);
  out->set_space(inventory_->spaces()[ws.space].code);
  const int32_t floor = inventory_->spaces()[ws.space].floor;
  if (floor >= 0) out->set_floor(inventory_->spaces()[floor].code);
  out->set_kind(Name(ws.kind));
  if (ws.organization >= 0) {
    out->set_organization(inventory_->organizations()[ws.organization].code);
  }
  out->set_state(state.state);
  out->set_since_ms(state.since_ms);
  out->set_last_reading_ms(state.last_ms);
}

void LiveOccupancyHub::FillRoom(int32_t r, v1::LiveRoom* out) const {
  const OccupancyInventory::Space& room = inventory_->spaces()[r];
  const TargetState& state = rooms_[r];
  out->set_space(room.code);
  if (room.floor >= 0) out->set_floor(inventory_->spaces()[room.floor].code);
  out->set_capacity(room.capacity);
  out->set_state(state.state);
  out->set_count(state.count);
  out->set_since_ms(state.since_ms);
  out->set_last_reading_ms(state.last_ms);
}

void LiveOccupancyHub::FillSpaces(const SpaceCounts& counts,
                                  const SpaceCounts* unchanged,
                                  v1::LiveOccupancy* out) const {
  std::map<std::string, int32_t> by_code;
  for (const auto& [at, c] : counts) {
    if (unchanged != nullptr) {
      auto sent = unchanged->find(at);
      if (sent != unchanged->end() && sent->second == c) continue;
    }
    by_code[inventory_->spaces()[at].code] = at;
  }
  for (const auto& [code, at] : by_code) {
    const std::array<int32_t, 3>& c = counts.at(at);
    v1::LiveSpace* item = out->add_spaces();
    item->set_space(code);
    item->set_level(Name(inventory_->spaces()[at].level));
    item->set_name(inventory_->spaces()[at].name);
    item->set_workstations(c[0] + c[1] + c[2]);
    item->set_free(c[0]);
    item->set_occupied(c[1]);
    item->set_unknown(c[2]);
  }
}

v1::LiveOccupancy LiveOccupancyHub::Build(int32_t site, int32_t space,
                                          int64_t now,
                                          SpaceCounts* counts) const {
  v1::LiveOccupancy out;
  out.set_site(inventory_->sites()[site].code);
  out.set_timezone(inventory_->sites()[site].timezone);
  if (space >= 0) out.set_space(inventory_->spaces()[space].code);
  out.set_as_of_ms(now);
  for (size_t w = 0; w < inventory_->workstations().size(); ++w) {
    const OccupancyInventory::Workstation& ws = inventory_->workstations()[w];
    if (!ws.active || !InScope(site, space, ws.space)) continue;
    FillWorkstation(static_cast<int32_t>(w), out.add_workstations());
  }
  for (size_t r = 0; r < inventory_->spaces().size(); ++r) {
    if (inventory_->spaces()[r].room_sensors.empty() ||
        !InScope(site, space, static_cast<int32_t>(r))) {
      continue;
    }
    FillRoom(static_cast<int32_t>(r), out.add_rooms());
  }
  std::array<int32_t, 3> totals{};
  Count(site, space, counts, &totals);
  FillSpaces(*counts, nullptr, &out);
  out.set_workstations_total(totals[0] + totals[1] + totals[2]);
  out.set_free(totals[0]);
  out.set_occupied(totals[1]);
  out.set_unknown(totals[2]);
  return out;
}

void LiveOccupancyHub::Publish(const std::vector<int32_t>* workstations,
                               const std::vector<int32_t>* rooms, int64_t now) {
  std::vector<int32_t> changed_ws;
  std::vector<int32_t> changed_rooms;
  // A newer reading that says the same is no news (screens stay quiet).
  auto same = [](const TargetState& a, const TargetState& b) {
    return a.state == b.state && a.since_ms == b.since_ms && a.count == b.count;
  };
  const std::vector<int32_t> today = Today(now);
  auto check_ws = [&](int32_t w) {
    TargetState state = WorkstationState(w, now, today);
    const bool changed = !same(state, workstations_[w]);
    workstations_[w] = state;
    if (changed) changed_ws.push_back(w);
  };
  auto check_room = [&](int32_t r) {
    if (inventory_->spaces()[r].room_sensors.empty()) return;
    TargetState state = RoomState(r, now, today);
    const bool changed = !same(state, rooms_[r]);
    rooms_[r] = state;
    if (changed) changed_rooms.push_back(r);
  };
  if (workstations != nullptr) {
    for (int32_t w : *workstations) check_ws(w);
  } else {
    for (size_t w = 0; w < workstations_.size(); ++w) {
      check_ws(static_cast<int32_t>(w));
    }
  }
  if (rooms != nullptr) {
    for (int32_t r : *rooms) check_room(r);
  } else if (workstations == nullptr) {
    for (size_t r = 0; r < rooms_.size(); ++r) {
      check_room(static_cast<int32_t>(r));
    }
  }
  if (changed_ws.empty() && changed_rooms.empty()) return;
  for (auto& [id, subscription] : watchers_) {
    v1::LiveOccupancyUpdate update;
    v1::LiveOccupancy* delta = update.mutable_occupancy();
    for (int32_t w : changed_ws) {
      if (InScope(subscription.site, subscription.space,
                  inventory_->workstations()[w].space)) {
        FillWorkstation(w, delta->add_workstations());
      }
    }
    for (int32_t r : changed_rooms) {
      if (InScope(subscription.site, subscription.space, r)) {
        FillRoom(r, delta->add_rooms());
      }
    }
    if (delta->workstations().empty() && delta->rooms().empty()) continue;
    delta->set_site(subscription.site_code);
    delta->set_space(subscription.space_code);
    delta->set_as_of_ms(now);
    SpaceCounts counts;
    std::array<int32_t, 3> totals{};
    Count(subscription.site, subscription.space, &counts, &totals);
    FillSpaces(counts, &subscription.space_counts, delta);
    delta->set_workstations_total(totals[0] + totals[1] + totals[2]);
    delta->set_free(totals[0]);
    delta->set_occupied(totals[1]);
    delta->set_unknown(totals[2]);
    subscription.space_counts = std::move(counts);
    subscription.watcher->Push(std::move(update));
  }
}

void LiveOccupancyHub::SendSnapshots(int64_t now) {
  for (auto it = watchers_.begin(); it != watchers_.end();) {
    Subscription& subscription = it->second;
    // The indexes belong to the previous snapshot: find the codes again.
    if (!Resolve(subscription.site_code, subscription.space_code,
                 &subscription.site, &subscription.space)
             .ok()) {
      subscription.watcher->Close();
      watchers_.erase(it++);
      continue;
    }
    subscription.space_counts.clear();
    v1::LiveOccupancyUpdate update;
    update.set_snapshot(true);
    *update.mutable_occupancy() = Build(subscription.site, subscription.space,
                                        now, &subscription.space_counts);
    subscription.watcher->Push(std::move(update));
    ++it;
  }
}

absl::StatusOr<v1::LiveOccupancy> LiveOccupancyHub::Snapshot(
    absl::string_view site, absl::string_view space) {
  absl::MutexLock lock(&mu_);
  ApplyPendingLocked();
  int32_t site_index = -1;
  int32_t space_index = -1;
  if (absl::Status s = Resolve(site, space, &site_index, &space_index);
      !s.ok()) {
    return s;
  }
  absl::flat_hash_map<int32_t, std::array<int32_t, 3>> counts;
  return Build(site_index, space_index, now_ms_(), &counts);
}

absl::StatusOr<std::pair<uint64_t, v1::LiveOccupancyUpdate>>
LiveOccupancyHub::Watch(absl::string_view site, absl::string_view space,
                        Watcher* watcher) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("the server is stopping");
  // The first snapshot holds every reading committed so far; the updates
  // that follow start from it.
  ApplyPendingLocked();
  int32_t site_index = -1;
  int32_t space_index = -1;
  if (absl::Status s = Resolve(site, space, &site_index, &space_index);
      !s.ok()) {
    return s;
  }
  Subscription subscription{watcher,    std::string(site), std::string(space),
                            site_index, space_index,       {}};
  v1::LiveOccupancyUpdate first;
  first.set_snapshot(true);
  *first.mutable_occupancy() =
      Build(site_index, space_index, now_ms_(), &subscription.space_counts);
  const uint64_t id = next_watch_++;
  watchers_.emplace(id, std::move(subscription));
  return std::make_pair(id, std::move(first));
}

void LiveOccupancyHub::Unwatch(uint64_t id) {
  absl::MutexLock lock(&mu_);
  watchers_.erase(id);
}

}  // namespace monipaikka
