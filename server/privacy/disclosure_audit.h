#pragma once

// Disclosure audit of a system of published tables (docs/hr-privacy.md,
// "Anonymity").
//
// The figures of a period are cells linked by linear constraints (a total is
// the sum of its parts, a group splits into those who meet a threshold and
// those who do not, a change is the difference of two snapshots, …). Some
// cells are withheld; the attacker knows every published cell, every cell
// marked `known`, the constraints, each cell's a-priori bounds and which
// cells are integral, and bounds each withheld cell by minimising and
// maximising it (linear programming, mixed-integer where integrality
// matters). This module chooses which cells to withhold so that those bounds
// stay wide.
//
// Protection interval. A withheld cell c is protected when the attacker's
// minimum of c is <= c.protect_low and the maximum is >= c.protect_high. For
// a count v of 1 … k−1 the HR tables set protect_low = 0 and
// protect_high = min(k, a-priori upper bound): the attacker can not tell
// whether the true value is 0 or at least k (or the whole group). Only
// sensitive cells carry a protection interval; a withheld non-sensitive cell
// (secondary suppression) only has to stay unpinned, otherwise it is
// published after all. A sensitive hidden cell (never shown, e.g. a small
// complement) is protected the same way.
//
// Pure functions, no I/O, deterministic: the same cells and constraints
// always give the same pattern. The solver is GLPK (simplex with warm starts
// within a block, branch-and-bound where a block has integral cells and the
// relaxation does not decide); its terminal output is switched off.

#include <atomic>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace monipaikka {

// One figure of a period's system of published tables, or a hidden variable
// (never shown) that links them, e.g. a complement or a day total.
struct AuditCell {
  double value = 0;        // the true value
  bool integer = true;     // counts are integral; FTE sums are not
  double lower_bound = 0;  // a-priori bounds anyone knows (e.g. 0 … group size)
  double upper_bound = std::numeric_limits<double>::infinity();
  bool shown = true;   // false: never published (hidden variable)
  bool known = false;  // the attacker knows it anyway (e.g. a unit's headcount)
  bool sensitive = false;  // primary suppression: must be withheld
  // If withheld: the attacker's minimum must be <= protect_low and maximum >=
  // protect_high.
  double protect_low = 0;
  double protect_high = 0;
  // Secondary suppression prefers cells of lower cost (then lower index).
  double cost = 0;
};

struct LinearConstraint {
  enum Sense { kEqual, kAtMost, kAtLeast };
  std::vector<std::pair<size_t, double>> terms;  // cell index, coefficient
  Sense sense = kEqual;
  double rhs = 0;
};

// Where an audit's work went, for benchmarks and operators.
struct AuditStats {
  // Unknown cells (withheld, or hidden and not known) per block of the
  // final pattern that holds a withheld or sensitive cell, largest first.
  std::vector<size_t> block_sizes;
  // Wall seconds of the three phases: the protection checks (is a side of a
  // withheld cell reachable?), the choice of secondary cells, and the final
  // bounds of every withheld cell.
  double check_seconds = 0;
  double secondary_seconds = 0;
  double final_seconds = 0;
};

struct AuditOutcome {
  std::vector<bool> withheld;  // per cell; hidden cells are false
  std::vector<double>
      attacker_min;  // per cell: see AuditDisclosure / AttackerBounds
  std::vector<double> attacker_max;
  int solves = 0;          // LP/MIP solves done
  int problems_built = 0;  // block problems built by the protection checks
  int feasibility_searches =
      0;  // branch-and-bound feasibility searches among the solves
  AuditStats stats;
};

struct AuditOptions {
  // The audit stops with DEADLINE_EXCEEDED once this instant has passed (it
  // is checked before every solve, and GLPK's own time limit ends a long
  // solve at it). Nothing of a stopped audit is kept; the next call starts
  // afresh.
  absl::Time deadline = absl::InfiniteFuture();
  // When set, the audit stops with CANCELLED once it reads true (checked
  // before every solve, like the deadline; a solve under way runs to its
  // end). Not owned; outlives the call. For a server that shuts down.
  const std::atomic<bool>* cancelled = nullptr;
};

// Chooses the cells to withhold: every sensitive shown cell, plus secondary
// cells until every withheld cell's bounds, computed from all shown
// non-withheld cells (fixed at their values), the known cells, the
// constraints and integrality, meet its protection. A withheld cell that is
// not sensitive and that the published cells pin exactly is published after
// all (it is known anyway). Deterministic. INVALID_ARGUMENT for a constraint
// naming a missing cell or for bounds that exclude a cell's value; INTERNAL
// if the solver fails.
//
// How a side is checked: the attacker reaches c.protect_low (resp.
// c.protect_high) when some solution, integral where cells are, puts c at or
// beyond it. Every solution the audit finds (and checks against every
// bound, constraint and integrality) is recorded: withholding more only
// frees cells, so it stays a solution, and a side some recorded solution
// reaches needs no solve. Otherwise the linear relaxation decides when it
// can not reach the limit (not protected) or reaches it at an integral
// vertex (protected); otherwise a branch-and-bound search for any solution
// with c's bound tightened to the limit decides, and one not found within a
// fixed number of nodes counts as not protected (more is withheld). The
// problem of a block of unknown cells is built once and kept,
// warm-started, until a withheld cell changes it.
//
// attacker_min/attacker_max hold, for every cell the attacker does not know
// (withheld, or hidden and not known) that shares a block with a withheld or
// sensitive cell, the range of the recorded solutions: an inner bound of
// the attacker's range, which covers the protection interval of every
// protected cell. A withheld secondary cell that no recorded solution moves
// off its value is bounded exactly instead (the linear relaxation, then
// integrality), and published when that pins it. For other cells: the value.
//
// Secondary cells are chosen per unprotected bound by a linear program that
// lets published cells deviate from their values at a price of (cost + 1)
// per unit and asks the withheld cell to reach its protection limit; the
// cells that had to move are withheld. If protection is impossible (the
// known cells alone pin a sensitive cell), every cell that could help is
// withheld and the cell stays unprotected: callers must not mark a cell
// known that they want protected.
absl::StatusOr<AuditOutcome> AuditDisclosure(
    const std::vector<AuditCell>& cells,
    const std::vector<LinearConstraint>& constraints,
    const AuditOptions& options = {});

// The attacker's bounds for every cell, given which cells are published: a
// cell is fixed at its value when it is known, or shown and not withheld
// (`withheld[i]` false). attacker_min/attacker_max are filled for every cell
// (fixed cells: their value), exactly: integral cells by branch-and-bound to
// optimality; `withheld` is copied from the argument.
// For test attackers and benchmarks.
absl::StatusOr<AuditOutcome> AttackerBounds(
    const std::vector<AuditCell>& cells,
    const std::vector<LinearConstraint>& constraints,
    const std::vector<bool>& withheld);

}  // namespace monipaikka
