#include "client/fake_services_test_util.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace monipaikka::client::testing {
namespace {

bool KnownSite(const std::string& code) {
  return code == "HKI-VT" || code == "TRE-1";
}

grpc::Status NoSuchSite(const std::string& code) {
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      absl::StrCat("no site \"", code, "\""));
}

}  // namespace

grpc::Status FakeInventoryService::ImportInventory(
    grpc::ServerContext*, const v1::ImportInventoryRequest* request,
    v1::ImportInventoryResponse* response) {
  const v1::Inventory& inventory = request->inventory();
  for (const v1::Workstation& workstation : inventory.workstations()) {
    if (workstation.space().empty()) {
      return grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("workstation ", workstation.code(), ": space is empty"));
    }
  }
  absl::MutexLock lock(&mu_);
  last_import_ = inventory;
  response->set_organizations(inventory.organizations_size());
  response->set_sites(inventory.sites_size());
  response->set_spaces(inventory.spaces_size());
  response->set_workstations(inventory.workstations_size());
  response->set_sensors(inventory.sensors_size());
  return grpc::Status::OK;
}

grpc::Status FakeInventoryService::ListOrganizations(
    grpc::ServerContext*, const v1::ListOrganizationsRequest*,
    v1::ListOrganizationsResponse* response) {
  v1::Organization* ely = response->add_organizations();
  ely->set_code("ELY-UUS");
  ely->set_name("Uudenmaan ELY-keskus");
  v1::Organization* vero = response->add_organizations();
  vero->set_code("VERO");
  vero->set_name("Verohallinto");
  return grpc::Status::OK;
}

grpc::Status FakeInventoryService::ListSites(grpc::ServerContext*,
                                             const v1::ListSitesRequest*,
                                             v1::ListSitesResponse* response) {
  v1::Site* hki = response->add_sites();
  hki->set_code("HKI-VT");
  hki->set_name("Virastotalo");
  hki->set_kind("D");
  hki->set_address("Mannerheimintie 1, Helsinki");
  hki->set_municipality("Helsinki");
  hki->set_office_area_m2(1250.5);
  hki->set_annual_rent_eur(410000);
  v1::Site* tre = response->add_sites();
  tre->set_code("TRE-1");
  tre->set_name("Tampereen toimipiste");
  tre->set_kind("B");
  tre->set_municipality("Tampere");
  tre->set_timezone("Europe/Helsinki");
  tre->mutable_core_hours()->add_weekdays(1);
  tre->mutable_core_hours()->add_weekdays(2);
  tre->mutable_core_hours()->add_weekdays(3);
  tre->mutable_core_hours()->set_start("07:00");
  tre->mutable_core_hours()->set_end("15:00");
  return grpc::Status::OK;
}

grpc::Status FakeInventoryService::ListSpaces(
    grpc::ServerContext*, const v1::ListSpacesRequest* request,
    v1::ListSpacesResponse* response) {
  if (!KnownSite(request->site())) return NoSuchSite(request->site());
  v1::Space* floor = response->add_spaces();
  floor->set_code(request->site() + "-2");
  floor->set_site(request->site());
  floor->set_level("floor");
  floor->set_name("2. kerros");
  floor->set_area_m2(600);
  floor->set_has_plan_svg(true);
  v1::Space* room = response->add_spaces();
  room->set_code(request->site() + "-2-A");
  room->set_site(request->site());
  room->set_parent(request->site() + "-2");
  room->set_level("room");
  room->set_kind("open_workspace");
  room->set_name("Avotila A");
  room->set_area_m2(120.25);
  room->set_capacity(14);
  return grpc::Status::OK;
}

grpc::Status FakeInventoryService::GetPlanSvg(
    grpc::ServerContext*, const v1::GetPlanSvgRequest* request,
    v1::GetPlanSvgResponse* response) {
  response->set_space(request->space());
  if (request->space() == "HKI-VT-2" || request->space() == "TRE-1-2") {
    response->set_svg(kFakePlanSvg);
  }
  return grpc::Status::OK;
}

grpc::Status FakeInventoryService::ListWorkstations(
    grpc::ServerContext*, const v1::ListWorkstationsRequest* request,
    v1::ListWorkstationsResponse* response) {
  {
    absl::MutexLock lock(&mu_);
    last_workstations_request_ = *request;
  }
  if (!KnownSite(request->site())) return NoSuchSite(request->site());
  v1::Workstation* desk = response->add_workstations();
  desk->set_code("HKI-VT-2-A-014");
  desk->set_space("HKI-VT-2-A");
  desk->set_kind("multi-space");
  desk->set_organization("ELY-UUS");
  desk->set_x_m(4.5);
  desk->set_y_m(0);
  v1::Workstation* shared = response->add_workstations();
  shared->set_code("HKI-VT-2-A-015");
  shared->set_space("HKI-VT-2-A");
  shared->set_kind("shared");
  shared->set_status("inactive");
  return grpc::Status::OK;
}

grpc::Status FakeInventoryService::ListSensors(
    grpc::ServerContext*, const v1::ListSensorsRequest* request,
    v1::ListSensorsResponse* response) {
  {
    absl::MutexLock lock(&mu_);
    last_sensors_request_ = *request;
  }
  v1::Sensor* sensor = response->add_sensors();
  sensor->set_external_id("70B3D57ED0001234");
  sensor->set_kind("desk_presence");
  sensor->set_workstation("HKI-VT-2-A-014");
  sensor->set_gateway("gw-hki-1");
  sensor->set_installed("2026-01-15");
  sensor->set_site("HKI-VT");
  return grpc::Status::OK;
}

v1::Inventory FakeInventoryService::last_import() const {
  absl::MutexLock lock(&mu_);
  return last_import_;
}

v1::ListWorkstationsRequest FakeInventoryService::last_workstations_request()
    const {
  absl::MutexLock lock(&mu_);
  return last_workstations_request_;
}

v1::ListSensorsRequest FakeInventoryService::last_sensors_request() const {
  absl::MutexLock lock(&mu_);
  return last_sensors_request_;
}

grpc::Status FakeUtilizationService::GetUtilization(
    grpc::ServerContext*, const v1::UtilizationRequest* request,
    v1::UtilizationReport* response) {
  {
    absl::MutexLock lock(&mu_);
    last_request_ = *request;
  }
  if (request->site() != "HKI-VT") return NoSuchSite(request->site());
  *response = report_;
  return grpc::Status::OK;
}

v1::UtilizationRequest FakeUtilizationService::last_request() const {
  absl::MutexLock lock(&mu_);
  return last_request_;
}

v1::BatchAck FakeIngestService::Acknowledge(const v1::ReadingBatch& batch) {
  absl::MutexLock lock(&mu_);
  v1::BatchAck ack;
  ack.set_batch_id(batch.batch_id() + behaviour_.batch_id_offset);
  for (int i = 0; i < batch.readings_size(); ++i) {
    const v1::Reading& reading = batch.readings(i);
    if (absl::StartsWith(reading.sensor(), "unknown")) {
      v1::RejectedReading* rejected = ack.add_rejected();
      rejected->set_index(static_cast<uint32_t>(i));
      rejected->set_reason(v1::REJECT_REASON_UNKNOWN_SENSOR);
      rejected->set_message(absl::StrCat("no sensor \"", reading.sensor(),
                                         "\" in the inventory"));
    } else if (stored_.emplace(reading.sensor(), reading.ts_ms()).second) {
      ack.set_accepted(ack.accepted() + 1);
    } else {
      ack.set_duplicates(ack.duplicates() + 1);
    }
  }
  if (behaviour_.overcount) ack.set_accepted(ack.accepted() + 1);
  return ack;
}

grpc::Status FakeIngestService::StreamReadings(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::BatchAck, v1::ReadingBatch>* stream) {
  {
    absl::MutexLock lock(&mu_);
    ++streams_;
  }
  std::deque<v1::ReadingBatch> held;
  v1::ReadingBatch batch;
  int received = 0;
  while (stream->Read(&batch)) {
    ++received;
    {
      absl::MutexLock lock(&mu_);
      batch_sizes_.push_back(batch.readings_size());
      gateways_.insert(batch.gateway());
    }
    if (received == behaviour_.fail_on_batch) {
      return grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("batch ", batch.batch_id(), " is not acceptable"));
    }
    if (behaviour_.never_ack) continue;
    held.push_back(batch);
    while (static_cast<int>(held.size()) > behaviour_.hold_acks_for_batches) {
      stream->Write(Acknowledge(held.front()));
      held.pop_front();
    }
  }
  if (behaviour_.never_ack) {
    while (!context->IsCancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return grpc::Status::CANCELLED;
  }
  for (const v1::ReadingBatch& rest : held) stream->Write(Acknowledge(rest));
  return grpc::Status::OK;
}

int FakeIngestService::streams() const {
  absl::MutexLock lock(&mu_);
  return streams_;
}

std::vector<int> FakeIngestService::batch_sizes() const {
  absl::MutexLock lock(&mu_);
  return batch_sizes_;
}

std::set<std::string> FakeIngestService::gateways() const {
  absl::MutexLock lock(&mu_);
  return gateways_;
}

int64_t FakeIngestService::stored() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(stored_.size());
}

FakeServer::FakeServer(std::vector<grpc::Service*> services) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    std::fprintf(stderr, "FakeServer: cannot listen on 127.0.0.1\n");
    std::abort();
  }
  address_ = absl::StrCat("127.0.0.1:", port);
}

FakeServer::~FakeServer() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

std::shared_ptr<grpc::Channel> FakeServer::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

}  // namespace monipaikka::client::testing
