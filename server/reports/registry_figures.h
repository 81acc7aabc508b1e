#pragma once

// The registry-derived figures the occupancy reports show (FTE per site and
// organization, and so m²/htv), as server/privacy/registry_disclosure.h
// publishes them: for a publication date only, with small and revealing
// figures withheld.

#include "absl/status/statusor.h"
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

// The figures of every site and organization of the inventory for a
// request for `requested`. The pattern depends only on the registry at
// the publication date and at the one before, whatever is asked.
absl::StatusOr<RegistrySnapshot> LoadRegistryFigures(
    const ReportContext& context, absl::CivilDay requested);

v1::RegistryFigureWithheld WithheldToProto(RegistryWithheld withheld);

}  // namespace monipaikka
