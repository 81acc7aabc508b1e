#pragma once

// The single writer of readings. Streams hand it validated batches; its
// thread groups whatever has queued up into one transaction (group commit),
// and reports each batch's outcome only after that transaction committed, so
// an acknowledgement always means "durably stored".
//
// Thread safety: Submit() may be called from any thread. Completion callbacks
// run on the writer thread and must not block.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/atomic_histogram.h"
#include "monipaikka/v1/ingest.pb.h"
#include "server/ingest/gateway_streams.h"
#include "server/ingest/reading_validation.h"
#include "server/ingest/sequence_window.h"
#include "server/storage/storage.h"

namespace monipaikka {

// The outcome of one submitted batch.
struct BatchOutcome {
  // Not OK when the transaction failed: nothing of the batch was stored.
  absl::Status status;
  uint32_t accepted = 0;
  uint32_t duplicates = 0;
  // Readings refused by the writer (duplicate sequence numbers), with their
  // batch indexes.
  std::vector<v1::RejectedReading> rejected;
  // When the batch asked (ValidatedBatch::report_newest_of): the newest
  // ts_ms stored of those sensors before the batch's commit, 0 for none.
  std::optional<int64_t> gateway_newest_ts_ms;
};

// Totals since start, for operators.
struct IngestCounters {
  std::atomic<uint64_t> batches{0};
  // Messages on the ingest stream that were no ReadingBatch protobuf.
  std::atomic<uint64_t> malformed_messages{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> duplicates{0};
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> commit_failures{0};
  std::atomic<uint64_t> commit_micros_total{0};
  // Seconds each group commit took (successful or not).
  AtomicHistogram commit_seconds{AtomicHistogram::LatencySecondsBounds()};
  // Ingest streams open now.
  std::atomic<int64_t> open_streams{0};
  // Rejections by v1::RejectReason value.
  std::array<std::atomic<uint64_t>, 8> rejected{};
  // Sensor health reports taken, and writes of the health table.
  std::atomic<uint64_t> health_accepted{0};
  std::atomic<uint64_t> health_flushes{0};
  std::atomic<uint64_t> health_flush_failures{0};
  // Storage probes (see IngestWriterOptions::probe_interval) that failed.
  std::atomic<uint64_t> probe_failures{0};
  // Steps of background work (IngestWriterOptions::background), the seconds
  // each held the writer (ingest waited meanwhile), and the longest, in
  // microseconds.
  std::atomic<uint64_t> background_steps{0};
  AtomicHistogram background_seconds{AtomicHistogram::LatencySecondsBounds()};
  std::atomic<uint64_t> background_max_micros{0};
  // When each gateway's last batch was admitted.
  GatewayLastBatches gateway_last_batches;
};

struct IngestWriterOptions {
  // Most readings one transaction takes.
  size_t max_readings_per_commit = 50000;
  // On start, sequence numbers of readings this recent are remembered.
  int64_t sequence_warmup_ms = 6 * 3600 * 1000;
  // Sensor health (last seen, battery, signal) is kept in memory and written
  // to storage at most this often, and at Stop(). A crash loses at most this
  // much of it; last seen is rebuilt from the readings on start.
  std::chrono::milliseconds health_flush_interval{1000};
  // Called on the writer thread after each successful commit with the
  // readings it newly stored (duplicates left out), before the batches are
  // acknowledged. Must be quick and never block: live occupancy and the
  // summarizer's wake-up hang here.
  std::function<void(std::span<const StoredReading>)> on_committed;
  // When storage was not written for this long, the writer writes a probe
  // row (StorageSession::ProbeWrite), so that a failing disk is noticed, and
  // its recovery too, while no readings arrive. Zero: no probes.
  std::chrono::milliseconds probe_interval{5000};
  // Called on the writer thread with the outcome of every write to storage
  // (commits, sensor health flushes, probes). Must not block.
  std::function<void(const absl::Status&)> on_storage_outcome;
  // Work of the writer's own connection that is not ingest (retention's
  // chunked deletions): called on the writer thread once due, between group
  // commits (one step after a commit while batches keep coming, back to
  // back while none are queued), with the writer's session; returns how
  // long until the next step is due. Each step must hold storage for a few
  // milliseconds only: ingest waits for it. The first step is due at
  // Start(). Empty: none.
  std::function<absl::Duration(StorageSession&)> background;
};

class IngestWriter {
 public:
  using Done = std::function<void(BatchOutcome)>;

  IngestWriter(std::unique_ptr<StorageSession> session,
               IngestWriterOptions options, IngestCounters* counters);
  ~IngestWriter();
  IngestWriter(const IngestWriter&) = delete;
  IngestWriter& operator=(const IngestWriter&) = delete;

  // Loads recent sequence numbers and each sensor's newest reading, and
  // starts the thread.
  absl::Status Start(int64_t now_ms);
  // Queues a batch; `done` is called exactly once, on the writer thread.
  void Submit(ValidatedBatch batch, Done done) ABSL_LOCKS_EXCLUDED(mu_);
  // Commits what is queued, then stops the thread. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);
  // Readings queued and not yet committed.
  size_t QueuedReadings() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Pending {
    ValidatedBatch batch;
    Done done;
  };
  void Run();
  void CommitGroup(std::vector<Pending>& group);
  // Writer thread: `ts_ms` is stored for `sensor_id`.
  void NoteNewest(int64_t sensor_id, int64_t ts_ms);
  // Writer thread: folds a report into health_ and marks it for writing.
  void MergeHealth(const SensorHealthRecord& report);
  // Writer thread: writes the changed health records when the flush
  // interval has passed (or always, with `force`).
  void FlushHealth(bool force);
  // Writer thread: when the next flush or probe is due.
  std::chrono::steady_clock::time_point NextIdleWork() const;
  // Writer thread: writes a probe row when storage was idle long enough.
  void ProbeIfIdle();
  // Writer thread: notes a write's outcome and passes it on.
  void NoteStorageOutcome(const absl::Status& status);
  // Writer thread: runs a step of background work when one is due.
  void RunBackgroundIfDue();

  std::unique_ptr<StorageSession> session_;  // used by the writer thread only
  const IngestWriterOptions options_;
  IngestCounters* const counters_;
  SequenceWindow sequences_;  // writer thread only
  // Each sensor's newest stored reading (UTC ms), for the newest reading of
  // a gateway (BatchOutcome::gateway_newest_ts_ms). From the summaries'
  // newest readings and the recent readings at Start(), then kept up by
  // each commit. Writer thread only (and Start()).
  absl::flat_hash_map<int64_t, int64_t> newest_ms_by_sensor_;
  // Latest health per sensor id, and which records changed since the last
  // flush. Writer thread only (and Start()).
  absl::flat_hash_map<int64_t, SensorHealthRecord> health_;
  absl::flat_hash_set<int64_t> health_dirty_;
  std::chrono::steady_clock::time_point health_flushed_at_;
  // Writer thread only: the last write to storage (of any kind).
  std::chrono::steady_clock::time_point last_write_at_;
  // Writer thread only: when the next background step is due.
  std::chrono::steady_clock::time_point background_due_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_readings_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace monipaikka
