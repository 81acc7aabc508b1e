#pragma once

// Instants as tables show them: the local time of the site they belong to.
// CSV and JSON keep RFC 3339 UTC instants, which programs read without
// knowing the site.

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "client/command_options.h"
#include "monipaikka/v1/inventory.grpc.pb.h"

namespace monipaikka::client {

// The instant `ms` in the IANA zone `zone_name` with the zone's
// abbreviation, e.g. "2026-03-23 09:15:00 EET". With an empty or unknown
// zone, RFC 3339 UTC ("2026-03-23T07:15:00Z").
std::string FormatLocalInstant(int64_t ms, absl::string_view zone_name);

// The same for an instant given as RFC 3339 text; text that is not one is
// returned unchanged.
std::string FormatLocalInstant(absl::string_view rfc3339,
                               absl::string_view zone_name);

// Site code → IANA zone of every site, from the inventory; a site without a
// zone is in Europe/Helsinki, as the server measures it.
absl::StatusOr<std::map<std::string, std::string>> FetchSiteTimeZones(
    v1::InventoryService::StubInterface& stub, const CommandOptions& options);

// The zone a table shows `site`'s times in: its zone when the output is a
// table and the zone is known, else "" (RFC 3339 UTC).
std::string TableZone(const CommandOptions& options, const std::string& site);

}  // namespace monipaikka::client
