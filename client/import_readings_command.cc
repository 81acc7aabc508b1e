#include "client/import_readings_command.h"

#include <fstream>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "client/import_progress.h"
#include "client/text_file.h"
#include "common/status_macros.h"

namespace monipaikka::client {

void WriteReadingsImportSummary(const std::string& path,
                                const ReadingsImportSummary& summary,
                                OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kTable:
      out << path << ": " << summary.rows << " rows: " << summary.accepted
          << " accepted, " << summary.duplicates << " duplicates, "
          << summary.rejected << " rejected, " << summary.skipped
          << " skipped\n";
      return;
    case OutputFormat::kCsv: {
      Table table({{"file", "file"},
                   {"rows", "rows"},
                   {"accepted", "accepted"},
                   {"duplicates", "duplicates"},
                   {"rejected", "rejected"},
                   {"skipped", "skipped"}});
      table.AddRow(
          {path, absl::StrCat(summary.rows), absl::StrCat(summary.accepted),
           absl::StrCat(summary.duplicates), absl::StrCat(summary.rejected),
           absl::StrCat(summary.skipped)});
      WriteCsvTable(table, out);
      return;
    }
    case OutputFormat::kJson:
      out << "{\n  \"file\": " << JsonString(path)
          << ",\n  \"rows\": " << summary.rows
          << ",\n  \"accepted\": " << summary.accepted
          << ",\n  \"duplicates\": " << summary.duplicates
          << ",\n  \"rejected\": " << summary.rejected
          << ",\n  \"skipped\": " << summary.skipped << "\n}\n";
      return;
  }
}

absl::StatusOr<ReadingsImportSummary> ImportReadings(
    v1::IngestService::StubInterface& stub, const std::string& path,
    const CommandOptions& options, std::ostream& out, std::ostream& problems,
    ReadingsUploadOptions upload) {
  std::ifstream file;
  std::istream* in = &std::cin;
  std::string name = "stdin";
  if (path != "-") {
    RETURN_IF_ERROR(OpenTextFile(path, &file));
    in = &file;
    name = path;
  }
  upload.ack_timeout = options.deadline;
  // Bytes read against the file's size give the share done and the time
  // left; standard input has no size, so only rows and rate show.
  ProgressInput input(in, path, name, &problems, options.progress);
  upload.on_rows = [&input](int64_t rows) {
    input.progress().Update(rows, input.counting().bytes());
  };
  absl::StatusOr<ReadingsImportSummary> summary = UploadReadingsCsv(
      stub, input.stream(), name, upload, input.progress().problems());
  input.progress().Erase();
  if (!summary.ok()) return summary.status();
  WriteReadingsImportSummary(name, *summary, options.output, out);
  return *summary;
}

}  // namespace monipaikka::client
