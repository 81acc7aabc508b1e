// HR statistics end to end on 127.0.0.1: the real server with a pseudonym
// key, the real client importing CSV files and asking for reports.

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/bearer_token.h"
#include "common/sqlite.h"
#include "common/time_format.h"
#include "monipaikka/v1/workforce.grpc.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/generic_call.h"

namespace monipaikka::testing {
namespace {

constexpr char kEmployeeHeader[] =
    "employee_id,organization,unit,fte,home_workstation,office_workstation,"
    "multi_space,shared_use,valid_from,valid_to,site\n";

// A server on its own database, with the key in another directory.
class HrServer {
 public:
  HrServer(const TempDir& data, const std::string& key_file,
           std::vector<std::string> extra = {}, const std::string& name = "hr")
      : db_path_(data.File("server.db")) {
    const std::string port_file = data.File(name + ".port");
    // One token file per database: a restart on the same database finds its
    // admin token there (a second one is minted only for a new database).
    const std::string token_file = db_path_ + ".admin.token";
    std::remove(port_file.c_str());
    std::vector<std::string> args = {
        "--listen=127.0.0.1:0",
        "--plaintext",
        "--db=" + db_path_,
        "--port_file=" + port_file,
        "--pseudonym_key_file=" + key_file,
        "--bootstrap_admin_token_file=" + token_file,
        "--metrics_listen=",
        "--http_listen="};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Process>(ServerBinary(), args,
                                         data.File(name + ".log"));
    port_ = WaitForPortFile(port_file, std::chrono::seconds(30));
    EXPECT_GT(port_, 0) << process_->Log();
    // The clients this test starts act as admin.
    absl::StatusOr<std::string> token = ReadTokenFile(token_file);
    EXPECT_TRUE(token.ok()) << token.status();
    if (token.ok()) {
      admin_token_ = *token;
      setenv(kTokenEnvironmentVariable, admin_token_.c_str(), 1);
    }
  }
  ~HrServer() { Stop(); }
  void Stop() {
    if (process_ && process_->running()) {
      process_->Signal(SIGTERM);
      process_->Wait(std::chrono::seconds(20));
    }
  }
  std::string server_flag() const {
    return absl::StrCat("--server=127.0.0.1:", port_);
  }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  const std::string& db_path() const { return db_path_; }
  std::string Log() const { return process_->Log(); }
  const std::string& admin_token() const { return admin_token_; }

 private:
  std::string admin_token_;
  std::string db_path_;
  std::unique_ptr<Process> process_;
  int port_ = -1;
};

struct ClientRun {
  int exit_code;
  std::string out;
  std::string err;
};

ClientRun Client(const HrServer& server, std::vector<std::string> args) {
  args.insert(args.begin(), server.server_flag());
  ClientRun run;
  run.exit_code = RunToCompletion(ClientBinary(), args, &run.out,
                                  std::chrono::seconds(120), &run.err);
  return run;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::set<std::string> Pseudonyms(const std::string& db_path) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(db_path, options);
  std::set<std::string> result;
  if (!db.ok()) return result;
  auto stmt = (*db)->Prepare("SELECT pseudonym FROM employees");
  if (!stmt.ok()) return result;
  EXPECT_TRUE(
      (*stmt)->ForEachRow([&] { result.insert((*stmt)->ColumnText(0)); }).ok());
  return result;
}

int64_t Count(const std::string& db_path, const std::string& table) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(db_path, options);
  if (!db.ok()) return -1;
  auto stmt = (*db)->Prepare(absl::StrCat("SELECT COUNT(*) FROM ", table));
  if (!stmt.ok()) return -1;
  absl::StatusOr<std::optional<int64_t>> count =
      (*stmt)->OneRow([&] { return (*stmt)->ColumnInt64(0); });
  return count.ok() ? count->value_or(-1) : -1;
}

class WorkforceIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_file_ = key_dir_.File("pseudonym.key");
    WriteFile(key_file_, std::string(64, 'a') + "\n");
    WriteFile(data_.File("inventory.json"),
              R"({"organizations":[{"code":"VERO","name":"Verohallinto"},)"
              R"({"code":"MML","name":"Maanmittauslaitos"}],)"
              R"("sites":[{"code":"HKI","name":"Pasila","kind":"D"}]})");
  }

  // People E0000… of `org`/`unit`: office workers, the first `home` of them
  // with a home workstation.
  static std::string Employees(int first, int count, const std::string& org,
                               const std::string& unit, int home) {
    std::string csv;
    for (int i = 0; i < count; ++i) {
      absl::StrAppend(&csv, absl::StrFormat("E%04d", first + i), ",", org, ",",
                      unit, ",1,", i < home ? "yes" : "no",
                      ",assigned,no,no,2024-01-01,,HKI\n");
    }
    return csv;
  }

  TempDir data_;
  TempDir key_dir_;
  std::string key_file_;
};

TEST_F(WorkforceIntegrationTest, BadRowsAreRejectedByRowWhileGoodRowsLoad) {
  HrServer server(data_, key_file_);
  ASSERT_EQ(Client(server, {"import-inventory", data_.File("inventory.json")})
                .exit_code,
            0);
  const std::string csv = data_.File("employees.csv");
  WriteFile(csv, std::string(kEmployeeHeader) +
                     Employees(0, 3, "VERO", "V1", 0) +       // lines 2-4
                     "E0900,VERO,V1,1,no,assigned,no,no\n" +  // 5: short
                     "E0901,XYZ,V1,1,no,assigned,no,no,2024-01-01,,\n" +   // 6
                     "E0902,VERO,V1,1,no,assigned,no,no,2024-13-01,,\n" +  // 7
                     Employees(3, 2, "VERO", "V1", 0));  // 8-9
  ClientRun run = Client(server, {"import-employees", csv});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(
      run.out.find("8 rows: 5 stored, 0 unchanged, 2 rejected, 1 skipped"),
      std::string::npos)
      << run.out;
  EXPECT_NE(run.err.find(csv + ":5: skipped: missing column valid_from"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(csv + ":6: rejected: organization: no organization "
                               "\"XYZ\" in the inventory"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find(csv + ":7: rejected: valid_from: \"2024-13-01\" is "
                               "not a date (YYYY-MM-DD)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(Count(server.db_path(), "employees"), 5);

  // Work-location days: a bad date, an unknown kind and an unknown person
  // are rejected by row; the rest load.
  const absl::CivilDay day = TodayInHelsinki() - 3;
  const std::string days = data_.File("days.csv");
  WriteFile(days, absl::StrCat("employee_id,date,location_kind\n", "E0000,",
                               FormatDate(day), ",B\n", "E0001,2024-02-30,B\n",
                               "E0002,", FormatDate(day), ",Q\n", "E7777,",
                               FormatDate(day), ",B\n", "E0003,",
                               FormatDate(day), ",A\n"));
  run = Client(server, {"import-work-days", days});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("5 rows: 2 stored"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find(days + ":3: rejected: date: \"2024-02-30\""),
            std::string::npos)
      << run.err;
  EXPECT_NE(
      run.err.find(days + ":4: rejected: location_kind: \"Q\" is not A-G"),
      std::string::npos);
  EXPECT_NE(
      run.err.find(days + ":5: rejected: employee_id: not in the employee "
                          "registry"),
      std::string::npos);
  EXPECT_EQ(Count(server.db_path(), "work_days"), 2);

  // An application records days through the API: the same checks, by row.
  auto stub = v1::WorkforceService::NewStub(CreateChannelWithToken(
      server.address(), grpc::InsecureChannelCredentials(),
      grpc::ChannelArguments(), server.admin_token()));
  v1::RecordWorkDaysRequest request;
  for (const auto& [row, id, kind] :
       std::vector<std::tuple<int, std::string, std::string>>{
           {1, "E0004", "D"}, {2, "E0004", "X"}, {3, "E0000", "A"}}) {
    v1::WorkDayRecord* record = request.add_records();
    record->set_row(row);
    record->set_employee_id(id);
    record->set_date(FormatDate(day - 1));
    record->set_location_kind(kind);
    record->set_source("self-report");
  }
  v1::ImportSummary summary;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->RecordWorkDays(&context, request, &summary).ok());
  EXPECT_EQ(summary.received(), 3);
  EXPECT_EQ(summary.stored(), 2);
  ASSERT_EQ(summary.rejections_size(), 1);
  EXPECT_EQ(summary.rejections(0).row(), 2);
  EXPECT_EQ(summary.rejections(0).message(), "location_kind: \"X\" is not A-G");
  EXPECT_EQ(Count(server.db_path(), "work_days"), 4);

  // No raw id was stored anywhere in the database files.
  server.Stop();
  for (const char* suffix : {"", "-wal"}) {
    const std::string bytes = ReadBytes(server.db_path() + suffix);
    for (const char* id : {"E0000", "E0001", "E0004", "E0901"}) {
      EXPECT_EQ(bytes.find(id), std::string::npos) << id << " in db" << suffix;
    }
  }
}

TEST_F(WorkforceIntegrationTest, AnImportMessageThatIsNoProtobufEndsTheImport) {
  HrServer server(data_, key_file_);
  ASSERT_EQ(Client(server, {"import-inventory", data_.File("inventory.json")})
                .exit_code,
            0);
  v1::EmployeeBatch batch;
  v1::EmployeeRecord* record = batch.add_records();
  record->set_row(2);
  record->set_employee_id("E0001");
  record->set_organization("VERO");
  record->set_fte(1);
  record->set_office_workstation("assigned");
  record->set_valid_from("2024-01-01");
  // A valid batch, then bytes that are no protobuf (an unfinished varint):
  // the import must not answer OK as if the sender had finished.
  const CallOutcome outcome = CallWithBytes(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()),
      "/monipaikka.v1.WorkforceService/ImportEmployees",
      {batch.SerializeAsString(), std::string("\xff\xff\xff\xff", 4)},
      "Bearer " + server.admin_token());
  EXPECT_EQ(outcome.code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(outcome.message.find(
                "message 2 of the stream is not a EmployeeBatch protobuf"),
            std::string::npos)
      << outcome.message;
}

TEST_F(WorkforceIntegrationTest, SmallGroupsAndTheirComplementsAreSuppressed) {
  HrServer server(data_, key_file_);
  ASSERT_EQ(Client(server, {"import-inventory", data_.File("inventory.json")})
                .exit_code,
            0);
  // VERO: V1 3 people (small), V2 20 (8 at home), V3 30 (28 at home: "not
  // at home" is 2); MML: M1 10 people.
  const std::string csv = data_.File("employees.csv");
  WriteFile(csv, std::string(kEmployeeHeader) +
                     Employees(0, 3, "VERO", "V1", 0) +
                     Employees(100, 20, "VERO", "V2", 8) +
                     Employees(200, 30, "VERO", "V3", 28) +
                     Employees(300, 10, "MML", "M1", 5));
  ASSERT_EQ(Client(server, {"import-employees", csv}).exit_code, 0);

  auto distribution = [&](std::vector<std::string> scope) {
    std::vector<std::string> args = {
        "--output=json", "workstation-distribution", "--as_of=2024-05-31"};
    args.insert(args.end(), scope.begin(), scope.end());
    ClientRun run = Client(server, args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    v1::WorkstationDistributionReport report;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(run.out, &report).ok())
        << run.out;
    return report;
  };
  const auto v1_report = distribution({"--organization=VERO", "--unit=V1"});
  const auto v2_report = distribution({"--organization=VERO", "--unit=V2"});
  const auto v3_report = distribution({"--organization=VERO", "--unit=V3"});
  const auto vero = distribution({"--organization=VERO"});
  const auto state = distribution({});
  ASSERT_EQ(v1_report.categories_size(), 6);
  // The unit of 3: everything withheld, as 0.
  for (const v1::DistributionCategory& c : v1_report.categories()) {
    EXPECT_TRUE(c.employees().withheld()) << c.category();
    EXPECT_EQ(c.employees().value(), 0);
  }
  EXPECT_EQ(v1_report.categories(2).employees().reason(),
            v1::HR_WITHHELD_SMALL_GROUP);
  // Headcounts are known to all who know who works where (docs/hr-privacy.md
  // "Privacy"): VERO's 53 and V2's 20 are shown.
  EXPECT_FALSE(vero.categories(0).employees().withheld());
  EXPECT_EQ(vero.categories(0).employees().value(), 53);
  EXPECT_EQ(v2_report.categories(0).employees().value(), 20);
  EXPECT_FALSE(v3_report.categories(0).employees().withheld());
  EXPECT_EQ(v3_report.categories(0).employees().value(), 30);
  // V3: 28 at home would leave 2 not at home: withheld, and VERO's at home
  // with it, or V2's (VERO − V2 − V3 would give it back).
  EXPECT_EQ(v3_report.categories(2).category(), "at_home");
  EXPECT_TRUE(v3_report.categories(2).employees().withheld());
  EXPECT_TRUE(vero.categories(2).employees().withheld() ||
              v2_report.categories(2).employees().withheld());
  // The state figures stand.
  EXPECT_EQ(state.categories(0).employees().value(), 63);
  EXPECT_EQ(state.anonymity_k(), 5);

  // Table output says "suppressed".
  ClientRun table =
      Client(server, {"workstation-distribution", "--as_of=2024-05-31",
                      "--organization=VERO", "--unit=V1"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("suppressed"), std::string::npos) << table.out;

  // Registry snapshots only on publication dates (month ends by default).
  ClientRun mid_month =
      Client(server, {"workstation-distribution", "--as_of=2024-06-01"});
  EXPECT_NE(mid_month.exit_code, 0);
  EXPECT_NE(mid_month.err.find("the nearest are 2024-05-31 and 2024-06-30"),
            std::string::npos)
      << mid_month.err;
}

TEST_F(WorkforceIntegrationTest,
       PseudonymsAreStableUnderOneKeyAndDifferUnderAnother) {
  const std::string csv = data_.File("employees.csv");
  WriteFile(csv,
            std::string(kEmployeeHeader) + Employees(0, 6, "VERO", "V1", 2));
  std::set<std::string> first;
  {
    HrServer server(data_, key_file_);
    ASSERT_EQ(Client(server, {"import-inventory", data_.File("inventory.json")})
                  .exit_code,
              0);
    ClientRun run = Client(server, {"import-employees", csv});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("(6 new employees)"), std::string::npos) << run.out;
    server.Stop();
    first = Pseudonyms(server.db_path());
  }
  ASSERT_EQ(first.size(), 6u);
  {
    // Same key, server restarted: the same people are updated, not added.
    HrServer server(data_, key_file_, {}, "again");
    ClientRun run = Client(server, {"import-employees", csv});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.out.find("0 stored, 6 unchanged"), std::string::npos)
        << run.out;
    EXPECT_NE(run.out.find("(0 new employees)"), std::string::npos);
    server.Stop();
    EXPECT_EQ(Pseudonyms(server.db_path()), first);
  }
  // Another key, another database: none of the pseudonyms is the same.
  TempDir other_data;
  TempDir other_key_dir;
  const std::string other_key = other_key_dir.File("other.key");
  WriteFile(other_key, std::string(64, 'b'));
  WriteFile(other_data.File("inventory.json"),
            ReadBytes(data_.File("inventory.json")));
  HrServer other(other_data, other_key);
  ASSERT_EQ(
      Client(other, {"import-inventory", other_data.File("inventory.json")})
          .exit_code,
      0);
  ASSERT_EQ(Client(other, {"import-employees", csv}).exit_code, 0);
  other.Stop();
  const std::set<std::string> second = Pseudonyms(other.db_path());
  ASSERT_EQ(second.size(), 6u);
  for (const std::string& p : second) EXPECT_EQ(first.count(p), 0u);
}

TEST_F(WorkforceIntegrationTest, ServerRefusesUnsafeSettings) {
  std::string out;
  std::string err;
  // k below 3.
  EXPECT_EQ(RunToCompletion(ServerBinary(),
                            {"--listen=127.0.0.1:0", "--plaintext",
                             "--db=" + data_.File("a.db"),
                             "--metrics_listen=", "--anonymity_k=2"},
                            &out, std::chrono::seconds(30), &err),
            2);
  EXPECT_NE(err.find("--anonymity_k=2 is below 3"), std::string::npos) << err;
  // The key beside the data.
  const std::string beside = data_.File("pseudonym.key");
  WriteFile(beside, std::string(64, 'c'));
  EXPECT_EQ(RunToCompletion(ServerBinary(),
                            {"--listen=127.0.0.1:0", "--plaintext",
                             "--db=" + data_.File("a.db"), "--metrics_listen=",
                             "--pseudonym_key_file=" + beside},
                            &out, std::chrono::seconds(30), &err),
            1);
  EXPECT_NE(err.find("keep the key apart from the data"), std::string::npos)
      << err;
}

TEST_F(WorkforceIntegrationTest,
       RetentionDeletesOldDaysAndReportsSayWhatTheyCover) {
  const std::string csv = data_.File("employees.csv");
  WriteFile(csv,
            std::string(kEmployeeHeader) + Employees(0, 6, "VERO", "V1", 2));
  const absl::CivilDay today = TodayInHelsinki();
  const absl::CivilDay old_day = today - 100;
  const absl::CivilDay recent = today - 2;
  const std::string days = data_.File("days.csv");
  std::string rows = "employee_id,date,location_kind\n";
  for (int i = 0; i < 6; ++i) {
    absl::StrAppend(&rows, absl::StrFormat("E%04d", i), ",",
                    FormatDate(old_day), ",B\n", absl::StrFormat("E%04d", i),
                    ",", FormatDate(recent), ",A\n");
  }
  WriteFile(days, rows);
  {
    HrServer server(data_, key_file_);
    ASSERT_EQ(Client(server, {"import-inventory", data_.File("inventory.json")})
                  .exit_code,
              0);
    ASSERT_EQ(Client(server, {"import-employees", csv}).exit_code, 0);
    ClientRun run = Client(server, {"import-work-days", days});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    server.Stop();
    EXPECT_EQ(Count(server.db_path(), "work_days"), 12);
  }
  // With a retention of 2 months the server deletes the old days on start,
  // and the report says from which day it can cover.
  HrServer server(data_, key_file_, {"--workforce_retention_months=2"},
                  "short");
  const absl::CivilMonth this_month(today);
  ClientRun run =
      Client(server,
             {"--output=json", "office-days",
              absl::StrFormat("--from_month=%04d-%02d", (this_month - 4).year(),
                              (this_month - 4).month()),
              absl::StrFormat("--to_month=%04d-%02d", this_month.year(),
                              this_month.month())});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  v1::OfficeDaysReport report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &report).ok());
  EXPECT_EQ(report.retention_months(), 2);
  const absl::CivilMonth two_back = this_month - 2;
  EXPECT_GE(report.retained_from(),
            absl::StrFormat("%04d-%02d-01", two_back.year(), two_back.month()));
  ASSERT_EQ(report.rows_size(), 5);
  EXPECT_TRUE(report.rows(0).partial());
  EXPECT_FALSE(report.rows(4).partial());
  server.Stop();
  EXPECT_EQ(Count(server.db_path(), "work_days"), 6);
  EXPECT_NE(server.Log().find("event=workforce_retention"), std::string::npos);
  // Days older than the period are refused at import.
  HrServer again(data_, key_file_, {"--workforce_retention_months=2"}, "again");
  run = Client(again, {"import-work-days", days});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("older than the retention period"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace monipaikka::testing
