// SQLite implementation of the workforce (HR) storage. The SQL of the
// employee registry, work-location days and their monthly rollup.

#include "server/storage/sqlite_workforce.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

struct MonthEmployee {
  int64_t month;  // YYYYMM
  int64_t employee_id;
  bool operator==(const MonthEmployee&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const MonthEmployee& m) {
    return H::combine(std::move(h), m.month, m.employee_id);
  }
};

}  // namespace

absl::StatusOr<int64_t> SqliteWorkforce::InventoryId(InventoryTable table,
                                                     const std::string& code) {
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   inventory_ids_->Find(table, code));
  return id.value_or(0);
}

absl::StatusOr<int64_t> SqliteWorkforce::EmployeeId(
    const std::string& pseudonym) {
  if (!employees_loaded_) {
    // One read of the whole table beats a lookup per row of a large import.
    static constexpr char kAllSql[] = "SELECT pseudonym, id FROM employees";
    ASSIGN_OR_RETURN(Statement * all, db_->Cached(kAllSql));
    RETURN_IF_ERROR(all->ForEachRow([&] {
      employee_ids_.emplace(all->ColumnText(0), all->ColumnInt64(1));
    }));
    employees_loaded_ = true;
  }
  if (auto it = employee_ids_.find(pseudonym); it != employee_ids_.end()) {
    return it->second;
  }
  // Another session may have added the person since.
  static constexpr char kSql[] = "SELECT id FROM employees WHERE pseudonym = ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, pseudonym);
  ASSIGN_OR_RETURN(std::optional<int64_t> id,
                   stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
  if (!id) return 0;
  employee_ids_.emplace(pseudonym, *id);
  return *id;
}

absl::Status SqliteWorkforce::InsertPeriodRow(
    int64_t employee_id, int64_t from, int64_t to, int64_t organization_id,
    const std::string& unit, double fte, bool home, int office, bool multi,
    bool shared, int64_t site_id) {
  static constexpr char kSql[] =
      "INSERT INTO employee_periods(employee_id, valid_from, valid_to, "
      "organization_id, unit, fte, home_workstation, office_workstation, "
      "multi_space, shared_use, site_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, employee_id);
  stmt->BindInt64(2, from);
  stmt->BindInt64(3, to);
  stmt->BindInt64(4, organization_id);
  stmt->BindText(5, unit);
  stmt->BindDouble(6, fte);
  stmt->BindInt64(7, home ? 1 : 0);
  stmt->BindInt64(8, office);
  stmt->BindInt64(9, multi ? 1 : 0);
  stmt->BindInt64(10, shared ? 1 : 0);
  if (site_id != 0) {
    stmt->BindInt64(11, site_id);
  } else {
    stmt->BindNull(11);
  }
  return stmt->Run();
}

absl::StatusOr<bool> SqliteWorkforce::PutPeriod(int64_t employee_id,
                                                const EmployeePeriod& period,
                                                int64_t organization_id,
                                                int64_t site_id) {
  const int64_t from = DayKey(period.valid_from);
  const int64_t to = DayKey(period.valid_to);
  const int office = static_cast<int>(period.office);
  struct Stored {
    int64_t from, to, organization_id;
    std::string unit;
    double fte;
    bool home;
    int office;
    bool multi, shared;
    int64_t site_id;
  };
  std::vector<Stored> overlapping;
  {
    static constexpr char kSql[] =
        "SELECT valid_from, valid_to, organization_id, unit, fte, "
        "home_workstation, office_workstation, multi_space, shared_use, "
        "COALESCE(site_id, 0) FROM employee_periods "
        "WHERE employee_id = ? AND valid_from <= ? AND valid_to >= ?";
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    stmt->BindInt64(1, employee_id);
    stmt->BindInt64(2, to);
    stmt->BindInt64(3, from);
    RETURN_IF_ERROR(stmt->ForEachRow([&] {
      overlapping.push_back(Stored{
          stmt->ColumnInt64(0), stmt->ColumnInt64(1), stmt->ColumnInt64(2),
          stmt->ColumnText(3), stmt->ColumnDouble(4), stmt->ColumnInt64(5) != 0,
          static_cast<int>(stmt->ColumnInt64(6)), stmt->ColumnInt64(7) != 0,
          stmt->ColumnInt64(8) != 0, stmt->ColumnInt64(9)});
    }));
  }
  if (overlapping.size() == 1) {
    const Stored& s = overlapping[0];
    if (s.from == from && s.to == to && s.organization_id == organization_id &&
        s.unit == period.unit && s.fte == period.fte &&
        s.home == period.home_workstation && s.office == office &&
        s.multi == period.multi_space && s.shared == period.shared_use &&
        s.site_id == site_id) {
      return false;
    }
  }
  for (const Stored& s : overlapping) {
    static constexpr char kDeleteSql[] =
        "DELETE FROM employee_periods WHERE employee_id = ? AND valid_from = ?";
    ASSIGN_OR_RETURN(Statement * del, db_->Cached(kDeleteSql));
    del->BindInt64(1, employee_id);
    del->BindInt64(2, s.from);
    RETURN_IF_ERROR(del->Run());
    // The parts of the old period outside the new one stay as they were.
    if (s.from < from) {
      RETURN_IF_ERROR(InsertPeriodRow(
          employee_id, s.from, DayKey(period.valid_from - 1), s.organization_id,
          s.unit, s.fte, s.home, s.office, s.multi, s.shared, s.site_id));
    }
    if (s.to > to) {
      RETURN_IF_ERROR(InsertPeriodRow(
          employee_id, DayKey(period.valid_to + 1), s.to, s.organization_id,
          s.unit, s.fte, s.home, s.office, s.multi, s.shared, s.site_id));
    }
  }
  RETURN_IF_ERROR(
      InsertPeriodRow(employee_id, from, to, organization_id, period.unit,
                      period.fte, period.home_workstation, office,
                      period.multi_space, period.shared_use, site_id));
  return true;
}

absl::StatusOr<EmployeeUpsertResult> SqliteWorkforce::UpsertEmployeePeriods(
    std::span<const EmployeePeriodInput> rows) {
  EmployeeUpsertResult result;
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  auto work = [&]() -> absl::Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const EmployeePeriod& period = rows[i].period;
      ASSIGN_OR_RETURN(
          int64_t organization_id,
          InventoryId(InventoryTable::kOrganization, period.organization));
      if (organization_id == 0) {
        result.rejected.push_back(
            {i, absl::StrCat("organization: no organization \"",
                             period.organization, "\" in the inventory")});
        continue;
      }
      int64_t site_id = 0;
      if (!period.site.empty()) {
        ASSIGN_OR_RETURN(site_id,
                         InventoryId(InventoryTable::kSite, period.site));
        if (site_id == 0) {
          result.rejected.push_back(
              {i, absl::StrCat("site: no site \"", period.site,
                               "\" in the inventory")});
          continue;
        }
      }
      ASSIGN_OR_RETURN(int64_t employee_id, EmployeeId(rows[i].pseudonym));
      if (employee_id == 0) {
        static constexpr char kSql[] =
            "INSERT INTO employees(pseudonym) VALUES(?)";
        ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
        stmt->BindText(1, rows[i].pseudonym);
        RETURN_IF_ERROR(stmt->Run());
        employee_id = db_->LastInsertRowId();
        employee_ids_.emplace(rows[i].pseudonym, employee_id);
        ++result.new_employees;
      }
      ASSIGN_OR_RETURN(bool changed, PutPeriod(employee_id, period,
                                               organization_id, site_id));
      ++(changed ? result.stored : result.unchanged);
    }
    return transaction.Commit();
  };
  if (absl::Status status = work(); !status.ok()) {
    // Ids cached during the rolled-back transaction do not exist.
    employee_ids_.clear();
    employees_loaded_ = false;
    return status;
  }
  return result;
}

absl::StatusOr<WorkDayUpsertResult> SqliteWorkforce::UpsertWorkDays(
    std::span<const WorkDayInput> rows) {
  WorkDayUpsertResult result;
  absl::flat_hash_map<MonthEmployee, std::array<int32_t, kLocationKinds>>
      deltas;
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  static constexpr char kInsertSql[] =
      "INSERT INTO work_days(day, employee_id, kind, site_id, source) "
      "VALUES(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
  ASSIGN_OR_RETURN(Statement * insert, db_->Cached(kInsertSql));
  for (size_t i = 0; i < rows.size(); ++i) {
    const WorkDayInput& row = rows[i];
    ASSIGN_OR_RETURN(int64_t employee_id, EmployeeId(row.pseudonym));
    if (employee_id == 0) {
      result.rejected.push_back(
          {i,
           "employee_id: not in the employee registry (import employees "
           "first)"});
      continue;
    }
    int64_t site_id = 0;
    if (!row.site.empty()) {
      ASSIGN_OR_RETURN(site_id, InventoryId(InventoryTable::kSite, row.site));
      if (site_id == 0) {
        result.rejected.push_back({i, absl::StrCat("site: no site \"", row.site,
                                                   "\" in the inventory")});
        continue;
      }
    }
    const int64_t day = DayKey(row.day);
    insert->BindInt64(1, day);
    insert->BindInt64(2, employee_id);
    insert->BindInt64(3, row.kind);
    if (site_id != 0) {
      insert->BindInt64(4, site_id);
    } else {
      insert->BindNull(4);
    }
    insert->BindInt64(5, static_cast<int64_t>(row.source));
    RETURN_IF_ERROR(insert->Run());
    const bool inserted = db_->Changes() > 0;
    const MonthEmployee key{day / 100, employee_id};
    if (inserted) {
      ++result.inserted;
      ++deltas[key][row.kind];
      continue;
    }
    static constexpr char kOldSql[] =
        "SELECT kind, COALESCE(site_id, 0), source FROM work_days "
        "WHERE day = ? AND employee_id = ?";
    ASSIGN_OR_RETURN(Statement * old, db_->Cached(kOldSql));
    old->BindInt64(1, day);
    old->BindInt64(2, employee_id);
    struct StoredDay {
      int kind;
      int64_t site_id;
      int64_t source;
    };
    ASSIGN_OR_RETURN(std::optional<StoredDay> stored, old->OneRow([&] {
      return StoredDay{static_cast<int>(old->ColumnInt64(0)),
                       old->ColumnInt64(1), old->ColumnInt64(2)};
    }));
    if (!stored) return absl::InternalError("work day vanished during upsert");
    if (stored->kind == row.kind && stored->site_id == site_id &&
        stored->source == static_cast<int64_t>(row.source)) {
      ++result.unchanged;
      continue;
    }
    static constexpr char kUpdateSql[] =
        "UPDATE work_days SET kind = ?, site_id = ?, source = ? "
        "WHERE day = ? AND employee_id = ?";
    ASSIGN_OR_RETURN(Statement * update, db_->Cached(kUpdateSql));
    update->BindInt64(1, row.kind);
    if (site_id != 0) {
      update->BindInt64(2, site_id);
    } else {
      update->BindNull(2);
    }
    update->BindInt64(3, static_cast<int64_t>(row.source));
    update->BindInt64(4, day);
    update->BindInt64(5, employee_id);
    RETURN_IF_ERROR(update->Run());
    ++result.replaced;
    if (stored->kind != row.kind) {
      auto& delta = deltas[key];
      --delta[stored->kind];
      ++delta[row.kind];
    }
  }
  // Apply the rollup changes in key order: neighbouring B-tree pages.
  std::vector<std::pair<MonthEmployee, std::array<int32_t, kLocationKinds>>>
      ordered(deltas.begin(), deltas.end());
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.month, a.first.employee_id) <
           std::tie(b.first.month, b.first.employee_id);
  });
  static constexpr char kRollupSql[] =
      "INSERT INTO work_months(month, employee_id, a, b, c, d, e, f, g) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
      "a = a + excluded.a, b = b + excluded.b, c = c + excluded.c, "
      "d = d + excluded.d, e = e + excluded.e, f = f + excluded.f, "
      "g = g + excluded.g";
  ASSIGN_OR_RETURN(Statement * rollup, db_->Cached(kRollupSql));
  for (const auto& [key, delta] : ordered) {
    if (std::all_of(delta.begin(), delta.end(),
                    [](int32_t d) { return d == 0; })) {
      continue;
    }
    rollup->BindInt64(1, key.month);
    rollup->BindInt64(2, key.employee_id);
    for (int k = 0; k < kLocationKinds; ++k) rollup->BindInt64(3 + k, delta[k]);
    RETURN_IF_ERROR(rollup->Run());
  }
  RETURN_IF_ERROR(transaction.Commit());
  return result;
}

absl::Status SqliteWorkforce::ScanEmployeePeriods(
    absl::CivilDay from, absl::CivilDay to,
    absl::FunctionRef<void(const EmployeePeriod&)> visit) {
  // Codes by id from the two small tables, instead of a join per row.
  absl::flat_hash_map<int64_t, std::string> organizations;
  absl::flat_hash_map<int64_t, std::string> sites;
  static constexpr char kOrgSql[] = "SELECT id, code FROM organizations";
  static constexpr char kSiteSql[] = "SELECT id, code FROM sites";
  for (const auto& table :
       {std::pair{kOrgSql, &organizations}, std::pair{kSiteSql, &sites}}) {
    absl::flat_hash_map<int64_t, std::string>* map = table.second;
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(table.first));
    RETURN_IF_ERROR(stmt->ForEachRow(
        [&] { map->emplace(stmt->ColumnInt64(0), stmt->ColumnText(1)); }));
  }
  static constexpr char kSql[] =
      "SELECT employee_id, valid_from, valid_to, organization_id, unit, fte, "
      "home_workstation, office_workstation, multi_space, shared_use, "
      "COALESCE(site_id, 0) FROM employee_periods "
      "WHERE valid_from <= ?2 AND valid_to >= ?1 "
      "ORDER BY employee_id, valid_from";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, DayKey(from));
  stmt->BindInt64(2, DayKey(to));
  EmployeePeriod period;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    period.employee_id = stmt->ColumnInt64(0);
    period.valid_from = DayFromKey(stmt->ColumnInt64(1));
    period.valid_to = DayFromKey(stmt->ColumnInt64(2));
    period.organization = organizations[stmt->ColumnInt64(3)];
    period.unit = stmt->ColumnText(4);
    period.fte = stmt->ColumnDouble(5);
    period.home_workstation = stmt->ColumnInt64(6) != 0;
    period.office = static_cast<OfficeWorkstation>(stmt->ColumnInt64(7));
    period.multi_space = stmt->ColumnInt64(8) != 0;
    period.shared_use = stmt->ColumnInt64(9) != 0;
    const int64_t site_id = stmt->ColumnInt64(10);
    if (site_id == 0) {
      period.site.clear();
    } else {
      period.site = sites[site_id];
    }
    visit(period);
  }));
  return absl::OkStatus();
}

absl::Status SqliteWorkforce::ScanWorkMonths(
    absl::CivilMonth first, absl::CivilMonth last,
    absl::FunctionRef<void(const WorkMonth&)> visit) {
  static constexpr char kSql[] =
      "SELECT month, employee_id, a, b, c, d, e, f, g FROM work_months "
      "WHERE month >= ? AND month <= ? ORDER BY month, employee_id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, MonthKey(first));
  stmt->BindInt64(2, MonthKey(last));
  WorkMonth month;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    const int64_t key = stmt->ColumnInt64(0);
    month.year = static_cast<int>(key / 100);
    month.month = static_cast<int>(key % 100);
    month.employee_id = stmt->ColumnInt64(1);
    for (int k = 0; k < kLocationKinds; ++k) {
      month.days[k] = static_cast<int32_t>(stmt->ColumnInt64(2 + k));
    }
    visit(month);
  }));
  return absl::OkStatus();
}

absl::Status SqliteWorkforce::RebuildMonth(absl::CivilMonth month) {
  static constexpr char kDeleteSql[] =
      "DELETE FROM work_months WHERE month = ?";
  ASSIGN_OR_RETURN(Statement * del, db_->Cached(kDeleteSql));
  del->BindInt64(1, MonthKey(month));
  RETURN_IF_ERROR(del->Run());
  static constexpr char kSql[] =
      "INSERT INTO work_months(month, employee_id, a, b, c, d, e, f, g) "
      "SELECT ?1, employee_id, SUM(kind = 0), SUM(kind = 1), SUM(kind = 2), "
      "SUM(kind = 3), SUM(kind = 4), SUM(kind = 5), SUM(kind = 6) "
      "FROM work_days WHERE day >= ?2 AND day < ?3 GROUP BY employee_id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, MonthKey(month));
  stmt->BindInt64(2, DayKey(absl::CivilDay(month)));
  stmt->BindInt64(3, DayKey(absl::CivilDay(month + 1)));
  return stmt->Run();
}

absl::StatusOr<int64_t> SqliteWorkforce::DeleteWorkDaysBefore(
    absl::CivilDay cutoff) {
  const absl::CivilMonth cutoff_month(cutoff);
  const absl::CivilDay month_start(cutoff_month);
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  static constexpr char kDaysSql[] =
      "DELETE FROM work_days WHERE day >= ? AND day < ?";
  ASSIGN_OR_RETURN(Statement * days, db_->Cached(kDaysSql));
  days->BindInt64(1, 0);
  days->BindInt64(2, DayKey(month_start));
  RETURN_IF_ERROR(days->Run());
  int64_t deleted = db_->Changes();
  static constexpr char kMonthsSql[] =
      "DELETE FROM work_months WHERE month < ?";
  ASSIGN_OR_RETURN(Statement * months, db_->Cached(kMonthsSql));
  months->BindInt64(1, MonthKey(cutoff_month));
  RETURN_IF_ERROR(months->Run());
  if (cutoff > month_start) {
    ASSIGN_OR_RETURN(days, db_->Cached(kDaysSql));
    days->BindInt64(1, DayKey(month_start));
    days->BindInt64(2, DayKey(cutoff));
    RETURN_IF_ERROR(days->Run());
    const int64_t partial = db_->Changes();
    deleted += partial;
    if (partial > 0) RETURN_IF_ERROR(RebuildMonth(cutoff_month));
  }
  RETURN_IF_ERROR(transaction.Commit());
  return deleted;
}

absl::StatusOr<int64_t> SqliteWorkforce::CountEmployees() {
  static constexpr char kSql[] = "SELECT COUNT(*) FROM employees";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<int64_t> count,
                   stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
  return count.value_or(0);
}

absl::StatusOr<int64_t> SqliteWorkforce::CountWorkDays() {
  static constexpr char kSql[] = "SELECT COUNT(*) FROM work_days";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<int64_t> count,
                   stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
  return count.value_or(0);
}

}  // namespace monipaikka
