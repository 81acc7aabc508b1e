#include "edge/decode/network_object.h"

#include <limits>
#include <string>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace monipaikka::edge {
namespace {

// A member name for an error message: the numbered keys (line_N_...,
// region_N_count) come from the input, so they are cut and escaped.
std::string KeyName(absl::string_view key) {
  return absl::CHexEscape(key.substr(0, kQuotedBytes));
}

// A non-negative count field: an integer, or {"value": integer}.
absl::StatusOr<std::optional<int64_t>> CountField(const Json& object,
                                                  const char* key) {
  const Json* value = Member(object, key);
  if (value == nullptr) return std::optional<int64_t>();
  if (value->is_object()) {
    const Json* inner = Member(*value, "value");
    if (inner != nullptr) value = inner;
  }
  std::optional<int64_t> number = AsInt(*value);
  if (!number) {
    return absl::InvalidArgumentError(absl::StrCat("object.", KeyName(key),
                                                   ": ", JsonExcerpt(*value),
                                                   " is not an integer"));
  }
  if (*number < 0 || *number > std::numeric_limits<int32_t>::max()) {
    return absl::OutOfRangeError(absl::StrCat("object.", KeyName(key), ": ",
                                              *number, " is out of range"));
  }
  return number;
}

}  // namespace

absl::StatusOr<DecodedPayload> FromNetworkObject(const Json& object) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat("object: ", JsonExcerpt(object), " is not a JSON object"));
  }
  DecodedPayload out;
  // Presence.
  if (const Json* occupancy = Member(object, "occupancy")) {
    if (occupancy->is_string()) {
      const std::string text = occupancy->get<std::string>();
      if (text != "occupied" && text != "vacant") {
        return absl::OutOfRangeError(
            absl::StrCat("object.occupancy: ", QuoteText(text),
                         " is not occupied or vacant"));
      }
      out.occupied = text == "occupied";
    } else {
      std::optional<int64_t> value = AsInt(*occupancy);
      if (!value) {
        return absl::InvalidArgumentError(
            absl::StrCat("object.occupancy: ", JsonExcerpt(*occupancy),
                         " is neither a number nor a string"));
      }
      if (*value < 0 || *value > 2) {
        return absl::OutOfRangeError(
            absl::StrCat("object.occupancy: ", *value, " is not 0, 1 or 2"));
      }
      out.occupied = *value == 2;
    }
  }
  if (const Json* occupied = Member(object, "occupied")) {
    if (!occupied->is_boolean()) {
      return absl::InvalidArgumentError(
          absl::StrCat("object.occupied: ", JsonExcerpt(*occupied),
                       " is not true or false"));
    }
    out.occupied = occupied->get<bool>();
  }
  if (const Json* pir = Member(object, "pir")) {
    if (!pir->is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("object.pir: ", JsonExcerpt(*pir), " is not a string"));
    }
    const std::string text = pir->get<std::string>();
    if (text != "trigger" && text != "normal" && text != "idle") {
      return absl::OutOfRangeError(absl::StrCat(
          "object.pir: ", QuoteText(text), " is not trigger, normal or idle"));
    }
    out.occupied = text == "trigger";
  }
  // Counts.
  for (const char* key : {"people_count_all", "people_count", "count"}) {
    absl::StatusOr<std::optional<int64_t>> value = CountField(object, key);
    if (!value.ok()) return value.status();
    if (*value) {
      out.count = static_cast<int32_t>(**value);
      break;
    }
  }
  absl::StatusOr<std::optional<int64_t>> motion = CountField(object, "motion");
  if (!motion.ok()) return motion.status();
  if (*motion) out.motion_count = static_cast<int32_t>(**motion);
  // Numbered per-line and per-region fields.
  std::optional<int64_t> region_sum;
  for (auto it = object.begin(); it != object.end(); ++it) {
    absl::string_view key = it.key();
    const bool line = absl::StartsWith(key, "line_");
    const bool region =
        absl::StartsWith(key, "region_") && absl::EndsWith(key, "_count");
    if (!line && !region) continue;
    absl::StatusOr<std::optional<int64_t>> value =
        CountField(object, it.key().c_str());
    if (!value.ok()) return value.status();
    if (!*value) continue;
    const uint32_t n = static_cast<uint32_t>(**value);
    if (region) {
      region_sum = region_sum.value_or(0) + n;
    } else if (absl::EndsWith(key, "_total_in")) {
      out.total_in = out.total_in.value_or(0) + n;
    } else if (absl::EndsWith(key, "_total_out")) {
      out.total_out = out.total_out.value_or(0) + n;
    } else if (absl::EndsWith(key, "_period_in") || key == "line_in") {
      out.period_in = out.period_in.value_or(0) + n;
    } else if (absl::EndsWith(key, "_period_out") || key == "line_out") {
      out.period_out = out.period_out.value_or(0) + n;
    }
  }
  if (region_sum && !out.count) {
    if (*region_sum > std::numeric_limits<int32_t>::max()) {
      return absl::OutOfRangeError("object.region_N_count: sum out of range");
    }
    out.count = static_cast<int32_t>(*region_sum);
  }
  for (const auto& [in_key, out_key, total] :
       {std::tuple{"people_in", "people_out", false},
        std::tuple{"people_total_in", "people_total_out", true}}) {
    absl::StatusOr<std::optional<int64_t>> in = CountField(object, in_key);
    if (!in.ok()) return in.status();
    absl::StatusOr<std::optional<int64_t>> gone = CountField(object, out_key);
    if (!gone.ok()) return gone.status();
    if (!*in && !*gone) continue;
    auto& in_field = total ? out.total_in : out.period_in;
    auto& out_field = total ? out.total_out : out.period_out;
    in_field = static_cast<uint32_t>(in->value_or(0));
    out_field = static_cast<uint32_t>(gone->value_or(0));
  }
  // Health.
  if (const Json* vdd = Member(object, "vdd")) {
    const Json* value = vdd->is_object() ? Member(*vdd, "value") : vdd;
    std::optional<int64_t> mv = value ? AsInt(*value) : std::nullopt;
    if (!mv || *mv < 0 || *mv > std::numeric_limits<int32_t>::max()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "object.vdd: ", JsonExcerpt(*vdd), " is not a voltage in mV"));
    }
    out.battery_mv = static_cast<int32_t>(*mv);
  }
  if (const Json* battery = Member(object, "battery")) {
    std::optional<int64_t> percent = AsInt(*battery);
    if (!percent || *percent < 0 ||
        *percent > std::numeric_limits<int32_t>::max()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "object.battery: ", JsonExcerpt(*battery), " is not a percentage"));
    }
    out.battery_percent = static_cast<int32_t>(*percent);
  }
  if (!out.HasState() && !out.HasHealth()) {
    return absl::UnimplementedError(
        "object: no occupancy, count, in/out or battery field");
  }
  return out;
}

}  // namespace monipaikka::edge
