#include "client/booking_commands.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/csv_reader.h"
#include "client/number_format.h"
#include "client/output_format.h"
#include "client/text_file.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"

namespace monipaikka::client {

absl::StatusOr<v1::ImportBookingsRequest> ReadBookingCsv(
    std::istream& in, const std::string& name,
    std::vector<std::string>* problems) {
  CsvReader reader(&in);
  CsvRecord record;
  v1::ImportBookingsRequest request;
  if (!reader.Next(&record)) {
    RETURN_IF_ERROR(reader.io_status());
    return absl::InvalidArgumentError(absl::StrCat(name, ": empty file"));
  }
  std::map<std::string, int> column;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    std::string heading =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(record.fields[i]));
    if (heading == "desk") heading = "workstation";
    if (heading == "room") heading = "space";
    column.emplace(heading, static_cast<int>(i));
  }
  for (const char* required : {"start", "end"}) {
    if (!column.contains(required)) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ":1: no column \"", required,
          "\" (columns: workstation or space, start, end, booker)"));
    }
  }
  if (!column.contains("workstation") && !column.contains("space")) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, ":1: no column \"workstation\" or \"space\""));
  }
  auto field = [&](const char* heading) -> std::string {
    auto it = column.find(heading);
    if (it == column.end() ||
        it->second >= static_cast<int>(record.fields.size())) {
      return "";
    }
    return std::string(absl::StripAsciiWhitespace(record.fields[it->second]));
  };
  while (reader.Next(&record)) {
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;
    if (!record.status.ok()) {
      problems->push_back(
          absl::StrCat(name, ":", record.line, ": ", record.status.message()));
      continue;
    }
    v1::DeskBookingRow* row = request.add_rows();
    row->set_line(record.line);
    row->set_workstation(field("workstation"));
    row->set_space(field("space"));
    row->set_start(field("start"));
    row->set_end(field("end"));
    row->set_booker(field("booker"));
  }
  RETURN_IF_ERROR(reader.io_status());
  return request;
}

absl::Status ImportBookingsFile(v1::BookingService::StubInterface& stub,
                                const BookingImportArgs& args,
                                const CommandOptions& options,
                                std::ostream& out, std::ostream& err,
                                bool* rows_refused) {
  v1::ImportBookingsRequest request;
  const std::string name = args.path;
  std::vector<std::string> local_problems;
  if (absl::EndsWithIgnoreCase(args.path, ".ics")) {
    ASSIGN_OR_RETURN(std::string text, ReadTextFile(args.path));
    request.set_ics(std::move(text));
  } else {
    std::ifstream file;
    RETURN_IF_ERROR(OpenTextFile(args.path, &file));
    ASSIGN_OR_RETURN(request, ReadBookingCsv(file, name, &local_problems));
  }
  for (const std::string& p : local_problems) err << p << "\n";
  if (request.ics().empty() && request.rows_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": no booking to import",
        local_problems.empty() ? " (an empty file, or only a header)"
                               : " (every row was refused)"));
  }
  request.set_source(args.source.empty()
                         ? std::filesystem::path(args.path).filename().string()
                         : args.source);
  request.set_space(args.space);
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ImportBookingsResponse response;
  absl::Status sent =
      FromGrpcStatus(stub.ImportBookings(&context, request, &response));
  if (absl::IsResourceExhausted(sent)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        name, ": too large for one import (", sent.message(),
        "): split the export by month; each part replaces only the dates it "
        "covers"));
  }
  RETURN_IF_ERROR(sent);
  if (!local_problems.empty()) *rows_refused = true;
  for (const v1::BookingProblem& p : response.problems()) {
    err << name << ":" << p.line() << ": " << p.message() << "\n";
  }
  if (response.problems_size() > 0) *rows_refused = true;
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(response, out);
    return absl::OkStatus();
  }
  Table table({{"source", "source"},
               {"received", "received", Align::kRight},
               {"added", "added", Align::kRight},
               {"removed", "removed", Align::kRight},
               {"unchanged", "unchanged", Align::kRight},
               {"cancelled", "cancelled", Align::kRight},
               {"problems", "problems", Align::kRight},
               {"covered from", "covered_from"},
               {"covered to", "covered_to"}});
  table.AddRow(
      {request.source(), absl::StrCat(response.received()),
       absl::StrCat(response.added()), absl::StrCat(response.removed()),
       absl::StrCat(response.unchanged()), absl::StrCat(response.cancelled()),
       absl::StrCat(response.problems_size()), response.covered_from(),
       response.covered_to()});
  WriteTable(table, options.output, out);
  if (response.bookers_dropped() > 0) {
    err << "bookings import: " << response.bookers_dropped()
        << " booker names dropped: the server has no pseudonym key\n";
  }
  return absl::OkStatus();
}

absl::Status ListBookingSources(v1::BookingService::StubInterface& stub,
                                const CommandOptions& options,
                                std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::ListBookingSourcesResponse response;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.ListBookingSources(&context, {}, &response)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(response, out);
    return absl::OkStatus();
  }
  Table table({{"source", "source"},
               {"format", "format"},
               {"imported", "imported"},
               {"bookings", "bookings", Align::kRight},
               {"first start", "first_start"},
               {"last end", "last_end"}});
  for (const v1::BookingSource& s : response.sources()) {
    table.AddRow({s.name(), s.format(), s.imported(),
                  absl::StrCat(s.bookings()), s.first_start(), s.last_end()});
  }
  WriteTable(table, options.output, out);
  return absl::OkStatus();
}

absl::StatusOr<v1::BookingGrouping> ParseBookingGrouping(
    const std::string& by) {
  static const auto* kNames = new std::map<std::string, v1::BookingGrouping>{
      {"", v1::BOOKING_GROUPING_NONE},
      {"site", v1::BOOKING_GROUPING_SITE},
      {"floor", v1::BOOKING_GROUPING_FLOOR},
      {"room", v1::BOOKING_GROUPING_ROOM},
      {"organization", v1::BOOKING_GROUPING_ORGANIZATION},
      {"weekday", v1::BOOKING_GROUPING_WEEKDAY},
      {"hour", v1::BOOKING_GROUPING_HOUR}};
  auto it = kNames->find(by);
  if (it == kNames->end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--by: \"", by,
                     "\" is not one of site, floor, room, organization, "
                     "weekday, hour"));
  }
  return it->second;
}

Table BookingReportTable(const v1::BookingReport& report) {
  Table table({{"group", "key"},
               {"label", "label"},
               {"booked desk-days", "booked_desk_days", Align::kRight},
               {"no-shows", "no_shows", Align::kRight},
               {"no-show %", "no_show_rate_pct", Align::kRight},
               {"unmeasured", "booked_unmeasured", Align::kRight},
               {"unbooked use", "unbooked_used", Align::kRight},
               {"unbooked %", "unbooked_use_share_pct", Align::kRight},
               {"meetings", "meetings", Align::kRight},
               {"booked h", "booked_hours", Align::kRight},
               {"unknown h", "booked_unknown_hours", Align::kRight},
               {"occupied %", "booked_occupied_share_pct", Align::kRight},
               {"ghosts", "ghosts", Align::kRight},
               {"ghost unknown", "ghost_unknown", Align::kRight},
               {"ghost %", "ghost_rate_pct", Align::kRight},
               {"early releases", "early_releases", Align::kRight},
               {"released h", "released_hours", Align::kRight},
               {"walk-ins", "walk_ins", Align::kRight},
               {"walk-in h", "walk_in_hours", Align::kRight},
               {"seat util %", "seat_utilization_pct", Align::kRight}});
  auto add = [&](const std::string& key, const std::string& label,
                 const v1::DeskBookingFigures& d,
                 const v1::RoomBookingFigures& r) {
    table.AddRow({key,
                  label,
                  absl::StrCat(d.booked_desk_days()),
                  absl::StrCat(d.no_shows()),
                  FormatPercent(d.no_show_rate()),
                  absl::StrCat(d.booked_unmeasured()),
                  absl::StrCat(d.unbooked_used()),
                  FormatPercent(d.unbooked_use_share()),
                  absl::StrCat(r.meetings()),
                  FormatHours(r.booked_ms()),
                  FormatHours(r.booked_unknown_ms()),
                  FormatPercent(r.booked_occupied_share()),
                  absl::StrCat(r.ghosts()),
                  absl::StrCat(r.ghost_unknown()),
                  FormatPercent(r.ghost_rate()),
                  absl::StrCat(r.early_releases()),
                  FormatHours(r.released_ms()),
                  absl::StrCat(r.walk_ins()),
                  FormatHours(r.walk_in_ms()),
                  r.has_seat_data() ? FormatPercent(r.seat_utilization())
                                    : std::string("-")});
  };
  add("total", "", report.desks(), report.rooms());
  for (const v1::BookingGroup& g : report.groups()) {
    add(g.key(), g.label(), g.desks(), g.rooms());
  }
  return table;
}

Table RoomSizeTable(const v1::BookingReport& report) {
  Table table({{"seats", "capacity", Align::kRight},
               {"rooms now", "rooms_now", Align::kRight},
               {"meetings", "meetings", Align::kRight},
               {"needed (P95)", "needed_p95", Align::kRight},
               {"surplus", "surplus", Align::kRight}});
  for (const v1::RoomSizeNeed& n : report.room_sizes()) {
    table.AddRow({absl::StrCat(n.capacity()), absl::StrCat(n.rooms_now()),
                  absl::StrCat(n.meetings()), absl::StrCat(n.needed_p95()),
                  absl::StrCat(n.surplus())});
  }
  return table;
}

absl::Status ShowBookingReport(v1::BookingService::StubInterface& stub,
                               const v1::BookingReportRequest& request,
                               const CommandOptions& options,
                               std::ostream& out) {
  grpc::ClientContext context;
  SetDeadline(options, &context);
  v1::BookingReport report;
  RETURN_IF_ERROR(
      FromGrpcStatus(stub.GetBookingReport(&context, request, &report)));
  if (options.output == OutputFormat::kJson) {
    WriteMessageJson(report, out);
    return absl::OkStatus();
  }
  if (options.output == OutputFormat::kTable) {
    out << "Bookings against sensors, " << report.from_date() << " to "
        << report.to_date()
        << (report.all_hours() ? ", all hours" : ", core hours")
        << "; desk-day rule " << report.desk_day_min_occupied_s() / 60
        << " min, ghost: no presence in the first " << report.ghost_first_min()
        << " min of bookings of " << report.ghost_min_booking_min()
        << " min or more, early release " << report.early_release_min()
        << " min\n\n";
  }
  WriteTable(BookingReportTable(report), options.output, out);
  if (options.output == OutputFormat::kTable && report.room_sizes_size() > 0) {
    out << "\nRooms needed by the people present (P95 over "
        << report.days_counted() << " days, rooms with a people counter):\n";
    WriteTable(RoomSizeTable(report), options.output, out);
  }
  return absl::OkStatus();
}

}  // namespace monipaikka::client
