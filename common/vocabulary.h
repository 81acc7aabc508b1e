#pragma once

// The domain vocabulary of the inventory: sensor kinds, space levels and
// kinds, workstation kinds and statuses, as enums, with their text names and
// the defaults an empty field stands for.
//
// The text names are the values of the API (inventory.proto) and of the
// database columns; they never change. Text is turned into an enum once, where
// it enters (inventory import, rows loaded from storage, the edge's served
// sensors), and compared as an enum everywhere after.
//
// Depends on abseil only, so that the server, the edge agent and the client
// can all use it.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// What a sensor watches and what its readings mean.
enum class SensorKind : uint8_t {
  kDeskPresence,   // "desk_presence": one workstation, 0/1
  kRoomPresence,   // "room_presence": a space, 0/1
  kPeopleCounter,  // "people_counter": a space, a count or in/out crossings
  kAreaCount,      // "area_count": a space, the number of people in it
};
inline constexpr std::array<SensorKind, 4> kSensorKinds = {
    SensorKind::kDeskPresence, SensorKind::kRoomPresence,
    SensorKind::kPeopleCounter, SensorKind::kAreaCount};

// The levels of a site's space tree, outermost first: a floor holds zones and
// rooms, a zone holds rooms. The enum order is the nesting order, so
// `parent < child` holds for every valid parent.
enum class SpaceLevel : uint8_t {
  kFloor,  // "floor"
  kZone,   // "zone"
  kRoom,   // "room"
};
inline constexpr std::array<SpaceLevel, 3> kSpaceLevels = {
    SpaceLevel::kFloor, SpaceLevel::kZone, SpaceLevel::kRoom};

// What a zone or room is used for. A floor has none (the field is empty).
enum class SpaceKind : uint8_t {
  kOpenWorkspace,    // "open_workspace"
  kMeetingRoom,      // "meeting_room"
  kQuietRoom,        // "quiet_room"
  kCustomerService,  // "customer_service"
  kSpecial,          // "special"
};
inline constexpr std::array<SpaceKind, 5> kSpaceKinds = {
    SpaceKind::kOpenWorkspace, SpaceKind::kMeetingRoom, SpaceKind::kQuietRoom,
    SpaceKind::kCustomerService, SpaceKind::kSpecial};

// The workstation kinds tracked (DOMAIN.md).
enum class WorkstationKind : uint8_t {
  kHome,        // "home": a registered home workstation (etätyöpiste)
  kAssigned,    // "assigned": a personal desk
  kUnassigned,  // "unassigned": a hot desk
  kMultiSpace,  // "multi-space": in an activity-based environment
  kShared,      // "shared": in premises several agencies use
};
inline constexpr std::array<WorkstationKind, 5> kWorkstationKinds = {
    WorkstationKind::kHome, WorkstationKind::kAssigned,
    WorkstationKind::kUnassigned, WorkstationKind::kMultiSpace,
    WorkstationKind::kShared};

// Whether a workstation counts in reports. Inactive ones stay in the
// inventory (their history) but are left out of every figure.
enum class WorkstationStatus : uint8_t {
  kActive,    // "active"
  kInactive,  // "inactive"
};
inline constexpr std::array<WorkstationStatus, 2> kWorkstationStatuses = {
    WorkstationStatus::kActive, WorkstationStatus::kInactive};

// ---- Defaults: what an empty field of the API stands for ----

// The status of a workstation imported without one.
inline constexpr WorkstationStatus kDefaultWorkstationStatus =
    WorkstationStatus::kActive;
// The IANA time zone of a site imported without one.
inline constexpr char kDefaultTimeZone[] = "Europe/Helsinki";

// ---- Names: the API and database text of each value ----

// A reference to a string that lives as long as the program (so it can go
// straight into a protobuf setter or a string_view).
const std::string& Name(SensorKind kind);
const std::string& Name(SpaceLevel level);
const std::string& Name(SpaceKind kind);
const std::string& Name(WorkstationKind kind);
const std::string& Name(WorkstationStatus status);

// The names of `values` joined with ", ", e.g. "floor, zone, room".
template <typename Enum, size_t N>
std::string JoinNames(const std::array<Enum, N>& values) {
  std::string joined;
  for (Enum value : values) {
    absl::StrAppend(&joined, joined.empty() ? "" : ", ", Name(value));
  }
  return joined;
}

// ---- Parsing: exact, case-sensitive text names ----

// std::nullopt when `text` is not the name of a value (an empty text is not).
std::optional<SensorKind> ParseSensorKind(absl::string_view text);
std::optional<SpaceLevel> ParseSpaceLevel(absl::string_view text);
std::optional<SpaceKind> ParseSpaceKind(absl::string_view text);
std::optional<WorkstationKind> ParseWorkstationKind(absl::string_view text);
std::optional<WorkstationStatus> ParseWorkstationStatus(absl::string_view text);

// As the Parse… functions, but INVALID_ARGUMENT naming the bad value and the
// allowed ones when `text` is none of them, e.g.
// "\"lab\" is not one of floor, zone, room". Callers prefix the field.
absl::StatusOr<SensorKind> RequireSensorKind(absl::string_view text);
absl::StatusOr<SpaceLevel> RequireSpaceLevel(absl::string_view text);
absl::StatusOr<SpaceKind> RequireSpaceKind(absl::string_view text);
absl::StatusOr<WorkstationKind> RequireWorkstationKind(absl::string_view text);
absl::StatusOr<WorkstationStatus> RequireWorkstationStatus(
    absl::string_view text);

// ---- Facts about values ----

// Whether the sensor reports presence (0/1: occupied or free) rather than a
// number of people.
constexpr bool ReportsPresence(SensorKind kind) {
  return kind == SensorKind::kDeskPresence || kind == SensorKind::kRoomPresence;
}

// Whether the workstation stands in an office (a home workstation does not:
// it is no office capacity).
constexpr bool InOffice(WorkstationKind kind) {
  return kind != WorkstationKind::kHome;
}

}  // namespace monipaikka
