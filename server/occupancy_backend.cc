#include "server/occupancy_backend.h"

#include <grpcpp/grpcpp.h>

#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/reports/workforce_report.h"
#include "server/service/analytics_service.h"
#include "server/service/booking_service.h"
#include "server/service/live_service.h"
#include "server/service/planning_service.h"
#include "server/service/sampling_service.h"
#include "server/service/utilization_service.h"
#include "server/summary/codec.h"

namespace monipaikka {
namespace {

absl::StatusOr<std::shared_ptr<const OccupancyInventory>> LoadInventory(
    StorageSession& session, const SummarySettings& settings) {
  ASSIGN_OR_RETURN(InventoryRows rows, session.Analytics().LoadInventoryRows());
  return OccupancyInventory::Build(rows, settings);
}

}  // namespace

absl::StatusOr<std::unique_ptr<OccupancyBackend>> OccupancyBackend::Create(
    Storage* storage, const UtilizationSettings& settings,
    OccupancyOptions options, std::function<int64_t()> now_ms) {
  std::unique_ptr<OccupancyBackend> backend(new OccupancyBackend());
  backend->storage_ = storage;
  backend->settings_.desk_stale_after_ms = settings.desk_stale_after_ms;
  backend->settings_.room_stale_after_ms = settings.room_stale_after_ms;
  backend->settings_.desk_day_min_occupied_ms =
      settings.desk_day_min_occupied_ms;
  backend->options_ = options;
  backend->now_ms_ = now_ms;
  ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> session,
                   storage->OpenSession());
  ASSIGN_OR_RETURN(auto inventory, LoadInventory(*session, backend->settings_));
  backend->inventory_.Set(inventory);
  Summarizer::Options summarizer;
  summarizer.quiet = options.summary_quiet;
  summarizer.max_delay = options.summary_max_delay;
  backend->summarizer_ =
      std::make_unique<Summarizer>(storage, &backend->inventory_, summarizer);
  backend->hub_ = std::make_unique<LiveOccupancyHub>(
      now_ms, LiveOccupancyHub::Options{options.live_tick});
  backend->deps_.inventory = &backend->inventory_;
  backend->deps_.summarizer = backend->summarizer_.get();
  backend->deps_.freshness_wait = options.freshness_wait;
  backend->deps_.now_ms = now_ms;
  backend->deps_.max_window_days = settings.max_window_days;
  backend->deps_.registry = options.registry;
  backend->deps_.today = options.today ? options.today : HelsinkiToday;
  backend->deps_.registry_cache = &backend->registry_cache_;
  backend->deps_.imports = &backend->import_counters_;
  return backend;
}

OccupancyBackend::~OccupancyBackend() { Stop(); }

void OccupancyBackend::OnCommitted(std::span<const StoredReading> readings) {
  hub_->OnCommitted(readings);
  summarizer_->NoteCommitted();
}

absl::Status OccupancyBackend::Start(QueryExecutor* executor,
                                     const AccessControl* access) {
  ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> session,
                   storage_->OpenSession());
  std::shared_ptr<const OccupancyInventory> inventory = inventory_.Get();
  // Live state starts from each sensor's newest reading and, for people
  // counters, today's summarized count.
  std::vector<LastReading> newest;
  RETURN_IF_ERROR(session->Analytics().ScanLastReadings(
      [&](const LastReading& r) { newest.push_back(r); }));
  absl::flat_hash_map<int64_t, int32_t> counts;
  const int64_t now = now_ms_();
  for (const OccupancyInventory::Sensor& sensor : inventory->sensors()) {
    if (sensor.meaning != ReadingMeaning::kFlow || sensor.site < 0) continue;
    const absl::TimeZone& zone = inventory->sites()[sensor.site].zone;
    const absl::CivilDay today(absl::ToCivilSecond(FromMs(now), zone));
    const int32_t date = DateIndex(today);
    const int32_t offset =
        static_cast<int32_t>(now - LocalToMs(absl::CivilSecond(today), zone));
    RETURN_IF_ERROR(session->Analytics().ScanSensorDays(
        date, date, sensor.id, sensor.id,
        [&](int32_t, int64_t id, absl::string_view bytes) {
          absl::StatusOr<std::vector<DaySpan>> spans = DecodeDaySpans(bytes);
          if (spans.ok()) counts[id] = LastValueBefore(*spans, offset + 1);
        }));
  }
  hub_->Start(inventory, newest, counts);
  RETURN_IF_ERROR(summarizer_->Start());
  deps_.executor = executor;
  deps_.access = access;
  analytics_service_ = std::make_unique<AnalyticsServiceImpl>(deps_);
  live_service_ = std::make_unique<LiveOccupancyServiceImpl>(
      executor, access, hub_.get(), options_.max_watches_per_token);
  utilization_service_ = std::make_unique<UtilizationServiceImpl>(deps_);
  planning_service_ = std::make_unique<PlanningServiceImpl>(deps_);
  sampling_service_ = std::make_unique<SamplingServiceImpl>(deps_);
  if (!options_.pseudonym_key_file.empty()) {
    ASSIGN_OR_RETURN(Pseudonymizer pseudonymizer,
                     Pseudonymizer::FromKeyFile(options_.pseudonym_key_file));
    booker_pseudonyms_ =
        std::make_unique<Pseudonymizer>(std::move(pseudonymizer));
  }
  booking_service_ =
      std::make_unique<BookingServiceImpl>(deps_, booker_pseudonyms_.get());
  return absl::OkStatus();
}

absl::Status OccupancyBackend::InventoryChanged(StorageSession& session) {
  ASSIGN_OR_RETURN(auto inventory, LoadInventory(session, settings_));
  inventory_.Set(inventory);
  hub_->SetInventory(inventory);
  summarizer_->NoteInventoryChanged();
  return absl::OkStatus();
}

void OccupancyBackend::StopWatches() {
  if (hub_) hub_->Stop();
}

void OccupancyBackend::Stop() {
  if (hub_) hub_->Stop();
  if (summarizer_) summarizer_->Stop();
}

std::vector<grpc::Service*> OccupancyBackend::services() const {
  return {analytics_service_.get(),   live_service_.get(),
          utilization_service_.get(), planning_service_.get(),
          sampling_service_.get(),    booking_service_.get()};
}

}  // namespace monipaikka
