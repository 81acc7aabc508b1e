#pragma once

// Metrics in the Prometheus data model, read at scrape time from values the
// code keeps anyway (atomic counters, gauges computed on demand, atomic
// histograms), so instrumented code needs no Prometheus types and a new
// family of counters is wired with one call, e.g.
//
//   metrics->AddCounterFamily("monipaikka_x_total", "Xs by reason.", "reason",
//                             {{"bad", &counters.bad}, {"late",
//                             &counters.late}});
//
// Thread safety: Add*() and Collect() may be called from any thread. The
// values registered must outlive every Collect() (in practice: the set is
// scraped only while the owner of the values is alive).

#include <atomic>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/atomic_histogram.h"
#include "prometheus/collectable.h"
#include "prometheus/metric_family.h"

namespace monipaikka {

// Where a counter or gauge reads its value: an atomic of any arithmetic
// type, or a function.
class MetricValue {
 public:
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
  MetricValue(const std::atomic<T>* value)  // NOLINT: implicit on purpose
      : read_([value] {
          return static_cast<double>(value->load(std::memory_order_relaxed));
        }) {}
  MetricValue(std::function<double()> read)  // NOLINT
      : read_(std::move(read)) {}

  double Read() const { return read_(); }

 private:
  std::function<double()> read_;
};

class MetricSet final : public prometheus::Collectable {
 public:
  using Labelled = std::vector<std::pair<std::string, MetricValue>>;

  // Names and labels are checked against the Prometheus rules; an invalid
  // one is a programming error and crashes with a message.
  void AddCounter(std::string name, std::string help, MetricValue value);
  // One counter per label value, e.g. label "reason" = "unknown_sensor".
  void AddCounterFamily(std::string name, std::string help, std::string label,
                        Labelled values);
  void AddGauge(std::string name, std::string help, MetricValue value);
  void AddGaugeFamily(std::string name, std::string help, std::string label,
                      Labelled values);
  void AddHistogram(std::string name, std::string help,
                    const AtomicHistogram* histogram);
  // A family built at scrape time (e.g. from a snapshot with label values
  // known only then). `collect` must return a family named `name`.
  void AddFamily(std::string name,
                 std::function<prometheus::MetricFamily()> collect);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  void Add(const std::string& name,
           std::function<prometheus::MetricFamily()> collect);

  mutable absl::Mutex mu_;
  std::vector<std::function<prometheus::MetricFamily()>> families_
      ABSL_GUARDED_BY(mu_);
};

// The Prometheus text exposition format of `families`.
std::string PrometheusText(
    const std::vector<prometheus::MetricFamily>& families);

// Label values from enum-like names: "REJECT_REASON_UNKNOWN_SENSOR" with
// prefix "REJECT_REASON_" gives "unknown_sensor".
std::string LabelValueFromEnumName(absl::string_view name,
                                   absl::string_view prefix);

}  // namespace monipaikka
