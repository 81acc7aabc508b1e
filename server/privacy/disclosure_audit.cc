#include "server/privacy/disclosure_audit.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Tolerance of comparisons with solver results (the values are counts and
// sums of FTE, far above it).
constexpr double kEpsilon = 1e-6;
// Branch-and-bound nodes a side's integer feasibility check may open; a side
// not proven reachable within them counts as not reachable (the audit then
// withholds more). A count of nodes, not a time, keeps the audit
// deterministic.
constexpr int kFeasibilityNodeLimit = 200;
// Constraints between a cell to protect and the cells the secondary choice
// first considers (WithholdFor): two found 251 of 320 choices infeasible on
// the 7 600-employee benchmark, three 19 (the rest take the whole block).
constexpr int kNeighbourhoodHops = 3;

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};
using Problem = std::unique_ptr<glp_prob, ProblemDeleter>;

// GLPK keeps an environment per thread (its terminal switch, its memory
// accounting), created by the first GLPK call. It is freed when the thread
// ends, so a finished thread (e.g. the background audit of a month) leaves
// nothing behind. Every problem is deleted before its audit returns.
struct GlpkEnvironmentOfThisThread {
  ~GlpkEnvironmentOfThisThread() { glp_free_env(); }
};

// GLPK prints to the terminal by default; a server must stay quiet. The
// switch is per thread in GLPK 5, so every entry point sets it.
void SilenceGlpk() {
  thread_local GlpkEnvironmentOfThisThread environment;
  glp_term_out(GLP_OFF);
}

void SetColumnBounds(glp_prob* problem, int column, double low, double high) {
  const bool has_low = std::isfinite(low);
  const bool has_high = std::isfinite(high);
  if (has_low && has_high) {
    if (high - low <= kEpsilon) {
      glp_set_col_bnds(problem, column, GLP_FX, low, low);
    } else {
      glp_set_col_bnds(problem, column, GLP_DB, low, high);
    }
  } else if (has_low) {
    glp_set_col_bnds(problem, column, GLP_LO, low, 0);
  } else if (has_high) {
    glp_set_col_bnds(problem, column, GLP_UP, 0, high);
  } else {
    glp_set_col_bnds(problem, column, GLP_FR, 0, 0);
  }
}

// A-priori bounds of a cell; integral cells get their bounds rounded inwards.
std::pair<double, double> CellRange(const AuditCell& cell) {
  double low = cell.lower_bound;
  double high = cell.upper_bound;
  if (cell.integer) {
    if (std::isfinite(low)) low = std::ceil(low - kEpsilon);
    if (std::isfinite(high)) high = std::floor(high + kEpsilon);
  }
  return {low, high};
}

void SetRowSense(glp_prob* problem, int row, LinearConstraint::Sense sense,
                 double rhs) {
  switch (sense) {
    case LinearConstraint::kEqual:
      glp_set_row_bnds(problem, row, GLP_FX, rhs, rhs);
      break;
    case LinearConstraint::kAtMost:
      glp_set_row_bnds(problem, row, GLP_UP, 0, rhs);
      break;
    case LinearConstraint::kAtLeast:
      glp_set_row_bnds(problem, row, GLP_LO, rhs, 0);
      break;
  }
}

// The attacker's problem over one block of unknown cells, kept while the
// block is unchanged so that its solves start from the previous basis.
struct BlockProblem {
  std::vector<size_t> cells;        // sorted; column j + 1 is cells[j]
  std::vector<size_t> constraints;  // sorted; row i + 1 is constraints[i]
  Problem problem;
  bool integral = false;  // some cell is integral
  // The constraint rows (unscaled), to check a candidate point.
  struct Row {
    std::vector<int> columns;
    std::vector<double> coefficients;
    double low;
    double high;
  };
  std::vector<Row> rows;
  int Column(size_t cell) const {
    auto it = std::lower_bound(cells.begin(), cells.end(), cell);
    return it != cells.end() && *it == cell
               ? static_cast<int>(it - cells.begin()) + 1
               : 0;
  }
};

// Whether the attacker can bring a cell to a limit: proven yes, proven no,
// or not proven either way within the node limit.
enum class Reach { kYes, kNo, kUnproven };

// Branch-and-bound callback: stop past the node limit, and at the first
// integer solution when `info` points to true (any one proves a side).
void LimitSearch(glp_tree* tree, void* info) {
  if (*static_cast<bool*>(info) && glp_ios_reason(tree) == GLP_IBINGO) {
    glp_ios_terminate(tree);
    return;
  }
  int active = 0;
  int current = 0;
  int total = 0;
  glp_ios_tree_size(tree, &active, &current, &total);
  if (total > kFeasibilityNodeLimit) glp_ios_terminate(tree);
}

class Auditor {
 public:
  Auditor(const std::vector<AuditCell>& cells,
          const std::vector<LinearConstraint>& constraints,
          const AuditOptions& options = {})
      : cells_(cells),
        constraints_(constraints),
        deadline_(options.deadline),
        cancelled_(options.cancelled),
        cell_constraints_(cells.size()),
        withheld_(cells.size(), false) {
    for (const AuditCell& cell : cells) {
      reached_low_.push_back(cell.value);
      reached_high_.push_back(cell.value);
    }
  }

  absl::Status Validate() {
    for (size_t c = 0; c < cells_.size(); ++c) {
      const AuditCell& cell = cells_[c];
      if (!std::isfinite(cell.value)) {
        return absl::InvalidArgumentError(
            absl::StrCat("disclosure audit: cell ", c, " has no finite value"));
      }
      if (cell.value < cell.lower_bound - kEpsilon ||
          cell.value > cell.upper_bound + kEpsilon) {
        return absl::InvalidArgumentError(
            absl::StrCat("disclosure audit: cell ", c, " value ", cell.value,
                         " lies outside its bounds ", cell.lower_bound, " … ",
                         cell.upper_bound));
      }
    }
    for (size_t r = 0; r < constraints_.size(); ++r) {
      for (const auto& [cell, coefficient] : constraints_[r].terms) {
        if (cell >= cells_.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("disclosure audit: constraint ", r, " names cell ",
                           cell, " of ", cells_.size()));
        }
        if (!std::isfinite(coefficient) ||
            !std::isfinite(constraints_[r].rhs)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "disclosure audit: constraint ", r, " is not finite"));
        }
        if (cell_constraints_[cell].empty() ||
            cell_constraints_[cell].back() != r) {
          cell_constraints_[cell].push_back(r);
        }
      }
    }
    return absl::OkStatus();
  }

  void SetWithheld(std::vector<bool> withheld) {
    withheld_ = std::move(withheld);
  }
  const std::vector<bool>& withheld() const { return withheld_; }
  int solves() const { return solves_; }
  int problems_built() const { return problems_built_; }
  int feasibility_searches() const { return feasibility_searches_; }

  // Whether the attacker knows the cell's value.
  bool Fixed(size_t c) const {
    return cells_[c].known || (cells_[c].shown && !withheld_[c]);
  }

  // Cells that must meet their protection interval.
  bool Guarded(size_t c) const {
    return cells_[c].sensitive && !cells_[c].known &&
           (withheld_[c] || !cells_[c].shown);
  }

  // Connected components of the constraint graph over the cells the
  // attacker does not know. Each block lists its cells in index order;
  // `block_of[c]` is the block of an unknown cell (or -1).
  struct Blocks {
    std::vector<std::vector<size_t>> cells;
    std::vector<std::vector<size_t>> constraints;
    std::vector<int> block_of;
  };

  Blocks FindBlocks() const {
    std::vector<size_t> parent(cells_.size());
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](size_t c) {
      while (parent[c] != c) {
        parent[c] = parent[parent[c]];
        c = parent[c];
      }
      return c;
    };
    for (const LinearConstraint& constraint : constraints_) {
      size_t first = cells_.size();
      for (const auto& [cell, coefficient] : constraint.terms) {
        if (Fixed(cell) || coefficient == 0) continue;
        if (first == cells_.size()) {
          first = find(cell);
        } else {
          const size_t root = find(cell);
          if (root != first)
            parent[std::max(root, first)] = std::min(root, first);
          first = std::min(root, first);
        }
      }
    }
    Blocks blocks;
    blocks.block_of.assign(cells_.size(), -1);
    std::vector<int> block_of_root(cells_.size(), -1);
    for (size_t c = 0; c < cells_.size(); ++c) {
      if (Fixed(c)) continue;
      const size_t root = find(c);
      if (block_of_root[root] < 0) {
        block_of_root[root] = static_cast<int>(blocks.cells.size());
        blocks.cells.emplace_back();
      }
      blocks.block_of[c] = block_of_root[root];
      blocks.cells[block_of_root[root]].push_back(c);
    }
    blocks.constraints.resize(blocks.cells.size());
    for (size_t r = 0; r < constraints_.size(); ++r) {
      for (const auto& [cell, coefficient] : constraints_[r].terms) {
        if (Fixed(cell) || coefficient == 0) continue;
        blocks.constraints[blocks.block_of[cell]].push_back(r);
        break;
      }
    }
    return blocks;
  }

  // Builds the attacker's problem over `free_cells` (every other cell fixed
  // at its value) with the given constraints. `column_of` maps a cell to its
  // 1-based column.
  Problem BuildProblem(const std::vector<size_t>& free_cells,
                       const std::vector<size_t>& rows,
                       std::vector<int>& column_of) const {
    Problem problem(glp_create_prob());
    glp_add_cols(problem.get(), static_cast<int>(free_cells.size()));
    for (size_t i = 0; i < free_cells.size(); ++i) {
      const AuditCell& cell = cells_[free_cells[i]];
      const int column = static_cast<int>(i) + 1;
      column_of[free_cells[i]] = column;
      const auto [low, high] = CellRange(cell);
      SetColumnBounds(problem.get(), column, low, high);
      if (cell.integer) glp_set_col_kind(problem.get(), column, GLP_IV);
    }
    glp_add_rows(problem.get(), static_cast<int>(rows.size()));
    std::vector<int> ia{0};
    std::vector<int> ja{0};
    std::vector<double> ar{0};
    for (size_t i = 0; i < rows.size(); ++i) {
      const LinearConstraint& constraint = constraints_[rows[i]];
      const int row = static_cast<int>(i) + 1;
      double rhs = constraint.rhs;
      for (const auto& [cell, coefficient] : constraint.terms) {
        if (column_of[cell] > 0) {
          ia.push_back(row);
          ja.push_back(column_of[cell]);
          ar.push_back(coefficient);
        } else {
          rhs -= coefficient * cells_[cell].value;
        }
      }
      SetRowSense(problem.get(), row, constraint.sense, rhs);
    }
    glp_load_matrix(problem.get(), static_cast<int>(ia.size()) - 1, ia.data(),
                    ja.data(), ar.data());
    return problem;
  }

  // Minimises (direction GLP_MIN) or maximises the cell in `column`. Uses
  // the basis of the previous solve of the same problem (warm start), then
  // branch-and-bound when `integral`. ±infinity when unbounded.
  absl::StatusOr<double> Optimise(glp_prob* problem, int column, int direction,
                                  bool integral) {
    const int columns = glp_get_num_cols(problem);
    for (int j = 1; j <= columns; ++j) glp_set_obj_coef(problem, j, 0);
    glp_set_obj_coef(problem, column, 1);
    glp_set_obj_dir(problem, direction);
    glp_smcp simplex;
    glp_init_smcp(&simplex);
    simplex.msg_lev = GLP_MSG_OFF;
    RETURN_IF_ERROR(StartSolve(simplex.tm_lim));
    int result = glp_simplex(problem, &simplex);
    if (result != 0 && result != GLP_ETMLIM) {
      // A singular warm basis: start again from an advanced basis.
      glp_adv_basis(problem, 0);
      result = glp_simplex(problem, &simplex);
    }
    RETURN_IF_ERROR(EndSolve(result));
    if (result != 0) {
      return absl::InternalError(
          absl::StrCat("disclosure audit: simplex failed with code ", result));
    }
    const int status = glp_get_status(problem);
    if (status == GLP_UNBND) return direction == GLP_MIN ? -kInf : kInf;
    if (status != GLP_OPT) {
      return absl::InternalError(
          absl::StrCat("disclosure audit: the published figures have no "
                       "solution (LP status ",
                       status, ")"));
    }
    if (!integral) return glp_get_obj_val(problem);
    // An integral vertex is optimal for the integer problem too (tables of
    // sums are mostly totally unimodular, so this is the common case).
    bool vertex_integral = true;
    for (int j = 1; j <= columns && vertex_integral; ++j) {
      if (glp_get_col_kind(problem, j) != GLP_IV) continue;
      const double x = glp_get_col_prim(problem, j);
      vertex_integral = std::abs(x - std::round(x)) <= 1e-9;
    }
    if (vertex_integral) return glp_get_obj_val(problem);
    glp_iocp branch;
    glp_init_iocp(&branch);
    branch.msg_lev = GLP_MSG_OFF;
    RETURN_IF_ERROR(StartSolve(branch.tm_lim));
    result = glp_intopt(problem, &branch);
    RETURN_IF_ERROR(EndSolve(result));
    if (result != 0 || glp_mip_status(problem) != GLP_OPT) {
      return absl::InternalError(
          absl::StrCat("disclosure audit: branch-and-bound failed with code ",
                       result, ", status ", glp_mip_status(problem)));
    }
    return glp_mip_obj_val(problem);
  }

  // Whether an (integer, where cells are integral) solution of the block's
  // problem puts the cell in `column` at or below `limit` (`lower`) or at or
  // above it. The linear relaxation decides when it can not reach the limit
  // (no) or reaches it at an integral vertex (yes); otherwise a
  // branch-and-bound search for any solution with the cell's bound
  // tightened to the limit, which must succeed within
  // kFeasibilityNodeLimit nodes (not proven counts as no: the audit then
  // withholds more, never less).
  absl::StatusOr<Reach> CanReach(BlockProblem& block, int column, bool lower,
                                 double limit) {
    glp_prob* problem = block.problem.get();
    const bool integer = glp_get_col_kind(problem, column) == GLP_IV;
    ASSIGN_OR_RETURN(const double optimum,
                     Optimise(problem, column, lower ? GLP_MIN : GLP_MAX,
                              /*integral=*/false));
    if (std::isfinite(optimum)) Record(block, /*mip=*/false);
    const double reach = integer && std::isfinite(optimum)
                             ? (lower ? std::ceil(optimum - kEpsilon)
                                      : std::floor(optimum + kEpsilon))
                             : optimum;
    if (lower ? reach > limit + kEpsilon : reach < limit - kEpsilon) {
      return Reach::kNo;
    }
    if (!block.integral || !std::isfinite(optimum)) return Reach::kYes;
    const int columns = glp_get_num_cols(problem);
    bool vertex_integral = true;
    for (int j = 1; j <= columns && vertex_integral; ++j) {
      if (glp_get_col_kind(problem, j) != GLP_IV) continue;
      const double x = glp_get_col_prim(problem, j);
      vertex_integral = std::abs(x - std::round(x)) <= 1e-9;
    }
    if (vertex_integral) return Reach::kYes;
    // Feasibility: the cell's bound tightened to the limit, no objective.
    const int type = glp_get_col_type(problem, column);
    const double low = glp_get_col_lb(problem, column);
    const double high = glp_get_col_ub(problem, column);
    const double bound = integer ? (lower ? std::floor(limit + kEpsilon)
                                          : std::ceil(limit - kEpsilon))
                                 : limit;
    if (lower) {
      SetColumnBounds(problem, column,
                      type == GLP_FR || type == GLP_UP ? -kInf : low, bound);
    } else {
      SetColumnBounds(problem, column, bound,
                      type == GLP_FR || type == GLP_LO ? kInf : high);
    }
    glp_set_obj_coef(problem, column, 0);
    glp_smcp simplex;
    glp_init_smcp(&simplex);
    simplex.msg_lev = GLP_MSG_OFF;
    simplex.meth = GLP_DUALP;
    // The cell's bounds are restored on every way out.
    struct RestoreBounds {
      glp_prob* problem;
      int column, type;
      double low, high;
      ~RestoreBounds() { glp_set_col_bnds(problem, column, type, low, high); }
    } restore{problem, column, type, low, high};
    RETURN_IF_ERROR(StartSolve(simplex.tm_lim));
    int result = glp_simplex(problem, &simplex);
    if (result != 0 && result != GLP_ETMLIM) {
      glp_adv_basis(problem, 0);
      result = glp_simplex(problem, &simplex);
    }
    RETURN_IF_ERROR(EndSolve(result));
    Reach reached = Reach::kUnproven;
    if (result == 0 && glp_get_status(problem) == GLP_NOFEAS) {
      reached = Reach::kNo;
    } else if (result == 0 && glp_get_status(problem) == GLP_OPT) {
      glp_iocp branch;
      glp_init_iocp(&branch);
      branch.msg_lev = GLP_MSG_OFF;
      branch.fp_heur = GLP_ON;
      branch.presolve = GLP_ON;
      bool stop_at_first = true;
      branch.cb_func = LimitSearch;
      branch.cb_info = &stop_at_first;
      RETURN_IF_ERROR(StartSolve(branch.tm_lim));
      ++feasibility_searches_;
      result = glp_intopt(problem, &branch);
      RETURN_IF_ERROR(EndSolve(result));
      const int status = glp_mip_status(problem);
      if ((result == 0 || result == GLP_ESTOP) &&
          (status == GLP_OPT || status == GLP_FEAS)) {
        reached = Reach::kYes;
        Record(block, /*mip=*/true);
      } else if (result == GLP_ENOPFS ||
                 (result == 0 && status == GLP_NOFEAS)) {
        reached = Reach::kNo;  // Presolve or the whole search: no solution.
      }
    }
    return reached;
  }

  // Records the block problem's current solution (the simplex's primal
  // point, or the branch-and-bound's solution when `mip`) when it satisfies
  // every bound and constraint, and integrality on the integral cells of an
  // integral block: each cell's value in it widens the range the attacker
  // is known to reach. The point is checked here, not taken from the
  // solver's status. Withholding more only frees cells (a fixed cell keeps
  // its value in every recorded point), so a recorded point stays a
  // solution for every later pattern: a side reached once stays reached.
  void Record(const BlockProblem& block, bool mip) {
    glp_prob* problem = block.problem.get();
    constexpr double kTolerance = 1e-9;
    const int columns = glp_get_num_cols(problem);
    std::vector<double> point(columns + 1);
    for (int j = 1; j <= columns; ++j) {
      double v =
          mip ? glp_mip_col_val(problem, j) : glp_get_col_prim(problem, j);
      const int type = glp_get_col_type(problem, j);
      if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) &&
          v < glp_get_col_lb(problem, j) - kTolerance) {
        return;
      }
      if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) &&
          v > glp_get_col_ub(problem, j) + kTolerance) {
        return;
      }
      if (block.integral && glp_get_col_kind(problem, j) == GLP_IV) {
        if (std::abs(v - std::round(v)) > kTolerance) return;
        v = std::round(v);
      }
      point[j] = v;
    }
    for (const BlockProblem::Row& row : block.rows) {
      double activity = 0;
      for (size_t i = 0; i < row.columns.size(); ++i) {
        activity += row.coefficients[i] * point[row.columns[i]];
      }
      if (activity < row.low - kEpsilon || activity > row.high + kEpsilon) {
        return;
      }
    }
    for (int j = 1; j <= columns; ++j) {
      const size_t cell = block.cells[j - 1];
      reached_low_[cell] = std::min(reached_low_[cell], point[j]);
      reached_high_[cell] = std::max(reached_high_[cell], point[j]);
    }
  }

  // The problem of the block of unknown cells that holds `target` (found by
  // a search over the constraints that link unknown cells), built once per
  // block and kept until a withheld cell changes the block; null when the
  // target is in no constraint.
  BlockProblem* ProblemOf(size_t target) {
    if (owner_.size() != cells_.size()) owner_.assign(cells_.size(), nullptr);
    if (owner_[target] != nullptr) return owner_[target];
    std::vector<size_t> block{target};
    std::vector<bool> seen(cells_.size(), false);
    std::vector<bool> row_seen(constraints_.size(), false);
    std::vector<size_t> rows;
    seen[target] = true;
    for (size_t i = 0; i < block.size(); ++i) {
      for (size_t r : cell_constraints_[block[i]]) {
        if (row_seen[r]) continue;
        row_seen[r] = true;
        rows.push_back(r);
        for (const auto& [cell, coefficient] : constraints_[r].terms) {
          if (seen[cell] || Fixed(cell) || coefficient == 0) continue;
          seen[cell] = true;
          block.push_back(cell);
        }
      }
    }
    if (rows.empty()) return nullptr;
    std::sort(block.begin(), block.end());
    std::sort(rows.begin(), rows.end());
    // Blocks only grow (cells are withheld, never published back): earlier
    // problems sharing a cell are stale.
    for (size_t c : block) {
      if (owner_[c] != nullptr) Forget(owner_[c]);
    }
    auto entry = std::make_unique<BlockProblem>();
    entry->cells = std::move(block);
    entry->constraints = rows;
    std::vector<int> column_of(cells_.size(), 0);
    entry->problem = BuildProblem(entry->cells, rows, column_of);
    glp_prob* problem = entry->problem.get();
    InheritBasis(*entry, seen, column_of);
    entry->rows.resize(rows.size());
    for (int i = 1; i <= static_cast<int>(rows.size()); ++i) {
      BlockProblem::Row& row = entry->rows[i - 1];
      const int length = glp_get_mat_row(problem, i, nullptr, nullptr);
      row.columns.resize(length + 1);
      row.coefficients.resize(length + 1);
      glp_get_mat_row(problem, i, row.columns.data(), row.coefficients.data());
      row.columns.erase(row.columns.begin());
      row.coefficients.erase(row.coefficients.begin());
      const int type = glp_get_row_type(problem, i);
      row.low = type == GLP_LO || type == GLP_DB || type == GLP_FX
                    ? glp_get_row_lb(problem, i)
                    : -kInf;
      row.high = type == GLP_UP || type == GLP_DB || type == GLP_FX
                     ? glp_get_row_ub(problem, i)
                     : kInf;
    }
    glp_scale_prob(problem, GLP_SF_AUTO);
    for (size_t c : entry->cells) {
      entry->integral = entry->integral || cells_[c].integer;
      owner_[c] = entry.get();
    }
    ++problems_built_;
    BlockProblem* built = entry.get();
    problems_.push_back(std::move(entry));
    return built;
  }

  // Whether the attacker can bring the unknown cell `target` to its
  // protection limit on one side.
  absl::StatusOr<bool> SideProtected(size_t target, bool lower) {
    const AuditCell& cell = cells_[target];
    const double limit = lower ? cell.protect_low : cell.protect_high;
    if (lower ? reached_low_[target] <= limit + kEpsilon
              : reached_high_[target] >= limit - kEpsilon) {
      return true;  // A recorded solution reaches it.
    }
    BlockProblem* block = ProblemOf(target);
    if (block == nullptr) {
      const auto [low, high] = CellRange(cell);
      reached_low_[target] = std::min(reached_low_[target], low);
      reached_high_[target] = std::max(reached_high_[target], high);
      return lower ? low <= limit + kEpsilon : high >= limit - kEpsilon;
    }
    ASSIGN_OR_RETURN(const Reach reach,
                     CanReach(*block, block->Column(target), lower, limit));
    return reach == Reach::kYes;
  }

  // The final bounds of every unknown cell for which `wanted` holds; the
  // other cells keep their value. A sensitive cell, or a withheld secondary
  // one that a recorded solution moves off its value, gets the range the
  // recorded solutions reach (an inner bound of the attacker's range). A
  // withheld secondary cell that none moves is bounded exactly: by the
  // linear relaxation (integral cells: the integers within it), and by
  // integrality when that leaves a range; proven pinned, it gets its value
  // as both bounds.
  absl::Status FinalBounds(const std::function<bool(size_t)>& wanted,
                           std::vector<double>& low,
                           std::vector<double>& high) {
    low.resize(cells_.size());
    high.resize(cells_.size());
    for (size_t c = 0; c < cells_.size(); ++c) {
      low[c] = high[c] = cells_[c].value;
      if (!wanted(c) || Fixed(c)) continue;
      if (cells_[c].sensitive ||
          reached_high_[c] - reached_low_[c] > kEpsilon) {
        low[c] = reached_low_[c];
        high[c] = reached_high_[c];
        continue;
      }
      BlockProblem* block = ProblemOf(c);
      if (block == nullptr) {
        std::tie(low[c], high[c]) = CellRange(cells_[c]);
        continue;
      }
      const int column = block->Column(c);
      ASSIGN_OR_RETURN(low[c], Optimise(block->problem.get(), column, GLP_MIN,
                                        /*integral=*/false));
      if (std::isfinite(low[c])) Record(*block, /*mip=*/false);
      ASSIGN_OR_RETURN(high[c], Optimise(block->problem.get(), column, GLP_MAX,
                                         /*integral=*/false));
      if (std::isfinite(high[c])) Record(*block, /*mip=*/false);
      if (cells_[c].integer) {
        if (std::isfinite(low[c])) low[c] = std::ceil(low[c] - kEpsilon);
        if (std::isfinite(high[c])) high[c] = std::floor(high[c] + kEpsilon);
      }
      if (high[c] - low[c] <= kEpsilon || !cells_[c].integer ||
          !block->integral) {
        continue;
      }
      // Integrality may pin what the relaxation does not.
      ASSIGN_OR_RETURN(
          const Reach below,
          CanReach(*block, column, /*lower=*/true, cells_[c].value - 1));
      if (below != Reach::kNo) continue;
      ASSIGN_OR_RETURN(
          const Reach above,
          CanReach(*block, column, /*lower=*/false, cells_[c].value + 1));
      if (above == Reach::kNo) low[c] = high[c] = cells_[c].value;
    }
    return absl::OkStatus();
  }

  // Withholds `cell`; the kept problems of the blocks it joins are stale.
  void Withhold(size_t cell) {
    withheld_[cell] = true;
    if (owner_.size() != cells_.size()) return;
    for (size_t r : cell_constraints_[cell]) {
      for (const auto& term : constraints_[r].terms) {
        if (owner_[term.first] != nullptr) Forget(owner_[term.first]);
      }
    }
  }

  // Bounds every cell of `block` for which `wanted` holds. A block whose
  // cells were bounded before (in an earlier round) is the same problem:
  // its bounds are reused.
  absl::Status BoundBlock(const Blocks& blocks, size_t block,
                          const std::function<bool(size_t)>& wanted,
                          std::vector<double>& low, std::vector<double>& high) {
    const std::vector<size_t>& block_cells = blocks.cells[block];
    std::vector<size_t> targets;
    for (size_t c : block_cells) {
      if (wanted(c)) targets.push_back(c);
    }
    if (targets.empty()) return absl::OkStatus();
    std::vector<int> column_of(cells_.size(), 0);
    Problem problem =
        BuildProblem(block_cells, blocks.constraints[block], column_of);
    glp_scale_prob(problem.get(), GLP_SF_AUTO);
    bool integral = false;
    for (size_t c : block_cells) integral = integral || cells_[c].integer;
    for (size_t c : targets) {
      ASSIGN_OR_RETURN(
          low[c], Optimise(problem.get(), column_of[c], GLP_MIN, integral));
      ASSIGN_OR_RETURN(
          high[c], Optimise(problem.get(), column_of[c], GLP_MAX, integral));
      if (cells_[c].integer) {
        if (std::isfinite(low[c])) low[c] = std::round(low[c]);
        if (std::isfinite(high[c])) high[c] = std::round(high[c]);
      }
    }
    return absl::OkStatus();
  }

  // Bounds the unknown cells for which `wanted` holds; the others keep
  // their value.
  absl::Status Bound(const std::function<bool(size_t)>& wanted,
                     std::vector<double>& low, std::vector<double>& high) {
    low.resize(cells_.size());
    high.resize(cells_.size());
    for (size_t c = 0; c < cells_.size(); ++c)
      low[c] = high[c] = cells_[c].value;
    const Blocks blocks = FindBlocks();
    for (size_t b = 0; b < blocks.cells.size(); ++b) {
      if (blocks.constraints[b].empty()) {
        // An unknown cell in no constraint: only its a-priori bounds.
        for (size_t c : blocks.cells[b]) {
          if (wanted(c)) std::tie(low[c], high[c]) = CellRange(cells_[c]);
        }
        continue;
      }
      RETURN_IF_ERROR(BoundBlock(blocks, b, wanted, low, high));
    }
    return absl::OkStatus();
  }

  // Withholds published cells so that the attacker's bound of `target` can
  // reach `limit` (below it when `lower`, above it otherwise). Returns
  // whether any cell was withheld.
  absl::StatusOr<bool> WithholdFor(size_t target, bool lower, double limit) {
    // First the target's neighbourhood: the cells (not known) within three
    // constraints of it, every other cell fixed at its value. A choice that
    // works there works in the whole system (it is one of its solutions);
    // it may take a cell more than one that also moves the unknown cells
    // further away, but it is a problem of tens of cells, not of a block of
    // thousands. The usual protection, a rectangle of cells in a unit's row
    // and its organization's column with the row's margins, lies within
    // three constraints.
    {
      std::vector<size_t> local{target};
      std::vector<bool> in_local(cells_.size(), false);
      in_local[target] = true;
      for (int hop = 0; hop < kNeighbourhoodHops; ++hop) {
        const size_t end = local.size();
        for (size_t i = 0; i < end; ++i) {
          for (size_t r : cell_constraints_[local[i]]) {
            for (const auto& [cell, coefficient] : constraints_[r].terms) {
              if (in_local[cell] || cells_[cell].known || coefficient == 0)
                continue;
              in_local[cell] = true;
              local.push_back(cell);
            }
          }
        }
      }
      ASSIGN_OR_RETURN(std::vector<size_t> moved,
                       CheapestRelease(local, target, lower, limit));
      bool any = false;
      for (size_t c : moved) {
        if (c == target || !Fixed(c)) continue;
        Withhold(c);
        any = true;
      }
      if (any) return true;
    }
    // The region grows hop by hop over the constraint graph of the cells
    // the attacker does not know by nature (every cell but the known ones):
    // published cells in it may deviate from their values, at a price.
    std::vector<bool> in_region(cells_.size(), false);
    std::vector<size_t> region{target};
    in_region[target] = true;
    // Close over unknown cells first: the target's own block.
    auto close_unknown = [&](size_t from) {
      for (size_t i = from; i < region.size(); ++i) {
        for (size_t r : cell_constraints_[region[i]]) {
          for (const auto& [cell, coefficient] : constraints_[r].terms) {
            if (in_region[cell] || Fixed(cell) || coefficient == 0) continue;
            in_region[cell] = true;
            region.push_back(cell);
          }
        }
      }
    };
    close_unknown(0);
    const std::vector<size_t> own_block = region;
    // Cells of the region from `frontier` on have not had their published
    // neighbours added yet.
    size_t frontier = 0;
    for (int round = 0;; ++round) {
      const size_t before = region.size();
      // Hops per round: 1, 1, 2, 4, 8, … so that a limit reachable only
      // from far away (or not at all) costs a few solves, not one per hop.
      const int hops = round < 2 ? 1 : 1 << std::min(round - 1, 20);
      for (int hop = 0; hop < hops; ++hop) {
        // One hop: the published (not known) cells sharing a constraint
        // with the region, then every unknown cell they link.
        const size_t end = region.size();
        for (size_t i = frontier; i < end; ++i) {
          for (size_t r : cell_constraints_[region[i]]) {
            for (const auto& [cell, coefficient] : constraints_[r].terms) {
              if (in_region[cell] || cells_[cell].known || coefficient == 0)
                continue;
              in_region[cell] = true;
              region.push_back(cell);
            }
          }
        }
        frontier = end;
        close_unknown(end);
        if (region.size() == end) break;
      }
      if (region.size() == before) return false;  // Nothing more can help.
      ASSIGN_OR_RETURN(std::vector<size_t> moved,
                       CheapestRelease(region, target, lower, limit));
      if (moved.empty()) continue;  // Infeasible in this region: grow it.
      bool any = false;
      for (size_t c : moved) {
        if (c == target || Fixed(c) == false) continue;
        Withhold(c);
        any = true;
      }
      if (any) return true;
      // The linear relaxation reaches the limit without moving published
      // cells, but integrality does not: withhold the cheapest published
      // cell next to the target's block.
      size_t best = cells_.size();
      for (size_t c : region) {
        if (!Fixed(c) || cells_[c].known) continue;
        bool adjacent = false;
        for (size_t r : cell_constraints_[c]) {
          for (const auto& term : constraints_[r].terms) {
            adjacent = adjacent || std::find(own_block.begin(), own_block.end(),
                                             term.first) != own_block.end();
          }
        }
        if (!adjacent) continue;
        if (best == cells_.size() || cells_[c].cost < cells_[best].cost ||
            (cells_[c].cost == cells_[best].cost && c < best)) {
          best = c;
        }
      }
      if (best == cells_.size()) return false;
      Withhold(best);
      return true;
    }
  }

  // The cheapest set of published cells in `region` whose values must
  // change for `target` to reach `limit`; empty when the region can not
  // reach it (also when integrality proves it). Each unit of change of a
  // cell costs its cost + 1. When the relaxation needs no change, a
  // branch-and-bound search within the node limit chooses among integral
  // solutions; the target alone means it found none that moves a cell.
  absl::StatusOr<std::vector<size_t>> CheapestRelease(
      std::vector<size_t> region, size_t target, bool lower, double limit) {
    std::sort(region.begin(), region.end());
    std::vector<size_t> rows;
    for (size_t c : region) {
      rows.insert(rows.end(), cell_constraints_[c].begin(),
                  cell_constraints_[c].end());
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    std::vector<int> column_of(cells_.size(), 0);
    Problem problem = BuildProblem(region, rows, column_of);
    // The target must reach the limit.
    {
      const auto [low, high] = CellRange(cells_[target]);
      if (lower) {
        if (limit < low - kEpsilon) return std::vector<size_t>{};
        SetColumnBounds(problem.get(), column_of[target], low, limit);
      } else {
        if (limit > high + kEpsilon) return std::vector<size_t>{};
        SetColumnBounds(problem.get(), column_of[target], limit, high);
      }
    }
    // Published cells: x = value + up − down, at a price.
    std::vector<size_t> published;
    for (size_t c : region) {
      if (Fixed(c)) published.push_back(c);
    }
    if (published.empty()) return std::vector<size_t>{};
    const int first_deviation = glp_get_num_cols(problem.get()) + 1;
    glp_add_cols(problem.get(), static_cast<int>(2 * published.size()));
    const int first_row = glp_get_num_rows(problem.get()) + 1;
    glp_add_rows(problem.get(), static_cast<int>(published.size()));
    for (size_t i = 0; i < published.size(); ++i) {
      const size_t c = published[i];
      const int up = first_deviation + 2 * static_cast<int>(i);
      const int down = up + 1;
      const double price = cells_[c].cost + 1;
      glp_set_col_bnds(problem.get(), up, GLP_LO, 0, 0);
      glp_set_col_bnds(problem.get(), down, GLP_LO, 0, 0);
      glp_set_obj_coef(problem.get(), up, price);
      glp_set_obj_coef(problem.get(), down, price);
      const int row = first_row + static_cast<int>(i);
      const int index[] = {0, column_of[c], up, down};
      const double value[] = {0, 1, -1, 1};
      glp_set_mat_row(problem.get(), row, 3, index, value);
      glp_set_row_bnds(problem.get(), row, GLP_FX, cells_[c].value,
                       cells_[c].value);
    }
    glp_set_obj_dir(problem.get(), GLP_MIN);
    glp_scale_prob(problem.get(), GLP_SF_AUTO);
    glp_smcp simplex;
    glp_init_smcp(&simplex);
    simplex.msg_lev = GLP_MSG_OFF;
    simplex.presolve = GLP_ON;
    RETURN_IF_ERROR(StartSolve(simplex.tm_lim));
    const int result = glp_simplex(problem.get(), &simplex);
    RETURN_IF_ERROR(EndSolve(result));
    if (result == GLP_ENOPFS || result == GLP_ENODFS)
      return std::vector<size_t>{};
    if (result != 0) {
      return absl::InternalError(absl::StrCat(
          "disclosure audit: simplex of the secondary choice failed with code ",
          result));
    }
    const int status = glp_get_status(problem.get());
    if (status == GLP_NOFEAS || status == GLP_INFEAS)
      return std::vector<size_t>{};
    if (status != GLP_OPT) {
      return absl::InternalError(absl::StrCat(
          "disclosure audit: secondary choice ended with LP status ", status));
    }
    if (glp_get_col_kind(problem.get(), column_of[target]) == GLP_IV &&
        !Deviates(problem.get(), published.size(), first_deviation)) {
      // The relaxation reaches the limit without moving a published cell,
      // but integrality may not: the cheapest integral solution found
      // within the node limit (any one is a valid choice) decides.
      glp_iocp branch;
      glp_init_iocp(&branch);
      branch.msg_lev = GLP_MSG_OFF;
      branch.presolve = GLP_ON;
      branch.fp_heur = GLP_ON;
      bool stop_at_first = false;
      branch.cb_func = LimitSearch;
      branch.cb_info = &stop_at_first;
      RETURN_IF_ERROR(StartSolve(branch.tm_lim));
      const int found = glp_intopt(problem.get(), &branch);
      RETURN_IF_ERROR(EndSolve(found));
      const int status = glp_mip_status(problem.get());
      if ((found == 0 || found == GLP_ESTOP) &&
          (status == GLP_OPT || status == GLP_FEAS)) {
        std::vector<size_t> moved;
        for (size_t i = 0; i < published.size(); ++i) {
          const int up = first_deviation + 2 * static_cast<int>(i);
          const double change = glp_mip_col_val(problem.get(), up) +
                                glp_mip_col_val(problem.get(), up + 1);
          if (change > kEpsilon) moved.push_back(published[i]);
        }
        if (!moved.empty()) return moved;
      } else if (found == GLP_ENOPFS || (found == 0 && status == GLP_NOFEAS)) {
        // Proven: no integral solution in this region reaches the limit.
        return std::vector<size_t>{};
      }
    }
    std::vector<size_t> moved;
    for (size_t i = 0; i < published.size(); ++i) {
      const int up = first_deviation + 2 * static_cast<int>(i);
      const double change = glp_get_col_prim(problem.get(), up) +
                            glp_get_col_prim(problem.get(), up + 1);
      if (change > kEpsilon) moved.push_back(published[i]);
    }
    // Moving no published cell still reaches the limit: signal it by the
    // target alone, so that the caller falls back on the integral case.
    if (moved.empty()) moved.push_back(target);
    return moved;
  }

 private:
  // Whether the relaxation's solution moves any of the `published` cells'
  // deviation columns (from `first_deviation` on, up and down).
  static bool Deviates(glp_prob* problem, size_t published,
                       int first_deviation) {
    for (size_t i = 0; i < published; ++i) {
      const int up = first_deviation + 2 * static_cast<int>(i);
      if (glp_get_col_prim(problem, up) + glp_get_col_prim(problem, up + 1) >
          kEpsilon) {
        return true;
      }
    }
    return false;
  }

  // The problem no longer describes a block (a cell next to it was
  // withheld); it is kept until the block that replaces it inherits its
  // basis.
  void Forget(BlockProblem* stale) {
    for (size_t c : stale->cells) owner_[c] = nullptr;
    auto it = std::find_if(problems_.begin(), problems_.end(),
                           [&](const auto& p) { return p.get() == stale; });
    stale_.push_back(std::move(*it));
    problems_.erase(it);
  }

  // Gives the new problem of `block` the final basis of the stale problems
  // of the smaller blocks it grew from (`in_block` marks its cells,
  // `column_of` maps them to columns): their columns and rows keep their
  // status, the rows new to the block are basic and the newly withheld
  // cells non-basic. That is a basis again (as many basic variables as
  // rows), usually close to optimal, so the next solve starts warm rather
  // than from scratch; should it be singular, the solve falls back on an
  // advanced basis. The stale problems are then dropped.
  void InheritBasis(BlockProblem& block, const std::vector<bool>& in_block,
                    const std::vector<int>& column_of) {
    glp_prob* problem = block.problem.get();
    std::vector<std::unique_ptr<BlockProblem>> kept;
    for (std::unique_ptr<BlockProblem>& stale : stale_) {
      // A block grows as a whole: one cell inside means all are.
      if (!in_block[stale->cells.front()]) {
        kept.push_back(std::move(stale));
        continue;
      }
      glp_prob* old = stale->problem.get();
      for (size_t j = 0; j < stale->cells.size(); ++j) {
        glp_set_col_stat(problem, column_of[stale->cells[j]],
                         glp_get_col_stat(old, static_cast<int>(j) + 1));
      }
      for (size_t i = 0; i < stale->constraints.size(); ++i) {
        auto it =
            std::lower_bound(block.constraints.begin(), block.constraints.end(),
                             stale->constraints[i]);
        if (it == block.constraints.end() || *it != stale->constraints[i]) {
          continue;
        }
        glp_set_row_stat(problem,
                         static_cast<int>(it - block.constraints.begin()) + 1,
                         glp_get_row_stat(old, static_cast<int>(i) + 1));
      }
    }
    stale_ = std::move(kept);
  }

  // Before every solve: CANCELLED once the cancel flag is set,
  // DEADLINE_EXCEEDED once the deadline has passed,
  // otherwise counts the solve and sets GLPK's time limit (`tm_lim`, ms) so
  // that one long solve ends at the deadline too.
  absl::Status StartSolve(int& tm_lim) {
    if (cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed)) {
      return absl::CancelledError(absl::StrCat(
          "disclosure audit: cancelled after ", solves_, " solves"));
    }
    const absl::Time now = absl::Now();
    if (now >= deadline_) return PastDeadline();
    ++solves_;
    if (deadline_ != absl::InfiniteFuture()) {
      // Rounded up: GLPK stops at or after the deadline, never before it.
      const double ms = std::ceil(absl::ToDoubleMilliseconds(deadline_ - now));
      tm_lim = static_cast<int>(std::min<double>(ms + 1, INT_MAX));
    }
    return absl::OkStatus();
  }
  // After every solve: DEADLINE_EXCEEDED when GLPK's time limit ended it.
  absl::Status EndSolve(int result) const {
    if (result == GLP_ETMLIM) return PastDeadline();
    return absl::OkStatus();
  }
  absl::Status PastDeadline() const {
    return absl::DeadlineExceededError(
        absl::StrCat("disclosure audit: stopped at its deadline after ",
                     solves_, " solves"));
  }

  const std::vector<AuditCell>& cells_;
  const std::vector<LinearConstraint>& constraints_;
  const absl::Time deadline_;
  const std::atomic<bool>* const cancelled_;
  std::vector<std::vector<size_t>> cell_constraints_;
  std::vector<bool> withheld_;
  // Per cell, the lowest and highest values of the recorded solutions
  // (Record) and its true value: what the attacker is known to reach.
  std::vector<double> reached_low_;
  std::vector<double> reached_high_;
  int solves_ = 0;
  // Kept problems of the current blocks (ProblemOf), and each unknown
  // cell's (null: none kept).
  std::vector<std::unique_ptr<BlockProblem>> problems_;
  std::vector<BlockProblem*> owner_;
  // Problems of blocks that have grown since, until the grown block's
  // problem inherits their basis (InheritBasis).
  std::vector<std::unique_ptr<BlockProblem>> stale_;

  int problems_built_ = 0;
  int feasibility_searches_ = 0;
};

}  // namespace

absl::StatusOr<AuditOutcome> AuditDisclosure(
    const std::vector<AuditCell>& cells,
    const std::vector<LinearConstraint>& constraints,
    const AuditOptions& options) {
  SilenceGlpk();
  Auditor auditor(cells, constraints, options);
  RETURN_IF_ERROR(auditor.Validate());
  std::vector<bool> withheld(cells.size(), false);
  for (size_t c = 0; c < cells.size(); ++c) {
    withheld[c] = cells[c].shown && cells[c].sensitive;
  }
  auditor.SetWithheld(withheld);
  AuditStats stats;
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  std::vector<double> low;
  std::vector<double> high;
  // Withholding more never narrows a bound (fewer cells are fixed), so one
  // pass suffices: a side protected once stays protected.
  for (size_t c = 0; c < cells.size(); ++c) {
    if (!auditor.Guarded(c)) continue;
    for (bool lower : {true, false}) {
      while (true) {
        Clock::time_point start = Clock::now();
        absl::StatusOr<bool> protected_side = auditor.SideProtected(c, lower);
        stats.check_seconds += seconds_since(start);
        if (!protected_side.ok()) return protected_side.status();
        if (*protected_side) break;
        start = Clock::now();
        absl::StatusOr<bool> more = auditor.WithholdFor(
            c, lower, lower ? cells[c].protect_low : cells[c].protect_high);
        stats.secondary_seconds += seconds_since(start);
        if (!more.ok()) return more.status();
        if (!*more) break;  // Nothing more can help: it stays as it is.
      }
    }
  }
  // The final audit; secondary cells that are pinned anyway are published.
  auto audited = [&](size_t c) {
    return auditor.withheld()[c] || auditor.Guarded(c);
  };
  const Clock::time_point final_start = Clock::now();
  RETURN_IF_ERROR(auditor.FinalBounds(audited, low, high));
  stats.final_seconds = seconds_since(final_start);
  {
    const Auditor::Blocks blocks = auditor.FindBlocks();
    for (const std::vector<size_t>& block : blocks.cells) {
      if (std::any_of(block.begin(), block.end(), audited)) {
        stats.block_sizes.push_back(block.size());
      }
    }
    std::sort(stats.block_sizes.rbegin(), stats.block_sizes.rend());
  }
  AuditOutcome outcome;
  outcome.withheld = auditor.withheld();
  for (size_t c = 0; c < cells.size(); ++c) {
    if (outcome.withheld[c] && !cells[c].sensitive &&
        high[c] - low[c] <= kEpsilon) {
      outcome.withheld[c] = false;
    }
  }
  outcome.attacker_min = std::move(low);
  outcome.attacker_max = std::move(high);
  outcome.solves = auditor.solves();
  outcome.problems_built = auditor.problems_built();
  outcome.feasibility_searches = auditor.feasibility_searches();
  outcome.stats = std::move(stats);
  return outcome;
}

absl::StatusOr<AuditOutcome> AttackerBounds(
    const std::vector<AuditCell>& cells,
    const std::vector<LinearConstraint>& constraints,
    const std::vector<bool>& withheld) {
  SilenceGlpk();
  if (withheld.size() != cells.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("attacker bounds: ", withheld.size(),
                     " withheld flags for ", cells.size(), " cells"));
  }
  Auditor auditor(cells, constraints);
  RETURN_IF_ERROR(auditor.Validate());
  auditor.SetWithheld(withheld);
  AuditOutcome outcome;
  RETURN_IF_ERROR(auditor.Bound([&](size_t c) { return !auditor.Fixed(c); },
                                outcome.attacker_min, outcome.attacker_max));
  outcome.withheld = withheld;
  outcome.solves = auditor.solves();
  return outcome;
}

}  // namespace monipaikka
