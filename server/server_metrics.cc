#include "server/server_metrics.h"

#include <malloc.h>
#include <sqlite3.h>

#include <functional>
#include <string>
#include <utility>

#include "monipaikka/v1/ingest.pb.h"

namespace monipaikka {

void AddIngestMetrics(const IngestCounters& counters, MetricSet* metrics) {
  metrics->AddCounter("monipaikka_readings_accepted_total",
                      "Readings newly stored.", &counters.accepted);
  MetricSet::Labelled rejected;
  for (int reason = 1; reason < static_cast<int>(counters.rejected.size());
       ++reason) {
    if (!v1::RejectReason_IsValid(reason)) continue;
    rejected.emplace_back(
        LabelValueFromEnumName(
            v1::RejectReason_Name(static_cast<v1::RejectReason>(reason)),
            "REJECT_REASON_"),
        &counters.rejected[reason]);
  }
  metrics->AddCounterFamily(
      "monipaikka_readings_rejected_total",
      "Readings refused, by reason (the RejectReason of the acknowledgement).",
      "reason", std::move(rejected));
  metrics->AddCounter(
      "monipaikka_readings_duplicate_total",
      "Readings already stored (same sensor and time or sequence number), "
      "ignored.",
      &counters.duplicates);
  metrics->AddCounter(
      "monipaikka_ingest_malformed_messages_total",
      "Stream messages that were no ReadingBatch protobuf (the stream ended "
      "with INVALID_ARGUMENT).",
      &counters.malformed_messages);
  metrics->AddCounter("monipaikka_batches_committed_total",
                      "Reading batches committed and acknowledged.",
                      &counters.batches);
  metrics->AddCounter("monipaikka_commits_total",
                      "Group commits of the ingest writer (each holds one or "
                      "more batches), failed ones included.",
                      &counters.commits);
  metrics->AddHistogram("monipaikka_commit_duration_seconds",
                        "Time of each group commit of the ingest writer.",
                        &counters.commit_seconds);
  metrics->AddGauge("monipaikka_ingest_streams",
                    "Ingest streams (gateways' StreamReadings calls) open now.",
                    &counters.open_streams);
  metrics->AddCounter("monipaikka_sensor_health_reports_accepted_total",
                      "Sensor health reports taken.",
                      &counters.health_accepted);
  metrics->AddCounterFamily(
      "monipaikka_storage_errors_total",
      "Writes to storage that failed, by operation: commit (of readings), "
      "sensor_health (flush of the sensor health table), probe.",
      "operation",
      {{"commit", &counters.commit_failures},
       {"sensor_health", &counters.health_flush_failures},
       {"probe", &counters.probe_failures}});
  metrics->AddHistogram(
      "monipaikka_writer_background_seconds",
      "Time each retention step (a chunk of deletions or a vacuum step) held "
      "the ingest writer; batches waited meanwhile.",
      &counters.background_seconds);
  metrics->AddGauge(
      "monipaikka_writer_background_max_seconds",
      "Longest a retention step held the ingest writer since "
      "start.",
      std::function<double()>([&counters] {
        return static_cast<double>(counters.background_max_micros.load()) / 1e6;
      }));
  metrics->AddFamily(
      "monipaikka_gateway_last_batch_timestamp_seconds", [&counters] {
        prometheus::MetricFamily family;
        family.name = "monipaikka_gateway_last_batch_timestamp_seconds";
        family.help =
            "When each gateway's last batch arrived (Unix seconds), since "
            "the server started: a building gone silent stops moving it.";
        family.type = prometheus::MetricType::Gauge;
        for (const auto& [gateway, ms] :
             counters.gateway_last_batches.Snapshot()) {
          prometheus::ClientMetric metric;
          metric.label.push_back({"gateway", gateway});
          metric.gauge.value = static_cast<double>(ms) / 1000;
          family.metric.push_back(std::move(metric));
        }
        return family;
      });
}

void AddImportMetrics(const ImportCounters& counters, MetricSet* metrics) {
  metrics->AddCounterFamily(
      "monipaikka_import_rows_refused_total",
      "Rows (CSV) and events (iCalendar) of file imports refused as bad "
      "input, by import; the good ones load.",
      "import",
      {{"bookings", &counters.bookings},
       {"observations", &counters.observations}});
}

void AddRetentionMetrics(const RetentionCounters& counters,
                         MetricSet* metrics) {
  metrics->AddCounter("monipaikka_retention_readings_deleted_total",
                      "Raw readings deleted past --raw_retention_days.",
                      &counters.readings_deleted);
  metrics->AddCounter(
      "monipaikka_retention_summary_days_deleted_total",
      "Sensor days and node days deleted past --summary_retention_days.",
      &counters.summary_days_deleted);
  metrics->AddCounter("monipaikka_retention_rounds_total",
                      "Retention rounds completed (one an hour).",
                      &counters.rounds);
  metrics->AddCounter("monipaikka_retention_failures_total",
                      "Retention steps that failed (retried a minute later).",
                      &counters.failures);
  metrics->AddCounter(
      "monipaikka_retention_busy_total",
      "Retention steps that found the write lock held by the summarizer and "
      "left their chunk for the next step instead of waiting.",
      &counters.busy);
  metrics->AddGauge(
      "monipaikka_retention_last_round_timestamp_seconds",
      "When the last retention round ended (Unix seconds); 0 before the "
      "first.",
      &counters.last_round_end_s);
  metrics->AddGauge(
      "monipaikka_raw_readings_horizon_timestamp_seconds",
      "Raw readings before this instant (Unix seconds) were deleted: the "
      "days before it cannot be recomputed from readings; 0 when none were.",
      std::function<double()>([&counters] {
        return static_cast<double>(counters.raw_horizon_ms.load()) / 1000;
      }));
}

void AddStorageHealthMetrics(const StorageHealth& health, MetricSet* metrics) {
  metrics->AddGauge("monipaikka_storage_healthy",
                    "1 when storage takes writes, 0 since a write failed "
                    "(until one succeeds again).",
                    &health.healthy_gauge());
}

void AddAuthMetrics(const AuthCounters& counters, MetricSet* metrics) {
  metrics->AddCounter("monipaikka_auth_allowed_total",
                      "Calls the access checks let through.",
                      &counters.allowed);
  MetricSet::Labelled refused;
  for (int i = 0; i < kAuthRefusalCount; ++i) {
    refused.emplace_back(
        std::string(AuthRefusalName(static_cast<AuthRefusal>(i))),
        &counters.refused[i]);
  }
  metrics->AddCounterFamily(
      "monipaikka_auth_refusals_total",
      "Calls refused by the access checks, by reason (UNAUTHENTICATED: "
      "missing, malformed, unknown, expired or revoked token; "
      "PERMISSION_DENIED: wrong role or gateway).",
      "reason", std::move(refused));
}

void AddQueryMetrics(const AtomicHistogram& query_seconds,
                     const QueryCounters& counters, MetricSet* metrics) {
  metrics->AddHistogram(
      "monipaikka_query_duration_seconds",
      "Time of each query and report call, from arrival to answer.",
      &query_seconds);
  metrics->AddCounterFamily(
      "monipaikka_queries_interrupted_total",
      "Queries interrupted (DEADLINE_EXCEEDED), by limit: max_query_seconds "
      "(--max_query_seconds) or call_deadline (the client's deadline).",
      "limit",
      {{"max_query_seconds", &counters.over_max_query_time},
       {"call_deadline", &counters.past_call_deadline}});
}

void AddMemoryMetrics(MetricSet* metrics) {
  metrics->AddGauge(
      "monipaikka_sqlite_memory_bytes",
      "Memory SQLite holds now (mostly the page caches of the connections).",
      std::function<double()>(
          [] { return static_cast<double>(sqlite3_memory_used()); }));
  metrics->AddGauge(
      "monipaikka_heap_in_use_bytes",
      "Heap memory in use now (malloc's arenas and mmapped blocks), SQLite's "
      "included.",
      std::function<double()>([] {
        const struct mallinfo2 info = mallinfo2();
        return static_cast<double>(info.uordblks + info.hblkhd);
      }));
  metrics->AddGauge("monipaikka_heap_free_bytes",
                    "Heap memory freed but kept by malloc for reuse.",
                    std::function<double()>([] {
                      return static_cast<double>(mallinfo2().fordblks);
                    }));
}

}  // namespace monipaikka
