#include "server/workforce/workforce_records.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view value,
                 absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": \"", value, "\" ", expected));
}

bool Digits(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return !text.empty();
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseIsoDay(absl::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !Digits(text.substr(0, 4)) || !Digits(text.substr(5, 2)) ||
      !Digits(text.substr(8, 2)) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return absl::InvalidArgumentError("is not a date (YYYY-MM-DD)");
  }
  const absl::CivilDay parsed(year, month, day);
  if (year < 1900 || parsed.year() != year || parsed.month() != month ||
      parsed.day() != day) {
    return absl::InvalidArgumentError("is not a date (YYYY-MM-DD)");
  }
  return parsed;
}

absl::StatusOr<absl::CivilMonth> ParseIsoMonth(absl::string_view text) {
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-' || !Digits(text.substr(0, 4)) ||
      !Digits(text.substr(5, 2)) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || month < 1 || month > 12 ||
      year < 1900) {
    return absl::InvalidArgumentError("is not a month (YYYY-MM)");
  }
  return absl::CivilMonth(year, month);
}

std::string FormatIsoMonth(absl::CivilMonth month) {
  return absl::StrFormat("%04d-%02d", month.year(), month.month());
}

int LocationKindIndex(absl::string_view kind) {
  if (kind.size() != 1) return -1;
  const char c = absl::ascii_toupper(kind[0]);
  return c >= 'A' && c <= 'G' ? c - 'A' : -1;
}

absl::CivilDay RetainedFrom(absl::CivilDay today, int months) {
  const absl::CivilMonth month = absl::CivilMonth(today) - months;
  const absl::CivilDay last_of_month = absl::CivilDay(month + 1) - 1;
  return std::min(absl::CivilDay(month.year(), month.month(), today.day()),
                  last_of_month);
}

absl::StatusOr<EmployeePeriod> CheckEmployeeRecord(
    const v1::EmployeeRecord& record) {
  EmployeePeriod period;
  if (absl::StripAsciiWhitespace(record.employee_id()).empty()) {
    return absl::InvalidArgumentError("employee_id: missing");
  }
  if (record.organization().empty()) {
    return absl::InvalidArgumentError("organization: missing");
  }
  period.organization = record.organization();
  period.unit = record.unit();
  if (!std::isfinite(record.fte()) || record.fte() < 0 || record.fte() > 1.5) {
    return Bad("fte", absl::StrCat(record.fte()), "is not between 0 and 1.5");
  }
  period.fte = record.fte();
  period.home_workstation = record.home_workstation();
  const std::string office = absl::AsciiStrToLower(record.office_workstation());
  if (office == "none") {
    period.office = OfficeWorkstation::kNone;
  } else if (office == "assigned") {
    period.office = OfficeWorkstation::kAssigned;
  } else if (office == "unassigned") {
    period.office = OfficeWorkstation::kUnassigned;
  } else {
    return Bad("office_workstation", record.office_workstation(),
               "is not none, assigned or unassigned");
  }
  period.multi_space = record.multi_space();
  period.shared_use = record.shared_use();
  period.site = record.site();
  absl::StatusOr<absl::CivilDay> from = ParseIsoDay(record.valid_from());
  if (!from.ok()) {
    return Bad("valid_from", record.valid_from(), from.status().message());
  }
  period.valid_from = *from;
  if (!record.valid_to().empty()) {
    absl::StatusOr<absl::CivilDay> to = ParseIsoDay(record.valid_to());
    if (!to.ok())
      return Bad("valid_to", record.valid_to(), to.status().message());
    if (*to < *from) {
      return Bad("valid_to", record.valid_to(),
                 absl::StrCat("is before valid_from ", record.valid_from()));
    }
    period.valid_to = *to;
  }
  return period;
}

absl::StatusOr<WorkDayInput> CheckWorkDayRecord(const v1::WorkDayRecord& record,
                                                const WorkDayWindow& window) {
  WorkDayInput day;
  if (absl::StripAsciiWhitespace(record.employee_id()).empty()) {
    return absl::InvalidArgumentError("employee_id: missing");
  }
  absl::StatusOr<absl::CivilDay> date = ParseIsoDay(record.date());
  if (!date.ok()) return Bad("date", record.date(), date.status().message());
  if (*date < window.retained_from) {
    return Bad("date", record.date(),
               absl::StrCat("is older than the retention period (days are "
                            "kept from ",
                            absl::FormatCivilTime(window.retained_from), ")"));
  }
  if (*date > window.today) {
    return Bad("date", record.date(), "is in the future");
  }
  day.day = *date;
  day.kind = LocationKindIndex(record.location_kind());
  if (day.kind < 0) {
    return Bad("location_kind", record.location_kind(), "is not A-G");
  }
  day.site = record.site();
  const std::string source = absl::AsciiStrToLower(record.source());
  if (source.empty()) {
    day.source = WorkDaySource::kUnspecified;
  } else if (source == "self-report") {
    day.source = WorkDaySource::kSelfReport;
  } else if (source == "booking") {
    day.source = WorkDaySource::kBooking;
  } else if (source == "badge") {
    day.source = WorkDaySource::kBadge;
  } else if (source == "hr-import") {
    day.source = WorkDaySource::kHrImport;
  } else {
    return Bad("source", record.source(),
               "is not self-report, booking, badge or hr-import");
  }
  return day;
}

}  // namespace monipaikka
