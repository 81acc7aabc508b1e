#pragma once

#include "monipaikka/v1/inventory.grpc.pb.h"
#include "server/ingest/sensor_directory.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Adapter of InventoryService onto storage. After an import it replaces the
// ingest path's sensor directory.
class InventoryServiceImpl final : public v1::InventoryService::CallbackService {
 public:
  InventoryServiceImpl(QueryExecutor* executor,
                       SensorDirectoryHolder* directory)
      : executor_(executor), directory_(directory) {}

  grpc::ServerUnaryReactor* ImportInventory(
      grpc::CallbackServerContext* context,
      const v1::ImportInventoryRequest* request,
      v1::ImportInventoryResponse* response) override;
  grpc::ServerUnaryReactor* ListOrganizations(
      grpc::CallbackServerContext* context,
      const v1::ListOrganizationsRequest* request,
      v1::ListOrganizationsResponse* response) override;
  grpc::ServerUnaryReactor* ListSites(grpc::CallbackServerContext* context,
                                      const v1::ListSitesRequest* request,
                                      v1::ListSitesResponse* response) override;
  grpc::ServerUnaryReactor* GetSite(grpc::CallbackServerContext* context,
                                    const v1::GetSiteRequest* request,
                                    v1::Site* response) override;
  grpc::ServerUnaryReactor* ListSpaces(grpc::CallbackServerContext* context,
                                       const v1::ListSpacesRequest* request,
                                       v1::ListSpacesResponse* response) override;
  grpc::ServerUnaryReactor* ListWorkstations(
      grpc::CallbackServerContext* context,
      const v1::ListWorkstationsRequest* request,
      v1::ListWorkstationsResponse* response) override;
  grpc::ServerUnaryReactor* ListSensors(
      grpc::CallbackServerContext* context,
      const v1::ListSensorsRequest* request,
      v1::ListSensorsResponse* response) override;

 private:
  QueryExecutor* const executor_;
  SensorDirectoryHolder* const directory_;
};

}  // namespace monipaikka
