#pragma once

// The edge agent's metrics (docs/operations.md lists them). The agent's
// counters live on its event loop; the loop publishes a snapshot of them
// every second, which scrapes read on the metrics endpoint's thread.
//
// Thread safety: Publish() and the registered families may run on any
// thread.

#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/metric_set.h"
#include "edge/input_pipeline.h"
#include "edge/mqtt_client.h"
#include "edge/uplink.h"

namespace monipaikka::edge {

struct AgentMetricsSnapshot {
  // Readings the simulator appended to the outbox.
  int64_t simulated = 0;
  UplinkCounters uplink;
  InputCounters inputs;
  MqttCounters mqtt;
  // Rows queued in the outbox, and the bytes its files take on disk.
  int64_t outbox_rows = 0;
  int64_t outbox_bytes = 0;
  // Age of the reading queued first of those still queued, seconds (0 when
  // none is queued).
  double outbox_oldest_age_s = 0;
  // Readings refused because the outbox had used up --outbox_max_mb.
  int64_t dropped_outbox_full = 0;
};

class AgentMetrics {
 public:
  // Registers the agent's families in `metrics`; they read this object,
  // which must outlive every scrape of `metrics`.
  explicit AgentMetrics(MetricSet* metrics);
  AgentMetrics(const AgentMetrics&) = delete;
  AgentMetrics& operator=(const AgentMetrics&) = delete;

  void Publish(AgentMetricsSnapshot snapshot) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  AgentMetricsSnapshot Read() const ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  AgentMetricsSnapshot snapshot_ ABSL_GUARDED_BY(mu_);
};

}  // namespace monipaikka::edge
