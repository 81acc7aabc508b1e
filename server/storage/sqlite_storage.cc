// SQLite implementation of Storage. One connection per session; the
// database runs in WAL mode so readers never block the single writer.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/sqlite.h"
#include "common/status_macros.h"
#include "common/time_format.h"
#include "common/vocabulary.h"
#include "server/storage/inventory_ids.h"
#include "server/storage/inventory_rules.h"
#include "server/storage/schema.h"
#include "server/storage/sqlite_access.h"
#include "server/storage/sqlite_analytics.h"
#include "server/storage/sqlite_bookings.h"
#include "server/storage/sqlite_observations.h"
#include "server/storage/sqlite_retention.h"
#include "server/storage/sqlite_sensor_health.h"
#include "server/storage/sqlite_workforce.h"
#include "server/storage/storage.h"
#include "server/storage/stored_vocabulary.h"

namespace monipaikka {
namespace {

std::string WeekdaysToText(const v1::CoreHours& core) {
  std::string text;
  if (core.weekdays().empty()) return "12345";
  std::vector<int> days(core.weekdays().begin(), core.weekdays().end());
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  for (int d : days) text += static_cast<char>('0' + d);
  return text;
}

v1::Site SiteFromRow(const Statement& row) {
  // Columns: code, name, kind, address, municipality, timezone,
  // office_area_m2, annual_rent_eur, core_weekdays, core_start, core_end.
  v1::Site site;
  site.set_code(row.ColumnText(0));
  site.set_name(row.ColumnText(1));
  site.set_kind(row.ColumnText(2));
  site.set_address(row.ColumnText(3));
  site.set_municipality(row.ColumnText(4));
  site.set_timezone(row.ColumnText(5));
  site.set_office_area_m2(row.ColumnDouble(6));
  site.set_annual_rent_eur(row.ColumnDouble(7));
  for (char c : row.ColumnText(8))
    site.mutable_core_hours()->add_weekdays(c - '0');
  site.mutable_core_hours()->set_start(row.ColumnText(9));
  site.mutable_core_hours()->set_end(row.ColumnText(10));
  return site;
}

constexpr char kSiteColumns[] =
    "code, name, kind, address, municipality, timezone, office_area_m2, "
    "annual_rent_eur, core_weekdays, core_start, core_end";

class SqliteSession : public StorageSession {
 public:
  explicit SqliteSession(std::unique_ptr<Database> db) : db_(std::move(db)) {}

  absl::StatusOr<v1::ImportInventoryResponse> ImportInventory(
      const v1::Inventory& inventory) override;
  absl::StatusOr<std::vector<v1::Organization>> ListOrganizations() override;
  absl::StatusOr<std::vector<v1::Site>> ListSites() override;
  absl::StatusOr<v1::Site> GetSite(absl::string_view code) override;
  absl::StatusOr<std::vector<v1::Space>> ListSpaces(
      absl::string_view site) override;
  absl::StatusOr<v1::GetPlanSvgResponse> GetPlanSvg(
      absl::string_view space) override;
  absl::StatusOr<std::vector<v1::Workstation>> ListWorkstations(
      absl::string_view site, absl::string_view space) override;
  absl::StatusOr<std::vector<v1::Sensor>> ListSensors(
      absl::string_view site, absl::string_view gateway) override;
  absl::StatusOr<std::vector<SensorBinding>> LoadSensorBindings() override;
  absl::Status InsertReadings(std::span<const StoredReading> readings,
                              std::vector<InsertOutcome>* outcomes) override;
  absl::Status ScanRecentReadings(
      int64_t since_ms,
      absl::FunctionRef<void(const StoredReading&)> visit) override;
  absl::StatusOr<int64_t> CountReadings() override;
  absl::Status ProbeWrite(int64_t now_ms) override;
  absl::StatusOr<int> SynchronousPragma() override {
    return db_->SynchronousPragma();
  }
  WorkforceStorage& Workforce() override { return workforce_; }
  SensorHealthStorage& SensorHealth() override { return sensor_health_; }
  AnalyticsStorage& Analytics() override { return analytics_; }
  ObservationStorage& Observations() override { return observations_; }
  BookingStorage& Bookings() override { return bookings_; }
  AccessStorage& Access() override { return access_; }
  RetentionStorage& Retention() override { return retention_; }
  void SetDeadline(absl::Time deadline) override {
    deadline_ = deadline;
    db_->SetDeadline(deadline);
  }
  bool DeadlineExceeded() const override { return db_->deadline_exceeded(); }
  absl::Time Deadline() const override { return deadline_; }

 private:
  // Id of the row with `code` in `table`. When there is none: NOT_FOUND
  // ("no site \"X\"") for an empty `where`, else INVALID_ARGUMENT naming the
  // field `where` of the document being imported.
  absl::StatusOr<int64_t> IdByCode(InventoryTable table, absl::string_view code,
                                   absl::string_view where);
  // ImportInventory inside its transaction.
  absl::Status WriteInventory(const v1::Inventory& inventory);
  absl::Status UpsertOrganization(const v1::Organization& org);
  absl::Status UpsertSite(const v1::Site& site);
  absl::Status UpsertSpace(const v1::Space& space, absl::string_view where);
  absl::Status UpsertWorkstation(const v1::Workstation& workstation,
                                 absl::string_view where);
  absl::Status UpsertSensor(const v1::Sensor& sensor, absl::string_view where);
  // Ids of `space` and every space below it.
  absl::StatusOr<std::vector<int64_t>> SpaceSubtree(int64_t space_id);

  std::unique_ptr<Database> db_;
  InventoryIds inventory_ids_{db_.get()};  // codes to ids, for all below
  // The HR tables (sqlite_workforce.cc).
  SqliteWorkforce workforce_{db_.get(), &inventory_ids_};
  SqliteSensorHealth sensor_health_{db_.get()};  // sqlite_sensor_health.cc
  SqliteAnalytics analytics_{db_.get()};         // sqlite_analytics.cc
  SqliteObservations observations_{db_.get()};   // sqlite_observations.cc
  SqliteBookings bookings_{db_.get()};           // sqlite_bookings.cc
  SqliteAccess access_{db_.get()};  // tokens and audit log (sqlite_access.cc)
  SqliteRetention retention_{db_.get()};          // sqlite_retention.cc
  absl::Time deadline_ = absl::InfiniteFuture();  // SetDeadline's
};

// How IdByCode names each table in its errors.
absl::string_view InventoryNoun(InventoryTable table) {
  switch (table) {
    case InventoryTable::kOrganization:
      return "organization";
    case InventoryTable::kSite:
      return "site";
    case InventoryTable::kSpace:
      return "space";
    case InventoryTable::kWorkstation:
      return "workstation";
  }
  return "row";
}

absl::StatusOr<int64_t> SqliteSession::IdByCode(InventoryTable table,
                                                absl::string_view code,
                                                absl::string_view where) {
  ASSIGN_OR_RETURN(std::optional<int64_t> id, inventory_ids_.Find(table, code));
  if (id) return *id;
  const absl::string_view what = InventoryNoun(table);
  if (where.empty()) {
    return absl::NotFoundError(absl::StrCat("no ", what, " \"", code, "\""));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": no ", what, " \"", code, "\""));
}

absl::Status SqliteSession::UpsertOrganization(const v1::Organization& org) {
  static constexpr char kSql[] =
      "INSERT INTO organizations(code, name) VALUES(?, ?) "
      "ON CONFLICT(code) DO UPDATE SET name = excluded.name";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, org.code());
  stmt->BindText(2, org.name());
  return stmt->Run();
}

absl::Status SqliteSession::UpsertSite(const v1::Site& site) {
  static constexpr char kSql[] =
      "INSERT INTO sites(code, name, kind, address, municipality, timezone, "
      "office_area_m2, annual_rent_eur, core_weekdays, core_start, core_end) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
      "kind = excluded.kind, address = excluded.address, "
      "municipality = excluded.municipality, timezone = excluded.timezone, "
      "office_area_m2 = excluded.office_area_m2, "
      "annual_rent_eur = excluded.annual_rent_eur, "
      "core_weekdays = excluded.core_weekdays, "
      "core_start = excluded.core_start, core_end = excluded.core_end";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  const v1::CoreHours& core = site.core_hours();
  stmt->BindText(1, site.code());
  stmt->BindText(2, site.name());
  stmt->BindText(3, site.kind());
  stmt->BindText(4, site.address());
  stmt->BindText(5, site.municipality());
  stmt->BindText(6,
                 site.timezone().empty() ? kDefaultTimeZone : site.timezone());
  stmt->BindDouble(7, site.office_area_m2());
  stmt->BindDouble(8, site.annual_rent_eur());
  stmt->BindText(9, WeekdaysToText(core));
  stmt->BindText(10, core.start().empty() ? "08:00" : core.start());
  stmt->BindText(11, core.end().empty() ? "16:00" : core.end());
  return stmt->Run();
}

absl::Status SqliteSession::UpsertSpace(const v1::Space& space,
                                        absl::string_view where) {
  ASSIGN_OR_RETURN(int64_t site_id,
                   IdByCode(InventoryTable::kSite, space.site(),
                            absl::StrCat(where, ".site")));
  std::optional<int64_t> parent_id;
  if (!space.parent().empty()) {
    static constexpr char kParentSql[] =
        "SELECT id, site_id, level FROM spaces WHERE code = ?";
    ASSIGN_OR_RETURN(Statement * parent, db_->Cached(kParentSql));
    parent->BindText(1, space.parent());
    struct Parent {
      int64_t id;
      int64_t site_id;
      std::string level;
    };
    ASSIGN_OR_RETURN(std::optional<Parent> found, parent->OneRow([&] {
      return Parent{parent->ColumnInt64(0), parent->ColumnInt64(1),
                    parent->ColumnText(2)};
    }));
    if (!found) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".parent: no space \"", space.parent(), "\""));
    }
    if (found->site_id != site_id) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ".parent: space \"", space.parent(), "\" is in another site"));
    }
    if (ParseSpaceLevel(found->level) >= ParseSpaceLevel(space.level())) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".parent: a ", space.level(),
                       " cannot be inside a ", found->level));
    }
    parent_id = found->id;
  }
  static constexpr char kSql[] =
      "INSERT INTO spaces(code, site_id, parent_id, level, kind, name, "
      "area_m2, capacity, email) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(code) DO UPDATE SET site_id = excluded.site_id, "
      "parent_id = excluded.parent_id, level = excluded.level, "
      "kind = excluded.kind, name = excluded.name, "
      "area_m2 = excluded.area_m2, capacity = excluded.capacity, "
      "email = excluded.email";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, space.code());
  stmt->BindInt64(2, site_id);
  if (parent_id) {
    stmt->BindInt64(3, *parent_id);
  } else {
    stmt->BindNull(3);
  }
  stmt->BindText(4, space.level());
  stmt->BindText(5, space.kind());
  stmt->BindText(6, space.name());
  stmt->BindDouble(7, space.area_m2());
  stmt->BindInt64(8, space.capacity());
  stmt->BindText(9, space.email());
  RETURN_IF_ERROR(stmt->Run());
  // The document states the whole space: no plan_svg removes the plan.
  if (space.plan_svg().empty()) {
    static constexpr char kDeletePlanSql[] =
        "DELETE FROM floor_plans WHERE space_id = "
        "(SELECT id FROM spaces WHERE code = ?)";
    ASSIGN_OR_RETURN(Statement * del, db_->Cached(kDeletePlanSql));
    del->BindText(1, space.code());
    return del->Run();
  }
  static constexpr char kPlanSql[] =
      "INSERT INTO floor_plans(space_id, svg) SELECT id, ? FROM spaces "
      "WHERE code = ? ON CONFLICT(space_id) DO UPDATE SET svg = excluded.svg";
  ASSIGN_OR_RETURN(Statement * plan, db_->Cached(kPlanSql));
  plan->BindText(1, space.plan_svg());
  plan->BindText(2, space.code());
  return plan->Run();
}

absl::Status SqliteSession::UpsertWorkstation(const v1::Workstation& ws,
                                              absl::string_view where) {
  ASSIGN_OR_RETURN(int64_t space_id,
                   IdByCode(InventoryTable::kSpace, ws.space(),
                            absl::StrCat(where, ".space")));
  std::optional<int64_t> org_id;
  if (!ws.organization().empty()) {
    ASSIGN_OR_RETURN(org_id,
                     IdByCode(InventoryTable::kOrganization, ws.organization(),
                              absl::StrCat(where, ".organization")));
  }
  static constexpr char kSql[] =
      "INSERT INTO workstations(code, space_id, kind, organization_id, status, "
      "x_m, y_m) VALUES(?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(code) DO UPDATE SET space_id = excluded.space_id, "
      "kind = excluded.kind, organization_id = excluded.organization_id, "
      "status = excluded.status, x_m = excluded.x_m, y_m = excluded.y_m";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, ws.code());
  stmt->BindInt64(2, space_id);
  stmt->BindText(3, ws.kind());
  if (org_id) {
    stmt->BindInt64(4, *org_id);
  } else {
    stmt->BindNull(4);
  }
  stmt->BindText(5, ws.status().empty() ? Name(kDefaultWorkstationStatus)
                                        : absl::string_view(ws.status()));
  // Both or neither (checked).
  if (ws.has_x_m()) {
    stmt->BindDouble(6, ws.x_m());
    stmt->BindDouble(7, ws.y_m());
  } else {
    stmt->BindNull(6);
    stmt->BindNull(7);
  }
  return stmt->Run();
}

absl::Status SqliteSession::UpsertSensor(const v1::Sensor& sensor,
                                         absl::string_view where) {
  std::optional<int64_t> workstation_id;
  std::optional<int64_t> space_id;
  if (!sensor.workstation().empty()) {
    ASSIGN_OR_RETURN(
        workstation_id,
        IdByCode(InventoryTable::kWorkstation, sensor.workstation(),
                 absl::StrCat(where, ".workstation")));
  } else {
    ASSIGN_OR_RETURN(space_id, IdByCode(InventoryTable::kSpace, sensor.space(),
                                        absl::StrCat(where, ".space")));
  }
  static constexpr char kSql[] =
      "INSERT INTO sensors(external_id, kind, workstation_id, space_id, "
      "gateway, installed, removed) VALUES(?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(external_id) DO UPDATE SET kind = excluded.kind, "
      "workstation_id = excluded.workstation_id, space_id = excluded.space_id, "
      "gateway = excluded.gateway, installed = excluded.installed, "
      "removed = excluded.removed";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, sensor.external_id());
  stmt->BindText(2, sensor.kind());
  if (workstation_id) {
    stmt->BindInt64(3, *workstation_id);
  } else {
    stmt->BindNull(3);
  }
  if (space_id) {
    stmt->BindInt64(4, *space_id);
  } else {
    stmt->BindNull(4);
  }
  stmt->BindText(5, sensor.gateway());
  stmt->BindText(6, sensor.installed());
  stmt->BindText(7, sensor.removed());
  return stmt->Run();
}

absl::StatusOr<v1::ImportInventoryResponse> SqliteSession::ImportInventory(
    const v1::Inventory& inventory) {
  // Check every field first: a bad document writes nothing.
  for (int i = 0; i < inventory.organizations_size(); ++i) {
    RETURN_IF_ERROR(CheckOrganization(inventory.organizations(i),
                                      absl::StrCat("organizations[", i, "]")));
  }
  for (int i = 0; i < inventory.sites_size(); ++i) {
    RETURN_IF_ERROR(
        CheckSite(inventory.sites(i), absl::StrCat("sites[", i, "]")));
  }
  for (int i = 0; i < inventory.spaces_size(); ++i) {
    RETURN_IF_ERROR(
        CheckSpace(inventory.spaces(i), absl::StrCat("spaces[", i, "]")));
  }
  for (int i = 0; i < inventory.workstations_size(); ++i) {
    RETURN_IF_ERROR(CheckWorkstation(inventory.workstations(i),
                                     absl::StrCat("workstations[", i, "]")));
  }
  for (int i = 0; i < inventory.sensors_size(); ++i) {
    RETURN_IF_ERROR(
        CheckSensor(inventory.sensors(i), absl::StrCat("sensors[", i, "]")));
  }

  // Ids cached while writing may belong to rows the transaction rolls back.
  absl::Status written = WriteInventory(inventory);
  inventory_ids_.Invalidate();
  RETURN_IF_ERROR(written);

  v1::ImportInventoryResponse response;
  response.set_organizations(inventory.organizations_size());
  response.set_sites(inventory.sites_size());
  response.set_spaces(inventory.spaces_size());
  response.set_workstations(inventory.workstations_size());
  response.set_sensors(inventory.sensors_size());
  return response;
}

absl::Status SqliteSession::WriteInventory(const v1::Inventory& inventory) {
  Transaction transaction(db_.get());
  RETURN_IF_ERROR(transaction.Begin());
  for (const v1::Organization& org : inventory.organizations()) {
    RETURN_IF_ERROR(UpsertOrganization(org));
  }
  for (const v1::Site& site : inventory.sites()) {
    RETURN_IF_ERROR(UpsertSite(site));
  }
  // Parents before children: floors, then zones, then rooms (every level
  // was checked above).
  std::vector<int> space_order(inventory.spaces_size());
  for (int i = 0; i < inventory.spaces_size(); ++i) space_order[i] = i;
  std::stable_sort(space_order.begin(), space_order.end(), [&](int a, int b) {
    return ParseSpaceLevel(inventory.spaces(a).level()) <
           ParseSpaceLevel(inventory.spaces(b).level());
  });
  for (int i : space_order) {
    RETURN_IF_ERROR(
        UpsertSpace(inventory.spaces(i), absl::StrCat("spaces[", i, "]")));
  }
  for (int i = 0; i < inventory.workstations_size(); ++i) {
    RETURN_IF_ERROR(UpsertWorkstation(inventory.workstations(i),
                                      absl::StrCat("workstations[", i, "]")));
  }
  for (int i = 0; i < inventory.sensors_size(); ++i) {
    RETURN_IF_ERROR(
        UpsertSensor(inventory.sensors(i), absl::StrCat("sensors[", i, "]")));
  }
  return transaction.Commit();
}

absl::StatusOr<std::vector<v1::Organization>>
SqliteSession::ListOrganizations() {
  static constexpr char kSql[] =
      "SELECT code, name FROM organizations ORDER BY code";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<v1::Organization> result;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    v1::Organization& org = result.emplace_back();
    org.set_code(stmt->ColumnText(0));
    org.set_name(stmt->ColumnText(1));
  }));
  return result;
}

absl::StatusOr<std::vector<v1::Site>> SqliteSession::ListSites() {
  static const std::string kSql =
      absl::StrCat("SELECT ", kSiteColumns, " FROM sites ORDER BY code");
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql.c_str()));
  std::vector<v1::Site> result;
  RETURN_IF_ERROR(
      stmt->ForEachRow([&] { result.push_back(SiteFromRow(*stmt)); }));
  return result;
}

absl::StatusOr<v1::Site> SqliteSession::GetSite(absl::string_view code) {
  static const std::string kSql =
      absl::StrCat("SELECT ", kSiteColumns, " FROM sites WHERE code = ?");
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql.c_str()));
  stmt->BindText(1, code);
  ASSIGN_OR_RETURN(std::optional<v1::Site> site,
                   stmt->OneRow([&] { return SiteFromRow(*stmt); }));
  if (!site) return absl::NotFoundError(absl::StrCat("no site \"", code, "\""));
  return *std::move(site);
}

absl::StatusOr<std::vector<v1::Space>> SqliteSession::ListSpaces(
    absl::string_view site) {
  ASSIGN_OR_RETURN(int64_t site_id, IdByCode(InventoryTable::kSite, site, ""));
  static constexpr char kSql[] =
      "SELECT s.code, COALESCE(p.code, ''), s.level, s.kind, s.name, "
      "s.area_m2, s.capacity, s.email, "
      "EXISTS(SELECT 1 FROM floor_plans f WHERE f.space_id = s.id) "
      "FROM spaces s LEFT JOIN spaces p "
      "ON p.id = s.parent_id WHERE s.site_id = ? ORDER BY s.code";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, site_id);
  std::vector<v1::Space> result;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    v1::Space& space = result.emplace_back();
    space.set_code(stmt->ColumnText(0));
    space.set_site(std::string(site));
    space.set_parent(stmt->ColumnText(1));
    space.set_level(stmt->ColumnText(2));
    space.set_kind(stmt->ColumnText(3));
    space.set_name(stmt->ColumnText(4));
    space.set_area_m2(stmt->ColumnDouble(5));
    space.set_capacity(static_cast<int32_t>(stmt->ColumnInt64(6)));
    space.set_email(stmt->ColumnText(7));
    space.set_has_plan_svg(stmt->ColumnInt64(8) != 0);
  }));
  return result;
}

absl::StatusOr<v1::GetPlanSvgResponse> SqliteSession::GetPlanSvg(
    absl::string_view space) {
  ASSIGN_OR_RETURN(int64_t space_id,
                   IdByCode(InventoryTable::kSpace, space, ""));
  static constexpr char kSql[] =
      "SELECT svg FROM floor_plans WHERE space_id = ?";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, space_id);
  v1::GetPlanSvgResponse response;
  response.set_space(std::string(space));
  ASSIGN_OR_RETURN(std::optional<std::string> svg,
                   stmt->OneRow([&] { return stmt->ColumnText(0); }));
  if (svg) response.set_svg(*std::move(svg));
  return response;
}

absl::StatusOr<std::vector<int64_t>> SqliteSession::SpaceSubtree(
    int64_t space_id) {
  static constexpr char kSql[] =
      "WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL "
      "SELECT s.id FROM spaces s JOIN tree t ON s.parent_id = t.id) "
      "SELECT id FROM tree";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, space_id);
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(
      stmt->ForEachRow([&] { ids.push_back(stmt->ColumnInt64(0)); }));
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<std::vector<v1::Workstation>> SqliteSession::ListWorkstations(
    absl::string_view site, absl::string_view space) {
  ASSIGN_OR_RETURN(int64_t site_id, IdByCode(InventoryTable::kSite, site, ""));
  std::vector<int64_t> subtree;
  if (!space.empty()) {
    ASSIGN_OR_RETURN(int64_t space_id,
                     IdByCode(InventoryTable::kSpace, space, ""));
    ASSIGN_OR_RETURN(subtree, SpaceSubtree(space_id));
  }
  static constexpr char kSql[] =
      "SELECT w.code, s.code, w.kind, COALESCE(o.code, ''), w.status, s.id, "
      "w.x_m, w.y_m "
      "FROM workstations w JOIN spaces s ON s.id = w.space_id "
      "LEFT JOIN organizations o ON o.id = w.organization_id "
      "WHERE s.site_id = ? ORDER BY w.code";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, site_id);
  std::vector<v1::Workstation> result;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    if (!space.empty() && !std::binary_search(subtree.begin(), subtree.end(),
                                              stmt->ColumnInt64(5))) {
      return;
    }
    v1::Workstation& ws = result.emplace_back();
    ws.set_code(stmt->ColumnText(0));
    ws.set_space(stmt->ColumnText(1));
    ws.set_kind(stmt->ColumnText(2));
    ws.set_organization(stmt->ColumnText(3));
    ws.set_status(stmt->ColumnText(4));
    if (!stmt->ColumnIsNull(6) && !stmt->ColumnIsNull(7)) {
      ws.set_x_m(stmt->ColumnDouble(6));
      ws.set_y_m(stmt->ColumnDouble(7));
    }
  }));
  return result;
}

absl::StatusOr<std::vector<v1::Sensor>> SqliteSession::ListSensors(
    absl::string_view site, absl::string_view gateway) {
  static constexpr char kSql[] =
      "SELECT n.external_id, n.kind, COALESCE(w.code, ''), "
      "COALESCE(sp.code, ''), n.gateway, n.installed, n.removed, site.code "
      "FROM sensors n "
      "LEFT JOIN workstations w ON w.id = n.workstation_id "
      "JOIN spaces sp ON sp.id = COALESCE(n.space_id, w.space_id) "
      "JOIN sites site ON site.id = sp.site_id "
      "WHERE (?1 = '' OR site.code = ?1) AND (?2 = '' OR n.gateway = ?2) "
      "ORDER BY n.external_id";
  if (!site.empty()) {
    RETURN_IF_ERROR(IdByCode(InventoryTable::kSite, site, "").status());
  }
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, site);
  stmt->BindText(2, gateway);
  std::vector<v1::Sensor> result;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    v1::Sensor& sensor = result.emplace_back();
    sensor.set_external_id(stmt->ColumnText(0));
    sensor.set_kind(stmt->ColumnText(1));
    sensor.set_workstation(stmt->ColumnText(2));
    // A workstation sensor reports its workstation only.
    if (sensor.workstation().empty()) sensor.set_space(stmt->ColumnText(3));
    sensor.set_gateway(stmt->ColumnText(4));
    sensor.set_installed(stmt->ColumnText(5));
    sensor.set_removed(stmt->ColumnText(6));
    sensor.set_site(stmt->ColumnText(7));
  }));
  return result;
}

absl::StatusOr<std::vector<SensorBinding>> SqliteSession::LoadSensorBindings() {
  static constexpr char kSql[] =
      "SELECT id, external_id, kind, gateway FROM sensors";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<SensorBinding> result;
  StoredVocabulary vocabulary;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    SensorBinding& binding = result.emplace_back();
    binding.sensor_id = stmt->ColumnInt64(0);
    binding.external_id = stmt->ColumnText(1);
    binding.kind = vocabulary.Value(RequireSensorKind(stmt->ColumnText(2)),
                                    "sensors.kind", binding.sensor_id);
    binding.gateway = stmt->ColumnText(3);
  }));
  RETURN_IF_ERROR(vocabulary.status());
  return result;
}

absl::Status SqliteSession::InsertReadings(
    std::span<const StoredReading> readings,
    std::vector<InsertOutcome>* outcomes) {
  static constexpr char kSql[] =
      "INSERT INTO readings(ts_ms, sensor_id, seq, value) VALUES(?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING";
  outcomes->clear();
  outcomes->reserve(readings.size());
  Transaction transaction(db_.get());
  RETURN_IF_ERROR(transaction.Begin());
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  // UTC hours of the stored readings: their summaries are now out of date.
  std::vector<int64_t> hours;
  for (const StoredReading& reading : readings) {
    stmt->BindInt64(1, reading.ts_ms);
    stmt->BindInt64(2, reading.sensor_id);
    stmt->BindInt64(3, static_cast<int64_t>(reading.seq));
    stmt->BindInt64(4, reading.value);
    RETURN_IF_ERROR(stmt->Run());
    const bool inserted = db_->Changes() > 0;
    outcomes->push_back(inserted ? InsertOutcome::kInserted
                                 : InsertOutcome::kDuplicate);
    const int64_t hour = reading.ts_ms / (3600 * 1000);
    if (inserted && (hours.empty() || hours.back() != hour)) {
      hours.push_back(hour);
    }
  }
  RETURN_IF_ERROR(MarkDirtyHours(db_.get(), hours));
  absl::Status committed = transaction.Commit();
  if (!committed.ok()) outcomes->clear();
  return committed;
}

absl::Status SqliteSession::ScanRecentReadings(
    int64_t since_ms, absl::FunctionRef<void(const StoredReading&)> visit) {
  static constexpr char kSql[] =
      "SELECT ts_ms, sensor_id, seq, value FROM readings WHERE ts_ms >= ? "
      "ORDER BY ts_ms";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, since_ms);
  StoredReading reading;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    reading.ts_ms = stmt->ColumnInt64(0);
    reading.sensor_id = stmt->ColumnInt64(1);
    reading.seq = static_cast<uint64_t>(stmt->ColumnInt64(2));
    reading.value = stmt->ColumnInt64(3);
    visit(reading);
  }));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteSession::CountReadings() {
  static constexpr char kSql[] = "SELECT COUNT(*) FROM readings";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  ASSIGN_OR_RETURN(std::optional<int64_t> count,
                   stmt->OneRow([&] { return stmt->ColumnInt64(0); }));
  return count.value_or(0);
}

absl::Status SqliteSession::ProbeWrite(int64_t now_ms) {
  static constexpr char kSql[] =
      "INSERT INTO storage_probe(id, probed_ms) VALUES (1, ?) "
      "ON CONFLICT(id) DO UPDATE SET probed_ms = excluded.probed_ms";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, now_ms);
  return stmt->Run();
}

class SqliteStorage : public Storage {
 public:
  SqliteStorage(std::string path, SqliteStorageOptions options)
      : path_(std::move(path)), options_(options) {}

  absl::StatusOr<std::unique_ptr<StorageSession>> OpenSession() override {
    DatabaseOptions db_options;
    db_options.cache_kib = options_.cache_kib;
    db_options.synchronous = options_.synchronous;
    ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                     Database::Open(path_, db_options));
    return std::make_unique<SqliteSession>(std::move(db));
  }

 private:
  const std::string path_;
  const SqliteStorageOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Storage>> Storage::OpenSqlite(
    const std::string& path, const SqliteStorageOptions& options) {
  DatabaseOptions db_options;
  db_options.cache_kib = 2048;
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db,
                   Database::Open(path, db_options));
  // auto_vacuum can be chosen only before the first table is created, and
  // (the file being in WAL mode already) takes a VACUUM of the empty file.
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Statement> tables,
                     db->Prepare("SELECT COUNT(*) FROM sqlite_schema"));
    ASSIGN_OR_RETURN(std::optional<int64_t> count,
                     tables->OneRow([&] { return tables->ColumnInt64(0); }));
    if (count.value_or(0) == 0) {
      RETURN_IF_ERROR(db->Execute("PRAGMA auto_vacuum=INCREMENTAL; VACUUM;"));
    }
  }
  RETURN_IF_ERROR(UpgradeSchema(
      db.get(), {.backup_before_migration = options.backup_before_migration,
                 .now = absl::Now()}));
  return std::make_unique<SqliteStorage>(path, options);
}

}  // namespace monipaikka
