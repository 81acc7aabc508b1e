#include "common/build_info_metric.h"

#include <string>

#include "common/build_info.h"

namespace monipaikka {

void AddBuildInfoMetric(MetricSet* metrics) {
  metrics->AddFamily("monipaikka_build_info", [] {
    prometheus::MetricFamily family;
    family.name = "monipaikka_build_info";
    family.help =
        "Always 1; its labels name the version and the git commit this "
        "program was built from.";
    family.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric metric;
    metric.gauge.value = 1;
    metric.label.push_back({"version", std::string(BuildVersion())});
    metric.label.push_back({"commit", std::string(BuildCommit())});
    family.metric.push_back(std::move(metric));
    return family;
  });
}

}  // namespace monipaikka
