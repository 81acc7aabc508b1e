#pragma once

// The sampling commands: `report estimate` (a scope's figures estimated
// from its measured workstations, with 95 % intervals and the sensors a
// wanted precision needs), `observations import` (a utilization study's
// rounds from CSV) and `report observations` (the study's figures).

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "client/command_options.h"
#include "monipaikka/v1/sampling.grpc.pb.h"

namespace monipaikka::client {

struct SampleEstimateArgs {
  std::string site;
  std::string space;
  std::string orgs;   // comma-separated, "-" for shared use
  std::string kinds;  // comma-separated
  std::string from;
  std::string to;
  bool all_hours = false;
  std::string strata;      // "zone" (default) or "kind"
  std::string buffer_pct;  // whole percent
  std::string margin_pp;   // target half-width, percentage points
  std::string seed;
  std::string replicates;
  std::string by;  // "" (figures) or "stratum"
};

// INVALID_ARGUMENT naming the flag for a malformed value.
absl::StatusOr<v1::SampleEstimateRequest> ToSampleEstimateRequest(
    const SampleEstimateArgs& args);

// Table: the figures, then the strata. CSV: the figures, or with
// by_stratum the strata. JSON: the report message.
void WriteSampleEstimate(const v1::SampleEstimateReport& report,
                         OutputFormat format, bool by_stratum,
                         std::ostream& out);

absl::Status ShowSampleEstimate(v1::SamplingService::StubInterface& stub,
                                const SampleEstimateArgs& args,
                                const CommandOptions& options,
                                std::ostream& out);

// ---- Observation rounds ----

// The result of an import: rows sent and what became of them, the rows
// refused (here or by the server) as "LINE: reason".
struct ObservationImportSummary {
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t changed = 0;
  int64_t unchanged = 0;
  int64_t observers_not_stored = 0;
  std::vector<std::pair<int64_t, std::string>> refused;
  bool clean() const { return refused.empty(); }
};

// Reads a study CSV (header round_time,workstation,state[,observer], any
// column order, more columns ignored) and sends it in batches of
// `batch_size` rows. Rows refused are written to `problems` as
// "NAME:LINE: reason". FAILED/INVALID_ARGUMENT for an unreadable file or a
// header without the columns.
absl::StatusOr<ObservationImportSummary> ImportObservationRounds(
    v1::SamplingService::StubInterface& stub, std::istream& csv,
    const std::string& name, const CommandOptions& options,
    std::ostream& problems, size_t batch_size = 5000);

// `path` ("-": standard input), then a summary line on `out`.
absl::Status RunObservationImport(v1::SamplingService::StubInterface& stub,
                                  const std::string& path,
                                  const CommandOptions& options,
                                  std::ostream& out, std::ostream& err,
                                  bool* rows_refused);

struct ObservationStudyArgs {
  std::string site;
  std::string space;
  std::string orgs;
  std::string kinds;
  std::string from;
  std::string to;
  std::string strata;
  std::string seed;
  std::string replicates;
};

absl::StatusOr<v1::ObservationStudyRequest> ToObservationStudyRequest(
    const ObservationStudyArgs& args);

// Table: the figures by total, hour and stratum, then the estimate and
// the calibration. CSV: the figures table. JSON: the report message.
void WriteObservationStudy(const v1::ObservationStudyReport& report,
                           OutputFormat format, std::ostream& out);

absl::Status ShowObservationStudy(v1::SamplingService::StubInterface& stub,
                                  const ObservationStudyArgs& args,
                                  const CommandOptions& options,
                                  std::ostream& out);

}  // namespace monipaikka::client
