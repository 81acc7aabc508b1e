#pragma once

#include <functional>

#include "monipaikka/v1/inventory.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/ingest/sensor_directory.h"
#include "server/service/query_executor.h"

namespace monipaikka {

// Adapter of InventoryService onto storage. After an import it replaces the
// ingest path's sensor directory.
//
// ImportInventory takes its request as bytes and parses it only once the
// caller is authorized: an inventory may be large (up to
// --max_message_bytes), and a caller without a token of a role that may
// import must not get it parsed.
class InventoryServiceImpl final
    : public v1::InventoryService::WithRawCallbackMethod_ImportInventory<
          v1::InventoryService::CallbackService> {
 public:
  // `after_import`, when set, runs on the import's session after every
  // successful import (e.g. to reload analytics' inventory snapshot); its
  // error is the import's reply (the import itself stays committed).
  InventoryServiceImpl(
      QueryExecutor* executor, const AccessControl* access,
      SensorDirectoryHolder* directory,
      std::function<absl::Status(StorageSession&)> after_import = nullptr)
      : executor_(executor),
        access_(access),
        directory_(directory),
        after_import_(std::move(after_import)) {}

  grpc::ServerUnaryReactor* ImportInventory(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response) override;
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
  grpc::ServerUnaryReactor* ListSpaces(
      grpc::CallbackServerContext* context,
      const v1::ListSpacesRequest* request,
      v1::ListSpacesResponse* response) override;
  grpc::ServerUnaryReactor* GetPlanSvg(
      grpc::CallbackServerContext* context,
      const v1::GetPlanSvgRequest* request,
      v1::GetPlanSvgResponse* response) override;
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
  const AccessControl* const access_;
  SensorDirectoryHolder* const directory_;
  const std::function<absl::Status(StorageSession&)> after_import_;
};

}  // namespace monipaikka
