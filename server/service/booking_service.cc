#include "server/service/booking_service.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "server/auth/rpc_policy.h"
#include "server/bookings/booking_import.h"
#include "server/bookings/booking_report.h"
#include "server/service/unary_call.h"

namespace monipaikka {

grpc::ServerUnaryReactor* BookingServiceImpl::ImportBookings(
    grpc::CallbackServerContext* context,
    const v1::ImportBookingsRequest* request,
    v1::ImportBookingsResponse* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kImportBookings,
      [=, this](StorageSession& session, const Caller& caller) {
        std::shared_ptr<const OccupancyInventory> inventory =
            deps_.inventory->Get();
        if (inventory == nullptr) {
          return absl::UnavailableError("the inventory is not loaded yet");
        }
        ASSIGN_OR_RETURN(*response, monipaikka::ImportBookings(
                                        session, *inventory, pseudonymizer_,
                                        *request, deps_.now_ms()));
        return deps_.access->Audit(
            session, caller, rpc::kImportBookings,
            absl::StrCat("source \"", request->source(), "\": added ",
                         response->added(), ", removed ", response->removed(),
                         ", unchanged ", response->unchanged(), ", problems ",
                         response->problems_size()));
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::GetBookingReport(
    grpc::CallbackServerContext* context,
    const v1::BookingReportRequest* request, v1::BookingReport* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kGetBookingReport,
      [=, this](StorageSession& session) {
        return WithReportContext(deps_, session, [&](const ReportContext& c) {
          ASSIGN_OR_RETURN(*response, BuildBookingReport(c, *request));
          return absl::OkStatus();
        });
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::ListBookingSources(
    grpc::CallbackServerContext* context,
    const v1::ListBookingSourcesRequest* /*request*/,
    v1::ListBookingSourcesResponse* response) {
  return RunUnary(
      context, deps_.executor, *deps_.access, rpc::kListBookingSources,
      [=](StorageSession& session) -> absl::Status {
        ASSIGN_OR_RETURN(std::vector<BookingSourceRow> rows,
                         session.Bookings().ListBookingSources());
        for (const BookingSourceRow& row : rows) {
          v1::BookingSource* source = response->add_sources();
          source->set_name(row.name);
          source->set_format(row.format);
          source->set_imported(FormatInstantMs(row.imported_ms));
          source->set_bookings(row.bookings);
          if (row.bookings > 0) {
            source->set_first_start(FormatInstantMs(row.first_start_ms));
            source->set_last_end(FormatInstantMs(row.last_end_ms));
          }
        }
        return absl::OkStatus();
      });
}

}  // namespace monipaikka
