#pragma once

// Conversions between UTC instants (integer milliseconds since the Unix
// epoch, named *_ms) and text, and between civil days and text.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace monipaikka {

// Parses an ISO-8601 / RFC 3339 instant with an explicit offset, e.g.
// "2026-03-23T07:15:00Z" or "2026-03-23T09:15:00.250+02:00".
absl::StatusOr<int64_t> ParseInstantMs(absl::string_view text);

// Formats as "2026-03-23T07:15:00Z" (milliseconds shown only when non-zero).
std::string FormatInstantMs(int64_t ts_ms);

// Parses "YYYY-MM-DD".
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);
std::string FormatDate(absl::CivilDay day);

// Parses "HH:MM" (00:00 … 24:00) into minutes after midnight.
absl::StatusOr<int> ParseClockMinutes(absl::string_view text);
std::string FormatClockMinutes(int minutes);

// Loads an IANA time zone from the system database (tzdata).
absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view name);

// The UTC instant of a local civil time in `zone`. Times skipped by a DST
// change map to the instant the clock jumps to; repeated times to the
// first occurrence.
int64_t LocalToMs(absl::CivilSecond local, const absl::TimeZone& zone);

inline int64_t ToMs(absl::Time t) { return absl::ToUnixMillis(t); }
inline absl::Time FromMs(int64_t ms) { return absl::FromUnixMillis(ms); }

}  // namespace monipaikka
