#include "client/cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/fake_services_test_util.h"
#include "client/inventory_csv.h"
#include "common/build_info.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace monipaikka::client {
namespace {

using ::monipaikka::client::testing::FakeIngestService;
using ::monipaikka::client::testing::FakeInventoryService;
using ::monipaikka::client::testing::FakeServer;
using ::monipaikka::client::testing::FakeUtilizationService;
using ::testing::HasSubstr;
using ::testing::Not;
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

class CliTest : public ::testing::Test {
 protected:
  CliTest()
      : utilization_(OneDayReport()),
        server_({&inventory_, &utilization_, &ingest_}) {}

  // Runs `monipaikka ARGS` against the fake server (unless ARGS name one).
  int Run(std::vector<std::string> args) {
    bool has_server = false;
    for (const std::string& arg : args) {
      has_server |= absl::StartsWith(arg, "--server");
    }
    // Flags go first: after "--" everything is an argument.
    if (!has_server && !environment_.variables.contains("MONIPAIKKA_SERVER")) {
      args.insert(args.begin(), "--server=" + server_.address());
    }
    args.insert(args.begin(), "--deadline_s=10");
    return RunCommandLine(args, environment_, out_, err_);
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path =
        (std::filesystem::path(::testing::TempDir()) / name).string();
    std::ofstream(path) << content;
    return path;
  }

  void Clear() {
    out_.str("");
    err_.str("");
  }

  FakeInventoryService inventory_;
  FakeUtilizationService utilization_;
  FakeIngestService ingest_;
  FakeServer server_;
  Environment environment_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, HelpListsEveryCommandByGroup) {
  EXPECT_EQ(Run({"help"}), kExitOk);
  EXPECT_EQ(out_.str(), UsageText());
  for (const char* line :
       {"\n  inventory\n    import ", "\n    export ", "\n  sites\n    list ",
        "\n  sensors\n    list ", "\n    health ",
        "\n  report\n    utilization ", "\n    usage ", "\n  tokens\n",
        "\n    revoke ", "\n  -o, --output=FORMAT"}) {
    EXPECT_THAT(out_.str(), HasSubstr(line));
  }
  Clear();
  EXPECT_EQ(Run({"--help"}), kExitOk);
  EXPECT_EQ(out_.str(), UsageText());
}

TEST_F(CliTest, VersionNamesVersionAndCommit) {
  EXPECT_EQ(Run({"--version"}), kExitOk);
  EXPECT_EQ(out_.str(), VersionText("monipaikka"));
  EXPECT_THAT(out_.str(), HasSubstr(" (commit "));
  Clear();
  // Before or after a command, like --help.
  EXPECT_EQ(Run({"sites", "list", "--version"}), kExitOk);
  EXPECT_EQ(out_.str(), VersionText("monipaikka"));
  EXPECT_THAT(UsageText(), HasSubstr("--version"));
}

TEST_F(CliTest, CommandHelpShowsOnlyItsOwnFlags) {
  EXPECT_EQ(Run({"report", "usage", "--help"}), kExitOk);
  const std::string help = out_.str();
  EXPECT_THAT(help, StartsWith("usage: monipaikka report usage [--site=CODE] "
                               "[--space=CODE] [--organization=A,B]"));
  for (const char* flag : {"--by=GROUPING", "--kinds=", "--from=YYYY-MM-DD",
                           "--to=YYYY-MM-DD", "--all_hours"}) {
    EXPECT_THAT(help, HasSubstr(flag));
  }
  // Flags of other commands are not listed.
  for (const char* flag : {"--role", "--as_of", "--candidate", "--metric",
                           "--from_month", "--include_inactive"}) {
    EXPECT_THAT(help, Not(HasSubstr(flag))) << flag;
  }
  EXPECT_THAT(help, HasSubstr("(old name: --orgs)"));
  EXPECT_THAT(help, HasSubstr("Old name (deprecated): report\n"));
  EXPECT_EQ(err_.str(), "");

  // The old name shows the same help, with the deprecation notice.
  Clear();
  EXPECT_EQ(Run({"report", "-h"}), kExitOk);
  EXPECT_EQ(out_.str(), help);
  EXPECT_EQ(err_.str(),
            "monipaikka: \"report\" is deprecated and will be removed in the "
            "next release; use \"report usage\"\n");

  Clear();
  EXPECT_EQ(Run({"help", "tokens", "create"}), kExitOk);
  EXPECT_EQ(out_.str(), CommandHelp("tokens create"));
  EXPECT_THAT(out_.str(), HasSubstr("--role=ROLE"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("--site=")));
}

TEST_F(CliTest, GroupWithoutCommandListsItsCommands) {
  EXPECT_EQ(Run({"tokens"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: tokens needs a command: create, list, "
                         "revoke\n"));
  Clear();
  EXPECT_EQ(Run({"inventory", "--help"}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("\n  import "));
  EXPECT_THAT(out_.str(), HasSubstr("\n  export "));
}

TEST_F(CliTest, NoCommandPrintsUsageAsUsageError) {
  EXPECT_EQ(RunCommandLine({}, environment_, out_, err_), kExitUsage);
  EXPECT_EQ(err_.str(), UsageText());
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, UnknownCommandSuggestsTheNearest) {
  EXPECT_EQ(Run({"stes"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: unknown command \"stes\"; did you mean "
                         "\"sites\"?\nusage: monipaikka "));
  EXPECT_THAT(err_.str(), HasSubstr("Run 'monipaikka help'"));
  Clear();
  EXPECT_EQ(Run({"tokens", "revoek", "3"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: unknown command \"tokens revoek\"; did "
                         "you mean \"tokens revoke\"?\n"));
  Clear();
  EXPECT_EQ(Run({"repot", "usage", "--site=X"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: unknown command \"repot\"; did you mean "
                         "\"report usage\"?\n"));
  Clear();
  EXPECT_EQ(Run({"frobnicate"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: unknown command \"frobnicate\"\n"));
}

TEST_F(CliTest, UnknownFlagSuggestsTheNearest) {
  EXPECT_EQ(Run({"spaces", "list", "--sitee=HKI-VT"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: unknown flag --sitee for spaces list; "
                         "did you mean \"--site\"?\n"
                         "usage: monipaikka spaces list --site=CODE\n"));
  Clear();
  EXPECT_EQ(Run({"sites", "list", "--outptu=csv"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("did you mean \"--output\"?"));
}

TEST_F(CliTest, OldNamesStillWorkWithANotice) {
  EXPECT_EQ(Run({"sites", "-o", "csv"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("code,name,kind,"));
  EXPECT_EQ(err_.str(),
            "monipaikka: \"sites\" is deprecated and will be removed in the "
            "next release; use \"sites list\"\n");
  const std::string listed = out_.str();
  Clear();
  EXPECT_EQ(Run({"sites", "list", "-o", "csv"}), kExitOk);
  EXPECT_EQ(out_.str(), listed);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, EveryOldNameMapsToACommandOfTheNewScheme) {
  const std::map<std::string, std::string> renamed = {
      {"import-inventory", "inventory import"},
      {"import-readings", "readings import"},
      {"organizations", "organizations list"},
      {"sites", "sites list"},
      {"spaces", "spaces list"},
      {"workstations", "workstations list"},
      {"sensors", "sensors list"},
      {"sensor-health", "sensors health"},
      {"utilization", "report utilization"},
      {"report", "report usage"},
      {"heatmap", "report heatmap"},
      {"coverage", "report coverage"},
      {"right-size", "report right-size"},
      {"consolidate", "report consolidation"},
      {"efficiency", "report efficiency"},
      {"targets", "targets list"},
      {"set-target", "targets set"},
      {"delete-target", "targets delete"},
      {"live", "live show"},
      {"watch", "live watch"},
      {"import-employees", "employees import"},
      {"import-work-days", "work-days import"},
      {"workstation-distribution", "report workstation-distribution"},
      {"office-days", "report office-days"},
      {"audit", "audit list"}};
  for (const auto& [old_name, new_name] : renamed) {
    EXPECT_EQ(CommandHelp(old_name), CommandHelp(new_name)) << old_name;
    EXPECT_NE(CommandHelp(new_name), "") << new_name;
  }
}

TEST_F(CliTest, OldFlagSpellingsWorkWithANotice) {
  // --date is now --as_of; the check of its value names the new name.
  EXPECT_EQ(Run({"report", "efficiency", "--date=2026-13-01"}), kExitUsage);
  EXPECT_EQ(err_.str(),
            "monipaikka: --date is deprecated; use --as_of\n"
            "monipaikka: --as_of=2026-13-01 is not a date (YYYY-MM-DD)\n"
            "usage: monipaikka report efficiency --as_of=YYYY-MM-DD "
            "[--site=CODE] [--organization=CODE]\n"
            "Run 'monipaikka report efficiency --help' for its flags.\n");
  Clear();
  EXPECT_EQ(
      Run({"report", "office-days", "--from_month=2026-01", "--group_by=team"}),
      kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--by=team is not organization or unit"));
  Clear();
  EXPECT_EQ(Run({"report", "efficiency", "--as_of=2026-03-01", "--orgs=A,B"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("monipaikka: --orgs is deprecated; use "
                                    "--organization\n"));
  EXPECT_THAT(err_.str(), HasSubstr("takes one organization"));
}

TEST_F(CliTest, MissingRequiredFlagIsNamed) {
  EXPECT_EQ(
      Run({"report", "utilization", "--from=2026-03-01", "--to=2026-03-31"}),
      kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: report utilization needs --site=CODE\n"
                         "usage: monipaikka report utilization --site=CODE "
                         "[--space=CODE] --from=YYYY-MM-DD --to=YYYY-MM-DD "
                         "[--all_hours]\n"));
}

TEST_F(CliTest, MissingDateIsNamed) {
  EXPECT_EQ(
      Run({"report", "utilization", "--site=HKI-VT", "--from=2026-03-01"}),
      kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: report utilization needs "
                                     "--to=YYYY-MM-DD\n"));
}

TEST_F(CliTest, BadDateIsUsageError) {
  EXPECT_EQ(Run({"utilization", "--site", "HKI-VT", "--from=2026-3-1",
                 "--to=2026-03-31"}),
            kExitUsage);
  EXPECT_THAT(err_.str(),
              HasSubstr("\nmonipaikka: --from: \"2026-3-1\" is not a date"));
}

TEST_F(CliTest, FlagOfAnotherCommandDoesNotApply) {
  EXPECT_EQ(Run({"sensors", "list", "--space=X"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: --space does not apply to sensors "
                         "list\n"));
  Clear();
  EXPECT_EQ(Run({"spaces", "list", "--site=HKI-VT", "--all_hours"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: --all_hours does not apply "
                                     "to spaces list\n"));
}

TEST_F(CliTest, FlagsBeforeAndAfterTheCommandInEverySpelling) {
  EXPECT_EQ(Run({"-o=csv", "report", "utilization", "--site", "HKI-VT",
                 "-space=HKI-VT-2", "--from=2026-03-23", "--to", "2026-03-23",
                 "-all_hours"}),
            kExitOk)
      << err_.str();
  EXPECT_TRUE(utilization_.last_request().all_hours());
  EXPECT_EQ(utilization_.last_request().space(), "HKI-VT-2");
  Clear();
  EXPECT_EQ(Run({"report", "utilization", "--site=HKI-VT", "--from=2026-03-23",
                 "--to=2026-03-23", "--noall_hours"}),
            kExitOk);
  EXPECT_FALSE(utilization_.last_request().all_hours());
  Clear();
  EXPECT_EQ(Run({"spaces", "list", "--site"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: --site needs a value\n"));
}

TEST_F(CliTest, NothingAfterDoubleDashIsAFlag) {
  EXPECT_EQ(Run({"readings", "import", "--", "--odd.csv"}), kExitFailure);
  EXPECT_EQ(err_.str(),
            "error: NOT_FOUND: cannot open --odd.csv: No such file or "
            "directory\n");
}

TEST_F(CliTest, WrongArgumentCountIsUsageError) {
  EXPECT_EQ(Run({"readings", "import"}), kExitUsage);
  EXPECT_THAT(err_.str(),
              StartsWith("monipaikka: readings import needs one FILE.csv "
                         "argument, got 0\n"));
  Clear();
  EXPECT_EQ(Run({"sites", "list", "extra"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: sites list takes no "
                                     "arguments, got \"extra\"\n"));
}

TEST_F(CliTest, BadOutputAndDeadlineAreUsageErrors) {
  EXPECT_EQ(Run({"sites", "list", "--output=xml"}), kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: --output=xml is not a "
                                     "format; use table, csv, csv-excel or "
                                     "json\n"));
  Clear();
  EXPECT_EQ(RunCommandLine({"sites", "list", "--deadline_s=0"}, environment_,
                           out_, err_),
            kExitUsage);
  EXPECT_THAT(err_.str(), StartsWith("monipaikka: --deadline_s=0 must be"));
}

TEST_F(CliTest, ExcelCsvThroughTheCommandLine) {
  EXPECT_EQ(Run({"report", "utilization", "-o", "csv-excel", "--site=HKI-VT",
                 "--from=2026-03-23", "--to=2026-03-23"}),
            kExitOk);
  EXPECT_EQ(out_.str(),
            "\xEF\xBB\xBF"
            "date;core_day;observed_h;occupied_h;time_utilization_pct;"
            "peak_occupancy;peak_utilization_pct;observed_workstations\r\n"
            "2026-03-23;yes;32,0;8,0;25,0;3;75,0;4\r\n");
}

TEST_F(CliTest, ServerComesFromFlagThenEnvironmentThenConfigFile) {
  const std::string config =
      WriteFile("monipaikka.config", "# test\nserver = 127.0.0.1:1\n");
  environment_.variables["MONIPAIKKA_CONFIG"] = config;
  // The file alone: its unreachable server is used.
  EXPECT_EQ(RunCommandLine({"sites", "list"}, environment_, out_, err_),
            kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("(server 127.0.0.1:1, plaintext)"));
  // The environment beats the file.
  Clear();
  environment_.variables["MONIPAIKKA_SERVER"] = server_.address();
  EXPECT_EQ(RunCommandLine({"sites", "list"}, environment_, out_, err_),
            kExitOk)
      << err_.str();
  // The flag beats the environment.
  Clear();
  environment_.variables["MONIPAIKKA_SERVER"] = "127.0.0.1:1";
  EXPECT_EQ(RunCommandLine({"sites", "list", "--server=" + server_.address()},
                           environment_, out_, err_),
            kExitOk);
  // A bad config file is a usage error naming it.
  Clear();
  environment_.variables["MONIPAIKKA_CONFIG"] =
      WriteFile("bad.config", "sever = x\n");
  EXPECT_EQ(RunCommandLine({"sites", "list"}, environment_, out_, err_),
            kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("bad.config:1: unknown key \"sever\""));
}

TEST_F(CliTest, GrpcErrorIsPrintedWithCodeAndExitsOne) {
  EXPECT_EQ(Run({"spaces", "list", "--site=NOPE"}), kExitFailure);
  EXPECT_EQ(err_.str(), "error: NOT_FOUND: no site \"NOPE\"\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, UnreachableServerIsUnavailableNamingTheServer) {
  EXPECT_EQ(Run({"sites", "list", "--server=127.0.0.1:1"}), kExitFailure);
  EXPECT_THAT(err_.str(), StartsWith("error: UNAVAILABLE: "));
  EXPECT_THAT(err_.str(), HasSubstr("(server 127.0.0.1:1, plaintext)\n"));
}

TEST_F(CliTest, ListsSites) {
  EXPECT_EQ(Run({"sites", "list", "--output=csv"}), kExitOk);
  EXPECT_THAT(out_.str(), StartsWith("code,name,kind,"));
  EXPECT_THAT(out_.str(), HasSubstr("\nTRE-1,"));
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, UtilizationPassesArgumentsAndPrintsCsv) {
  EXPECT_EQ(Run({"report", "utilization", "--output=csv", "--site=HKI-VT",
                 "--space=HKI-VT-2", "--from=2026-03-23", "--to=2026-03-23",
                 "--all_hours"}),
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
  EXPECT_EQ(Run({"inventory", "import", path}), kExitOk);
  EXPECT_EQ(out_.str(), "Imported " + path +
                            ": 0 organizations, 1 sites, 0 spaces, 0 "
                            "workstations, 0 sensors written.\n");
}

TEST_F(CliTest, InventoryCsvSheetsExportAndImportBack) {
  const std::string directory =
      (std::filesystem::path(::testing::TempDir()) / "cli_sheets").string();
  std::filesystem::remove_all(directory);
  ASSERT_EQ(Run({"inventory", "export", directory}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Exported "));
  EXPECT_THAT(out_.str(), HasSubstr(" to " + directory + ".\n"));
  std::ifstream sites(directory + "/sites.csv");
  std::string header;
  std::getline(sites, header);
  EXPECT_EQ(header,
            "code,name,kind,address,municipality,timezone,office_area_m2,"
            "annual_rent_eur,core_weekdays,core_start,core_end");

  // What was exported is what the import sends.
  Clear();
  ASSERT_EQ(Run({"inventory", "import", directory}), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), StartsWith("Imported " + directory + ": "));
  const v1::Inventory imported = inventory_.last_import();
  EXPECT_GT(imported.sites_size(), 0);
  std::vector<std::string> codes;
  for (const v1::Site& site : imported.sites()) codes.push_back(site.code());
  EXPECT_THAT(codes, ::testing::Contains("TRE-1"));

  // And exporting that import again gives the same sheets.
  const std::string again = directory + "_again";
  std::filesystem::remove_all(again);
  absl::StatusOr<v1::Inventory> read = ReadInventoryDirectory(directory);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(WriteInventoryDirectory(*read, again).ok());
  for (const std::string& sheet : InventorySheetNames()) {
    std::ifstream a(directory + "/" + sheet), b(again + "/" + sheet);
    std::stringstream a_text, b_text;
    a_text << a.rdbuf();
    b_text << b.rdbuf();
    EXPECT_EQ(a_text.str(), b_text.str()) << sheet;
  }
}

TEST_F(CliTest, CleanReadingsImportExitsZero) {
  const std::string path =
      WriteFile("clean.csv",
                "sensor,ts,occupied,seq\nA,2026-03-23T07:15:00Z,1,1\n"
                "A,2026-03-23T07:45:00Z,0,2\n");
  EXPECT_EQ(Run({"readings", "import", path}), kExitOk);
  EXPECT_EQ(out_.str(), path +
                            ": 2 rows: 2 accepted, 0 duplicates, 0 rejected, "
                            "0 skipped\n");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CliTest, ReadingsImportDrawsProgressOnlyOnATerminal) {
  std::string csv = "sensor,ts,occupied,seq\n";
  for (int i = 0; i < 3000; ++i) {
    csv += absl::StrCat("A,2026-03-23T07:", i % 60 < 10 ? "0" : "", i % 60,
                        ":00Z,1,", i + 1, "\n");
  }
  const std::string path = WriteFile("progress.csv", csv);
  EXPECT_EQ(Run({"readings", "import", path}), kExitOk);
  EXPECT_EQ(err_.str(), "");
  Clear();
  environment_.stderr_is_terminal = true;
  EXPECT_EQ(Run({"readings", "import", path}), kExitOk);
  // Drawn at the first thousand rows, then erased before the summary.
  EXPECT_THAT(err_.str(), StartsWith("\r\033[K" + path + ": 1000 rows"));
  EXPECT_THAT(err_.str(), ::testing::EndsWith("\r\033[K"));
  EXPECT_THAT(out_.str(), StartsWith(path + ": 3000 rows: "));
}

TEST_F(CliTest, ReadingsImportWithBadRowsExitsOne) {
  const std::string path = WriteFile(
      "bad.csv",
      "sensor,ts,occupied,seq\nA,2026-03-23T07:15:00Z,1,1\n"
      "A,2026-03-23T07:45:00Z,maybe,2\nunknown-x,2026-03-23T07:15:00Z,1,1\n");
  EXPECT_EQ(Run({"readings", "import", path, "--output=json"}), kExitFailure);
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
  const int exit_code = Run({"readings", "import", "-"});
  std::cin.rdbuf(saved);
  EXPECT_EQ(exit_code, kExitOk);
  EXPECT_EQ(out_.str(),
            "stdin: 2 rows: 1 accepted, 1 duplicates, 0 rejected, 0 skipped\n");
}

TEST_F(CliTest, ReadingsImportOfMissingFile) {
  EXPECT_EQ(Run({"readings", "import", "/nonexistent/readings.csv"}),
            kExitFailure);
  EXPECT_EQ(err_.str(),
            "error: NOT_FOUND: cannot open /nonexistent/readings.csv: No such "
            "file or directory\n");
}

}  // namespace
}  // namespace monipaikka::client
