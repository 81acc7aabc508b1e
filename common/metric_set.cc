#include "common/metric_set.h"

#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/check.h"
#include "prometheus/check_names.h"
#include "prometheus/text_serializer.h"

namespace monipaikka {
namespace {

void CheckName(const std::string& name, bool label) {
  const bool valid = label ? prometheus::CheckLabelName(name)
                           : prometheus::CheckMetricName(name);
  MONIPAIKKA_CHECK(
      valid, absl::StrCat("MetricSet: invalid ", label ? "label" : "metric",
                          " name \"", name, "\""));
}

prometheus::MetricFamily Family(const std::string& name,
                                const std::string& help,
                                prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  return family;
}

prometheus::ClientMetric Sample(prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return metric;
}

std::function<prometheus::MetricFamily()> Single(std::string name,
                                                 std::string help,
                                                 prometheus::MetricType type,
                                                 MetricValue value) {
  return [name = std::move(name), help = std::move(help), type,
          value = std::move(value)] {
    prometheus::MetricFamily family = Family(name, help, type);
    family.metric.push_back(Sample(type, value.Read()));
    return family;
  };
}

std::function<prometheus::MetricFamily()> ByLabel(std::string name,
                                                  std::string help,
                                                  prometheus::MetricType type,
                                                  std::string label,
                                                  MetricSet::Labelled values) {
  CheckName(label, /*label=*/true);
  return [name = std::move(name), help = std::move(help), type,
          label = std::move(label), values = std::move(values)] {
    prometheus::MetricFamily family = Family(name, help, type);
    for (const auto& [label_value, value] : values) {
      prometheus::ClientMetric metric = Sample(type, value.Read());
      metric.label.push_back({label, label_value});
      family.metric.push_back(std::move(metric));
    }
    return family;
  };
}

}  // namespace

void MetricSet::Add(const std::string& name,
                    std::function<prometheus::MetricFamily()> collect) {
  CheckName(name, /*label=*/false);
  absl::MutexLock lock(&mu_);
  families_.push_back(std::move(collect));
}

void MetricSet::AddCounter(std::string name, std::string help,
                           MetricValue value) {
  Add(name, Single(name, std::move(help), prometheus::MetricType::Counter,
                   std::move(value)));
}

void MetricSet::AddCounterFamily(std::string name, std::string help,
                                 std::string label, Labelled values) {
  Add(name, ByLabel(name, std::move(help), prometheus::MetricType::Counter,
                    std::move(label), std::move(values)));
}

void MetricSet::AddGauge(std::string name, std::string help,
                         MetricValue value) {
  Add(name, Single(name, std::move(help), prometheus::MetricType::Gauge,
                   std::move(value)));
}

void MetricSet::AddGaugeFamily(std::string name, std::string help,
                               std::string label, Labelled values) {
  Add(name, ByLabel(name, std::move(help), prometheus::MetricType::Gauge,
                    std::move(label), std::move(values)));
}

void MetricSet::AddHistogram(std::string name, std::string help,
                             const AtomicHistogram* histogram) {
  Add(name, [name, help = std::move(help), histogram] {
    prometheus::MetricFamily family =
        Family(name, help, prometheus::MetricType::Histogram);
    const HistogramSnapshot snapshot = histogram->Read();
    prometheus::ClientMetric metric;
    metric.histogram.sample_count = snapshot.cumulative_counts.back();
    metric.histogram.sample_sum = snapshot.sum;
    for (size_t i = 0; i < snapshot.cumulative_counts.size(); ++i) {
      prometheus::ClientMetric::Bucket bucket;
      bucket.cumulative_count = snapshot.cumulative_counts[i];
      bucket.upper_bound = i < snapshot.upper_bounds.size()
                               ? snapshot.upper_bounds[i]
                               : std::numeric_limits<double>::infinity();
      metric.histogram.bucket.push_back(bucket);
    }
    family.metric.push_back(std::move(metric));
    return family;
  });
}

void MetricSet::AddFamily(std::string name,
                          std::function<prometheus::MetricFamily()> collect) {
  Add(name, std::move(collect));
}

std::vector<prometheus::MetricFamily> MetricSet::Collect() const {
  std::vector<std::function<prometheus::MetricFamily()>> families;
  {
    absl::MutexLock lock(&mu_);
    families = families_;
  }
  std::vector<prometheus::MetricFamily> collected;
  collected.reserve(families.size());
  for (const auto& collect : families) collected.push_back(collect());
  return collected;
}

std::string PrometheusText(
    const std::vector<prometheus::MetricFamily>& families) {
  return prometheus::TextSerializer().Serialize(families);
}

std::string LabelValueFromEnumName(absl::string_view name,
                                   absl::string_view prefix) {
  absl::ConsumePrefix(&name, prefix);
  return absl::AsciiStrToLower(name);
}

}  // namespace monipaikka
