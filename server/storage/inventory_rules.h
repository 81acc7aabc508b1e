#pragma once

// Field rules of inventory entities, checked before anything is written.
// Pure functions: each returns INVALID_ARGUMENT naming `where` (e.g.
// "sites[2]") and the field.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka {

absl::Status CheckOrganization(const v1::Organization& org,
                               absl::string_view where);
absl::Status CheckSite(const v1::Site& site, absl::string_view where);
absl::Status CheckSpace(const v1::Space& space, absl::string_view where);
absl::Status CheckWorkstation(const v1::Workstation& workstation,
                              absl::string_view where);
absl::Status CheckSensor(const v1::Sensor& sensor, absl::string_view where);

}  // namespace monipaikka
