#pragma once

// The booking commands: `bookings import FILE` (an iCalendar export, or a
// desk-booking CSV with the columns workstation or space, start, end and
// optionally booker), `bookings sources`, and `report bookings`
// (docs/bookings.md).

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/command_options.h"
#include "client/table.h"
#include "monipaikka/v1/bookings.grpc.pb.h"

namespace monipaikka::client {

struct BookingImportArgs {
  std::string path;    // FILE: .ics is iCalendar, anything else CSV
  std::string source;  // the export's source; default: the file name
  std::string space;   // room of iCalendar events that name none
};

// The rows of a desk-booking CSV: a header naming the columns (any order,
// any case; "desk" is taken for "workstation", "room" for "space"), then one
// booking per record. INVALID_ARGUMENT naming the file for a missing
// column; a malformed record is skipped and described in *problems
// ("name:line: message").
absl::StatusOr<v1::ImportBookingsRequest> ReadBookingCsv(
    std::istream& in, const std::string& name,
    std::vector<std::string>* problems);

// Imports one file; prints the summary and each problem (by line). Sets
// *rows_refused when some rows or events were not taken.
absl::Status ImportBookingsFile(v1::BookingService::StubInterface& stub,
                                const BookingImportArgs& args,
                                const CommandOptions& options,
                                std::ostream& out, std::ostream& err,
                                bool* rows_refused);

absl::Status ListBookingSources(v1::BookingService::StubInterface& stub,
                                const CommandOptions& options,
                                std::ostream& out);

// "site", "floor", "room", "organization", "weekday", "hour" or "" (none).
absl::StatusOr<v1::BookingGrouping> ParseBookingGrouping(const std::string& by);

// The report as a table: one row for the total, then one per group; desk
// columns then room columns.
Table BookingReportTable(const v1::BookingReport& report);
// The right-sizing of rooms by the people present.
Table RoomSizeTable(const v1::BookingReport& report);

absl::Status ShowBookingReport(v1::BookingService::StubInterface& stub,
                               const v1::BookingReportRequest& request,
                               const CommandOptions& options,
                               std::ostream& out);

}  // namespace monipaikka::client
