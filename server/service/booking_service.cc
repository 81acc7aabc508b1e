#include "server/service/booking_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
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
        std::vector<int32_t> sites;
        ASSIGN_OR_RETURN(*response, monipaikka::ImportBookings(
                                        session, *inventory, pseudonymizer_,
                                        *request, deps_.now_ms(), &sites));
        if (deps_.imports != nullptr) {
          deps_.imports->bookings += response->problems_size();
        }
        absl::StatusOr<int64_t> from_ms =
            ParseInstantMs(response->covered_from());
        absl::StatusOr<int64_t> to_ms = ParseInstantMs(response->covered_to());
        if (!sites.empty() && from_ms.ok() && to_ms.ok() &&
            response->added() + response->removed() > 0) {
          std::vector<std::string> codes;
          for (int32_t site : sites) {
            codes.push_back(inventory->sites()[site].code);
          }
          PrepareBookingDaysLater(std::move(codes), *from_ms, *to_ms);
        }
        return deps_.access->Audit(
            session, caller, rpc::kImportBookings,
            absl::StrCat("source \"", request->source(), "\": added ",
                         response->added(), ", removed ", response->removed(),
                         ", unchanged ", response->unchanged(), ", problems ",
                         response->problems_size()));
      });
}

void BookingServiceImpl::PrepareBookingDaysLater(
    std::vector<std::string> site_codes, int64_t from_ms, int64_t to_ms) {
  deps_.executor->Post([this, site_codes = std::move(site_codes), from_ms,
                        to_ms](StorageSession& session) {
    std::shared_ptr<const OccupancyInventory> inventory =
        deps_.inventory->Get();
    if (inventory == nullptr) return;
    for (const std::string& code : site_codes) {
      // No wait for the summarizer: a date whose sensor days it writes
      // later is marked, and its site-days are computed again then.
      ReportContext context{session, *inventory, deps_.now_ms(),
                            deps_.max_window_days, deps_.registry};
      const absl::Time start = absl::Now();
      absl::StatusOr<int32_t> dates =
          PrepareBookingDays(context, code, from_ms, to_ms);
      if (dates.ok()) {
        Log(LogLevel::kInfo, "booking_days_prepared",
            {{"site", code},
             {"dates", *dates},
             {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
      } else {
        Log(LogLevel::kWarning, "booking_days_not_prepared",
            {{"site", code}, {"error", dates.status().ToString()}});
      }
    }
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
