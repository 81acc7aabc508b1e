#include "common/metric_set.h"

#include <atomic>
#include <memory>

#include "common/build_info.h"
#include "common/build_info_metric.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(MetricSetTest, ReadsTheAtomicsAtEachCollection) {
  std::atomic<uint64_t> accepted{3};
  std::atomic<int64_t> unknown{1};
  std::atomic<uint64_t> too_old{0};
  MetricSet metrics;
  metrics.AddCounter("x_accepted_total", "Readings stored.", &accepted);
  metrics.AddCounterFamily(
      "x_rejected_total", "Readings refused, by reason.", "reason",
      {{"unknown_sensor", &unknown}, {"too_old", &too_old}});
  metrics.AddGauge("x_streams", "Open streams.",
                   MetricValue([] { return 2.0; }));
  accepted += 4;
  ++too_old;
  EXPECT_EQ(PrometheusText(metrics.Collect()),
            "# HELP x_accepted_total Readings stored.\n"
            "# TYPE x_accepted_total counter\n"
            "x_accepted_total 7\n"
            "# HELP x_rejected_total Readings refused, by reason.\n"
            "# TYPE x_rejected_total counter\n"
            "x_rejected_total{reason=\"unknown_sensor\"} 1\n"
            "x_rejected_total{reason=\"too_old\"} 1\n"
            "# HELP x_streams Open streams.\n"
            "# TYPE x_streams gauge\n"
            "x_streams 2\n");
}

TEST(MetricSetTest, HistogramHasCumulativeBucketsSumAndCount) {
  AtomicHistogram latency({0.01, 0.1});
  latency.Observe(0.005);
  latency.Observe(0.05);
  latency.Observe(0.5);
  MetricSet metrics;
  metrics.AddHistogram("x_commit_seconds", "Commit time.", &latency);
  EXPECT_EQ(PrometheusText(metrics.Collect()),
            "# HELP x_commit_seconds Commit time.\n"
            "# TYPE x_commit_seconds histogram\n"
            "x_commit_seconds_count 3\n"
            "x_commit_seconds_sum 0.555\n"
            "x_commit_seconds_bucket{le=\"0.01\"} 1\n"
            "x_commit_seconds_bucket{le=\"0.1\"} 2\n"
            "x_commit_seconds_bucket{le=\"+Inf\"} 3\n");
}

TEST(MetricSetTest, BuildInfoNamesVersionAndCommit) {
  MetricSet metrics;
  AddBuildInfoMetric(&metrics);
  EXPECT_EQ(PrometheusText(metrics.Collect()),
            "# HELP monipaikka_build_info Always 1; its labels name the "
            "version and the git commit this program was built from.\n"
            "# TYPE monipaikka_build_info gauge\n"
            "monipaikka_build_info{version=\"" +
                std::string(BuildVersion()) + "\",commit=\"" +
                std::string(BuildCommit()) + "\"} 1\n");
}

TEST(MetricSetTest, LabelValuesFromEnumNames) {
  EXPECT_EQ(
      LabelValueFromEnumName("REJECT_REASON_UNKNOWN_SENSOR", "REJECT_REASON_"),
      "unknown_sensor");
  EXPECT_EQ(LabelValueFromEnumName("OTHER", "REJECT_REASON_"), "other");
}

TEST(MetricSetDeathTest, InvalidNamesAreProgrammingErrors) {
  MetricSet metrics;
  std::atomic<uint64_t> value{0};
  EXPECT_DEATH(metrics.AddCounter("bad name", "", &value), "invalid metric");
  EXPECT_DEATH(
      metrics.AddCounterFamily("ok_total", "", "bad-label", {{"a", &value}}),
      "invalid label");
}

}  // namespace
}  // namespace monipaikka
