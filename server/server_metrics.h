#pragma once

// The server's metrics (docs/operations.md lists them), read at scrape time
// from the counters the server keeps anyway.

#include "common/atomic_histogram.h"
#include "common/metric_set.h"
#include "server/auth/access_control.h"
#include "server/ingest/ingest_writer.h"
#include "server/retention/retention.h"
#include "server/service/query_executor.h"
#include "server/service/report_deps.h"
#include "server/storage_health.h"

namespace monipaikka {

// Readings accepted, rejected by reason, duplicates, batches, open streams,
// commit latency, storage errors, the writer's background steps, the last
// batch of each gateway.
void AddIngestMetrics(const IngestCounters& counters, MetricSet* metrics);
// monipaikka_storage_healthy.
void AddStorageHealthMetrics(const StorageHealth& health, MetricSet* metrics);
// Calls allowed and refused (by reason) by the access checks.
void AddAuthMetrics(const AuthCounters& counters, MetricSet* metrics);
// Latency of the unary (query and report) calls, and the queries interrupted
// by --max_query_seconds or by their call's deadline.
void AddQueryMetrics(const AtomicHistogram& query_seconds,
                     const QueryCounters& counters, MetricSet* metrics);

// Rows and events of file imports refused as bad input, by import.
void AddImportMetrics(const ImportCounters& counters, MetricSet* metrics);

// What retention deleted, its failures, the raw readings' horizon.
void AddRetentionMetrics(const RetentionCounters& counters, MetricSet* metrics);

// Where the process's memory goes: SQLite's (page caches of every
// connection, bounded by --sqlite_cache_mb each) and the heap's (in use, and
// freed but kept by malloc for reuse).
void AddMemoryMetrics(MetricSet* metrics);

}  // namespace monipaikka
