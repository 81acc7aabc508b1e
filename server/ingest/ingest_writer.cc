#include "server/ingest/ingest_writer.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/sqlite_status.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/ingest/health_validation.h"

namespace monipaikka {

IngestWriter::IngestWriter(std::unique_ptr<StorageSession> session,
                           IngestWriterOptions options,
                           IngestCounters* counters)
    : session_(std::move(session)), options_(options), counters_(counters) {}

IngestWriter::~IngestWriter() { Stop(); }

absl::Status IngestWriter::Start(int64_t now_ms) {
  RETURN_IF_ERROR(session_->SensorHealth().ScanSensorHealth(
      [this](const SensorHealthRecord& record) {
        health_[record.sensor_id] = record;
      }));
  // Each sensor's newest reading: the summarizer's newest readings cover
  // the summarized hours; the readings of the hours not yet summarized
  // (dirty) are read here.
  AnalyticsStorage& analytics = session_->Analytics();
  RETURN_IF_ERROR(analytics.ScanLastReadings([this](const LastReading& last) {
    NoteNewest(last.sensor_id, last.ts_ms);
  }));
  ASSIGN_OR_RETURN(const std::vector<DirtyHour> dirty,
                   analytics.ListDirtyHours());
  constexpr int64_t kHourMs = 3600 * 1000;
  for (const DirtyHour& hour : dirty) {
    RETURN_IF_ERROR(analytics.ScanAllReadings(
        hour.hour * kHourMs, (hour.hour + 1) * kHourMs,
        [this](const StoredReading& r) { NoteNewest(r.sensor_id, r.ts_ms); }));
  }
  RETURN_IF_ERROR(session_->ScanRecentReadings(
      now_ms - options_.sequence_warmup_ms, [this](const StoredReading& r) {
        sequences_.Remember(r.sensor_id, r.seq, r.ts_ms);
        NoteNewest(r.sensor_id, r.ts_ms);
        // Readings committed after the last health flush before a crash.
        SensorHealthRecord seen;
        seen.sensor_id = r.sensor_id;
        seen.last_seen_ms = r.ts_ms;
        MergeHealth(seen);
      }));
  health_flushed_at_ = std::chrono::steady_clock::now();
  last_write_at_ = health_flushed_at_;
  background_due_ = options_.background
                        ? health_flushed_at_
                        : std::chrono::steady_clock::time_point::max();
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void IngestWriter::Submit(ValidatedBatch batch, Done done) {
  absl::MutexLock lock(&mu_);
  queued_readings_ += batch.readings.size();
  queue_.push_back(Pending{std::move(batch), std::move(done)});
}

void IngestWriter::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

size_t IngestWriter::QueuedReadings() const {
  absl::MutexLock lock(&mu_);
  return queued_readings_;
}

std::chrono::steady_clock::time_point IngestWriter::NextIdleWork() const {
  auto next = std::chrono::steady_clock::time_point::max();
  if (options_.probe_interval.count() > 0) {
    next = last_write_at_ + options_.probe_interval;
  }
  if (!health_dirty_.empty()) {
    next = std::min(next, health_flushed_at_ + options_.health_flush_interval);
  }
  return std::min(next, background_due_);
}

void IngestWriter::Run() {
  std::vector<Pending> group;
  while (true) {
    bool drained = false;
    bool idle = false;
    {
      absl::MutexLock lock(&mu_);
      const absl::Condition work(
          +[](IngestWriter* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
            return w->stopping_ || !w->queue_.empty();
          },
          this);
      // Wake up in time to write pending health changes or a probe.
      const auto next = NextIdleWork();
      if (next == std::chrono::steady_clock::time_point::max()) {
        mu_.Await(work);
      } else {
        const auto wait = std::max(std::chrono::steady_clock::duration::zero(),
                                   next - std::chrono::steady_clock::now());
        idle = !mu_.AwaitWithTimeout(work, absl::FromChrono(wait));
      }
      if (!idle) {
        drained = queue_.empty();  // stopping and nothing left
        size_t readings = 0;
        while (
            !queue_.empty() &&
            (group.empty() || readings + queue_.front().batch.readings.size() <=
                                  options_.max_readings_per_commit)) {
          readings += queue_.front().batch.readings.size();
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
        queued_readings_ -= readings;
      }
    }
    if (drained) {
      FlushHealth(/*force=*/true);
      return;
    }
    if (idle) {
      FlushHealth(/*force=*/false);
      ProbeIfIdle();
      RunBackgroundIfDue();
      continue;
    }
    CommitGroup(group);
    group.clear();
    // Under a steady stream of batches the writer is never idle: one step
    // after each commit keeps the background work going.
    RunBackgroundIfDue();
  }
}

void IngestWriter::RunBackgroundIfDue() {
  const auto started = std::chrono::steady_clock::now();
  if (!options_.background || started < background_due_) return;
  const absl::Duration delay = options_.background(*session_);
  const auto ended = std::chrono::steady_clock::now();
  const uint64_t micros = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(ended - started)
          .count());
  counters_->background_steps.fetch_add(1, std::memory_order_relaxed);
  counters_->background_seconds.Observe(static_cast<double>(micros) / 1e6);
  uint64_t longest = counters_->background_max_micros.load();
  while (micros > longest &&
         !counters_->background_max_micros.compare_exchange_weak(longest,
                                                                 micros)) {
  }
  background_due_ = delay >= absl::Hours(24 * 365)
                        ? std::chrono::steady_clock::time_point::max()
                        : ended + absl::ToChronoNanoseconds(
                                      std::max(delay, absl::ZeroDuration()));
}

void IngestWriter::ProbeIfIdle() {
  if (options_.probe_interval.count() <= 0 ||
      std::chrono::steady_clock::now() - last_write_at_ <
          options_.probe_interval) {
    return;
  }
  absl::Status status = session_->ProbeWrite(absl::ToUnixMillis(absl::Now()));
  if (!status.ok()) {
    counters_->probe_failures.fetch_add(1, std::memory_order_relaxed);
  }
  NoteStorageOutcome(status);
}

void IngestWriter::NoteStorageOutcome(const absl::Status& status) {
  last_write_at_ = std::chrono::steady_clock::now();
  if (options_.on_storage_outcome) options_.on_storage_outcome(status);
}

void IngestWriter::NoteNewest(int64_t sensor_id, int64_t ts_ms) {
  auto [it, inserted] = newest_ms_by_sensor_.try_emplace(sensor_id, ts_ms);
  if (!inserted && it->second < ts_ms) it->second = ts_ms;
}

void IngestWriter::CommitGroup(std::vector<Pending>& group) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<BatchOutcome> outcomes(group.size());
  // What the server held before this commit.
  for (size_t g = 0; g < group.size(); ++g) {
    if (!group[g].batch.report_newest_of.has_value()) continue;
    int64_t newest = 0;
    for (int64_t sensor_id : *group[g].batch.report_newest_of) {
      auto it = newest_ms_by_sensor_.find(sensor_id);
      if (it != newest_ms_by_sensor_.end()) {
        newest = std::max(newest, it->second);
      }
    }
    outcomes[g].gateway_newest_ts_ms = newest;
  }
  std::vector<StoredReading> rows;
  // For each row: which group member and which position in its batch.
  std::vector<std::pair<uint32_t, uint32_t>> origin;
  for (size_t g = 0; g < group.size(); ++g) {
    const ValidatedBatch& batch = group[g].batch;
    for (size_t i = 0; i < batch.readings.size(); ++i) {
      const StoredReading& reading = batch.readings[i];
      std::optional<int64_t> seen =
          sequences_.Find(reading.sensor_id, reading.seq);
      if (seen.has_value() && *seen != reading.ts_ms) {
        v1::RejectedReading& rejected = outcomes[g].rejected.emplace_back();
        rejected.set_index(batch.indexes[i]);
        rejected.set_reason(v1::REJECT_REASON_DUPLICATE_SEQUENCE);
        rejected.set_message(absl::StrCat(
            "seq: ", reading.seq, " was already stored with ts ",
            FormatInstantMs(*seen), ", not ", FormatInstantMs(reading.ts_ms)));
        continue;
      }
      sequences_.Remember(reading.sensor_id, reading.seq, reading.ts_ms);
      rows.push_back(reading);
      origin.emplace_back(static_cast<uint32_t>(g), static_cast<uint32_t>(i));
    }
  }
  std::vector<InsertOutcome> inserted;
  absl::Status status = absl::OkStatus();
  if (!rows.empty()) status = session_->InsertReadings(rows, &inserted);
  const uint64_t micros = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started)
          .count());
  counters_->commits.fetch_add(1, std::memory_order_relaxed);
  counters_->commit_micros_total.fetch_add(micros, std::memory_order_relaxed);
  counters_->commit_seconds.Observe(static_cast<double>(micros) / 1e6);
  if (!rows.empty()) NoteStorageOutcome(status);
  if (!status.ok()) {
    counters_->commit_failures.fetch_add(1, std::memory_order_relaxed);
    // Nothing of the group was stored and nothing is acknowledged: the
    // senders keep the batches and send them again.
    if (IsStorageFull(status)) {
      status = absl::ResourceExhaustedError(absl::StrCat(
          "storage full: the batch was not stored, send it again once space "
          "is freed (",
          status.message(), ")"));
    } else {
      status = absl::Status(status.code(),
                            absl::StrCat("storage error: the batch was not "
                                         "stored (",
                                         status.message(), ")"));
    }
    for (size_t g = 0; g < group.size(); ++g) {
      BatchOutcome failed;
      failed.status = status;
      group[g].done(std::move(failed));
    }
    return;
  }
  for (const StoredReading& row : rows) {
    NoteNewest(row.sensor_id, row.ts_ms);
    SensorHealthRecord seen;
    seen.sensor_id = row.sensor_id;
    seen.last_seen_ms = row.ts_ms;
    MergeHealth(seen);
  }
  for (const Pending& pending : group) {
    for (const SensorHealthRecord& report : pending.batch.health) {
      MergeHealth(report);
    }
  }
  FlushHealth(/*force=*/false);
  if (options_.on_committed) {
    std::vector<StoredReading> stored;
    stored.reserve(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      if (inserted[r] == InsertOutcome::kInserted) stored.push_back(rows[r]);
    }
    if (!stored.empty()) options_.on_committed(stored);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    BatchOutcome& outcome = outcomes[origin[r].first];
    if (inserted[r] == InsertOutcome::kInserted) {
      ++outcome.accepted;
    } else {
      ++outcome.duplicates;
    }
  }
  for (size_t g = 0; g < group.size(); ++g) {
    BatchOutcome& outcome = outcomes[g];
    counters_->batches.fetch_add(1, std::memory_order_relaxed);
    counters_->accepted.fetch_add(outcome.accepted, std::memory_order_relaxed);
    counters_->duplicates.fetch_add(outcome.duplicates,
                                    std::memory_order_relaxed);
    for (const v1::RejectedReading& rejected : outcome.rejected) {
      counters_->rejected[rejected.reason() % 8].fetch_add(
          1, std::memory_order_relaxed);
    }
    group[g].done(std::move(outcome));
  }
}

void IngestWriter::MergeHealth(const SensorHealthRecord& report) {
  auto [it, inserted] = health_.try_emplace(report.sensor_id);
  if (inserted) it->second.sensor_id = report.sensor_id;
  if (MergeSensorHealth(report, &it->second)) {
    health_dirty_.insert(report.sensor_id);
  }
}

void IngestWriter::FlushHealth(bool force) {
  if (health_dirty_.empty()) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - health_flushed_at_ < options_.health_flush_interval) {
    return;
  }
  std::vector<SensorHealthRecord> records;
  records.reserve(health_dirty_.size());
  for (int64_t sensor_id : health_dirty_) records.push_back(health_[sensor_id]);
  health_flushed_at_ = now;
  counters_->health_flushes.fetch_add(1, std::memory_order_relaxed);
  absl::Status written = session_->SensorHealth().UpsertSensorHealth(records);
  NoteStorageOutcome(written);
  if (!written.ok()) {
    // Kept dirty: the next flush tries again.
    counters_->health_flush_failures.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  health_dirty_.clear();
}

}  // namespace monipaikka
