#include "server/service/inventory_service.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* InventoryServiceImpl::ImportInventory(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request_bytes,
    grpc::ByteBuffer* response_bytes) {
  return RunUnary(
      context, executor_, *access_, rpc::kImportInventory,
      [=, this](StorageSession& session, const Caller& caller) {
        // Parsed only now, after the access check. A request that is no
        // ImportInventoryRequest gets what gRPC answers for typed methods
        // (UNIMPLEMENTED without a message), which the malformed-request
        // interceptor turns into INVALID_ARGUMENT, counted.
        grpc::ByteBuffer bytes(*request_bytes);
        v1::ImportInventoryRequest request;
        if (!grpc::SerializationTraits<v1::ImportInventoryRequest>::Deserialize(
                 &bytes, &request)
                 .ok()) {
          return absl::UnimplementedError("");
        }
        v1::ImportInventoryResponse response;
        ASSIGN_OR_RETURN(response,
                         session.ImportInventory(request.inventory()));
        ASSIGN_OR_RETURN(std::vector<SensorBinding> sensors,
                         session.LoadSensorBindings());
        directory_->Set(std::make_shared<SensorDirectory>(std::move(sensors)));
        RETURN_IF_ERROR(access_->Audit(
            session, caller, rpc::kImportInventory,
            absl::StrCat("organizations ", response.organizations(), ", sites ",
                         response.sites(), ", spaces ", response.spaces(),
                         ", workstations ", response.workstations(),
                         ", sensors ", response.sensors())));
        absl::Status after =
            after_import_ ? after_import_(session) : absl::OkStatus();
        bool own_buffer = false;
        if (!grpc::SerializationTraits<v1::ImportInventoryResponse>::Serialize(
                 response, response_bytes, &own_buffer)
                 .ok()) {
          return absl::InternalError(
              "ImportInventory: cannot encode the response");
        }
        return after;
      });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::ListOrganizations(
    grpc::CallbackServerContext* context,
    const v1::ListOrganizationsRequest* /*request*/,
    v1::ListOrganizationsResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kListOrganizations,
                  [=](StorageSession& session) {
                    ASSIGN_OR_RETURN(std::vector<v1::Organization> list,
                                     session.ListOrganizations());
                    for (v1::Organization& item : list) {
                      *response->add_organizations() = std::move(item);
                    }
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::ListSites(
    grpc::CallbackServerContext* context,
    const v1::ListSitesRequest* /*request*/, v1::ListSitesResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kListSites,
                  [=](StorageSession& session, const Caller& caller) {
                    ASSIGN_OR_RETURN(std::vector<v1::Site> list,
                                     session.ListSites());
                    if (caller.role == Role::kDevice) {
                      // Only the sites of the device's own sensors, and no
                      // figures.
                      ASSIGN_OR_RETURN(std::vector<v1::Sensor> sensors,
                                       session.ListSensors("", caller.gateway));
                      absl::flat_hash_set<std::string> own;
                      for (const v1::Sensor& sensor : sensors)
                        own.insert(sensor.site());
                      std::erase_if(list, [&](const v1::Site& site) {
                        return !own.contains(site.code());
                      });
                      for (v1::Site& site : list) {
                        site.clear_office_area_m2();
                        site.clear_annual_rent_eur();
                      }
                    }
                    for (v1::Site& item : list)
                      *response->add_sites() = std::move(item);
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::GetSite(
    grpc::CallbackServerContext* context, const v1::GetSiteRequest* request,
    v1::Site* response) {
  return RunUnary(context, executor_, *access_, rpc::kGetSite,
                  [=](StorageSession& session) {
                    ASSIGN_OR_RETURN(*response,
                                     session.GetSite(request->code()));
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::ListSpaces(
    grpc::CallbackServerContext* context, const v1::ListSpacesRequest* request,
    v1::ListSpacesResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kListSpaces,
                  [=](StorageSession& session) {
                    if (request->site().empty()) {
                      return absl::InvalidArgumentError("site: is required");
                    }
                    ASSIGN_OR_RETURN(std::vector<v1::Space> list,
                                     session.ListSpaces(request->site()));
                    for (v1::Space& item : list)
                      *response->add_spaces() = std::move(item);
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::GetPlanSvg(
    grpc::CallbackServerContext* context, const v1::GetPlanSvgRequest* request,
    v1::GetPlanSvgResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kGetPlanSvg,
                  [=](StorageSession& session) {
                    if (request->space().empty()) {
                      return absl::InvalidArgumentError("space: is required");
                    }
                    ASSIGN_OR_RETURN(*response,
                                     session.GetPlanSvg(request->space()));
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::ListWorkstations(
    grpc::CallbackServerContext* context,
    const v1::ListWorkstationsRequest* request,
    v1::ListWorkstationsResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kListWorkstations,
                  [=](StorageSession& session) {
                    if (request->site().empty()) {
                      return absl::InvalidArgumentError("site: is required");
                    }
                    ASSIGN_OR_RETURN(std::vector<v1::Workstation> list,
                                     session.ListWorkstations(
                                         request->site(), request->space()));
                    for (v1::Workstation& item : list) {
                      *response->add_workstations() = std::move(item);
                    }
                    return absl::OkStatus();
                  });
}

grpc::ServerUnaryReactor* InventoryServiceImpl::ListSensors(
    grpc::CallbackServerContext* context, const v1::ListSensorsRequest* request,
    v1::ListSensorsResponse* response) {
  return RunUnary(context, executor_, *access_, rpc::kListSensors,
                  [=, this](StorageSession& session, const Caller& caller) {
                    // A device lists only its own gateway's sensors.
                    RETURN_IF_ERROR(access_->CheckOwnGateway(
                        caller, request->gateway(), rpc::kListSensors));
                    ASSIGN_OR_RETURN(std::vector<v1::Sensor> list,
                                     session.ListSensors(request->site(),
                                                         request->gateway()));
                    for (v1::Sensor& item : list)
                      *response->add_sensors() = std::move(item);
                    return absl::OkStatus();
                  });
}

}  // namespace monipaikka
