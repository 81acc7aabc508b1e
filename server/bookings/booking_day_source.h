#pragma once

// Computes the booking figures of site-days (booking_days.h) from what is
// stored: the bookings and the summarizer's sensor days. The bookings
// report does this for the site-days it has no current stored figures of.

#include <cstdint>
#include <span>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "server/analytics/day_summary.h"
#include "server/bookings/booking_days.h"
#include "server/bookings/booking_figures.h"
#include "server/storage/storage.h"
#include "server/summary/node_days.h"
#include "server/summary/occupancy_inventory.h"

namespace monipaikka {

// For each site `sites[i]` (site indexes; `targets` by site index, from
// BookingTargetsBySite) and each date first_date … last_date with
// wanted(i, date), computes the site-day over all of the site's targets
// and calls visit(i, date, day), in date order. DATA_LOSS for a sensor day
// that does not decode; storage errors as they come.
absl::Status ComputeSiteBookingDays(
    StorageSession& session, const OccupancyInventory& inventory,
    std::span<const SiteBookingTargets> targets, std::span<const int32_t> sites,
    int32_t first_date, int32_t last_date,
    absl::FunctionRef<bool(size_t, int32_t)> wanted, HoursMode mode,
    const BookingThresholds& thresholds, FrameCache& frames,
    absl::FunctionRef<void(size_t, int32_t, const SiteBookingDay&)> visit);

}  // namespace monipaikka
