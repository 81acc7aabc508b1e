#include "common/time_format.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace monipaikka {

namespace {

// Whether text[begin, end) is all ASCII digits.
bool AllDigits(absl::string_view text, size_t begin, size_t end) {
  if (end > text.size()) return false;
  for (size_t i = begin; i < end; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ParseInstantMs(absl::string_view text) {
  absl::Time t;
  std::string error;
  // absl::ParseTime also takes "infinite-future", "infinite-past" and years
  // of any length, none of which is an RFC 3339 instant (and which would
  // saturate the milliseconds): insist on a four-digit year.
  absl::string_view stripped = absl::StripLeadingAsciiWhitespace(text);
  bool parsed = false;
  if (!AllDigits(stripped, 0, 4) || stripped.size() < 5 || stripped[4] != '-') {
    error = "the year must have four digits";
  } else {
    parsed = absl::ParseTime(absl::RFC3339_full, text, &t, &error);
  }
  if (!parsed) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text,
                     "\" is not an ISO-8601 instant like "
                     "2026-03-23T07:15:00Z (",
                     error, ")"));
  }
  return absl::ToUnixMillis(t);
}

std::string FormatInstantMs(int64_t ts_ms) {
  absl::Time t = absl::FromUnixMillis(ts_ms);
  if (ts_ms % 1000 == 0) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  absl::CivilDay day;
  if (text.size() != 10 || !absl::ParseCivilTime(text, &day) ||
      absl::FormatCivilTime(day) != text) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a date like 2026-03-23"));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::FormatCivilTime(day);
}

absl::StatusOr<int> ParseClockMinutes(absl::string_view text) {
  int hours = 0;
  int minutes = 0;
  // Exactly two digits each side: SimpleAtoi alone would take "+8" or " 8".
  if (text.size() != 5 || text[2] != ':' || !AllDigits(text, 0, 2) ||
      !AllDigits(text, 3, 5) || !absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes) || hours < 0 ||
      minutes < 0 || minutes > 59 || hours > 24 ||
      (hours == 24 && minutes != 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a time of day like 08:00"));
  }
  return hours * 60 + minutes;
}

std::string FormatClockMinutes(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone \"", name, "\""));
  }
  return zone;
}

int64_t LocalToMs(absl::CivilSecond local, const absl::TimeZone& zone) {
  absl::TimeZone::TimeInfo info = zone.At(local);
  switch (info.kind) {
    case absl::TimeZone::TimeInfo::UNIQUE:
      return absl::ToUnixMillis(info.pre);
    case absl::TimeZone::TimeInfo::SKIPPED:
      return absl::ToUnixMillis(info.trans);
    case absl::TimeZone::TimeInfo::REPEATED:
      return absl::ToUnixMillis(info.pre);
  }
  return absl::ToUnixMillis(info.pre);
}

}  // namespace monipaikka
