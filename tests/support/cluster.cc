#include "tests/support/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/bearer_token.h"
#include "common/sqlite.h"
#include "common/time_format.h"
#include "edge/simulator.h"

namespace monipaikka::testing {

std::string ServerBinary() { return MONIPAIKKA_SERVER_BIN; }
std::string ClientBinary() { return MONIPAIKKA_CLIENT_BIN; }
std::string EdgeBinary() { return MONIPAIKKA_EDGE_BIN; }

std::vector<std::string> OneSiteSensors(int desks) {
  std::vector<std::string> sensors;
  for (int i = 0; i < desks; ++i) sensors.push_back(absl::StrCat("IT-DEV-", i));
  return sensors;
}

std::string OneSiteInventoryJson(int desks, const std::string& gateway) {
  std::string json =
      R"({"organizations":[{"code":"IT-ORG","name":"Testivirasto"}],)"
      R"("sites":[{"code":"IT-SITE","name":"Testitalo","kind":"B",)"
      R"("timezone":"Europe/Helsinki","office_area_m2":1000}],)"
      R"("spaces":[{"code":"IT-F1","site":"IT-SITE","level":"floor"}],)";
  std::string workstations = R"("workstations":[)";
  std::string sensors = R"("sensors":[)";
  for (int i = 0; i < desks; ++i) {
    if (i > 0) {
      workstations += ",";
      sensors += ",";
    }
    absl::StrAppend(
        &workstations, R"({"code":"IT-WS-)", i,
        R"(","space":"IT-F1","kind":"unassigned","organization":"IT-ORG"})");
    absl::StrAppend(&sensors, R"({"external_id":"IT-DEV-)", i,
                    R"(","kind":"desk_presence","workstation":"IT-WS-)", i,
                    R"(","gateway":")", gateway, R"("})");
  }
  return json + workstations + "]," + sensors + "]}";
}

std::vector<StoredRow> ReadAllReadings(const std::string& db_path) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(db_path, options);
  EXPECT_TRUE(db.ok()) << db.status();
  std::vector<StoredRow> rows;
  if (!db.ok()) return rows;
  auto stmt = (*db)->Prepare(
      "SELECT s.external_id, r.ts_ms, r.value FROM readings r "
      "JOIN sensors s ON s.id = r.sensor_id");
  EXPECT_TRUE(stmt.ok()) << stmt.status();
  if (stmt.ok()) {
    absl::Status read = (*stmt)->ForEachRow([&] {
      rows.push_back(StoredRow{(*stmt)->ColumnText(0), (*stmt)->ColumnInt64(1),
                               (*stmt)->ColumnInt64(2)});
    });
    EXPECT_TRUE(read.ok()) << read;
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

int64_t CountReadings(const std::string& db_path) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(db_path, options);
  if (!db.ok()) return 0;
  auto stmt = (*db)->Prepare("SELECT COUNT(*) FROM readings");
  if (!stmt.ok()) return 0;
  absl::StatusOr<std::optional<int64_t>> count =
      (*stmt)->OneRow([&] { return (*stmt)->ColumnInt64(0); });
  return count.ok() ? count->value_or(0) : 0;
}

std::string IntegrityCheck(const std::string& db_path) {
  auto db = Database::Open(db_path);
  if (!db.ok()) return std::string(db.status().message());
  auto stmt = (*db)->Prepare("PRAGMA integrity_check");
  if (!stmt.ok()) return std::string(stmt.status().message());
  absl::StatusOr<std::optional<std::string>> answer =
      (*stmt)->OneRow([&] { return (*stmt)->ColumnText(0); });
  return answer.ok() && answer->has_value() ? **answer : "no answer";
}

ServerProcess::ServerProcess(const TempDir& dir, int port,
                             const std::string& log_name,
                             const std::vector<std::string>& extra_args,
                             const std::string& db_path)
    : db_path_(db_path.empty() ? dir.File("server.db") : db_path) {
  const std::string port_file = dir.File(log_name + ".port");
  const std::string token_file = dir.File("admin.token");
  const std::string metrics_port_file = dir.File(log_name + ".metrics_port");
  const std::string http_port_file = dir.File(log_name + ".http_port");
  std::remove(port_file.c_str());
  std::remove(metrics_port_file.c_str());
  std::remove(http_port_file.c_str());
  std::vector<std::string> args = {absl::StrCat("--listen=127.0.0.1:", port),
                                   "--db=" + db_path_,
                                   "--port_file=" + port_file,
                                   "--bootstrap_admin_token_file=" + token_file,
                                   "--metrics_listen=127.0.0.1:0",
                                   "--metrics_port_file=" + metrics_port_file,
                                   "--http_listen=127.0.0.1:0",
                                   "--http_port_file=" + http_port_file};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  if (std::none_of(extra_args.begin(), extra_args.end(),
                   [](const std::string& arg) {
                     return absl::StartsWith(arg, "--tls_cert_file=");
                   })) {
    args.push_back("--plaintext");
  }
  process_ = std::make_unique<Process>(ServerBinary(), args,
                                       dir.File(log_name + ".log"));
  port_ = WaitForPortFile(port_file, std::chrono::seconds(30));
  EXPECT_GT(port_, 0) << "server did not start: " << process_->Log();
  metrics_port_ = WaitForPortFile(metrics_port_file, std::chrono::seconds(5));
  http_port_ = WaitForPortFile(http_port_file, std::chrono::seconds(5));
  // The server writes the token before it serves (and so before the port).
  absl::StatusOr<std::string> token = ReadTokenFile(token_file);
  EXPECT_TRUE(token.ok() || port_ <= 0) << token.status();
  if (token.ok()) {
    admin_token_ = *token;
    setenv(kTokenEnvironmentVariable, admin_token_.c_str(), /*overwrite=*/1);
  }
}

std::string CreateToken(const ServerProcess& server,
                        const std::string& admin_token, const std::string& role,
                        const std::string& name,
                        const std::vector<std::string>& extra_flags) {
  std::vector<std::string> args = {"--server=" + server.address(), "tokens",
                                   "create", "--role=" + role,
                                   "--name=" + name};
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  const char* previous = std::getenv(kTokenEnvironmentVariable);
  const std::string saved = previous != nullptr ? previous : "";
  setenv(kTokenEnvironmentVariable, admin_token.c_str(), 1);
  std::string out;
  std::string err;
  const int code = RunToCompletion(ClientBinary(), args, &out,
                                   std::chrono::seconds(30), &err);
  setenv(kTokenEnvironmentVariable, saved.c_str(), 1);
  EXPECT_EQ(code, 0) << err;
  if (code != 0) return "";
  return std::string(absl::StripAsciiWhitespace(out));
}

absl::Status ImportInventory(const ServerProcess& server, const TempDir& dir,
                             const std::string& inventory_json) {
  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << inventory_json;
  std::string out;
  std::string err;
  const int code = RunToCompletion(
      ClientBinary(),
      {"--server=" + server.address(), "import-inventory", inventory}, &out,
      std::chrono::seconds(60), &err);
  if (code == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("import-inventory exited with ", code, ": ", out, err));
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::vector<StoredRow> SimulatedRows(const std::vector<std::string>& sensors,
                                     uint64_t seed, absl::CivilDay first,
                                     absl::CivilDay last) {
  std::vector<edge::SimulatedDesk> desks;
  for (const std::string& sensor : sensors) {
    desks.push_back(edge::SimulatedDesk{sensor, "Europe/Helsinki", {}, {}});
  }
  auto simulator = edge::Simulator::Create(desks, seed);
  EXPECT_TRUE(simulator.ok()) << simulator.status();
  absl::TimeZone zone = *LoadZone("Europe/Helsinki");
  std::vector<StoredRow> rows;
  for (const edge::Reading& r : simulator->ReadingsBetween(
           LocalToMs(absl::CivilSecond(first), zone),
           LocalToMs(absl::CivilSecond(last + 1), zone))) {
    rows.push_back(StoredRow{r.sensor, r.ts_ms, r.occupied ? 1 : 0});
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

absl::CivilDay TodayInHelsinki() {
  return absl::ToCivilDay(absl::Now(), *LoadZone("Europe/Helsinki"));
}

}  // namespace monipaikka::testing
