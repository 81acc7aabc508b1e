#pragma once

// Everything of occupancy analytics the server runs, started and stopped as
// one: the inventory snapshot, the summarizer, live occupancy and the
// report services (AnalyticsService, LiveOccupancyService, the first
// UtilizationService, PlanningService and SamplingService).
//
// Wiring (server.cc): Create before the ingest writer and hand the writer
// OnCommitted; Start once the query executor runs; InventoryChanged after
// each inventory import; StopWatches before the gRPC server shuts down and
// Stop after the writer has stopped.

#include <functional>
#include <memory>
#include <span>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/auth/access_control.h"
#include "server/live/occupancy_hub.h"
#include "server/privacy/registry_disclosure.h"
#include "server/reports/registry_figures.h"
#include "server/reports/utilization_report.h"
#include "server/service/report_deps.h"
#include "server/storage/storage.h"
#include "server/summary/summarizer.h"
#include "server/workforce/pseudonym.h"

namespace grpc {
class Service;
}

namespace monipaikka {

struct OccupancyOptions {
  // A summary pass starts after this long without commits, or at the
  // latest this long after the first commit it summarizes.
  absl::Duration summary_quiet = absl::Seconds(1);
  absl::Duration summary_max_delay = absl::Seconds(30);
  // How long a report waits for pending summaries.
  absl::Duration freshness_wait = absl::Seconds(30);
  // How often live occupancy looks for sensors gone stale, and how soon a
  // watch whose token was revoked ends.
  absl::Duration live_tick = absl::Seconds(1);
  // Live watches one token may hold open at a time.
  int max_watches_per_token = 8;
  // How the reports publish figures derived from the HR registry (FTE):
  // the anonymity threshold (the HR reports' --anonymity_k, set by the
  // server) and the publication calendar (--hr_publication).
  RegistryPublication registry;
  // Today in Europe/Helsinki; injectable for tests. Empty: the system clock.
  std::function<absl::CivilDay()> today;
  // The HR pseudonym key file (the server's --pseudonym_key_file): booking
  // imports store bookers under the same keyed pseudonyms. Empty: booker
  // names are dropped.
  std::string pseudonym_key_file;
};

class OccupancyBackend {
 public:
  static absl::StatusOr<std::unique_ptr<OccupancyBackend>> Create(
      Storage* storage, const UtilizationSettings& settings,
      OccupancyOptions options, std::function<int64_t()> now_ms);
  ~OccupancyBackend();

  // On the ingest writer thread after each commit: live state, and wakes the
  // summarizer. Never blocks on a client.
  void OnCommitted(std::span<const StoredReading> readings);
  // Starts the summarizer and live occupancy, and makes the services, which
  // authorize their callers with `access` (not owned; outlives this).
  absl::Status Start(QueryExecutor* executor, const AccessControl* access);
  // Reloads the inventory snapshot from `session` after an import.
  absl::Status InventoryChanged(StorageSession& session);
  // Ends the live watches (so that the gRPC server can stop at once).
  void StopWatches();
  void Stop();

  std::vector<grpc::Service*> services() const;
  const ReportDeps& report_deps() const { return deps_; }
  const ImportCounters& import_counters() const { return import_counters_; }
  Summarizer& summarizer() { return *summarizer_; }

 private:
  OccupancyBackend() = default;

  Storage* storage_ = nullptr;
  SummarySettings settings_;
  OccupancyOptions options_;
  std::function<int64_t()> now_ms_;
  OccupancyInventoryHolder inventory_;
  std::unique_ptr<Summarizer> summarizer_;
  std::unique_ptr<LiveOccupancyHub> hub_;
  RegistryFigureCache registry_cache_;
  ImportCounters import_counters_;
  ReportDeps deps_;
  std::unique_ptr<grpc::Service> analytics_service_;
  std::unique_ptr<grpc::Service> live_service_;
  std::unique_ptr<grpc::Service> utilization_service_;
  std::unique_ptr<grpc::Service> planning_service_;
  std::unique_ptr<grpc::Service> sampling_service_;
  std::unique_ptr<Pseudonymizer> booker_pseudonyms_;
  std::unique_ptr<grpc::Service> booking_service_;
};

}  // namespace monipaikka
