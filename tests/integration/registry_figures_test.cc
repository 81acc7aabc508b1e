// Figures derived from the HR registry in the occupancy reports (FTE,
// m²/htv) through the real server and client on 127.0.0.1: a facility
// token sees a small site's FTE only as suppressed with the reason, on every
// date, a consolidation's sum only when all its parts are shown, and every
// such read lands in the audit log.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/bearer_token.h"
#include "common/time_format.h"
#include "monipaikka/v1/analytics.pb.h"
#include "server/privacy/publication_calendar.h"
#include "tests/support/cluster.h"

namespace monipaikka::testing {
namespace {

class RegistryFiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string key_file = key_dir_.File("pseudonym.key");
    std::ofstream(key_file) << std::string(64, 'b') << "\n";
    const std::string port_file = data_.File("server.port");
    const std::string token_file = data_.File("admin.token");
    server_ = std::make_unique<Process>(
        ServerBinary(),
        std::vector<std::string>{
            "--listen=127.0.0.1:0", "--plaintext", "--db=" + data_.File("s.db"),
            "--port_file=" + port_file, "--pseudonym_key_file=" + key_file,
            "--bootstrap_admin_token_file=" + token_file, "--metrics_listen=",
            "--http_listen=", "--hr_publication=month_end"},
        data_.File("server.log"));
    const int port = WaitForPortFile(port_file, std::chrono::seconds(30));
    ASSERT_GT(port, 0) << server_->Log();
    address_ = absl::StrCat("127.0.0.1:", port);
    admin_token_file_ = token_file;

    const std::string inventory = data_.File("inventory.json");
    std::ofstream(inventory)
        << R"({"organizations":[{"code":"VERO","name":"Verohallinto"},)"
           R"({"code":"MML","name":"Maanmittauslaitos"}],)"
           R"("sites":[{"code":"HKI","name":"Pasila","kind":"D"},)"
           R"({"code":"SMALL","name":"Pieni","kind":"D"}]})";
    ASSERT_EQ(Admin({"import-inventory", inventory}), 0) << out_ << err_;
    // 20 of VERO at HKI; 2 of MML at SMALL (the issue's site of two).
    std::string csv =
        "employee_id,organization,unit,fte,home_workstation,"
        "office_workstation,multi_space,shared_use,valid_from,valid_to,site\n";
    for (int i = 0; i < 20; ++i) {
      absl::StrAppend(&csv, absl::StrFormat("V%03d", i),
                      ",VERO,U1,1,no,assigned,no,no,2024-01-01,,HKI\n");
    }
    absl::StrAppend(&csv,
                    "M000,MML,U2,1,no,assigned,no,no,2024-01-01,,SMALL\n");
    absl::StrAppend(&csv,
                    "M001,MML,U2,1,no,assigned,no,no,2024-01-01,,SMALL\n");
    // The same request on a later date showed 1.6: one went to 0.6.
    absl::StrAppend(&csv, "M001,MML,U2,0.6,no,assigned,no,no,", kChange,
                    ",,SMALL\n");
    const std::string employees = data_.File("employees.csv");
    std::ofstream(employees) << csv;
    ASSERT_EQ(Admin({"import-employees", employees}), 0) << out_ << err_;

    ASSERT_EQ(Admin({"tokens", "create", "--role=facility", "--name=fm"}), 0)
        << err_;
    facility_token_file_ = data_.File("facility.token");
    std::ofstream(facility_token_file_)
        << absl::StripAsciiWhitespace(out_) << "\n";
  }

  int Run(const std::string& token_file, std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--server=" + address_, "--token_file=" + token_file});
    return RunToCompletion(ClientBinary(), args, &out_,
                           std::chrono::seconds(60), &err_);
  }
  int Admin(std::vector<std::string> args) {
    return Run(admin_token_file_, std::move(args));
  }
  int Facility(std::vector<std::string> args) {
    return Run(facility_token_file_, std::move(args));
  }
  template <typename Message>
  Message FacilityJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--output=json");
    EXPECT_EQ(Facility(args), 0) << out_ << err_;
    Message message;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(out_, &message).ok())
        << out_;
    return message;
  }

  static constexpr char kChange[] = "2025-03-10";
  TempDir data_;
  TempDir key_dir_;
  std::unique_ptr<Process> server_;
  std::string address_;
  std::string admin_token_file_;
  std::string facility_token_file_;
  std::string out_;
  std::string err_;
};

TEST_F(RegistryFiguresTest, ASiteOfTwoIsSuppressedOnEveryDateWithTheReason) {
  for (const char* date : {"2025-02-15", "2025-03-20", "2025-04-15"}) {
    const auto report = FacilityJson<v1::SpaceEfficiencyReport>(
        {"efficiency", absl::StrCat("--date=", date)});
    ASSERT_EQ(report.rows_size(), 4) << date;  // HKI, SMALL, MML, VERO
    // The request's date snaps to the last month end before it.
    EXPECT_EQ(report.registry_date(),
              FormatDate(LatestPublicationDate(
                  *ParseDate(date), PublicationCalendar::kMonthEnd)));
    for (const v1::SpaceEfficiencyRow& row : report.rows()) {
      SCOPED_TRACE(absl::StrCat(date, " ", row.code()));
      EXPECT_TRUE(row.fte_available());
      if (row.code() == "SMALL" || row.code() == "MML") {
        EXPECT_EQ(row.fte_withheld(), v1::REGISTRY_FIGURE_SMALL_GROUP);
        EXPECT_EQ(row.fte_withheld_reason(), "fewer than 5 employees");
        EXPECT_EQ(row.fte(), 0);
        EXPECT_EQ(row.m2_per_fte(), 0);
      } else {
        EXPECT_EQ(row.fte_withheld(), v1::REGISTRY_FIGURE_SHOWN);
        EXPECT_DOUBLE_EQ(row.fte(), 20.0);
      }
    }
  }
  // The table says it too, never 0 or blank.
  ASSERT_EQ(Facility({"efficiency", "--date=2025-04-15", "--site=SMALL"}), 0)
      << err_;
  EXPECT_NE(out_.find("suppressed: fewer than 5 employees"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("registry of 2025-03-31"), std::string::npos) << out_;
}

TEST_F(RegistryFiguresTest, AConsolidationSumsOnlyShownFigures) {
  const auto both = FacilityJson<v1::ConsolidationReport>(
      {"consolidate", "--candidate=HKI", "--sites=HKI,SMALL",
       "--from=2025-04-07", "--to=2025-04-11", "--date=2025-04-11"});
  EXPECT_EQ(both.fte_registry_date(), "2025-03-31");
  ASSERT_EQ(both.groups_size(), 2);
  EXPECT_DOUBLE_EQ(both.groups(0).fte(), 20.0);
  EXPECT_EQ(both.groups(1).fte_withheld(), v1::REGISTRY_FIGURE_SMALL_GROUP);
  EXPECT_EQ(both.total_fte_withheld(), v1::REGISTRY_FIGURE_PROTECTED);
  EXPECT_EQ(both.total_fte(), 0);
  EXPECT_EQ(both.m2_per_fte(), 0);

  const auto one = FacilityJson<v1::ConsolidationReport>(
      {"consolidate", "--candidate=HKI", "--sites=HKI", "--from=2025-04-07",
       "--to=2025-04-11", "--date=2025-04-11"});
  EXPECT_EQ(one.total_fte_withheld(), v1::REGISTRY_FIGURE_SHOWN);
  EXPECT_DOUBLE_EQ(one.total_fte(), 20.0);
}

TEST_F(RegistryFiguresTest, ReadsOfRegistryFiguresAreAudited) {
  ASSERT_EQ(Facility({"efficiency", "--date=2025-04-15", "--site=SMALL"}), 0);
  ASSERT_EQ(Facility({"consolidate", "--candidate=HKI", "--sites=SMALL",
                      "--from=2025-04-07", "--to=2025-04-11"}),
            0)
      << err_;
  ASSERT_EQ(Admin({"audit"}), 0) << err_;
  EXPECT_NE(out_.find("AnalyticsService/GetSpaceEfficiency"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("as_of=2025-04-15 site=SMALL"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("AnalyticsService/GetConsolidation"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("sites=SMALL candidate_site=HKI"), std::string::npos)
      << out_;
  EXPECT_NE(out_.find("fm"), std::string::npos) << out_;  // who asked
}

}  // namespace
}  // namespace monipaikka::testing
