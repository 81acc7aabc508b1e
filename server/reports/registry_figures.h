#pragma once

// The registry-derived figures the occupancy reports show (FTE per site and
// organization, and so m²/htv), as server/privacy/registry_disclosure.h
// publishes them: for a publication date only, with small and revealing
// figures withheld.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "monipaikka/v1/analytics.pb.h"
#include "server/privacy/registry_disclosure.h"
#include "server/reports/occupancy_source.h"

namespace monipaikka {

struct RegistrySnapshot {
  // The publication date used (RegistryDateFor the requested day) and the
  // one before it, whose registry the changes are measured against.
  absl::CivilDay date;
  absl::CivilDay previous;
  // Every site and organization of the inventory.
  RegistryFigures figures;
};

// Published figures by the exact input they were audited from (a 64-bit
// hash of the dates, the settings, the codes and every registry row): the
// audit of a state-sized registry takes most of a second, reading the rows
// a small part of that. Keeps the last few. Thread-safe.
class RegistryFigureCache {
 public:
  explicit RegistryFigureCache(size_t capacity = 16) : capacity_(capacity) {}
  std::optional<RegistryFigures> Find(uint64_t key) const;
  void Put(uint64_t key, const RegistryFigures& figures);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<std::pair<uint64_t, RegistryFigures>> entries_
      ABSL_GUARDED_BY(mu_);  // oldest first
};

// The figures of every site and organization of the inventory for a
// request for `requested`. The pattern depends only on the registry at
// the publication date and at the one before, whatever is asked. With
// context.registry_cache, an unchanged registry is not audited again.
absl::StatusOr<RegistrySnapshot> LoadRegistryFigures(
    const ReportContext& context, absl::CivilDay requested);

v1::RegistryFigureWithheld WithheldToProto(RegistryWithheld withheld);

}  // namespace monipaikka
