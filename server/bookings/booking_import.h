#pragma once

// BookingService.ImportBookings: an iCalendar export or the rows of a
// desk-booking CSV, checked and mapped onto the inventory, replacing what
// the export covers (docs/bookings.md "Import"). Bad rows and events are
// problems named by line; the good ones load.

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "monipaikka/v1/bookings.pb.h"
#include "server/storage/storage.h"
#include "server/summary/occupancy_inventory.h"
#include "server/workforce/pseudonym.h"

namespace monipaikka {

// `pseudonymizer` may be null: booker names are then dropped (counted).
// INVALID_ARGUMENT naming the field for a request that is wrong as a
// whole; storage errors as they come. With `sites`, the sites of the
// export's bookings that were taken (inventory site indexes, ascending) are
// put there.
absl::StatusOr<v1::ImportBookingsResponse> ImportBookings(
    StorageSession& session, const OccupancyInventory& inventory,
    const Pseudonymizer* pseudonymizer,
    const v1::ImportBookingsRequest& request, int64_t now_ms,
    std::vector<int32_t>* sites = nullptr);

}  // namespace monipaikka
