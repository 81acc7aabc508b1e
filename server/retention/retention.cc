#include "server/retention/retention.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/time_format.h"

namespace monipaikka {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// The time since `started`, on the steady clock.
absl::Duration Since(std::chrono::steady_clock::time_point started) {
  return absl::FromChrono(std::chrono::steady_clock::now() - started);
}

}  // namespace

int64_t RawDeleteBeforeMs(const RetentionPolicy& policy, int64_t now_ms,
                          std::optional<int64_t> oldest_unsummarized_ms) {
  const int64_t window_start = now_ms - int64_t{policy.raw_days} * kDayMs -
                               absl::ToInt64Milliseconds(policy.lookback);
  int64_t before = FloorDiv(window_start, kHourMs) * kHourMs;
  if (oldest_unsummarized_ms.has_value()) {
    before = std::min(before, *oldest_unsummarized_ms);
  }
  return before;
}

int32_t SummaryDeleteBeforeDate(const RetentionPolicy& policy, int64_t now_ms) {
  return static_cast<int32_t>(FloorDiv(now_ms, kDayMs) - policy.summary_days -
                              1);
}

Retention::Retention(RetentionOptions options, std::function<int64_t()> now_ms,
                     RetentionCounters* counters)
    : options_(options),
      now_ms_(std::move(now_ms)),
      counters_(counters),
      raw_rows_(1, options.chunk_rows, options.first_chunk_rows,
                options.step_budget),
      summary_rows_(1, options.chunk_rows, options.first_chunk_rows,
                    options.step_budget),
      vacuum_pages_(1, options.vacuum_pages, options.first_vacuum_pages,
                    options.step_budget) {}

absl::Duration Retention::Step(StorageSession& session) {
  absl::Duration next = options_.pause;
  absl::Status status = StepPhase(session, &next);
  if (!status.ok()) {
    counters_->failures.fetch_add(1, std::memory_order_relaxed);
    Log(LogLevel::kError, "retention_failed",
        {{"error", std::string(status.message())},
         {"retry_s", absl::ToInt64Seconds(options_.retry)}});
    phase_ = Phase::kIdle;
    return options_.retry;
  }
  return next;
}

absl::Status Retention::StepPhase(StorageSession& session,
                                  absl::Duration* next) {
  RetentionStorage& storage = session.Retention();
  switch (phase_) {
    case Phase::kIdle: {
      const int64_t now_ms = now_ms_();
      ASSIGN_OR_RETURN(std::optional<int64_t> unsummarized,
                       storage.OldestUnsummarizedMs());
      raw_before_ms_ = RawDeleteBeforeMs(options_.policy, now_ms, unsummarized);
      summary_before_date_ = SummaryDeleteBeforeDate(options_.policy, now_ms);
      node_cursor_ = 0;
      round_readings_ = 0;
      round_summary_days_ = 0;
      phase_ = Phase::kRaw;
      [[fallthrough]];
    }
    case Phase::kRaw: {
      const int asked = raw_rows_.next();
      const auto started = std::chrono::steady_clock::now();
      ASSIGN_OR_RETURN(RetentionChunk chunk,
                       storage.DeleteReadingsBefore(raw_before_ms_, asked));
      const absl::Duration took = Since(started);
      if (chunk.busy) {
        counters_->busy.fetch_add(1, std::memory_order_relaxed);
        return absl::OkStatus();
      }
      raw_rows_.Observe(asked, chunk.deleted, took);
      counters_->chunks.fetch_add(1, std::memory_order_relaxed);
      counters_->readings_deleted.fetch_add(
          static_cast<uint64_t>(chunk.deleted), std::memory_order_relaxed);
      round_readings_ += chunk.deleted;
      if (chunk.deleted > 0 || counters_->raw_horizon_ms.load() == 0) {
        ASSIGN_OR_RETURN(int64_t horizon, storage.RawReadingsHorizonMs());
        counters_->raw_horizon_ms.store(horizon, std::memory_order_relaxed);
      }
      if (!chunk.more) phase_ = Phase::kSummaries;
      return absl::OkStatus();
    }
    case Phase::kSummaries: {
      const int asked = summary_rows_.next();
      const auto started = std::chrono::steady_clock::now();
      ASSIGN_OR_RETURN(RetentionChunk chunk,
                       storage.DeleteSummariesBefore(summary_before_date_,
                                                     asked, &node_cursor_));
      const absl::Duration took = Since(started);
      if (chunk.busy) {
        counters_->busy.fetch_add(1, std::memory_order_relaxed);
        return absl::OkStatus();
      }
      summary_rows_.Observe(asked, chunk.deleted, took);
      counters_->chunks.fetch_add(1, std::memory_order_relaxed);
      counters_->summary_days_deleted.fetch_add(
          static_cast<uint64_t>(chunk.deleted), std::memory_order_relaxed);
      round_summary_days_ += chunk.deleted;
      if (!chunk.more) phase_ = Phase::kVacuum;
      return absl::OkStatus();
    }
    case Phase::kVacuum: {
      const int asked = vacuum_pages_.next();
      const auto started = std::chrono::steady_clock::now();
      ASSIGN_OR_RETURN(VacuumStep vacuum, storage.IncrementalVacuum(asked));
      const absl::Duration took = Since(started);
      if (vacuum.busy) {
        counters_->busy.fetch_add(1, std::memory_order_relaxed);
        return absl::OkStatus();
      }
      const int64_t free_pages = vacuum.free_pages;
      // Pages left free: the step returned as many as it was asked for.
      vacuum_pages_.Observe(asked, free_pages > 0 ? asked : 0, took);
      counters_->free_pages.store(free_pages, std::memory_order_relaxed);
      ASSIGN_OR_RETURN(int mode, storage.AutoVacuumMode());
      if (mode == 2 && free_pages > 0) return absl::OkStatus();
      // The round is done.
      phase_ = Phase::kIdle;
      counters_->rounds.fetch_add(1, std::memory_order_relaxed);
      counters_->last_round_end_s.store(now_ms_() / 1000,
                                        std::memory_order_relaxed);
      if (round_readings_ > 0 || round_summary_days_ > 0) {
        Log(LogLevel::kInfo, "retention_round",
            {{"readings_deleted", round_readings_},
             {"readings_before", FormatInstantMs(raw_before_ms_)},
             {"summary_days_deleted", round_summary_days_},
             {"free_pages", free_pages}});
      }
      *next = options_.interval;
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
