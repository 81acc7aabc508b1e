#pragma once

// SQLite implementation of BookingStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Bookings()).

#include "common/sqlite.h"
#include "server/storage/booking_storage.h"

namespace monipaikka {

class SqliteBookings final : public BookingStorage {
 public:
  // `db` is not owned and must outlive this object.
  explicit SqliteBookings(Database* db) : db_(db) {}

  absl::StatusOr<BookingReplaceCounts> ReplaceBookings(
      const BookingReplacement& replacement) override;
  absl::Status ScanBookings(
      int64_t from_ms, int64_t to_ms,
      absl::FunctionRef<void(const BookingRow&)> visit) override;
  absl::StatusOr<std::vector<BookingSourceRow>> ListBookingSources() override;

 private:
  Database* const db_;
};

}  // namespace monipaikka
