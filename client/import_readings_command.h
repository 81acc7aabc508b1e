#pragma once

// The import-readings command: streams a readings CSV file (format in
// client/readings_csv.h) to the server and reports what became of its rows.

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "client/command_options.h"
#include "client/readings_upload.h"
#include "monipaikka/v1/ingest.grpc.pb.h"

namespace monipaikka::client {

// Uploads the file at `path` ("-": standard input, named "stdin") in batches of
// `upload.batch_size` (the acknowledgement timeout is options.deadline). Each
// skipped or rejected row is reported on `problems` as "PATH:LINE: ..." (see
// UploadReadingsCsv); the totals go to `out` in options.output:
//   table: "PATH: 120 rows: 117 accepted, 1 duplicates, 1 rejected, 1 skipped"
//   csv:   file,rows,accepted,duplicates,rejected,skipped and one record
//   json:  {"file": ..., "rows": ..., "accepted": ..., ...}
// A caller should exit non-zero when !summary.clean().
absl::StatusOr<ReadingsImportSummary> ImportReadings(
    v1::IngestService::StubInterface& stub, const std::string& path,
    const CommandOptions& options, std::ostream& out, std::ostream& problems,
    ReadingsUploadOptions upload = ReadingsUploadOptions());

// Writes the totals as described above.
void WriteReadingsImportSummary(const std::string& path,
                                const ReadingsImportSummary& summary,
                                OutputFormat format, std::ostream& out);

}  // namespace monipaikka::client
