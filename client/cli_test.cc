#include "client/cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "client/fake_services_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::monipaikka::client::testing::FakeIngestService;
using ::monipaikka::client::testing::FakeInventoryService;
using ::monipaikka::client::testing::FakeServer;
using ::monipaikka::client::testing::FakeUtilizationService;
using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::UtilizationReport OneDayReport() {
  v1::UtilizationReport report;
  report.set_site("HKI-VT");
  report.set_from_date("2026-03-23");
  report.set_to_date("2026-03-23");
  report.set_timezone("Europe/Helsinki");
  report.set_workstations_in_scope(4);
  report.set_workstations_measured(4);
  v1::DailyUtilization* day = report.add_days();
  day->set_date("2026-03-23");
  day->set_core_day(true);
  day->set_observed_ms(32 * 3'600'000);
  day->set_occupied_ms(8 * 3'600'000);
  day->set_time_utilization(0.25);
  day->set_peak_occupancy(3);
  day->set_peak_utilization(0.75);
  day->set_observed_workstations(4);
  return report;
}

// An invocation with the flags `set` sets.
Invocation Flags(void (*set)(Invocation*)) {
  Invocation invocation;
  set(&invocation);
  return invocation;
}

class CliTest : public ::testing::Test {
 protected:
  CliTest()
      : utilization_(OneDayReport()),
        server_({&inventory_, &utilization_, &ingest_}) {}

  // Runs `monipaikka ARGS` against the fake server.
  int Run(std::vector<std::string> args, Invocation invocation = Invocation()) {
    invocation.args = std::move(args);
    if (invocation.server == Invocation().server) {
      invocation.server = server_.address();
    }
    invocation.deadline_s = 10;
    return RunCommandLine(invocation, out_, err_);
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path =
        (std::filesystem::path(::testing::TempDir()) / name).string();
    std::ofstream(path) << content;
    return path;
  }

  FakeInventoryService inventory_;
  FakeUtilizationService utilization_;
  FakeIngestService ingest_;
  FakeServer server_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, HelpPrintsUsageListingEveryCommand) {
  EXPECT_EQ(Run({"help"}), kExitOk);
  EXPECT_EQ(out_.str(), kUsage);
  for (const char* synopsis :
       {"  import-inventory FILE.json\n", "  import-readings FILE.csv\n",
        "  organizations\n", "  sites\n", "  spaces --site=CODE\n",
        "  workstations --site=CODE [--space=CODE]\n",
        "  sensors [--site=CODE] [--gateway=ID]\n",
        "  utilization --site=CODE [--space=CODE] --from=YYYY-MM-DD "
        "--to=YYYY-MM-DD [--all_hours]\n",
        "  help\n"}) {
    EXPECT_THAT(out_.str(), HasSubstr(synopsis));
  }
}

TEST_F(CliTest, NoCommandPrintsUsageAsUsageError) {
  EXPECT_EQ(Run({}), kExitUsage);
  EXPECT_EQ(err_.str(), kUsage);
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, UnknownCommandIsUsageError) {
  EXPECT_EQ(Run({"stes"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: unknown command \"stes\"\n"
                                     "usage: monipaikka "));
  EXPECT_THAT(err_.str(), HasSubstr("Run 'monipaikka help'"));
}

TEST_F(CliTest, MissingRequiredFlagIsNamed) {
  EXPECT_EQ(Run({"utilization"}, Flags([](Invocation* f) {
                  f->from = "2026-03-01";
                  f->to = "2026-03-31";
                })),
            kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: utilization needs "
                                     "--site=CODE\n"));
  EXPECT_THAT(err_.str(),
              HasSubstr("usage: monipaikka [--server=HOST:PORT] "
                        "[--token_file=FILE] [--output=table|csv|json] "
                        "[--deadline_s=N] utilization --site=CODE"));
}

TEST_F(CliTest, MissingDateIsNamed) {
  EXPECT_EQ(Run({"utilization"}, Flags([](Invocation* f) {
                  f->site = "HKI-VT";
                  f->from = "2026-03-01";
                })),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: utilization needs --to=YYYY-MM-DD\n"));
}

TEST_F(CliTest, BadDateIsUsageError) {
  EXPECT_EQ(Run({"utilization"}, Flags([](Invocation* f) {
                  f->site = "HKI-VT";
                  f->from = "2026-3-1";
                  f->to = "2026-03-31";
                })),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: --from: \"2026-3-1\" is not a date"));
}

TEST_F(CliTest, FlagThatDoesNotApplyIsUsageError) {
  EXPECT_EQ(Run({"sensors"}, Flags([](Invocation* f) { f->space = "X"; })),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: --space does not apply to sensors\n"));
  err_.str("");
  EXPECT_EQ(Run({"spaces"}, Flags([](Invocation* f) {
                  f->site = "HKI-VT";
                  f->all_hours = true;
                })),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: --all_hours does not apply to spaces\n"));
}

TEST_F(CliTest, WrongArgumentCountIsUsageError) {
  EXPECT_EQ(Run({"import-readings"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: import-readings needs one FILE.csv "
                         "argument, got 0\n"));
  err_.str("");
  EXPECT_EQ(Run({"sites", "extra"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: sites takes no arguments, "
                                     "got \"extra\"\n"));
}

TEST_F(CliTest, BadOutputAndDeadlineAreUsageErrors) {
  EXPECT_EQ(Run({"sites"}, Flags([](Invocation* f) { f->output = "xml"; })),
            kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: --output=xml is not a "
                                     "format; use table, csv or json\n"));
  Invocation invocation;
  invocation.args = {"sites"};
  invocation.deadline_s = 0;
  EXPECT_EQ(RunCommandLine(invocation, out_, err_), kExitUsage);
}

TEST_F(CliTest, GrpcErrorIsPrintedWithCodeAndExitsOne) {
  EXPECT_EQ(Run({"spaces"}, Flags([](Invocation* f) { f->site = "NOPE"; })),
            kExitFailure);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: no site \"NOPE\"\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, UnreachableServerIsUnavailableNamingTheServer) {
  EXPECT_EQ(
      Run({"sites"}, Flags([](Invocation* f) { f->server = "127.0.0.1:1"; })),
      kExitFailure);
  EXPECT_THAT(err_.str(), StartsWith("error: UNAVAILABLE: "));
  EXPECT_THAT(err_.str(), HasSubstr("(server 127.0.0.1:1, plaintext)\n"));
}

TEST_F(CliTest, ListsSites) {
  EXPECT_EQ(Run({"sites"}, Flags([](Invocation* f) { f->output = "csv"; })),
            kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("code,name,kind,"));
  EXPECT_THAT(out_.str(), HasSubstr("\nTRE-1,"));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, UtilizationPassesArgumentsAndPrintsCsv) {
  EXPECT_EQ(Run({"utilization"}, Flags([](Invocation* f) {
                  f->output = "csv";
                  f->site = "HKI-VT";
                  f->space = "HKI-VT-2";
                  f->from = "2026-03-23";
                  f->to = "2026-03-23";
                  f->all_hours = true;
                })),
            kExitOk);
  EXPECT_EQ(out_.str(),
            "date,core_day,observed_h,occupied_h,time_utilization_pct,"
            "peak_occupancy,peak_utilization_pct,observed_workstations\n"
            "2026-03-23,yes,32.0,8.0,25.0,3,75.0,4\n");
  const v1::UtilizationRequest request = utilization_.last_request();
  EXPECT_EQ(request.site(), "HKI-VT");
  EXPECT_EQ(request.space(), "HKI-VT-2");
  EXPECT_EQ(request.from_date(), "2026-03-23");
  EXPECT_EQ(request.to_date(), "2026-03-23");
  EXPECT_TRUE(request.all_hours());
}

TEST_F(CliTest, ImportInventoryFromFile) {
  const std::string path =
      WriteFile("cli_inventory.json", R"({"sites": [{"code": "HKI-VT"}]})");
  EXPECT_EQ(Run({"import-inventory", path}), kExitOk);
  EXPECT_EQ(out_.str(), "Imported " + path +
                            ": 0 organizations, 1 sites, 0 spaces, 0 "
                            "workstations, 0 sensors written.\n");
}

TEST_F(CliTest, CleanReadingsImportExitsZero) {
  const std::string path =
      WriteFile("clean.csv",
                "sensor,ts,occupied,seq\nA,2026-03-23T07:15:00Z,1,1\n"
                "A,2026-03-23T07:45:00Z,0,2\n");
  EXPECT_EQ(Run({"import-readings", path}), kExitOk);
  EXPECT_EQ(out_.str(), path +
                            ": 2 rows: 2 accepted, 0 duplicates, 0 rejected, "
                            "0 skipped\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, ReadingsImportWithBadRowsExitsOne) {
  const std::string path = WriteFile(
      "bad.csv",
      "sensor,ts,occupied,seq\nA,2026-03-23T07:15:00Z,1,1\n"
      "A,2026-03-23T07:45:00Z,maybe,2\nunknown-x,2026-03-23T07:15:00Z,1,1\n");
  EXPECT_EQ(Run({"import-readings", path},
                Flags([](Invocation* f) { f->output = "json"; })),
            kExitFailure);
  EXPECT_EQ(err_.str(),
            path + ":3: skipped: occupied is \"maybe\"; expected 0 or 1\n" +
                path +
                ":4: rejected (unknown sensor): no sensor \"unknown-x\" in "
                "the inventory\n");
  EXPECT_EQ(out_.str(), "{\n  \"file\": \"" + path +
                            "\",\n  \"rows\": 3,\n  \"accepted\": 1,\n  "
                            "\"duplicates\": 0,\n  \"rejected\": 1,\n  "
                            "\"skipped\": 1\n}\n");
}

TEST_F(CliTest, ReadingsImportFromStandardInput) {
  std::istringstream input(
      "sensor,ts,count\nC1,2026-03-23T07:15:00Z,4\n"
      "C1,2026-03-23T07:15:00Z,4\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  const int exit_code = Run({"import-readings", "-"});
  std::cin.rdbuf(saved);
  EXPECT_EQ(exit_code, kExitOk);
  EXPECT_EQ(out_.str(),
            "stdin: 2 rows: 1 accepted, 1 duplicates, 0 rejected, 0 skipped\n");
}

TEST_F(CliTest, ReadingsImportOfMissingFile) {
  EXPECT_EQ(Run({"import-readings", "/nonexistent/readings.csv"}),
            kExitFailure);
  EXPECT_EQ(err_.str(),
            "error: NOT_FOUND: cannot open /nonexistent/readings.csv: No such "
            "file or directory\n");
}

}  // namespace
}  // namespace monipaikka::client
