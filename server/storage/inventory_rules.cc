#include "server/storage/inventory_rules.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/calendar.h"
#include "common/time_format.h"
#include "common/vocabulary.h"

namespace monipaikka {
namespace {

absl::Status Invalid(absl::string_view where, absl::string_view field,
                     absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ".", field, ": ", problem));
}

absl::Status CheckCode(absl::string_view where, absl::string_view field,
                       absl::string_view code) {
  if (code.empty()) return Invalid(where, field, "is required");
  if (code.size() > 128) return Invalid(where, field, "is longer than 128");
  for (char c : code) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return Invalid(where, field, "contains a control character");
    }
  }
  return absl::OkStatus();
}

// The vocabulary value a field names (`parsed` from a Require… function of
// common/vocabulary.h), or INVALID_ARGUMENT naming `where`, the field, the
// value and the allowed ones.
template <typename Enum>
absl::StatusOr<Enum> CheckOneOf(absl::string_view where,
                                absl::string_view field,
                                absl::StatusOr<Enum> parsed) {
  if (!parsed.ok()) return Invalid(where, field, parsed.status().message());
  return parsed;
}

absl::Status CheckNonNegative(absl::string_view where, absl::string_view field,
                              double value) {
  if (!std::isfinite(value) || value < 0) {
    return Invalid(where, field,
                   absl::StrCat(value, " is not a non-negative number"));
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalDate(absl::string_view where, absl::string_view field,
                               absl::string_view value) {
  if (value.empty()) return absl::OkStatus();
  absl::StatusOr<absl::CivilDay> day = ParseDate(value);
  if (!day.ok()) return Invalid(where, field, day.status().message());
  return absl::OkStatus();
}

// A position on a floor, metres: finite, >= 0 and within kMaxFloorMetres.
absl::Status CheckFloorPosition(absl::string_view where,
                                absl::string_view field, double value) {
  if (!std::isfinite(value) || value < 0 || value > kMaxFloorMetres) {
    return Invalid(
        where, field,
        absl::StrCat(value, " is not a position in metres within 0 … ",
                     kMaxFloorMetres));
  }
  return absl::OkStatus();
}

// `text` without leading white space (and a byte order mark).
absl::string_view SkipSpace(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  return absl::StripLeadingAsciiWhitespace(text);
}

}  // namespace

absl::Status CheckPlanSvg(absl::string_view svg) {
  if (svg.size() > kMaxPlanSvgBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(svg.size(), " bytes is more than the ", kMaxPlanSvgBytes,
                     " a plan drawing may have"));
  }
  // The prolog: an XML declaration, comments and a document type
  // declaration without an internal subset (which could declare entities).
  absl::string_view rest = SkipSpace(svg);
  while (true) {
    absl::string_view end_mark;
    if (absl::StartsWith(rest, "<?")) {
      end_mark = "?>";
    } else if (absl::StartsWith(rest, "<!--")) {
      end_mark = "-->";
    } else if (absl::StartsWith(rest, "<!DOCTYPE")) {
      end_mark = ">";
      const size_t end = rest.find('>');
      if (rest.substr(0, end).find('[') != absl::string_view::npos) {
        return absl::InvalidArgumentError(
            "is not accepted: its DOCTYPE has an internal subset");
      }
    } else {
      break;
    }
    const size_t end = rest.find(end_mark);
    if (end == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          "is not an SVG document: the prolog "
          "does not end");
    }
    rest = SkipSpace(rest.substr(end + end_mark.size()));
  }
  if (!absl::StartsWith(rest, "<svg") || rest.size() < 5 ||
      !(absl::ascii_isspace(static_cast<unsigned char>(rest[4])) ||
        rest[4] == '>' || rest[4] == '/')) {
    return absl::InvalidArgumentError(
        "is not an SVG document: its root element is not <svg>");
  }
  const absl::string_view root_tag = rest.substr(0, rest.find('>'));
  if (root_tag.find("http://www.w3.org/2000/svg") == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "is not an SVG document: its <svg> element lacks "
        "xmlns=\"http://www.w3.org/2000/svg\"");
  }
  if (absl::StripTrailingAsciiWhitespace(rest).back() != '>' ||
      (rest.find("</svg>") == absl::string_view::npos &&
       !absl::EndsWith(root_tag, "/"))) {
    return absl::InvalidArgumentError(
        "is not an SVG document: the <svg> element does not end");
  }
  return absl::OkStatus();
}

absl::Status CheckOrganization(const v1::Organization& org,
                               absl::string_view where) {
  if (absl::Status s = CheckCode(where, "code", org.code()); !s.ok()) return s;
  if (org.name().empty()) return Invalid(where, "name", "is required");
  return absl::OkStatus();
}

absl::Status CheckSite(const v1::Site& site, absl::string_view where) {
  if (absl::Status s = CheckCode(where, "code", site.code()); !s.ok()) return s;
  if (site.name().empty()) return Invalid(where, "name", "is required");
  if (site.kind().size() != 1 || site.kind()[0] < 'A' || site.kind()[0] > 'G') {
    return Invalid(
        where, "kind",
        absl::StrCat("\"", site.kind(), "\" is not a site kind A-G"));
  }
  if (!site.timezone().empty()) {
    if (absl::StatusOr<absl::TimeZone> zone = LoadZone(site.timezone());
        !zone.ok()) {
      return Invalid(where, "timezone", zone.status().message());
    }
  }
  if (absl::Status s =
          CheckNonNegative(where, "office_area_m2", site.office_area_m2());
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckNonNegative(where, "annual_rent_eur", site.annual_rent_eur());
      !s.ok()) {
    return s;
  }
  std::vector<int> weekdays(site.core_hours().weekdays().begin(),
                            site.core_hours().weekdays().end());
  absl::StatusOr<WeeklyCoreHours> core = WeeklyCoreHours::FromSpec(
      weekdays, site.core_hours().start(), site.core_hours().end());
  if (!core.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".", core.status().message()));
  }
  return absl::OkStatus();
}

absl::Status CheckSpace(const v1::Space& space, absl::string_view where) {
  if (absl::Status s = CheckCode(where, "code", space.code()); !s.ok())
    return s;
  if (space.site().empty()) return Invalid(where, "site", "is required");
  absl::StatusOr<SpaceLevel> level =
      CheckOneOf(where, "level", RequireSpaceLevel(space.level()));
  if (!level.ok()) return level.status();
  if (*level == SpaceLevel::kFloor && !space.parent().empty()) {
    return Invalid(where, "parent", "a floor has no parent space");
  }
  if (*level != SpaceLevel::kFloor && space.parent().empty()) {
    return Invalid(where, "parent",
                   absl::StrCat("a ", Name(*level), " needs a parent space"));
  }
  if (!space.kind().empty()) {
    if (absl::StatusOr<SpaceKind> kind =
            CheckOneOf(where, "kind", RequireSpaceKind(space.kind()));
        !kind.ok()) {
      return kind.status();
    }
  }
  if (absl::Status s = CheckNonNegative(where, "area_m2", space.area_m2());
      !s.ok()) {
    return s;
  }
  if (space.capacity() < 0) {
    return Invalid(where, "capacity", "must not be negative");
  }
  if (!space.email().empty() &&
      (space.email().find('@') == std::string::npos ||
       space.email().find_first_of(" \t\r\n,;<>") != std::string::npos)) {
    return Invalid(where, "email", "is not a mailbox address (name@domain)");
  }
  if (!space.plan_svg().empty()) {
    if (*level != SpaceLevel::kFloor) {
      return Invalid(where, "plan_svg", "only a floor has a plan drawing");
    }
    if (absl::Status s = CheckPlanSvg(space.plan_svg()); !s.ok()) {
      return Invalid(where, "plan_svg", s.message());
    }
  }
  return absl::OkStatus();
}

absl::Status CheckWorkstation(const v1::Workstation& workstation,
                              absl::string_view where) {
  if (absl::Status s = CheckCode(where, "code", workstation.code()); !s.ok()) {
    return s;
  }
  if (workstation.space().empty())
    return Invalid(where, "space", "is required");
  if (absl::StatusOr<WorkstationKind> kind =
          CheckOneOf(where, "kind", RequireWorkstationKind(workstation.kind()));
      !kind.ok()) {
    return kind.status();
  }
  // Empty: kDefaultWorkstationStatus.
  if (!workstation.status().empty()) {
    if (absl::StatusOr<WorkstationStatus> status = CheckOneOf(
            where, "status", RequireWorkstationStatus(workstation.status()));
        !status.ok()) {
      return status.status();
    }
  }
  if (workstation.has_x_m() != workstation.has_y_m()) {
    return Invalid(where, workstation.has_x_m() ? "y_m" : "x_m",
                   "is required with the other coordinate (x_m and y_m go "
                   "together)");
  }
  if (workstation.has_x_m()) {
    if (absl::Status s = CheckFloorPosition(where, "x_m", workstation.x_m());
        !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckFloorPosition(where, "y_m", workstation.y_m());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSensor(const v1::Sensor& sensor, absl::string_view where) {
  if (absl::Status s = CheckCode(where, "external_id", sensor.external_id());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<SensorKind> kind =
      CheckOneOf(where, "kind", RequireSensorKind(sensor.kind()));
  if (!kind.ok()) return kind.status();
  if (sensor.workstation().empty() == sensor.space().empty()) {
    return Invalid(where, "workstation",
                   "exactly one of workstation and space must be set");
  }
  if (*kind == SensorKind::kDeskPresence && sensor.workstation().empty()) {
    return Invalid(where, "workstation",
                   "a desk_presence sensor is bound to a workstation");
  }
  if (absl::Status s = CheckCode(where, "gateway", sensor.gateway()); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckOptionalDate(where, "installed", sensor.installed());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckOptionalDate(where, "removed", sensor.removed());
      !s.ok()) {
    return s;
  }
  if (!sensor.installed().empty() && !sensor.removed().empty() &&
      sensor.removed() <= sensor.installed()) {
    return Invalid(where, "removed", "must be after installed");
  }
  return absl::OkStatus();
}

}  // namespace monipaikka
