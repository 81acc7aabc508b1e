#pragma once

// The bookings part of the storage interface: desk and meeting-room
// bookings imported from booking systems and calendars (docs/bookings.md).
// Reached through StorageSession::Bookings(); all SQL stays in the storage
// layer.
//
// A booking belongs to a source (the name an import gives its export, e.g.
// a room mailbox or a desk-booking system). An import replaces what its
// export covers: the source's bookings that overlap the covered time range
// [from_ms, to_ms), and those with one of the export's UIDs anywhere in
// time. Instants are UTC milliseconds.
//
// Thread safety: as StorageSession (one thread at a time).

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace monipaikka {

// One booking of one desk or one room: [start_ms, end_ms), UTC ms.
struct BookingRow {
  // Exactly one of workstation_id and space_id is set (non-zero).
  int64_t workstation_id = 0;
  int64_t space_id = 0;
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  // Number of people invited (iCalendar ATTENDEEs other than rooms and
  // resources), or -1 when the export does not say.
  int32_t attendees = -1;
  // The iCalendar UID (and, for one instance of a recurring meeting, the
  // same UID); "" for CSV rows.
  std::string uid;
  // The booker's keyed pseudonym (server/workforce/pseudonym.h), or "".
  std::string booker;
  friend bool operator==(const BookingRow&, const BookingRow&) = default;
};

// The bookings of one export, replacing what it covers.
struct BookingReplacement {
  std::string source;
  std::string format;  // "ics" or "csv"
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::vector<std::string> uids;  // also covered wherever they lie
  std::vector<BookingRow> rows;
  int64_t imported_ms = 0;  // when (UTC ms), kept with the source
};

struct BookingReplaceCounts {
  int64_t added = 0;      // new rows stored
  int64_t removed = 0;    // covered rows no longer in the export
  int64_t unchanged = 0;  // covered rows the export repeats
};

// What is known about one source.
struct BookingSourceRow {
  std::string name;
  std::string format;
  int64_t imported_ms = 0;
  int64_t bookings = 0;
  int64_t first_start_ms = 0;  // 0 when it holds none
  int64_t last_end_ms = 0;
};

// The bookings report's figures of one site's local date (days since
// 1970-01-01), kept so that reports over long windows add them up instead
// of recomputing them (server/bookings/booking_days.h). They are computed
// from the date's bookings and sensor days, whose changes raise the date's
// generation (every write of bookings or sensor days does so in its own
// transaction): stored figures of an older generation are out of date.
struct StoredBookingDay {
  int64_t site_id = 0;
  int32_t date = 0;
  // What else they were computed with (inventory, settings); the reader
  // compares it.
  std::string fingerprint;
  // The date's generation read before the inputs were.
  int64_t generation = 0;
  std::string figures;
};

class BookingStorage {
 public:
  virtual ~BookingStorage() = default;

  // Replaces, in one transaction, the source's covered bookings by `rows`:
  // rows equal to a covered one are kept as they are, the other covered
  // ones deleted and the rest inserted. Importing the same export again
  // therefore changes nothing. INVALID_ARGUMENT for an empty source, an
  // empty range or a row without exactly one target or with end <= start.
  virtual absl::StatusOr<BookingReplaceCounts> ReplaceBookings(
      const BookingReplacement& replacement) = 0;

  // Every booking that overlaps [from_ms, to_ms), in (start_ms, id) order.
  virtual absl::Status ScanBookings(
      int64_t from_ms, int64_t to_ms,
      absl::FunctionRef<void(const BookingRow&)> visit) = 0;

  // Every source, by name.
  virtual absl::StatusOr<std::vector<BookingSourceRow>>
  ListBookingSources() = 0;

  // The current generation of each date first_date … last_date (element
  // date - first_date); 0 for a date whose inputs never changed.
  virtual absl::StatusOr<std::vector<int64_t>> BookingDayGenerations(
      int32_t first_date, int32_t last_date) = 0;

  // The stored figures of the variant `hours` ("core" or "all") on dates
  // first_date … last_date that are of their date's current generation, as
  // (site_id, date, fingerprint, figures).
  virtual absl::Status ScanBookingDays(
      absl::string_view hours, int32_t first_date, int32_t last_date,
      absl::FunctionRef<void(int64_t, int32_t, absl::string_view,
                             absl::string_view)>
          visit) = 0;

  // Stores `days` of the variant `hours`, replacing what is stored for the
  // same site and date, in one transaction.
  virtual absl::Status WriteBookingDays(
      absl::string_view hours, std::span<const StoredBookingDay> days) = 0;
};

}  // namespace monipaikka
