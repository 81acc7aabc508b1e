#pragma once

// Keeps the derived occupancy data up to date: sensor days (each sensor's
// known states per local date) and node days (the daily figures of the
// lattice: portfolio, sites, spaces, organizations, kinds, site×org,
// site×kind). Reports read these instead of raw readings.
//
// How it stays correct:
// - InsertReadings marks the UTC hours of new readings in the same
//   transaction (AnalyticsStorage dirty hours), so nothing acknowledged can
//   be missed, not even across a crash.
// - A pass recomputes, for every marked hour, the local dates its readings
//   can touch (the hour and the following stale_after), from the hour's
//   start on: late and out-of-order readings correct days summarized
//   before. States before the hour are kept (a reading only affects what
//   comes after it); a people counter's running count is carried across.
// - Marks are cleared only at the generation the pass saw, so readings
//   committed during a pass are summarized by the next one.
// - Node days are tied to a fingerprint of the inventory and the settings;
//   when it changes (an inventory import that moves, adds or rebinds
//   something), every date is recomputed from the sensor days. A change of
//   a stale_after recomputes the sensor days from the readings.
// - Once retention deleted raw readings (RetentionStorage horizon), the
//   dates before FirstRecomputableDate cannot be recomputed from readings:
//   a stale_after change keeps their sensor days as they are, an inventory
//   change rebuilds their node days from those sensor days, and both say so
//   in a warning naming the dates (summaries_not_recomputed).
//
// Memory: a pass holds a few slices of readings at a time (SummarySlicing)
// and the states of one date; after a pass the thread returns the heap's
// free pages to the system (malloc_trim), so that the server's resident
// memory follows what is in use rather than the largest pass so far.
//
// Thread safety: Summarizer's methods may be called from any thread; the
// pass runs on its own thread, at a lower CPU priority than ingest, with
// its own storage session.

#include <cstdint>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/storage/storage.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka {

struct SummaryPassStats {
  int32_t dates = 0;
  int64_t readings_scanned = 0;
  int64_t sensor_days_written = 0;
  int64_t node_days_written = 0;
  bool lattice_rebuilt = false;
  // Time slices the readings were taken in, and the most readings held at
  // once (see SummarySlicing).
  int64_t slices = 0;
  int64_t max_slice_readings = 0;
};

// How many readings a pass holds in memory at once. A pass recomputes a
// day's states from a cut on; it takes the readings after the cut in time
// slices, each sized from the rate of the readings before it (those of the
// slice before, or for the first slice those of the lookback before the
// cut) to hold about `readings_per_slice` readings (16 bytes each), so that
// its memory stays small and fixed whatever the reading rate or the
// backlog. The slices give exactly the states of one pass over all
// readings.
struct SummarySlicing {
  int64_t readings_per_slice = 256 * 1024;
  // The first slice when the lookback had no readings.
  absl::Duration first_slice = absl::Seconds(10);
  absl::Duration max_slice = absl::Hours(1);
};

// One pass over everything not yet summarized, in the calling thread (the
// Summarizer's thread, or tests and tools). `inventory` must be current.
absl::Status SummarizePending(StorageSession& session,
                              const OccupancyInventory& inventory,
                              SummaryPassStats* stats = nullptr,
                              const SummarySlicing& slicing = {});

// The first site-local date (days since 1970-01-01) whose sensor days can
// be recomputed from the raw readings when those before `horizon_ms` (UTC
// ms) were deleted by retention: a date's states depend on the readings
// from `lookback_ms` (the longest stale_after) before its start, and a
// site-local date starts up to 14 hours before its UTC date. The smallest
// date when horizon_ms is 0 (nothing deleted).
int32_t FirstRecomputableDate(int64_t horizon_ms, int64_t lookback_ms);

// Whether the node days are those of `inventory` (false while a rebuild is
// pending or running).
absl::StatusOr<bool> LatticeIsCurrent(StorageSession& session,
                                      const OccupancyInventory& inventory);

class Summarizer {
 public:
  struct Options {
    // A pass starts once no commit came for `quiet`, or `max_delay` after
    // the first commit it is to summarize, whichever is first (or at once
    // when a report asks): ingest comes first, and a stream of commits is
    // summarized in few, large passes.
    absl::Duration quiet = absl::Seconds(1);
    absl::Duration max_delay = absl::Seconds(30);
    // Wait after a failed pass.
    absl::Duration retry = absl::Seconds(5);
    // CPU niceness of the thread (ingest comes first).
    int nice = 10;
  };

  // `storage` and `inventory` must outlive the summarizer.
  Summarizer(Storage* storage, const OccupancyInventoryHolder* inventory,
             Options options);
  ~Summarizer();
  Summarizer(const Summarizer&) = delete;
  Summarizer& operator=(const Summarizer&) = delete;

  // Opens the session and starts the thread; a first pass follows at once.
  absl::Status Start();
  // Finishes a running pass and stops. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Readings were committed: a pass follows (see Options). Cheap.
  void NoteCommitted() ABSL_LOCKS_EXCLUDED(mu_);
  // The inventory holder has a new snapshot.
  void NoteInventoryChanged() ABSL_LOCKS_EXCLUDED(mu_);
  // Asks for a pass now and waits until everything committed before the
  // call, and the inventory current at the call, are summarized. False when
  // `timeout` passed first (or passes fail).
  bool AwaitCurrent(absl::Duration timeout) ABSL_LOCKS_EXCLUDED(mu_);

  struct Counters {
    uint64_t passes = 0;
    uint64_t failures = 0;
    SummaryPassStats last;
    absl::Duration last_duration;
  };
  Counters counters() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run();
  bool Pending() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return noted_ > done_ || inventory_noted_ > inventory_done_;
  }

  Storage* const storage_;
  const OccupancyInventoryHolder* const inventory_;
  const Options options_;
  std::unique_ptr<StorageSession> session_;  // the thread's
  std::thread thread_;

  mutable absl::Mutex mu_;
  uint64_t noted_ ABSL_GUARDED_BY(mu_) = 1;  // 1: a first pass at start
  uint64_t done_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t inventory_noted_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t inventory_done_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time first_pending_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_commit_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool urgent_ ABSL_GUARDED_BY(mu_) = true;
  // Set when work arrives while the thread sleeps without a deadline for
  // it: the thread recomputes how long to wait.
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Counters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace monipaikka
