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

// Each switch lists every value (-Wswitch warns of a missing one); the return
// after it is reached only by a value cast from an out-of-range integer.
absl::string_view Name(SensorKind kind) {
  switch (kind) {
    case SensorKind::kDeskPresence:
      return "desk_presence";
    case SensorKind::kRoomPresence:
      return "room_presence";
    case SensorKind::kPeopleCounter:
      return "people_counter";
    case SensorKind::kAreaCount:
      return "area_count";
  }
  return "";
}

absl::string_view Name(SpaceLevel level) {
  switch (level) {
    case SpaceLevel::kFloor:
      return "floor";
    case SpaceLevel::kZone:
      return "zone";
    case SpaceLevel::kRoom:
      return "room";
  }
  return "";
}

absl::string_view Name(SpaceKind kind) {
  switch (kind) {
    case SpaceKind::kOpenWorkspace:
      return "open_workspace";
    case SpaceKind::kMeetingRoom:
      return "meeting_room";
    case SpaceKind::kQuietRoom:
      return "quiet_room";
    case SpaceKind::kCustomerService:
      return "customer_service";
    case SpaceKind::kSpecial:
      return "special";
  }
  return "";
}

absl::string_view Name(WorkstationKind kind) {
  switch (kind) {
    case WorkstationKind::kHome:
      return "home";
    case WorkstationKind::kAssigned:
      return "assigned";
    case WorkstationKind::kUnassigned:
      return "unassigned";
    case WorkstationKind::kMultiSpace:
      return "multi-space";
    case WorkstationKind::kShared:
      return "shared";
  }
  return "";
}

absl::string_view Name(WorkstationStatus status) {
  switch (status) {
    case WorkstationStatus::kActive:
      return "active";
    case WorkstationStatus::kInactive:
      return "inactive";
  }
  return "";
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
