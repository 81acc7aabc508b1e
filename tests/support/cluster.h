#pragma once

// Real Monipaikka processes on 127.0.0.1 for integration tests: the server,
// the command-line client and the edge agent, started from their binaries.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
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

// A server process with its own database in `dir`. It bootstraps an admin
// token into `dir`/admin.token (kept across restarts in the same `dir`) and
// exports it as MONIPAIKKA_TOKEN, so that the client and edge processes a
// test starts afterwards act as admin unless given another token.
class ServerProcess {
 public:
  // port 0: any free port. `extra_args` are added to the command line; the
  // listener is plaintext unless they hold --tls_cert_file. `db_path` empty:
  // "server.db" in `dir`. The metrics endpoint and the HTTP side listen on
  // free ports too.
  ServerProcess(const TempDir& dir, int port, const std::string& log_name,
                const std::vector<std::string>& extra_args = {},
                const std::string& db_path = "");
  int port() const { return port_; }
  // The metrics endpoint's port (HTTP on 127.0.0.1).
  int metrics_port() const { return metrics_port_; }
  // The HTTP side's port (127.0.0.1; TLS when the gRPC listener has TLS).
  int http_port() const { return http_port_; }
  std::string address() const;
  // The bootstrap admin token.
  const std::string& admin_token() const { return admin_token_; }
  Process& process() { return *process_; }
  const std::string& db_path() const { return db_path_; }

 private:
  std::string db_path_;
  std::unique_ptr<Process> process_;
  int port_ = -1;
  int metrics_port_ = -1;
  int http_port_ = -1;
  std::string admin_token_;
};

// Creates a token through the real client as `admin_token`; returns the
// token ("" and a test failure on error). `extra_flags` e.g.
// {"--gateway=GW-1", "--ttl=1h"}.
// Writes `inventory_json` to a file in `dir` and imports it into `server`
// with the real client (whose token is the one in the environment: the
// admin token of the last ServerProcess started). OK, or the client's exit
// code and output.
absl::Status ImportInventory(const ServerProcess& server, const TempDir& dir,
                             const std::string& inventory_json);

std::string CreateToken(const ServerProcess& server,
                        const std::string& admin_token, const std::string& role,
                        const std::string& name,
                        const std::vector<std::string>& extra_flags = {});

// The readings the edge simulator produces for `sensors` (Europe/Helsinki)
// over local days first … last with `seed`, as the agent's backfill does.
std::vector<StoredRow> SimulatedRows(const std::vector<std::string>& sensors,
                                     uint64_t seed, absl::CivilDay first,
                                     absl::CivilDay last);

// Today's date in Helsinki.
absl::CivilDay TodayInHelsinki();

}  // namespace monipaikka::testing
