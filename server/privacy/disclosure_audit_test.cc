#include "server/privacy/disclosure_audit.h"

#include <random>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka {
namespace {

constexpr int kK = 5;

AuditCell Count(double value, double upper = 1e9) {
  AuditCell cell;
  cell.value = value;
  cell.upper_bound = upper;
  cell.sensitive = value >= 1 && value < kK;
  cell.protect_low = 0;
  cell.protect_high = std::min<double>(kK, upper);
  cell.cost = value;
  return cell;
}

// A rows × columns table of counts with its row, column and grand totals,
// cell (r, c) at index r * (columns + 1) + c; the totals are the last row and
// column.
struct Table {
  std::vector<AuditCell> cells;
  std::vector<LinearConstraint> constraints;
};

Table MakeTable(const std::vector<std::vector<int>>& inner) {
  const size_t rows = inner.size();
  const size_t columns = inner[0].size();
  std::vector<std::vector<int>> full(rows + 1,
                                     std::vector<int>(columns + 1, 0));
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < columns; ++c) {
      full[r][c] = inner[r][c];
      full[r][columns] += inner[r][c];
      full[rows][c] += inner[r][c];
      full[rows][columns] += inner[r][c];
    }
  }
  Table table;
  auto index = [&](size_t r, size_t c) { return r * (columns + 1) + c; };
  for (size_t r = 0; r <= rows; ++r) {
    for (size_t c = 0; c <= columns; ++c)
      table.cells.push_back(Count(full[r][c]));
  }
  for (size_t r = 0; r <= rows; ++r) {
    LinearConstraint sum;
    for (size_t c = 0; c < columns; ++c) sum.terms.push_back({index(r, c), 1});
    sum.terms.push_back({index(r, columns), -1});
    table.constraints.push_back(sum);
  }
  for (size_t c = 0; c <= columns; ++c) {
    LinearConstraint sum;
    for (size_t r = 0; r < rows; ++r) sum.terms.push_back({index(r, c), 1});
    sum.terms.push_back({index(rows, c), -1});
    table.constraints.push_back(sum);
  }
  return table;
}

// Every withheld or hidden sensitive cell, bounded by an attacker who sees
// the rest, meets its protection interval; returns the failures.
int Unprotected(const Table& table, const std::vector<bool>& withheld) {
  absl::StatusOr<AuditOutcome> bounds =
      AttackerBounds(table.cells, table.constraints, withheld);
  EXPECT_TRUE(bounds.ok()) << bounds.status();
  if (!bounds.ok()) return -1;
  int failures = 0;
  for (size_t c = 0; c < table.cells.size(); ++c) {
    const AuditCell& cell = table.cells[c];
    if (!cell.sensitive || cell.known) continue;
    if (!withheld[c] && cell.shown) {
      ++failures;  // A sensitive cell published.
      continue;
    }
    if (bounds->attacker_min[c] > cell.protect_low + 1e-6 ||
        bounds->attacker_max[c] < cell.protect_high - 1e-6) {
      ++failures;
    }
  }
  return failures;
}

TEST(DisclosureAuditTest, WithholdsEnoughThatTwoDimensionsDoNotSolveACell) {
  // The case: one small cell; margins both ways.
  Table table = MakeTable({{24, 11, 0}, {21, 9, 0}, {12, 11, 1}});
  absl::StatusOr<AuditOutcome> outcome =
      AuditDisclosure(table.cells, table.constraints);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->withheld[2 * 4 + 2]);
  EXPECT_EQ(Unprotected(table, outcome->withheld), 0);
  // Withholding only the small cell leaves it pinned by its row and column.
  std::vector<bool> primary_only(table.cells.size(), false);
  primary_only[2 * 4 + 2] = true;
  EXPECT_GT(Unprotected(table, primary_only), 0);
  EXPECT_GT(outcome->solves, 0);
}

TEST(DisclosureAuditTest, AWithheldPartSummingToZeroDoesNotPinItsNeighbour) {
  // docs/hr-privacy.md, way in 1: zeros around a withheld cell make it known.
  Table table = MakeTable({{0, 3, 0, 2}, {0, 6, 0, 3}, {0, 0, 0, 0}});
  absl::StatusOr<AuditOutcome> outcome =
      AuditDisclosure(table.cells, table.constraints);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(Unprotected(table, outcome->withheld), 0);
}

TEST(DisclosureAuditTest, HiddenSensitiveComplementIsProtected) {
  // total (known headcount 15) = shared (11) + not shared (4, hidden).
  std::vector<AuditCell> cells(3);
  cells[0] = Count(15, 15);
  cells[0].known = true;
  cells[0].sensitive = false;
  cells[1] = Count(11, 15);
  cells[2] = Count(4, 15);
  cells[2].shown = false;
  LinearConstraint split;
  split.terms = {{1, 1}, {2, 1}, {0, -1}};
  absl::StatusOr<AuditOutcome> outcome = AuditDisclosure(cells, {split});
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->withheld[1]);   // It would give the complement away.
  EXPECT_FALSE(outcome->withheld[2]);  // Hidden cells are never "withheld".
  EXPECT_LE(outcome->attacker_min[2], 0);
  EXPECT_GE(outcome->attacker_max[2], kK);
}

TEST(DisclosureAuditTest, IntegralityIsPartOfTheAttack) {
  // 2x = y with y withheld and sensitive in 0 … 3: the relaxation lets x
  // range over 0 … 1.5, the integral attacker sees x ∈ {0, 1} → y ∈ {0, 2}.
  std::vector<AuditCell> cells(2);
  cells[0] = Count(1, 1);  // x, shown, not sensitive by itself.
  cells[0].sensitive = false;
  cells[1] = Count(2, 3);
  cells[1].protect_high = 3;
  LinearConstraint twice;
  twice.terms = {{0, 2}, {1, -1}};
  std::vector<bool> only_y = {false, true};
  absl::StatusOr<AuditOutcome> bounds = AttackerBounds(cells, {twice}, only_y);
  ASSERT_TRUE(bounds.ok());
  EXPECT_EQ(bounds->attacker_min[1], 2);
  EXPECT_EQ(bounds->attacker_max[1], 2);
  std::vector<bool> both = {true, true};
  bounds = AttackerBounds(cells, {twice}, both);
  ASSERT_TRUE(bounds.ok());
  EXPECT_EQ(bounds->attacker_min[1], 0);
  EXPECT_EQ(bounds->attacker_max[1], 2);  // Not 3: y is even.
}

TEST(DisclosureAuditTest, ConstraintNamingAMissingCellIsRefused) {
  std::vector<AuditCell> cells = {Count(1)};
  LinearConstraint broken;
  broken.terms = {{0, 1}, {7, -1}};
  absl::StatusOr<AuditOutcome> outcome = AuditDisclosure(cells, {broken});
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(outcome.status().message()),
              testing::HasSubstr("cell 7"));
}

TEST(DisclosureAuditTest, RandomTablesAreProtectedAndDeterministic) {
  std::mt19937 random(11);
  for (int trial = 0; trial < 60; ++trial) {
    const int rows = 2 + static_cast<int>(random() % 4);
    const int columns = 2 + static_cast<int>(random() % 4);
    std::vector<std::vector<int>> inner(rows, std::vector<int>(columns));
    for (auto& row : inner) {
      for (int& value : row) {
        const int draw = static_cast<int>(random() % 10);
        value = draw < 3   ? 0
                : draw < 6 ? 1 + static_cast<int>(random() % 4)
                           : 5 + static_cast<int>(random() % 20);
      }
    }
    Table table = MakeTable(inner);
    absl::StatusOr<AuditOutcome> outcome =
        AuditDisclosure(table.cells, table.constraints);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(Unprotected(table, outcome->withheld), 0) << "trial " << trial;
    absl::StatusOr<AuditOutcome> again =
        AuditDisclosure(table.cells, table.constraints);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->withheld, outcome->withheld);
  }
}

}  // namespace
}  // namespace monipaikka

namespace monipaikka {
namespace {

TEST(DisclosureAuditTest, ABlockProblemIsBuiltOnceWhileTheBlockDoesNotChange) {
  // A 6 × 6 table of small counts: every inner cell is withheld and they
  // form a few large blocks; the protection checks must reuse a block's
  // problem (warm-started) rather than build one per cell and side.
  std::vector<std::vector<int>> inner(6, std::vector<int>(6));
  for (int r = 0; r < 6; ++r) {
    for (int c = 0; c < 6; ++c) inner[r][c] = 1 + (r * 7 + c * 3) % 4;
  }
  Table table = MakeTable(inner);
  absl::StatusOr<AuditOutcome> outcome =
      AuditDisclosure(table.cells, table.constraints);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(Unprotected(table, outcome->withheld), 0);
  int guarded = 0;
  for (size_t c = 0; c < table.cells.size(); ++c) {
    guarded += outcome->withheld[c] && table.cells[c].sensitive;
  }
  EXPECT_GE(guarded, 36);
  EXPECT_LT(outcome->problems_built, guarded / 4);
}

TEST(DisclosureAuditTest, AnAuditPastItsDeadlineStopsAndTheNextOneWorks) {
  Table table = MakeTable({{3, 12, 7}, {9, 1, 14}, {2, 8, 11}});
  AuditOptions late;
  late.deadline = absl::Now() - absl::Seconds(1);
  absl::StatusOr<AuditOutcome> stopped =
      AuditDisclosure(table.cells, table.constraints, late);
  EXPECT_EQ(stopped.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(stopped.status().message()),
              testing::HasSubstr("deadline"));
  absl::StatusOr<AuditOutcome> outcome =
      AuditDisclosure(table.cells, table.constraints);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(Unprotected(table, outcome->withheld), 0);
}

}  // namespace
}  // namespace monipaikka
