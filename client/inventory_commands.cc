#include "client/inventory_commands.h"

#include "absl/strings/str_cat.h"
#include "client/inventory_csv.h"
#include "client/inventory_json.h"
#include "client/inventory_tables.h"
#include "client/text_file.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"

namespace monipaikka::client {
namespace {

// Writes a listing: the response itself as JSON, else its table.
void WriteListing(const google::protobuf::Message& response, const Table& table,
                  const CommandOptions& options, std::ostream& out) {
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(response, out);
  } else {
    WriteTable(table, options.output, out);
  }
}

}  // namespace

absl::Status ImportInventory(v1::InventoryService::StubInterface& stub,
                             const std::string& path,
                             const CommandOptions& options, std::ostream& out) {
  ASSIGN_OR_RETURN(const std::string json, ReadTextFile(path));
  ASSIGN_OR_RETURN(const v1::Inventory inventory,
                   ParseInventoryJson(json, path));
  return SendInventory(stub, inventory, path, options, out);
}

absl::Status ImportInventoryCsv(v1::InventoryService::StubInterface& stub,
                                const std::string& directory,
                                const CommandOptions& options,
                                std::ostream& out) {
  ASSIGN_OR_RETURN(const v1::Inventory inventory,
                   ReadInventoryDirectory(directory));
  return SendInventory(stub, inventory, directory, options, out);
}

absl::Status SendInventory(v1::InventoryService::StubInterface& stub,
                           const v1::Inventory& inventory,
                           const std::string& path,
                           const CommandOptions& options, std::ostream& out) {
  v1::ImportInventoryRequest request;
  *request.mutable_inventory() = inventory;
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ImportInventoryResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ImportInventory(&context, request, &response)));

  switch (options.output) {
    case OutputFormat::kJson:
      WriteMessageJson(response, out);
      break;
    case OutputFormat::kCsv: {
      Table table({{"organizations", "organizations"},
                   {"sites", "sites"},
                   {"spaces", "spaces"},
                   {"workstations", "workstations"},
                   {"sensors", "sensors"}});
      table.AddRow({absl::StrCat(response.organizations()),
                    absl::StrCat(response.sites()),
                    absl::StrCat(response.spaces()),
                    absl::StrCat(response.workstations()),
                    absl::StrCat(response.sensors())});
      WriteCsvTable(table, out);
      break;
    }
    case OutputFormat::kTable:
      out << "Imported " << path << ": " << response.organizations()
          << " organizations, " << response.sites() << " sites, "
          << response.spaces() << " spaces, " << response.workstations()
          << " workstations, " << response.sensors() << " sensors written.\n";
      break;
  }
  return absl::OkStatus();
}

absl::Status ListOrganizations(v1::InventoryService::StubInterface& stub,
                               const CommandOptions& options,
                               std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListOrganizationsResponse response;
  RETURN_IF_ERROR(FromGrpcStatus(stub.ListOrganizations(
      &context, v1::ListOrganizationsRequest(), &response)));
  WriteListing(response, OrganizationsTable(response), options, out);
  return absl::OkStatus();
}

absl::Status ListSites(v1::InventoryService::StubInterface& stub,
                       const CommandOptions& options, std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListSitesResponse response;
  RETURN_IF_ERROR(FromGrpcStatus(
      stub.ListSites(&context, v1::ListSitesRequest(), &response)));
  WriteListing(response, SitesTable(response), options, out);
  return absl::OkStatus();
}

absl::Status ListSpaces(v1::InventoryService::StubInterface& stub,
                        const std::string& site, const CommandOptions& options,
                        std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListSpacesRequest request;
  request.set_site(site);
  v1::ListSpacesResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ListSpaces(&context, request, &response)));
  WriteListing(response, SpacesTable(response), options, out);
  return absl::OkStatus();
}

absl::Status ListWorkstations(v1::InventoryService::StubInterface& stub,
                              const std::string& site, const std::string& space,
                              const CommandOptions& options,
                              std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListWorkstationsRequest request;
  request.set_site(site);
  request.set_space(space);
  v1::ListWorkstationsResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ListWorkstations(&context, request, &response)));
  WriteListing(response, WorkstationsTable(response), options, out);
  return absl::OkStatus();
}

absl::Status ListSensors(v1::InventoryService::StubInterface& stub,
                         const std::string& site, const std::string& gateway,
                         const CommandOptions& options, std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListSensorsRequest request;
  request.set_site(site);
  request.set_gateway(gateway);
  v1::ListSensorsResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ListSensors(&context, request, &response)));
  WriteListing(response, SensorsTable(response), options, out);
  return absl::OkStatus();
}

absl::StatusOr<v1::Inventory> FetchInventory(
    v1::InventoryService::StubInterface& stub, const CommandOptions& options) {
  v1::Inventory inventory;
  {
    grpc::ClientContext context;
    SetDeadline(options, &context);
    v1::ListOrganizationsResponse response;
    RETURN_IF_ERROR(FromGrpcStatus(stub.ListOrganizations(
        &context, v1::ListOrganizationsRequest(), &response)));
    *inventory.mutable_organizations() = response.organizations();
  }
  {
    grpc::ClientContext context;
    SetDeadline(options, &context);
    v1::ListSitesResponse response;
    RETURN_IF_ERROR(FromGrpcStatus(
        stub.ListSites(&context, v1::ListSitesRequest(), &response)));
    *inventory.mutable_sites() = response.sites();
  }
  // Spaces and workstations are listed per site.
  for (const v1::Site& site : inventory.sites()) {
    grpc::ClientContext spaces_context;
    SetDeadline(options, &spaces_context);
    v1::ListSpacesRequest spaces_request;
    spaces_request.set_site(site.code());
    v1::ListSpacesResponse spaces;
    RETURN_IF_ERROR(FromGrpcStatus(
        stub.ListSpaces(&spaces_context, spaces_request, &spaces)));
    for (const v1::Space& listed : spaces.spaces()) {
      v1::Space& space = *inventory.add_spaces() = listed;
      if (!space.has_plan_svg()) continue;
      // A document states the plan itself (has_plan_svg is output only).
      space.set_has_plan_svg(false);
      grpc::ClientContext plan_context;
      SetDeadline(options, &plan_context);
      v1::GetPlanSvgRequest plan_request;
      plan_request.set_space(space.code());
      v1::GetPlanSvgResponse plan;
      RETURN_IF_ERROR(
          FromGrpcStatus(stub.GetPlanSvg(&plan_context, plan_request, &plan)));
      space.set_plan_svg(plan.svg());
    }
    grpc::ClientContext workstations_context;
    SetDeadline(options, &workstations_context);
    v1::ListWorkstationsRequest workstations_request;
    workstations_request.set_site(site.code());
    v1::ListWorkstationsResponse workstations;
    RETURN_IF_ERROR(FromGrpcStatus(stub.ListWorkstations(
        &workstations_context, workstations_request, &workstations)));
    for (const v1::Workstation& workstation : workstations.workstations()) {
      *inventory.add_workstations() = workstation;
    }
  }
  {
    grpc::ClientContext context;
    SetDeadline(options, &context);
    v1::ListSensorsResponse response;
    RETURN_IF_ERROR(FromGrpcStatus(
        stub.ListSensors(&context, v1::ListSensorsRequest(), &response)));
    *inventory.mutable_sensors() = response.sensors();
  }
  return inventory;
}

absl::Status ExportInventoryCsv(v1::InventoryService::StubInterface& stub,
                                const std::string& directory,
                                const CommandOptions& options,
                                std::ostream& out) {
  ASSIGN_OR_RETURN(const v1::Inventory inventory,
                   FetchInventory(stub, options));
  RETURN_IF_ERROR(WriteInventoryDirectory(inventory, directory));
  out << "Exported " << inventory.organizations_size() << " organizations, "
      << inventory.sites_size() << " sites, " << inventory.spaces_size()
      << " spaces, " << inventory.workstations_size() << " workstations, "
      << inventory.sensors_size() << " sensors to " << directory << ".\n";
  return absl::OkStatus();
}

}  // namespace monipaikka::client
