#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "monipaikka/v1/bookings.grpc.pb.h"
#include "server/service/report_deps.h"
#include "server/workforce/pseudonym.h"

namespace monipaikka {

// Adapter of BookingService onto the booking import and report
// (server/bookings/). Imports run on the query executor's threads (one
// transaction each); the same roles as the facility reports.
class BookingServiceImpl final : public v1::BookingService::CallbackService {
 public:
  // `pseudonymizer` (not owned; may be null: booker names are then
  // dropped) must outlive the service.
  BookingServiceImpl(ReportDeps deps, const Pseudonymizer* pseudonymizer)
      : deps_(std::move(deps)), pseudonymizer_(pseudonymizer) {}

  grpc::ServerUnaryReactor* ImportBookings(
      grpc::CallbackServerContext* context,
      const v1::ImportBookingsRequest* request,
      v1::ImportBookingsResponse* response) override;
  grpc::ServerUnaryReactor* GetBookingReport(
      grpc::CallbackServerContext* context,
      const v1::BookingReportRequest* request,
      v1::BookingReport* response) override;
  grpc::ServerUnaryReactor* ListBookingSources(
      grpc::CallbackServerContext* context,
      const v1::ListBookingSourcesRequest* request,
      v1::ListBookingSourcesResponse* response) override;

 private:
  // After an import: the sites' stored site-days over its window, computed
  // on a query thread in the background, so that the first report after
  // the import reads them instead of computing them.
  void PrepareBookingDaysLater(std::vector<std::string> site_codes,
                               int64_t from_ms, int64_t to_ms);

  const ReportDeps deps_;
  const Pseudonymizer* const pseudonymizer_;
};

}  // namespace monipaikka
