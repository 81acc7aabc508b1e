#pragma once

// Streams a readings CSV to IngestService.StreamReadings as an
// administrative import (gateway empty): batches of readings, several in
// flight, each acknowledgement mapped back to the CSV lines it covers.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "monipaikka/v1/ingest.grpc.pb.h"

namespace monipaikka::client {

struct ReadingsUploadOptions {
  // Readings per batch; the API allows at most 10000 (larger values are
  // lowered to it).
  size_t batch_size = 5000;
  // Batches sent but not yet acknowledged. More keeps the server busy while
  // the next batch is parsed; each holds batch_size readings in memory.
  size_t max_batches_in_flight = 4;
  // Longest wait for the next acknowledgement while batches are in flight;
  // the import is cancelled after it.
  absl::Duration ack_timeout = absl::Seconds(60);
  // Called with the number of rows read so far every 1000 rows, for a
  // progress display; may be empty.
  std::function<void(int64_t rows)> on_rows;
};

// What became of the rows of a readings CSV.
struct ReadingsImportSummary {
  // Data rows read (the header and blank lines not counted).
  int64_t rows = 0;
  // Rows sent and stored, already stored, or refused by the server.
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  // Rows not sent because they could not be parsed.
  int64_t skipped = 0;

  // Whether every row was stored or found already stored.
  bool clean() const { return rejected == 0 && skipped == 0; }
};

// Reads the CSV (format in client/readings_csv.h) from `csv` and streams it
// through `stub`. Writes one line to `problems` for each row that was skipped
// or rejected, in line order, e.g.
//   readings.csv:12: skipped: occupied is "2"; expected 0 or 1
//   readings.csv:17: rejected (unknown sensor): no sensor "X" in inventory
// where `name` is how the input is named in messages, plus a note for each
// header column that is ignored.
//
// Fails on a bad header, a failed read, a gRPC error, an acknowledgement that
// does not match what was sent, or no acknowledgement within
// options.ack_timeout; before failing it writes to `problems` how many
// readings the server had acknowledged (those are stored; importing the file
// again is harmless since duplicates are ignored).
absl::StatusOr<ReadingsImportSummary> UploadReadingsCsv(
    v1::IngestService::StubInterface& stub, std::istream& csv,
    absl::string_view name, const ReadingsUploadOptions& options,
    std::ostream& problems);

}  // namespace monipaikka::client
