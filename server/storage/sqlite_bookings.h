#pragma once

// SQLite implementation of BookingStorage, on the connection of a
// SqliteSession (which owns it and forwards StorageSession::Bookings()).

#include <cstdint>
#include <span>

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
  absl::StatusOr<std::vector<int64_t>> BookingDayGenerations(
      int32_t first_date, int32_t last_date) override;
  absl::Status ScanBookingDays(
      absl::string_view hours, int32_t first_date, int32_t last_date,
      absl::FunctionRef<void(int64_t, int32_t, absl::string_view,
                             absl::string_view)>
          visit) override;
  absl::Status WriteBookingDays(
      absl::string_view hours, std::span<const StoredBookingDay> days) override;

 private:
  Database* const db_;
};

// Raises the generation of `dates` (days since 1970-01-01, ascending and
// distinct), making the stored booking figures of those dates out of date.
// For the writers of bookings and sensor days, inside their transaction.
absl::Status RaiseBookingDayGenerations(Database* db,
                                        std::span<const int32_t> dates);

// The same for every date first_date … last_date that has sensor days,
// before they are deleted.
absl::Status RaiseBookingDayGenerationsOfSensorDays(Database* db,
                                                    int32_t first_date,
                                                    int32_t last_date);

}  // namespace monipaikka
