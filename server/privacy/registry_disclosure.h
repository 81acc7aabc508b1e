#pragma once

// Which figures derived from the HR registry may be published outside the
// HR tables (issue 11 §1, docs/hr-privacy.md): the FTE (htv) of a site's
// or an organization's employees, and what gives it back (m²/htv = area ÷
// FTE, whether a target is met).
//
// The figures of one publication date form one system: a site's FTE is the
// sum over organizations of their employees with an office there, an
// organization's the sum over its sites (and over its employees without an
// office site). Attacker (docs/hr-privacy.md: any token, any request, knows who
// works where, so every headcount) sees every site's and every
// organization's figure of the date, and any sum of them (the consolidation
// what-if). The auditor (server/privacy/disclosure_audit.h) withholds
//  - every figure of a group of 1 … k−1 employees (primary);
//  - every figure of a group in which 1 … k−1 employees changed (joined,
//    left or changed FTE) since the previous publication date: the
//    difference between the two dates would be theirs (primary; the
//    previous date's figures are taken as known to the attacker, so the
//    pattern of a date depends only on the registry at it and at the date
//    before, whatever is asked);
//  - further figures until no withheld FTE can be narrowed, from all the
//    published ones, the a-priori bounds 0 … 1.5 htv per employee and the
//    sums, to an interval narrower than the protection interval:
//    [v − h, v + h] clipped to 0 … 1.5 × headcount, h = fte_protection_htv
//    (default 0.5 htv), v the true value (secondary).
// A group without employees has FTE 0 and is shown: it names nobody.
//
// Pure functions, no I/O. Deterministic.

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/privacy/publication_calendar.h"

namespace monipaikka {

// One employee's registry row on a date, as these figures see it.
struct RegistryMember {
  int64_t employee_id = 0;
  std::string organization;  // organization code
  std::string site;          // office site code; empty: none
  double fte = 0;            // htv, 0 … 1.5
};

struct RegistryDisclosureSettings {
  // Groups of fewer than k employees are withheld (the HR reports' k).
  int anonymity_k = 5;
  // Half-width of the protection interval of a withheld FTE, htv.
  double fte_protection_htv = 0.5;
};

// How the server publishes registry-derived figures (server flags
// --anonymity_k and --hr_publication).
struct RegistryPublication {
  RegistryDisclosureSettings disclosure;
  PublicationCalendar calendar = PublicationCalendar::kMonthEnd;
  // Today in Europe/Helsinki: a publication date is used once it has
  // passed (the registry of the day itself may still change). The default
  // publishes nothing after 1969.
  absl::CivilDay today = absl::CivilDay(1970, 1, 1);
};

// The publication date whose figures answer a request for `requested`: the
// latest on or before it that has passed.
inline absl::CivilDay RegistryDateFor(absl::CivilDay requested,
                                      const RegistryPublication& publication) {
  return LatestPublicationDate(std::min(requested, publication.today - 1),
                               publication.calendar);
}

// Why a figure is not published.
enum class RegistryWithheld {
  kShown = 0,
  kSmallGroup,       // fewer than k employees
  kFewChanges,       // fewer than k employees changed since the last date
  kRevealsWithheld,  // it would reveal another withheld figure
};

struct RegistryFigure {
  int64_t headcount = 0;  // employees valid on the date
  double fte = 0;         // Σ FTE, htv; the true value even when withheld
  RegistryWithheld withheld = RegistryWithheld::kShown;
  bool shown() const { return withheld == RegistryWithheld::kShown; }
};

struct RegistryFigures {
  // By code, for every code given (a code nobody is at gets headcount 0).
  std::map<std::string, RegistryFigure> sites;
  std::map<std::string, RegistryFigure> organizations;
  // LP solves the audit took.
  int solves = 0;
};

// The figures of one publication date. `members` are the employees valid
// on it, `previous` those valid on the previous publication date. Codes of
// members that are not in `sites` / `organizations` are still counted in
// the other dimension (a member at an unlisted site counts in its
// organization; the unlisted site is modelled as never shown).
// INTERNAL if the solver fails.
absl::StatusOr<RegistryFigures> PublishRegistryFigures(
    const std::vector<std::string>& organizations,
    const std::vector<std::string>& sites,
    std::span<const RegistryMember> members,
    std::span<const RegistryMember> previous,
    const RegistryDisclosureSettings& settings);

// "fewer than 5 employees", or, for kFewChanges and kRevealsWithheld alike,
// "withheld by the disclosure audit (fewer than 5 employees changed since
// the previous publication date, or it would reveal another withheld
// figure)"; empty for a shown figure.
std::string WithheldReasonText(RegistryWithheld withheld, int anonymity_k);

}  // namespace monipaikka
