#pragma once

// Real Monipaikka processes on 127.0.0.1 for integration tests: the server,
// the command-line client and the edge agent, started from their binaries.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "edge/reading.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace monipaikka::testing {

// Paths of the binaries under test (set by CMake).
std::string ServerBinary();
std::string ClientBinary();
std::string EdgeBinary();

// A one-site inventory: site "IT-SITE" (Europe/Helsinki, default core
// hours), one floor, `desks` workstations "IT-WS-<n>" each with a desk
// sensor "IT-DEV-<n>" on gateway `gateway`; returned as the JSON document
// the client imports.
std::string OneSiteInventoryJson(int desks, const std::string& gateway);

// The sensor ids of OneSiteInventoryJson(desks, …).
std::vector<std::string> OneSiteSensors(int desks);

// A stored reading as read back from the server's database.
struct StoredRow {
  std::string sensor;
  int64_t ts_ms;
  int64_t value;
  friend bool operator<(const StoredRow& a, const StoredRow& b) {
    return std::tie(a.ts_ms, a.sensor, a.value) <
           std::tie(b.ts_ms, b.sensor, b.value);
  }
  friend bool operator==(const StoredRow&, const StoredRow&) = default;
};

// Every reading in the database at `db_path`, sorted (read-only access).
std::vector<StoredRow> ReadAllReadings(const std::string& db_path);
int64_t CountReadings(const std::string& db_path);
// PRAGMA integrity_check's answer ("ok" when sound).
std::string IntegrityCheck(const std::string& db_path);

// A server process with its own database in `dir`.
class ServerProcess {
 public:
  // port 0: any free port. `security_args`: how the listener is secured,
  // e.g. {"--tls_cert_file=…", "--tls_key_file=…"}.
  ServerProcess(const TempDir& dir, int port, const std::string& log_name,
                const std::vector<std::string>& security_args = {
                    "--plaintext"});
  int port() const { return port_; }
  std::string address() const;
  Process& process() { return *process_; }
  const std::string& db_path() const { return db_path_; }

 private:
  std::string db_path_;
  std::unique_ptr<Process> process_;
  int port_ = -1;
};

// The readings the edge simulator produces for `sensors` (Europe/Helsinki)
// over local days first … last with `seed`, as the agent's backfill does.
std::vector<StoredRow> SimulatedRows(const std::vector<std::string>& sensors,
                                     uint64_t seed, absl::CivilDay first,
                                     absl::CivilDay last);

// Today's date in Helsinki.
absl::CivilDay TodayInHelsinki();

}  // namespace monipaikka::testing
