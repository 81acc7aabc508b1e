#include "edge/decode/line_protocol.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/time_format.h"

namespace monipaikka::edge {

absl::StatusOr<std::optional<LineReading>> ParseLine(absl::string_view line) {
  if (line.size() > kMaxLineBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line: ", line.size(), " bytes is longer than ", kMaxLineBytes));
  }
  absl::string_view text = absl::StripAsciiWhitespace(line);
  if (text.empty() || text[0] == '#') return std::optional<LineReading>();
  std::vector<absl::string_view> fields =
      absl::StrSplit(text, absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (fields.size() < 2 || fields.size() > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("line: expected \"<sensor> <state> [<time>]\", got ",
                     fields.size(), " fields"));
  }
  LineReading reading;
  if (fields[0].size() > 128) {
    return absl::InvalidArgumentError("sensor: longer than 128 characters");
  }
  for (char c : fields[0]) {
    if (static_cast<unsigned char>(c) <= 0x20 ||
        static_cast<unsigned char>(c) >= 0x7f) {
      return absl::InvalidArgumentError(
          "sensor: only printable ASCII without spaces");
    }
  }
  reading.sensor = std::string(fields[0]);
  const absl::string_view state = fields[1];
  if (state == "occupied") {
    reading.occupied = true;
  } else if (state == "free" || state == "vacant") {
    reading.occupied = false;
  } else if (absl::StartsWith(state, "count=")) {
    int64_t count = 0;
    if (!absl::SimpleAtoi(state.substr(6), &count) ||
        !absl::ascii_isdigit(
            static_cast<unsigned char>(state.size() > 6 ? state[6] : 'x'))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "state: \"", state, "\" is not count=<non-negative integer>"));
    }
    if (count < 0 || count > 100000) {
      return absl::OutOfRangeError(
          absl::StrCat("state: count ", count, " is outside 0..100000"));
    }
    reading.count = static_cast<int32_t>(count);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("state: \"", state.substr(0, 32),
                     "\" is not occupied, free, vacant or count=<n>"));
  }
  if (fields.size() == 3) {
    const absl::string_view time = fields[2];
    int64_t ms = 0;
    bool digits = !time.empty();
    for (char c : time)
      digits = digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
    if (digits) {
      if (!absl::SimpleAtoi(time, &ms) || ms <= 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "time: \"", time.substr(0, 32), "\" is not Unix milliseconds"));
      }
    } else {
      absl::StatusOr<int64_t> parsed = ParseInstantMs(time);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("time: ", parsed.status().message()));
      }
      ms = *parsed;
    }
    reading.ts_ms = ms;
  }
  return std::optional<LineReading>(std::move(reading));
}

}  // namespace monipaikka::edge
