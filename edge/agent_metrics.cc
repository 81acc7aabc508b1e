#include "edge/agent_metrics.h"

#include <string>
#include <utility>

namespace monipaikka::edge {
namespace {

prometheus::MetricFamily CounterByLabel(
    const std::string& name, const std::string& help, const std::string& label,
    const std::map<std::string, int64_t>& values, absl::string_view prefix) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = prometheus::MetricType::Counter;
  for (const auto& [key, value] : values) {
    prometheus::ClientMetric metric;
    metric.label.push_back({label, LabelValueFromEnumName(key, prefix)});
    metric.counter.value = static_cast<double>(value);
    family.metric.push_back(std::move(metric));
  }
  return family;
}

}  // namespace

AgentMetrics::AgentMetrics(MetricSet* metrics) {
  // Each value reads the latest snapshot.
  auto read = [this](auto field) {
    return MetricValue(
        [this, field] { return static_cast<double>(field(Read())); });
  };
  using S = const AgentMetricsSnapshot&;
  metrics->AddGauge("monipaikka_edge_outbox_readings",
                    "Readings (and health reports) queued in the outbox, not "
                    "yet acknowledged by the server.",
                    read([](S s) { return s.outbox_rows; }));
  metrics->AddGauge("monipaikka_edge_outbox_bytes",
                    "Bytes the outbox database and its write-ahead log take "
                    "on disk.",
                    read([](S s) { return s.outbox_bytes; }));
  metrics->AddGauge(
      "monipaikka_edge_outbox_oldest_age_seconds",
      "Age of the oldest reading waiting in the outbox (the one queued "
      "first, by its timestamp); 0 when the outbox is empty. Grows while the "
      "server is unreachable or refuses the batches.",
      read([](S s) { return s.outbox_oldest_age_s; }));
  metrics->AddCounterFamily(
      "monipaikka_edge_readings_received_total",
      "Readings appended to the outbox, by source: simulator, or inputs "
      "(MQTT and line protocol; health-only reports included).",
      "source",
      {{"simulator", read([](S s) { return s.simulated; })},
       {"inputs",
        read([](S s) { return s.inputs.readings + s.inputs.health_only; })}});
  metrics->AddCounter("monipaikka_edge_readings_dropped_outbox_full_total",
                      "Readings refused because the outbox had used up its "
                      "budget (--outbox_max_mb); the queued ones are kept.",
                      read([](S s) { return s.dropped_outbox_full; }));
  metrics->AddCounter("monipaikka_edge_readings_sent_total",
                      "Readings written to the server stream (resent ones "
                      "counted again).",
                      read([](S s) { return s.uplink.readings_sent; }));
  metrics->AddCounterFamily(
      "monipaikka_edge_readings_acked_total",
      "Readings the server acknowledged, by outcome.", "outcome",
      {{"accepted", read([](S s) { return s.uplink.accepted; })},
       {"duplicate", read([](S s) { return s.uplink.duplicates; })},
       {"rejected", read([](S s) { return s.uplink.rejected; })}});
  metrics->AddFamily("monipaikka_edge_readings_rejected_total", [this] {
    return CounterByLabel("monipaikka_edge_readings_rejected_total",
                          "Readings the server refused, by reason.", "reason",
                          Read().uplink.rejected_by_reason, "REJECT_REASON_");
  });
  metrics->AddCounter("monipaikka_edge_batches_sent_total",
                      "Batches written to the server stream.",
                      read([](S s) { return s.uplink.batches_sent; }));
  metrics->AddCounter("monipaikka_edge_batches_acked_total",
                      "Batches the server acknowledged.",
                      read([](S s) { return s.uplink.batches_acked; }));
  metrics->AddCounter("monipaikka_edge_reconnects_total",
                      "Server streams opened after the first one.",
                      read([](S s) { return s.uplink.reconnects; }));
  metrics->AddCounter("monipaikka_edge_input_messages_total",
                      "MQTT messages and protocol lines received.",
                      read([](S s) { return s.inputs.messages; }));
  metrics->AddFamily("monipaikka_edge_input_decode_errors_total", [this] {
    return CounterByLabel(
        "monipaikka_edge_input_decode_errors_total",
        "Input messages or uplinks that could not be used, by reason "
        "(malformed, missing_field, truncated_frame, unknown_payload, "
        "out_of_range, no_codec, wrong_kind, too_large, too_deep).",
        "reason", Read().inputs.problems, "");
  });
  metrics->AddCounter(
      "monipaikka_edge_input_problem_lines_suppressed_total",
      "Input problems not logged by the rate limit of input_problem lines.",
      read([](S s) { return s.inputs.problem_lines_suppressed; }));
  metrics->AddCounter(
      "monipaikka_edge_input_unknown_device_uplinks_total",
      "Uplinks of devices this gateway does not serve.",
      read([](S s) { return s.inputs.unknown_device_uplinks; }));
  metrics->AddCounter("monipaikka_edge_mqtt_connection_losses_total",
                      "Connections to the MQTT broker lost.",
                      read([](S s) { return s.mqtt.connection_losses; }));
}

void AgentMetrics::Publish(AgentMetricsSnapshot snapshot) {
  absl::MutexLock lock(&mu_);
  snapshot_ = std::move(snapshot);
}

AgentMetricsSnapshot AgentMetrics::Read() const {
  absl::MutexLock lock(&mu_);
  return snapshot_;
}

}  // namespace monipaikka::edge
