#pragma once

// Field rules of inventory entities, checked before anything is written.
// Pure functions: each returns INVALID_ARGUMENT naming `where` (e.g.
// "sites[2]") and the field.

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "monipaikka/v1/inventory.pb.h"

namespace monipaikka {

// Largest plan drawing of a floor (Space.plan_svg), bytes.
inline constexpr size_t kMaxPlanSvgBytes = 2 * 1024 * 1024;
// Largest workstation coordinate (Workstation.x_m, y_m), metres.
inline constexpr double kMaxFloorMetres = 10000;

// Whether `svg` is an SVG document the dashboard may show as an image: at
// most kMaxPlanSvgBytes, an optional prolog (XML declaration, comments, a
// DOCTYPE without internal subset), then the root element <svg> in the SVG
// namespace. INVALID_ARGUMENT saying what is wrong (without a field name).
// It does not sanitize: the dashboard shows the drawing only as an image,
// in which scripts do not run and nothing outside it is loaded.
absl::Status CheckPlanSvg(absl::string_view svg);

absl::Status CheckOrganization(const v1::Organization& org,
                               absl::string_view where);
absl::Status CheckSite(const v1::Site& site, absl::string_view where);
absl::Status CheckSpace(const v1::Space& space, absl::string_view where);
absl::Status CheckWorkstation(const v1::Workstation& workstation,
                              absl::string_view where);
absl::Status CheckSensor(const v1::Sensor& sensor, absl::string_view where);

}  // namespace monipaikka
