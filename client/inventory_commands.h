#pragma once

// The inventory commands: import (JSON or CSV sheets), export and the
// listings (organizations, sites, spaces, workstations, sensors). Each sends
// one request through the given stub and writes the result to `out` in
// options.output; gRPC errors come back as the status with the same code and
// message.

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/command_options.h"
#include "monipaikka/v1/inventory.grpc.pb.h"

namespace monipaikka::client {

// Reads the inventory JSON document at `path` (see client/inventory_json.h),
// imports it and writes how many entities of each type were written.
absl::Status ImportInventory(v1::InventoryService::StubInterface& stub,
                             const std::string& path,
                             const CommandOptions& options, std::ostream& out);

// Reads the inventory CSV sheets in `directory` (see client/inventory_csv.h)
// and imports them through the same request as a JSON document.
absl::Status ImportInventoryCsv(v1::InventoryService::StubInterface& stub,
                                const std::string& directory,
                                const CommandOptions& options,
                                std::ostream& out);

// Imports `inventory`, read from `path`, and writes how many entities of each
// type were written, naming `path`.
absl::Status SendInventory(v1::InventoryService::StubInterface& stub,
                           const v1::Inventory& inventory,
                           const std::string& path,
                           const CommandOptions& options, std::ostream& out);

// The whole inventory through the listings: organizations, sites, the spaces
// and workstations of each site, and the sensors.
absl::StatusOr<v1::Inventory> FetchInventory(
    v1::InventoryService::StubInterface& stub, const CommandOptions& options);

// Writes the inventory as CSV sheets into `directory` and a line saying how
// many entities of each type went out.
absl::Status ExportInventoryCsv(v1::InventoryService::StubInterface& stub,
                                const std::string& directory,
                                const CommandOptions& options,
                                std::ostream& out);

absl::Status ListOrganizations(v1::InventoryService::StubInterface& stub,
                               const CommandOptions& options,
                               std::ostream& out);

absl::Status ListSites(v1::InventoryService::StubInterface& stub,
                       const CommandOptions& options, std::ostream& out);

// `site` is required.
absl::Status ListSpaces(v1::InventoryService::StubInterface& stub,
                        const std::string& site, const CommandOptions& options,
                        std::ostream& out);

// `site` is required; an empty `space` means the whole site.
absl::Status ListWorkstations(v1::InventoryService::StubInterface& stub,
                              const std::string& site, const std::string& space,
                              const CommandOptions& options, std::ostream& out);

// Empty `site` and `gateway` do not filter.
absl::Status ListSensors(v1::InventoryService::StubInterface& stub,
                         const std::string& site, const std::string& gateway,
                         const CommandOptions& options, std::ostream& out);

}  // namespace monipaikka::client
