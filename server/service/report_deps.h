#pragma once

// What the report services share: the query threads, the inventory
// snapshot, the summarizer (to wait for fresh summaries) and the clock.

#include <atomic>
#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/auth/access_control.h"
#include "server/reports/occupancy_source.h"
#include "server/service/query_executor.h"
#include "server/summary/occupancy_inventory.h"
#include "server/summary/summarizer.h"

namespace monipaikka {

// Rows (CSV) and events (iCalendar) of file imports refused as bad input,
// by import: monipaikka_import_rows_refused_total.
struct ImportCounters {
  std::atomic<uint64_t> bookings{0};
  std::atomic<uint64_t> observations{0};
};

struct ReportDeps {
  QueryExecutor* executor = nullptr;
  // Who may call the reports (server/auth/rpc_policy.h).
  const AccessControl* access = nullptr;
  const OccupancyInventoryHolder* inventory = nullptr;
  // When set, a report first waits (up to freshness_wait) until every
  // reading acknowledged before the request is summarized; the report says
  // how many hours were still pending if that took longer.
  Summarizer* summarizer = nullptr;
  absl::Duration freshness_wait = absl::Seconds(30);
  std::function<int64_t()> now_ms;
  int max_window_days = 3 * 366;
  // How registry-derived figures are published; `today` (Europe/Helsinki)
  // fills RegistryPublication::today of each report.
  RegistryPublication registry;
  std::function<absl::CivilDay()> today;
  // Shared by the reports of every query thread (not owned; may be null).
  RegistryFigureCache* registry_cache = nullptr;
  // Counted by the imports (not owned; may be null).
  ImportCounters* imports = nullptr;
};

// Runs `build(const ReportContext&) -> absl::Status` with a fresh context on
// the calling (executor) thread.
template <typename Build>
absl::Status WithReportContext(const ReportDeps& deps, StorageSession& session,
                               Build build) {
  if (deps.summarizer != nullptr) {
    deps.summarizer->AwaitCurrent(deps.freshness_wait);
  }
  std::shared_ptr<const OccupancyInventory> inventory = deps.inventory->Get();
  if (inventory == nullptr) {
    return absl::UnavailableError("the inventory is not loaded yet");
  }
  ReportContext context{session, *inventory, deps.now_ms(),
                        deps.max_window_days, deps.registry};
  if (deps.today) context.registry.today = deps.today();
  context.registry_cache = deps.registry_cache;
  return build(context);
}

}  // namespace monipaikka
