#include "common/vocabulary.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace monipaikka {
namespace {

// The value of `values` whose name is `text`.
template <typename Enum, size_t N>
std::optional<Enum> FindByName(const std::array<Enum, N>& values,
                               absl::string_view text) {
  for (Enum value : values) {
    if (Name(value) == text) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
absl::StatusOr<Enum> RequireName(const std::array<Enum, N>& values,
                                 absl::string_view text) {
  if (std::optional<Enum> value = FindByName(values, text)) return *value;
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text, "\" is not one of ", JoinNames(values)));
}

}  // namespace

// The names in enum order: Name(value) is kNames[value]. A value cast from an
// out-of-range integer is a broken invariant: at() stops the program.
const std::string& Name(SensorKind kind) {
  static const auto* const kNames = new std::array<std::string, 4>{
      "desk_presence", "room_presence", "people_counter", "area_count"};
  return kNames->at(static_cast<size_t>(kind));
}

const std::string& Name(SpaceLevel level) {
  static const auto* const kNames =
      new std::array<std::string, 3>{"floor", "zone", "room"};
  return kNames->at(static_cast<size_t>(level));
}

const std::string& Name(SpaceKind kind) {
  static const auto* const kNames = new std::array<std::string, 5>{
      "open_workspace", "meeting_room", "quiet_room", "customer_service",
      "special"};
  return kNames->at(static_cast<size_t>(kind));
}

const std::string& Name(WorkstationKind kind) {
  static const auto* const kNames = new std::array<std::string, 5>{
      "home", "assigned", "unassigned", "multi-space", "shared"};
  return kNames->at(static_cast<size_t>(kind));
}

const std::string& Name(WorkstationStatus status) {
  static const auto* const kNames =
      new std::array<std::string, 2>{"active", "inactive"};
  return kNames->at(static_cast<size_t>(status));
}

std::optional<SensorKind> ParseSensorKind(absl::string_view text) {
  return FindByName(kSensorKinds, text);
}
std::optional<SpaceLevel> ParseSpaceLevel(absl::string_view text) {
  return FindByName(kSpaceLevels, text);
}
std::optional<SpaceKind> ParseSpaceKind(absl::string_view text) {
  return FindByName(kSpaceKinds, text);
}
std::optional<WorkstationKind> ParseWorkstationKind(absl::string_view text) {
  return FindByName(kWorkstationKinds, text);
}
std::optional<WorkstationStatus> ParseWorkstationStatus(
    absl::string_view text) {
  return FindByName(kWorkstationStatuses, text);
}

absl::StatusOr<SensorKind> RequireSensorKind(absl::string_view text) {
  return RequireName(kSensorKinds, text);
}
absl::StatusOr<SpaceLevel> RequireSpaceLevel(absl::string_view text) {
  return RequireName(kSpaceLevels, text);
}
absl::StatusOr<SpaceKind> RequireSpaceKind(absl::string_view text) {
  return RequireName(kSpaceKinds, text);
}
absl::StatusOr<WorkstationKind> RequireWorkstationKind(absl::string_view text) {
  return RequireName(kWorkstationKinds, text);
}
absl::StatusOr<WorkstationStatus> RequireWorkstationStatus(
    absl::string_view text) {
  return RequireName(kWorkstationStatuses, text);
}

}  // namespace monipaikka
