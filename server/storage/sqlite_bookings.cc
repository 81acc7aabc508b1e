#include "server/storage/sqlite_bookings.h"

#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace monipaikka {
namespace {

// Columns: workstation_id, space_id, start_ms, end_ms, attendees, uid,
// booker, from `first`.
BookingRow BookingFromRow(const Statement& row, int first) {
  BookingRow booking;
  booking.workstation_id = row.ColumnIsNull(first) ? 0 : row.ColumnInt64(first);
  booking.space_id =
      row.ColumnIsNull(first + 1) ? 0 : row.ColumnInt64(first + 1);
  booking.start_ms = row.ColumnInt64(first + 2);
  booking.end_ms = row.ColumnInt64(first + 3);
  booking.attendees = row.ColumnIsNull(first + 4)
                          ? -1
                          : static_cast<int32_t>(row.ColumnInt64(first + 4));
  booking.uid = row.ColumnText(first + 5);
  booking.booker = row.ColumnIsNull(first + 6) ? "" : row.ColumnText(first + 6);
  return booking;
}

// A booking's identity for comparing an export with what is stored.
using BookingKey = std::tuple<int64_t, int64_t, int64_t, int64_t, int32_t,
                              std::string, std::string>;
BookingKey KeyOf(const BookingRow& b) {
  return {b.workstation_id, b.space_id, b.start_ms, b.end_ms,
          b.attendees,      b.uid,      b.booker};
}

// The local dates (days since 1970-01-01) a booking can touch in any time
// zone: its UTC dates and one on either side.
void AddDatesOf(const BookingRow& b, std::set<int32_t>* dates) {
  constexpr int64_t kDayMs = 24 * 3600 * 1000;
  auto floor_day = [](int64_t ms) {
    return ms >= 0 ? ms / kDayMs : -((-ms + kDayMs - 1) / kDayMs);
  };
  const int64_t first = floor_day(b.start_ms) - 1;
  const int64_t last = floor_day(b.end_ms - 1) + 1;
  for (int64_t d = first; d <= last; ++d) {
    dates->insert(static_cast<int32_t>(d));
  }
}

absl::Status CheckRow(const BookingRow& row, size_t index) {
  if ((row.workstation_id != 0) == (row.space_id != 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rows[", index, "]: needs exactly one of a workstation ",
                     "and a space"));
  }
  if (row.end_ms <= row.start_ms) {
    return absl::InvalidArgumentError(
        absl::StrCat("rows[", index, "]: end_ms must be after start_ms"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BookingReplaceCounts> SqliteBookings::ReplaceBookings(
    const BookingReplacement& r) {
  if (r.source.empty()) {
    return absl::InvalidArgumentError("source: must not be empty");
  }
  if (r.to_ms <= r.from_ms && !r.rows.empty()) {
    return absl::InvalidArgumentError("to_ms: must be after from_ms");
  }
  for (size_t i = 0; i < r.rows.size(); ++i) {
    RETURN_IF_ERROR(CheckRow(r.rows[i], i));
  }
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  static constexpr char kUpsertSource[] =
      "INSERT INTO booking_sources(name, format, imported_ms) VALUES(?, ?, ?) "
      "ON CONFLICT(name) DO UPDATE SET format = excluded.format, "
      "imported_ms = excluded.imported_ms";
  ASSIGN_OR_RETURN(Statement * upsert, db_->Cached(kUpsertSource));
  upsert->BindText(1, r.source);
  upsert->BindText(2, r.format);
  upsert->BindInt64(3, r.imported_ms);
  RETURN_IF_ERROR(upsert->Run());
  static constexpr char kSourceId[] =
      "SELECT id FROM booking_sources WHERE name = ?";
  ASSIGN_OR_RETURN(Statement * find, db_->Cached(kSourceId));
  find->BindText(1, r.source);
  ASSIGN_OR_RETURN(
      std::optional<int64_t> source_id,
      find->OneRow([&]() -> int64_t { return find->ColumnInt64(0); }));
  if (!source_id.has_value()) {
    return absl::InternalError("booking source vanished inside a transaction");
  }

  // The covered rows: by time, then by UID.
  std::map<int64_t, BookingRow> covered;  // by id
  static constexpr char kByTime[] =
      "SELECT id, workstation_id, space_id, start_ms, end_ms, attendees, uid, "
      "booker FROM bookings WHERE source_id = ? AND start_ms < ? AND "
      "end_ms > ?";
  ASSIGN_OR_RETURN(Statement * by_time, db_->Cached(kByTime));
  by_time->BindInt64(1, *source_id);
  by_time->BindInt64(2, r.to_ms);
  by_time->BindInt64(3, r.from_ms);
  RETURN_IF_ERROR(by_time->ForEachRow([&] {
    covered.emplace(by_time->ColumnInt64(0), BookingFromRow(*by_time, 1));
  }));
  static constexpr char kByUid[] =
      "SELECT id, workstation_id, space_id, start_ms, end_ms, attendees, uid, "
      "booker FROM bookings WHERE source_id = ? AND uid = ?";
  absl::flat_hash_set<std::string> uids(r.uids.begin(), r.uids.end());
  uids.erase("");
  for (const std::string& uid : uids) {
    ASSIGN_OR_RETURN(Statement * by_uid, db_->Cached(kByUid));
    by_uid->BindInt64(1, *source_id);
    by_uid->BindText(2, uid);
    RETURN_IF_ERROR(by_uid->ForEachRow([&] {
      covered.emplace(by_uid->ColumnInt64(0), BookingFromRow(*by_uid, 1));
    }));
  }

  // Match the export against the covered rows as multisets.
  std::map<BookingKey, std::vector<int64_t>> stored;
  for (const auto& [id, row] : covered) stored[KeyOf(row)].push_back(id);
  BookingReplaceCounts counts;
  std::vector<const BookingRow*> inserts;
  for (const BookingRow& row : r.rows) {
    auto it = stored.find(KeyOf(row));
    if (it != stored.end() && !it->second.empty()) {
      it->second.pop_back();
      ++counts.unchanged;
    } else {
      inserts.push_back(&row);
    }
  }
  // The dates whose stored booking figures the change makes out of date.
  std::set<int32_t> changed_dates;
  static constexpr char kDelete[] = "DELETE FROM bookings WHERE id = ?";
  for (const auto& [key, ids] : stored) {
    for (int64_t id : ids) {
      ASSIGN_OR_RETURN(Statement * del, db_->Cached(kDelete));
      del->BindInt64(1, id);
      RETURN_IF_ERROR(del->Run());
      ++counts.removed;
      AddDatesOf(covered.at(id), &changed_dates);
    }
  }
  static constexpr char kInsert[] =
      "INSERT INTO bookings(source_id, uid, workstation_id, space_id, "
      "start_ms, end_ms, attendees, booker) VALUES(?, ?, ?, ?, ?, ?, ?, ?)";
  for (const BookingRow* row : inserts) {
    ASSIGN_OR_RETURN(Statement * ins, db_->Cached(kInsert));
    ins->BindInt64(1, *source_id);
    ins->BindText(2, row->uid);
    if (row->workstation_id != 0) {
      ins->BindInt64(3, row->workstation_id);
      ins->BindNull(4);
    } else {
      ins->BindNull(3);
      ins->BindInt64(4, row->space_id);
    }
    ins->BindInt64(5, row->start_ms);
    ins->BindInt64(6, row->end_ms);
    if (row->attendees >= 0) {
      ins->BindInt64(7, row->attendees);
    } else {
      ins->BindNull(7);
    }
    ins->BindTextOrNull(8, row->booker);
    RETURN_IF_ERROR(ins->Run());
    ++counts.added;
    AddDatesOf(*row, &changed_dates);
  }
  const std::vector<int32_t> dates(changed_dates.begin(), changed_dates.end());
  RETURN_IF_ERROR(RaiseBookingDayGenerations(db_, dates));
  RETURN_IF_ERROR(transaction.Commit());
  return counts;
}

absl::Status SqliteBookings::ScanBookings(
    int64_t from_ms, int64_t to_ms,
    absl::FunctionRef<void(const BookingRow&)> visit) {
  // Bookings are short (a day at most in practice): the lower bound on
  // start_ms keeps the index range small; longer ones are found by the
  // second condition too, only slower.
  static constexpr char kSql[] =
      "SELECT workstation_id, space_id, start_ms, end_ms, attendees, uid, "
      "booker FROM bookings WHERE start_ms < ? AND end_ms > ? "
      "ORDER BY start_ms, id";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, to_ms);
  stmt->BindInt64(2, from_ms);
  return stmt->ForEachRow([&] { visit(BookingFromRow(*stmt, 0)); });
}

absl::StatusOr<std::vector<BookingSourceRow>>
SqliteBookings::ListBookingSources() {
  static constexpr char kSql[] =
      "SELECT s.name, s.format, s.imported_ms, COUNT(b.id), "
      "COALESCE(MIN(b.start_ms), 0), COALESCE(MAX(b.end_ms), 0) "
      "FROM booking_sources s LEFT JOIN bookings b ON b.source_id = s.id "
      "GROUP BY s.id ORDER BY s.name";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  std::vector<BookingSourceRow> rows;
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    rows.push_back({stmt->ColumnText(0), stmt->ColumnText(1),
                    stmt->ColumnInt64(2), stmt->ColumnInt64(3),
                    stmt->ColumnInt64(4), stmt->ColumnInt64(5)});
  }));
  return rows;
}

absl::StatusOr<std::vector<int64_t>> SqliteBookings::BookingDayGenerations(
    int32_t first_date, int32_t last_date) {
  static constexpr char kSql[] =
      "SELECT date, generation FROM booking_day_marks "
      "WHERE date >= ? AND date <= ?";
  std::vector<int64_t> generations(
      static_cast<size_t>(std::max(0, last_date - first_date + 1)), 0);
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindInt64(1, first_date);
  stmt->BindInt64(2, last_date);
  RETURN_IF_ERROR(stmt->ForEachRow([&] {
    generations[static_cast<size_t>(stmt->ColumnInt64(0) - first_date)] =
        stmt->ColumnInt64(1);
  }));
  return generations;
}

absl::Status SqliteBookings::ScanBookingDays(
    absl::string_view hours, int32_t first_date, int32_t last_date,
    absl::FunctionRef<void(int64_t, int32_t, absl::string_view,
                           absl::string_view)>
        visit) {
  // One statement, so that the figures and the generations are read from
  // the same snapshot.
  static constexpr char kSql[] =
      "SELECT d.site_id, d.date, d.fingerprint, d.figures "
      "FROM booking_days d LEFT JOIN booking_day_marks m ON m.date = d.date "
      "WHERE d.hours = ? AND d.date >= ? AND d.date <= ? "
      "AND d.generation = COALESCE(m.generation, 0)";
  ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
  stmt->BindText(1, hours);
  stmt->BindInt64(2, first_date);
  stmt->BindInt64(3, last_date);
  return stmt->ForEachRow([&] {
    visit(stmt->ColumnInt64(0), static_cast<int32_t>(stmt->ColumnInt64(1)),
          stmt->ColumnBlob(2), stmt->ColumnBlob(3));
  });
}

absl::Status SqliteBookings::WriteBookingDays(
    absl::string_view hours, std::span<const StoredBookingDay> days) {
  static constexpr char kSql[] =
      "INSERT INTO booking_days(hours, date, site_id, fingerprint, generation, "
      "figures) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(hours, date, site_id) DO "
      "UPDATE SET fingerprint = excluded.fingerprint, "
      "generation = excluded.generation, figures = excluded.figures";
  Transaction transaction(db_);
  RETURN_IF_ERROR(transaction.Begin());
  for (const StoredBookingDay& day : days) {
    ASSIGN_OR_RETURN(Statement * stmt, db_->Cached(kSql));
    stmt->BindText(1, hours);
    stmt->BindInt64(2, day.date);
    stmt->BindInt64(3, day.site_id);
    stmt->BindText(4, day.fingerprint);
    stmt->BindInt64(5, day.generation);
    stmt->BindBlob(6, day.figures);
    RETURN_IF_ERROR(stmt->Run());
  }
  return transaction.Commit();
}

absl::Status RaiseBookingDayGenerations(Database* db,
                                        std::span<const int32_t> dates) {
  // One statement per run of consecutive dates (an export of a room's
  // year touches every date). WHERE true: an upsert from a SELECT needs a
  // WHERE clause to parse.
  static constexpr char kSql[] =
      "WITH RECURSIVE d(date) AS (SELECT ? UNION ALL SELECT date + 1 FROM d "
      "WHERE date < ?) INSERT INTO booking_day_marks(date, generation) "
      "SELECT date, 1 FROM d WHERE true "
      "ON CONFLICT(date) DO UPDATE SET generation = generation + 1";
  for (size_t i = 0; i < dates.size();) {
    size_t j = i + 1;
    while (j < dates.size() && dates[j] == dates[j - 1] + 1) ++j;
    ASSIGN_OR_RETURN(Statement * stmt, db->Cached(kSql));
    stmt->BindInt64(1, dates[i]);
    stmt->BindInt64(2, dates[j - 1]);
    RETURN_IF_ERROR(stmt->Run());
    i = j;
  }
  return absl::OkStatus();
}

absl::Status RaiseBookingDayGenerationsOfSensorDays(Database* db,
                                                    int32_t first_date,
                                                    int32_t last_date) {
  static constexpr char kSql[] =
      "INSERT INTO booking_day_marks(date, generation) "
      "SELECT DISTINCT date, 1 FROM sensor_days WHERE date >= ? AND date <= ? "
      "ON CONFLICT(date) DO UPDATE SET generation = generation + 1";
  ASSIGN_OR_RETURN(Statement * stmt, db->Cached(kSql));
  stmt->BindInt64(1, first_date);
  stmt->BindInt64(2, last_date);
  return stmt->Run();
}

}  // namespace monipaikka
