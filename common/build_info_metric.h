#pragma once

// The build as a metric: monipaikka_build_info{version="0.1.0",
// commit="64226b0a1c2d"} 1 (see common/build_info.h), so that a dashboard
// shows which version each server and edge agent runs.

#include "common/metric_set.h"

namespace monipaikka {

void AddBuildInfoMetric(MetricSet* metrics);

}  // namespace monipaikka
