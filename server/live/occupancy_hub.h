#pragma once

// Live occupancy: the current state of every workstation and room, kept in
// memory from the newest reading of each sensor, and pushed to watchers
// (free-desk screens) when it changes.
//
// A target's state follows docs/figures.md's rules applied to now: a sensor's
// newest reading holds for its kind's stale_after, after which the state is
// UNKNOWN. A workstation with several bound sensors is occupied when any
// fresh one says so, free when a fresh one says free. Readings older than a
// sensor's newest one change history (the summaries), not the live state.
// A people counter's live count runs from local midnight like the
// summaries; after a restart it resumes from its newest reading's count in
// today's summarized states.
//
// Thread safety: every method may be called from any thread. OnCommitted
// runs on the ingest writer thread and only queues the readings: the hub's
// own fan-out thread applies them and computes each watcher's update, so
// neither many watchers nor a slow snapshot ever delay ingest. Watchers
// receive updates through Watcher::Push, called with the hub's lock held,
// which must only queue.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "monipaikka/v1/live.pb.h"
#include "server/storage/storage.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka {

class LiveOccupancyHub {
 public:
  // Receives the updates of one watch.
  class Watcher {
   public:
    virtual ~Watcher() = default;
    // Queues an update; called with the hub's lock held: must not block or
    // call back into the hub.
    virtual void Push(v1::LiveOccupancyUpdate update) = 0;
    // The hub stops: finish the watch.
    virtual void Close() = 0;
    // Called about every Options::tick, with the hub's lock held: must not
    // block or call back into the hub. A watcher checks here what may end
    // it while no update comes (e.g. its caller's token being revoked).
    virtual void OnTick() {}
  };

  struct Options {
    // How often sensors going stale are looked for (and watchers ticked).
    absl::Duration tick = absl::Seconds(1);
  };

  LiveOccupancyHub(std::function<int64_t()> now_ms, Options options);
  ~LiveOccupancyHub();
  LiveOccupancyHub(const LiveOccupancyHub&) = delete;
  LiveOccupancyHub& operator=(const LiveOccupancyHub&) = delete;

  // Takes the inventory, the newest reading of each sensor and today's
  // people-counter counts (sensor id → count); starts the fan-out thread.
  // Readings queued by OnCommitted before Start are dropped (`newest` holds
  // them).
  void Start(std::shared_ptr<const OccupancyInventory> inventory,
             std::span<const LastReading> newest,
             const absl::flat_hash_map<int64_t, int32_t>& counts)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Closes every watch and stops the fan-out thread. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // A new inventory snapshot: every watcher gets a new snapshot.
  void SetInventory(std::shared_ptr<const OccupancyInventory> inventory)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Readings newly committed (any order): copies them into a queue and
  // returns; never waits for the hub's lock nor for a watcher. The fan-out
  // thread applies them soon after (Snapshot and Flush at once).
  void OnCommitted(std::span<const StoredReading> readings)
      ABSL_LOCKS_EXCLUDED(pending_mu_);
  // Applies the queued readings now, on the calling thread, pushing the
  // changes to the watchers (the fan-out thread does this otherwise).
  void Flush() ABSL_LOCKS_EXCLUDED(mu_);
  // Applies the queued readings, looks for states gone stale now and ticks
  // every watcher (the fan-out thread calls it each Options::tick; tests
  // may).
  void Tick() ABSL_LOCKS_EXCLUDED(mu_);

  // The state with every reading committed so far. NOT_FOUND for an unknown
  // site or space; INVALID_ARGUMENT without a site.
  absl::StatusOr<v1::LiveOccupancy> Snapshot(absl::string_view site,
                                             absl::string_view space)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Registers a watcher of a site (and space) and returns its first
  // (snapshot) update; the watcher is pushed what follows. The id unwatches.
  absl::StatusOr<std::pair<uint64_t, v1::LiveOccupancyUpdate>> Watch(
      absl::string_view site, absl::string_view space, Watcher* watcher)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Unwatch(uint64_t id) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct SensorState {
    int64_t last_ts_ms = 0;  // newest reading, 0 = never
    int64_t value = 0;       // its value (presence 0/1 or count)
    int64_t since_ms = 0;    // first reading of the current run of values
    int32_t count = 0;       // people counters: the running count
    int32_t count_date = 0;  // local date the count runs on
    // Its index in inventory_ (-1: unknown there); -2: not looked up yet.
    int32_t index = -2;
  };
  struct TargetState {
    v1::OccupancyState state = v1::OCCUPANCY_STATE_UNKNOWN;
    int64_t since_ms = 0;
    int64_t last_ms = 0;
    int32_t count = -1;
    friend bool operator==(const TargetState&, const TargetState&) = default;
  };
  using SpaceCounts = absl::flat_hash_map<int32_t, std::array<int32_t, 3>>;
  struct Subscription {
    Watcher* watcher;
    std::string site_code;
    std::string space_code;
    int32_t site;
    int32_t space;  // -1: whole site
    // Last sent counts of each space in scope.
    SpaceCounts space_counts;
  };

  absl::Status Resolve(absl::string_view site, absl::string_view space,
                       int32_t* site_index, int32_t* space_index) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Each site's local date at `now` (computed once per update, not per
  // target: time zone conversions are the costly part).
  std::vector<int32_t> Today(int64_t now) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  TargetState WorkstationState(int32_t w, int64_t now,
                               const std::vector<int32_t>& today) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  TargetState RoomState(int32_t space, int64_t now,
                        const std::vector<int32_t>& today) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  bool InScope(int32_t site, int32_t scope_space, int32_t space) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Free, occupied and unknown workstations of each space of a scope (and
  // of the whole scope).
  void Count(int32_t site, int32_t space, SpaceCounts* counts,
             std::array<int32_t, 3>* totals) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void FillWorkstation(int32_t w, v1::LiveWorkstation* out) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void FillRoom(int32_t r, v1::LiveRoom* out) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void FillSpaces(const SpaceCounts& counts, const SpaceCounts* unchanged,
                  v1::LiveOccupancy* out) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The full state of a scope; fills `counts` with each space's counts.
  v1::LiveOccupancy Build(int32_t site, int32_t space, int64_t now,
                          SpaceCounts* counts) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Returns the sensor's index in inventory_, or -1.
  int32_t ApplyReading(const StoredReading& reading)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Recomputes the given targets (or all), records changes and pushes them.
  void Publish(const std::vector<int32_t>* workstations,
               const std::vector<int32_t>* rooms, int64_t now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SendSnapshots(int64_t now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Applies what OnCommitted queued and pushes the changes.
  void ApplyPendingLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The fan-out thread: applies queued readings as they come, ticks.
  void RunFanOut();

  const std::function<int64_t()> now_ms_;
  const Options options_;
  std::thread fan_out_;

  // Readings committed and not yet applied. Taken after mu_ when both are
  // held; OnCommitted takes this one alone.
  absl::Mutex pending_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::vector<StoredReading> pending_ ABSL_GUARDED_BY(pending_mu_);
  bool fan_out_stopping_ ABSL_GUARDED_BY(pending_mu_) = false;

  mutable absl::Mutex mu_;
  std::shared_ptr<const OccupancyInventory> inventory_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<int64_t, SensorState> sensors_ ABSL_GUARDED_BY(mu_);
  std::vector<TargetState> workstations_ ABSL_GUARDED_BY(mu_);  // published
  std::vector<TargetState> rooms_ ABSL_GUARDED_BY(mu_);  // by space index
  absl::flat_hash_map<uint64_t, Subscription> watchers_ ABSL_GUARDED_BY(mu_);
  uint64_t next_watch_ ABSL_GUARDED_BY(mu_) = 1;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace monipaikka
